// YAML through yaml-cpp's event parser, straight into positioned Values.
//
// Plain scalars are resolved with the YAML 1.2 core schema (null, true/false,
// decimal numbers, everything else a string); quoted scalars (tag "!") are
// always strings. Anchors and aliases work; alias expansion counts against the
// per-file value limit so a "billion laughs" file fails fast.
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <map>
#include <streambuf>

#include "load/parse.h"

namespace stowage::load {
namespace {

// Read-only istream over a string_view, without copying the text.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// Thrown by the builder to stop yaml-cpp; caught in ParseYaml.
struct BuildError {
  Loc loc;
  std::string message;
};

bool IsNullWord(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

void ResolvePlain(Value& v, const std::string& text) {
  if (IsNullWord(text)) {
    v.kind = Value::Kind::kNull;
    return;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    v.kind = Value::Kind::kBool;
    v.text = "true";
    return;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    v.kind = Value::Kind::kBool;
    v.text = "false";
    return;
  }
  v.text = text;
  v.kind = ParseNumber(text) ? Value::Kind::kNumber : Value::Kind::kString;
}

size_t CountValues(const Value& v) {
  size_t n = 1;
  for (const auto& i : v.items) n += CountValues(i);
  for (const auto& m : v.members) n += CountValues(m.value);
  return n;
}

class Builder : public YAML::EventHandler {
 public:
  Builder(const std::string* file, std::vector<Value>& out) : file_(file), out_(out) {}

  void OnDocumentStart(const YAML::Mark&) override {
    stack_.clear();
    anchors_.clear();
    has_root_ = false;
    root_ = Value();
  }

  void OnDocumentEnd() override {
    if (has_root_ && !root_.IsNull()) out_.push_back(std::move(root_));
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Value v;
    v.loc = ToLoc(mark);
    Place(std::move(v), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw BuildError{ToLoc(mark), "unknown alias"};
    Count(CountValues(it->second));
    Value copy = it->second;
    copy.loc = ToLoc(mark);
    Place(std::move(copy), YAML::NullAnchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    Value v;
    v.loc = ToLoc(mark);
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      v.kind = Value::Kind::kString;
      v.quoted = true;
      v.text = text;
    } else {
      ResolvePlain(v, text);
    }
    Place(std::move(v), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, Value::Kind::kArray, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, Value::Kind::kObject, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    Value value;
    YAML::anchor_t anchor;
    bool has_key = false;  // objects: a key was read, its value is next
    std::string key;
    Loc key_loc;
  };

  Loc ToLoc(const YAML::Mark& mark) const { return Loc{file_, mark.line + 1, mark.column + 1}; }

  void Count(size_t n) {
    values_ += n;
    if (values_ > kMaxValues) {
      throw BuildError{Loc{file_, 0, 0}, "too many values (the limit is 1000000)"};
    }
  }

  void Open(const YAML::Mark& mark, Value::Kind kind, YAML::anchor_t anchor) {
    Count(1);
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      throw BuildError{ToLoc(mark), "nesting deeper than " + std::to_string(kMaxDepth) + " levels"};
    }
    Frame& f = stack_.emplace_back();
    f.value.kind = kind;
    f.value.loc = ToLoc(mark);
    f.anchor = anchor;
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Place(std::move(f.value), f.anchor);
  }

  // Puts a finished value where it belongs: document root, array item, key or member value.
  void Place(Value v, YAML::anchor_t anchor) {
    if (v.IsScalar()) Count(1);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = v;
    if (stack_.empty()) {
      root_ = std::move(v);
      has_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.value.IsArray()) {
      top.value.items.push_back(std::move(v));
    } else if (!top.has_key) {
      if (!v.IsScalar() || v.IsNull()) {
        throw BuildError{
            v.loc, "keys must be plain text (got " + std::string(Value::KindName(v.kind)) + ")"};
      }
      top.key = std::move(v.text);
      top.key_loc = v.loc;
      top.has_key = true;
    } else {
      Member& m = top.value.members.emplace_back();
      m.key = std::move(top.key);
      m.key_loc = top.key_loc;
      m.value = std::move(v);
      top.has_key = false;
      if (m.value.IsNull()) m.value.loc = m.key_loc;  // "key:" with nothing: point at the key
    }
  }

  const std::string* file_;
  std::vector<Value>& out_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Value> anchors_;
  Value root_;
  bool has_root_ = false;
  size_t values_ = 0;
};

bool CheckKeys(const Value& v, Diagnostics& diags) {
  bool ok = true;
  if (v.IsObject()) ok = CheckDuplicateKeys(v, diags);
  for (const auto& i : v.items) ok = CheckKeys(i, diags) && ok;
  for (const auto& m : v.members) ok = CheckKeys(m.value, diags) && ok;
  return ok;
}

}  // namespace

bool ParseYaml(std::string_view text, const std::string* file, std::vector<Value>& out,
               Diagnostics& diags) {
  ViewBuf buf(text);
  std::istream in(&buf);
  std::vector<Value> docs;
  try {
    YAML::Parser parser(in);
    Builder builder(file, docs);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const BuildError& e) {
    diags.Error(e.loc.ToPosition(), "YAML syntax error: " + e.message);
    return false;
  } catch (const YAML::Exception& e) {
    Position pos{*file, e.mark.is_null() ? 0 : e.mark.line + 1,
                 e.mark.is_null() ? 0 : e.mark.column + 1};
    diags.Error(pos, "YAML syntax error: " + e.msg);
    return false;
  } catch (const std::exception& e) {
    diags.Error(Position{*file, 0, 0}, std::string("YAML syntax error: ") + e.what());
    return false;
  }
  bool ok = true;
  for (const auto& d : docs) ok = CheckKeys(d, diags) && ok;
  if (!ok) return false;
  for (auto& d : docs) out.push_back(std::move(d));
  return true;
}

}  // namespace stowage::load
