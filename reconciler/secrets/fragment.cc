#include "secrets/fragment.h"

#include <nlohmann/json.hpp>

namespace stowage::secrets {
namespace {

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool LooksLikeJson(std::string_view content) {
  for (char c : content) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

Result<crypto::SecretString> PickDotenv(std::string_view content, std::string_view key,
                                        const std::string& what) {
  bool found = false;
  crypto::SecretString out;
  std::size_t pos = 0;
  while (pos <= content.size()) {
    std::size_t lf = content.find('\n', pos);
    if (lf == std::string_view::npos) lf = content.size();
    std::string_view line = Trim(content.substr(pos, lf - pos));
    pos = lf + 1;
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = Trim(line.substr(7));
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || Trim(line.substr(0, eq)) != key) continue;
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out = crypto::SecretString(std::string(value));
    found = true;
  }
  if (!found) return Status::NotFound(what + ": no line " + std::string(key) + "=… in the file");
  return out;
}

}  // namespace

Result<crypto::SecretString> PickJsonKey(std::string_view content, std::string_view key,
                                         const std::string& what) {
  // No exceptions, and no parser message: it would quote the content.
  nlohmann::json doc = nlohmann::json::parse(content, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid(what + ": the value is not a JSON object (needed to pick key " +
                           std::string(key) + ")");
  }
  auto it = doc.find(std::string(key));
  if (it == doc.end())
    return Status::NotFound(what + ": no key " + std::string(key) + " in the JSON");
  crypto::SecretString out(it->is_string() ? it->get<std::string>() : it->dump());
  return out;
}

Result<crypto::SecretString> PickKey(std::string_view content, std::string_view key,
                                     const std::string& what) {
  return LooksLikeJson(content) ? PickJsonKey(content, key, what) : PickDotenv(content, key, what);
}

void StripTrailingNewline(crypto::SecretString& value) {
  std::string& s = value.mutable_str();
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
}

}  // namespace stowage::secrets
