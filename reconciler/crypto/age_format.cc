#include "crypto/age_format.h"

#include <algorithm>

#include "util/base64.h"

namespace stowage::crypto::age {
namespace {

constexpr std::string_view kVersionLine = "age-encryption.org/v1\n";
constexpr std::string_view kVersionPrefix = "age-encryption.org/";
constexpr std::size_t kColumns = 64;
constexpr std::size_t kNonceSize = 16;
constexpr std::string_view kArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
constexpr std::string_view kArmorEnd = "-----END AGE ENCRYPTED FILE-----";

Status Malformed(const std::string& what) {
  return Status::Invalid("age: malformed header: " + what);
}

// Reads the line at `pos` (without its LF) and moves `pos` past the LF.
bool NextLine(std::string_view file, std::size_t& pos, std::string_view& line) {
  const std::size_t lf = file.find('\n', pos);
  if (lf == std::string_view::npos) return false;
  line = file.substr(pos, lf - pos);
  pos = lf + 1;
  return true;
}

bool IsVisible(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 33 && c <= 126; });
}

Result<std::vector<std::string>> SplitArguments(std::string_view rest) {
  std::vector<std::string> args;
  std::size_t start = 0;
  while (true) {
    const std::size_t sp = rest.find(' ', start);
    std::string_view arg = rest.substr(start, sp == std::string_view::npos ? sp : sp - start);
    if (!IsVisible(arg)) return Malformed("a stanza argument is empty or not printable ASCII");
    args.emplace_back(arg);
    if (args.size() > kMaxArguments) return Malformed("a stanza has too many arguments");
    if (sp == std::string_view::npos) return args;
    start = sp + 1;
  }
}

// The body lines of a stanza: full 64-column lines, then one shorter line.
Result<std::string> StanzaBody(std::string_view file, std::size_t& pos) {
  std::string text;
  std::string_view line;
  while (true) {
    if (!NextLine(file, pos, line)) return Malformed("a stanza body is not terminated");
    if (line.size() > kColumns) return Malformed("a stanza body line is longer than 64 columns");
    text += line;
    if (line.size() < kColumns) break;
    if (text.size() > kMaxFileSize) return Malformed("a stanza body is too large");
  }
  auto body = Base64DecodeStrict(text, Base64Padding::kNone);
  if (!body) return Malformed("a stanza body is not canonical base64");
  return std::move(*body);
}

std::string WrapBody(std::string_view body) {
  const std::string text = Base64Encode(body, Base64Padding::kNone);
  std::string out;
  for (std::size_t i = 0; i <= text.size(); i += kColumns) {
    out += text.substr(i, kColumns);
    out += '\n';
    if (text.size() - i < kColumns) break;
  }
  return out;
}

Nonce12 ChunkNonce(std::uint64_t counter, bool last) {
  Nonce12 n{};
  for (int i = 0; i < 8; ++i) {
    n[static_cast<std::size_t>(10 - i)] = static_cast<unsigned char>((counter >> (8 * i)) & 0xff);
  }
  n[11] = last ? 1 : 0;
  return n;
}

Result<Key32> PayloadKey(std::string_view file_key, std::string_view nonce) {
  return HkdfSha256(file_key, nonce, "payload");
}

std::string_view TrimSpace(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Header> ParseHeader(std::string_view file) {
  if (file.substr(0, kVersionLine.size()) != kVersionLine) {
    if (file.substr(0, kVersionPrefix.size()) == kVersionPrefix) {
      return Status::Invalid("age: unsupported format version (only age-encryption.org/v1)");
    }
    return Status::Invalid("age: not an age file (no age-encryption.org/v1 header)");
  }
  Header h;
  std::size_t pos = kVersionLine.size();
  std::string_view line;
  while (true) {
    const std::size_t line_start = pos;
    if (!NextLine(file, pos, line)) return Malformed("it ends before the MAC line");
    if (line.substr(0, 3) == "-> ") {
      if (h.stanzas.size() == kMaxStanzas) return Malformed("more than 64 recipient stanzas");
      auto args = SplitArguments(line.substr(3));
      if (!args.ok()) return args.status();
      auto body = StanzaBody(file, pos);
      if (!body.ok()) return body.status();
      h.stanzas.push_back({std::move(*args), std::move(*body)});
      continue;
    }
    if (line.substr(0, 4) != "--- ")
      return Malformed("expected a stanza (->) or the MAC line (---)");
    if (h.stanzas.empty()) return Malformed("no recipient stanza");
    auto mac = Base64DecodeStrict(line.substr(4), Base64Padding::kNone);
    if (!mac || mac->size() != 32) return Malformed("the MAC is not 32 bytes of canonical base64");
    h.mac = std::move(*mac);
    h.mac_input = file.substr(0, line_start + 3);
    h.payload_start = pos;
    return h;
  }
}

std::string FormatHeader(const std::vector<Stanza>& stanzas) {
  std::string out(kVersionLine);
  for (const auto& s : stanzas) {
    out += "->";
    for (const auto& a : s.args) out += " " + a;
    out += '\n';
    out += WrapBody(s.body);
  }
  out += "---";
  return out;
}

bool IsArmored(std::string_view file) {
  return TrimSpace(file).substr(0, kArmorBegin.size()) == kArmorBegin;
}

Result<std::string> Dearmor(std::string_view file) {
  std::string_view text = TrimSpace(file);
  if (text.substr(0, kArmorBegin.size()) != kArmorBegin ||
      text.size() < kArmorBegin.size() + kArmorEnd.size() ||
      text.substr(text.size() - kArmorEnd.size()) != kArmorEnd) {
    return Status::Invalid("age: malformed armor (BEGIN/END AGE ENCRYPTED FILE lines)");
  }
  text = text.substr(kArmorBegin.size(), text.size() - kArmorBegin.size() - kArmorEnd.size());
  std::string b64;
  bool short_line_seen = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t lf = text.find('\n', pos);
    if (lf == std::string_view::npos) lf = text.size();
    std::string_view line = text.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (short_line_seen || line.size() > kColumns) {
      return Status::Invalid("age: malformed armor (lines must be 64 columns, the last shorter)");
    }
    short_line_seen = line.size() < kColumns;
    b64 += line;
  }
  auto bytes = Base64DecodeStrict(b64, Base64Padding::kRequired);
  if (!bytes) return Status::Invalid("age: malformed armor (not canonical base64)");
  return std::move(*bytes);
}

Result<std::string> HeaderMac(std::string_view file_key, std::string_view header_text) {
  auto key = HkdfSha256(file_key, "", "header");
  if (!key.ok()) return key.status();
  return HmacSha256(key->view(), header_text);
}

Result<std::string> SealPayload(std::string_view file_key, std::string_view plaintext) {
  std::string out(kNonceSize, '\0');
  if (Status s = RandomBytes(reinterpret_cast<unsigned char*>(out.data()), kNonceSize); !s.ok()) {
    return s;
  }
  auto key = PayloadKey(file_key, out);
  if (!key.ok()) return key.status();
  std::uint64_t counter = 0;
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min(kChunkSize, plaintext.size() - pos);
    const bool last = pos + n == plaintext.size();
    auto chunk = Seal(*key, ChunkNonce(counter++, last), plaintext.substr(pos, n));
    if (!chunk.ok()) return chunk.status();
    out += *chunk;
    pos += n;
  } while (pos < plaintext.size());
  return out;
}

Result<SecretString> OpenPayload(std::string_view file_key, std::string_view payload) {
  if (payload.size() < kNonceSize + kTagSize) {
    return Status::Invalid("age: truncated file (no payload)");
  }
  auto key = PayloadKey(file_key, payload.substr(0, kNonceSize));
  if (!key.ok()) return key.status();
  std::string_view chunks = payload.substr(kNonceSize);
  SecretString out;
  out.mutable_str().reserve(chunks.size());  // no reallocation leaves plaintext behind
  std::uint64_t counter = 0;
  while (!chunks.empty()) {
    const std::size_t n = std::min(kChunkSize + kTagSize, chunks.size());
    const bool last = n == chunks.size();
    if (n < kTagSize) return Status::Invalid("age: truncated file (a chunk shorter than its tag)");
    if (last && n == kTagSize && counter > 0) {
      return Status::Invalid("age: malformed payload (an empty final chunk)");
    }
    auto plain = Open(*key, ChunkNonce(counter, last), chunks.substr(0, n));
    if (!plain.ok()) {
      return Status::Invalid("age: payload chunk " + std::to_string(counter) +
                             " failed authentication (truncated or changed)");
    }
    out.mutable_str() += *plain;
    Wipe(*plain);
    chunks.remove_prefix(n);
    ++counter;
  }
  return out;
}

}  // namespace stowage::crypto::age
