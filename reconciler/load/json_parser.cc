// A strict RFC 8259 JSON parser producing positioned Values (see load/parse.h).
#include <string>

#include "load/parse.h"

namespace stowage::load {
namespace {

class JsonParser {
 public:
  JsonParser(std::string_view text, const std::string* file, Diagnostics& diags)
      : text_(text), file_(file), diags_(diags) {}

  bool ParseDocument(Value& out) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    SkipBlanks();
    if (AtEnd()) return Fail("expected a JSON value, got the end of the file");
    if (!ParseValue(out, 0)) return false;
    SkipBlanks();
    if (!AtEnd()) return Fail("unexpected " + Here() + " after the JSON document");
    return true;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void Advance() {
    const unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }

  void SkipBlanks() {
    while (!AtEnd()) {
      const char c = Peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      Advance();
    }
  }

  Loc Mark() const { return Loc{file_, line_, column_}; }

  // What is at the current position, for messages.
  std::string Here() const {
    if (AtEnd()) return "the end of the file";
    const unsigned char c = static_cast<unsigned char>(Peek());
    if (c < 0x20 || c >= 0x7f) {
      static const char* kHex = "0123456789abcdef";
      return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
    }
    return std::string("'") + static_cast<char>(c) + "'";
  }

  bool Fail(const std::string& message) { return FailAt(Mark(), message); }
  bool FailAt(const Loc& at, const std::string& message) {
    diags_.Error(at.ToPosition(), "JSON syntax error: " + message);
    return false;
  }

  bool ParseValue(Value& out, int depth) {
    if (++values_ > kMaxValues) return Fail("too many values (the limit is 1000000)");
    out.loc = Mark();
    switch (Peek()) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"':
        out.kind = Value::Kind::kString;
        out.quoted = true;
        return ParseString(out.text);
      case 't':
        return ParseLiteral(out, "true", Value::Kind::kBool);
      case 'f':
        return ParseLiteral(out, "false", Value::Kind::kBool);
      case 'n':
        return ParseLiteral(out, "null", Value::Kind::kNull);
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return ParseNumber(out);
        return Fail("expected a value, got " + Here());
    }
  }

  bool ParseLiteral(Value& out, std::string_view word, Value::Kind kind) {
    if (text_.substr(pos_, word.size()) != word) return Fail("expected a value, got " + Here());
    for (size_t i = 0; i < word.size(); ++i) Advance();
    out.kind = kind;
    out.text = std::string(word);
    return true;
  }

  bool Digits() {
    if (AtEnd() || Peek() < '0' || Peek() > '9') return false;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') Advance();
    return true;
  }

  bool ParseNumber(Value& out) {
    const size_t start = pos_;
    if (Peek() == '-') Advance();
    if (!AtEnd() && Peek() == '0') {
      Advance();
    } else if (!Digits()) {
      return Fail("expected a digit, got " + Here());
    }
    if (!AtEnd() && Peek() == '.') {
      Advance();
      if (!Digits()) return Fail("expected a digit after '.', got " + Here());
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      Advance();
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) Advance();
      if (!Digits()) return Fail("expected a digit in the exponent, got " + Here());
    }
    out.kind = Value::Kind::kNumber;
    out.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  bool ParseHex4(unsigned* out) {
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      if (AtEnd()) return Fail("unterminated \\u escape");
      const char c = Peek();
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return Fail("expected a hex digit in \\u escape, got " + Here());
      }
      *out = *out * 16 + digit;
      Advance();
    }
    return true;
  }

  static void AppendUtf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool ParseUnicodeEscape(std::string& s) {
    unsigned cp = 0;
    if (!ParseHex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("unpaired surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return Fail("unpaired surrogate in \\u escape");
      Advance();
      Advance();
      unsigned low = 0;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("unpaired surrogate in \\u escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(s, cp);
    return true;
  }

  bool ParseEscape(std::string& s) {
    Advance();  // the backslash
    if (AtEnd()) return Fail("unterminated string");
    const char c = Peek();
    Advance();
    switch (c) {
      case '"':
      case '\\':
      case '/':
        s += c;
        return true;
      case 'b':
        s += '\b';
        return true;
      case 'f':
        s += '\f';
        return true;
      case 'n':
        s += '\n';
        return true;
      case 'r':
        s += '\r';
        return true;
      case 't':
        s += '\t';
        return true;
      case 'u':
        return ParseUnicodeEscape(s);
      default:
        --column_;  // point at the escape character
        return Fail(std::string("invalid escape '\\") + c + "'");
    }
  }

  // Length of the UTF-8 sequence starting at pos_, 0 if invalid.
  size_t Utf8Length() const {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text_[pos_ + i]); };
    const unsigned char c = byte(0);
    size_t n = 0;
    unsigned min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (pos_ + n > text_.size()) return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; ++i) {
      if ((byte(i) & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (byte(i) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
  }

  bool ParseString(std::string& s) {
    Advance();  // opening quote
    while (true) {
      if (AtEnd()) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        Advance();
        return true;
      }
      if (c == '\\') {
        if (!ParseEscape(s)) return false;
      } else if (c < 0x20) {
        return Fail("control character " + Here() + " in a string (escape it)");
      } else if (c < 0x80) {
        s += static_cast<char>(c);
        Advance();
      } else {
        const size_t n = Utf8Length();
        if (n == 0) return Fail("invalid UTF-8 in a string");
        s.append(text_.substr(pos_, n));
        for (size_t i = 0; i < n; ++i) Advance();
      }
    }
  }

  bool CheckDepth(int depth) {
    if (depth > kMaxDepth) {
      return Fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    return true;
  }

  bool ParseArray(Value& out, int depth) {
    if (!CheckDepth(depth)) return false;
    out.kind = Value::Kind::kArray;
    Advance();  // '['
    SkipBlanks();
    if (!AtEnd() && Peek() == ']') {
      Advance();
      return true;
    }
    while (true) {
      SkipBlanks();
      if (AtEnd()) return Fail("unterminated array (missing ']')");
      out.items.emplace_back();
      if (!ParseValue(out.items.back(), depth)) return false;
      SkipBlanks();
      if (AtEnd()) return Fail("unterminated array (missing ']')");
      if (Peek() == ']') {
        Advance();
        return true;
      }
      if (Peek() != ',') return Fail("expected ',' or ']' in an array, got " + Here());
      const Loc comma = Mark();
      Advance();
      SkipBlanks();
      if (!AtEnd() && Peek() == ']') return FailAt(comma, "trailing ',' before ']'");
    }
  }

  bool ParseObject(Value& out, int depth) {
    if (!CheckDepth(depth)) return false;
    out.kind = Value::Kind::kObject;
    Advance();  // '{'
    SkipBlanks();
    if (!AtEnd() && Peek() == '}') {
      Advance();
      return true;
    }
    while (true) {
      SkipBlanks();
      if (AtEnd()) return Fail("unterminated object (missing '}')");
      if (Peek() != '"') return Fail("expected a key in double quotes, got " + Here());
      Member& m = out.members.emplace_back();
      m.key_loc = Mark();
      if (!ParseString(m.key)) return false;
      SkipBlanks();
      if (AtEnd() || Peek() != ':') return Fail("expected ':' after a key, got " + Here());
      Advance();
      SkipBlanks();
      if (AtEnd()) return Fail("expected a value, got the end of the file");
      if (!ParseValue(m.value, depth)) return false;
      SkipBlanks();
      if (AtEnd()) return Fail("unterminated object (missing '}')");
      if (Peek() == '}') {
        Advance();
        return CheckDuplicateKeys(out, diags_);
      }
      if (Peek() != ',') return Fail("expected ',' or '}' in an object, got " + Here());
      const Loc comma = Mark();
      Advance();
      SkipBlanks();
      if (!AtEnd() && Peek() == '}') return FailAt(comma, "trailing ',' before '}'");
    }
  }

  std::string_view text_;
  const std::string* file_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  size_t values_ = 0;
};

}  // namespace

bool ParseJson(std::string_view text, const std::string* file, std::vector<Value>& out,
               Diagnostics& diags) {
  Value doc;
  if (!JsonParser(text, file, diags).ParseDocument(doc)) return false;
  out.push_back(std::move(doc));
  return true;
}

}  // namespace stowage::load
