#include "model/ssh.h"

#include <algorithm>
#include <cctype>

namespace stowage::model {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsBase64(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return false;
  size_t pad = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) return false;  // '=' only at the end
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return pad <= 2;
}

}  // namespace

const std::vector<std::string>& SafeSshOptions() {
  static const std::vector<std::string> kOptions = {
      "AddressFamily", "Compression",         "ConnectTimeout",      "ConnectionAttempts",
      "IPQoS",         "ServerAliveCountMax", "ServerAliveInterval", "TCPKeepAlive"};
  return kOptions;
}

std::string CanonicalSshOption(std::string_view name) {
  std::string lower = Lower(name);
  for (const auto& o : SafeSshOptions()) {
    if (Lower(o) == lower) return o;
  }
  return "";
}

bool IsSafeSshOptionValue(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == ',' || c == '+' || c == '-';
  });
}

Result<HostKey> ParseHostKey(std::string_view line) {
  static const char* kTypes[] = {"ssh-ed25519",
                                 "ssh-rsa",
                                 "ecdsa-sha2-nistp256",
                                 "ecdsa-sha2-nistp384",
                                 "ecdsa-sha2-nistp521",
                                 "sk-ssh-ed25519@openssh.com",
                                 "sk-ecdsa-sha2-nistp256@openssh.com"};
  auto space = line.find(' ');
  std::string_view type = line.substr(0, space);
  bool known =
      std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* t) { return type == t; });
  if (!known) {
    return Status::Invalid(
        "expected a public key line \"TYPE BASE64\" of type ssh-ed25519, "
        "ssh-rsa, ecdsa-sha2-nistp256/384/521 or sk-*, got \"" +
        std::string(type.substr(0, 40)) + "\"");
  }
  std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
  std::string_view blob = rest.substr(0, rest.find(' '));
  if (!IsBase64(blob) || blob.size() > 16384) {
    return Status::Invalid("the key of \"" + std::string(type) + " ...\" is not base64");
  }
  return HostKey{std::string(type), std::string(blob)};
}

}  // namespace stowage::model
