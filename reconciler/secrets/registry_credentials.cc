#include "secrets/registry_credentials.h"

#include <nlohmann/json.hpp>
#include <string>

#include "secrets/reference.h"

namespace stowage::secrets {
namespace {

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status Malformed(std::string_view parameter) {
  return Status::Invalid("credentialsParameter " + QuoteReference(parameter) +
                         ": the value is not {\"username\": …, \"password\": …} nor "
                         "user:password (the value is not shown)");
}

}  // namespace

Result<runtime::PullCredentials> ParseRegistryCredentials(std::string_view parameter,
                                                          std::string_view value) {
  if (!value.empty() && value.back() == '\n') value.remove_suffix(1);
  if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
  runtime::PullCredentials out;
  if (!value.empty() && value.front() == '{') {
    auto j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_object() || !j.contains("username") || !j["username"].is_string() ||
        !j.contains("password") || !j["password"].is_string()) {
      return Malformed(parameter);
    }
    out.username = j["username"].get<std::string>();
    out.password = j["password"].get<std::string>();
  } else {
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) return Malformed(parameter);
    out.username = std::string(value.substr(0, colon));
    out.password = std::string(value.substr(colon + 1));
  }
  if (out.username.empty() || out.password.empty() || HasControl(out.username) ||
      HasControl(out.password)) {
    return Malformed(parameter);
  }
  return out;
}

}  // namespace stowage::secrets
