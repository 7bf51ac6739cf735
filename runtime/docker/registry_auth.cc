#include "runtime/docker/registry_auth.h"

#include <nlohmann/json.hpp>

#include "runtime/docker/engine_json.h"

namespace stowage::runtime::docker {
namespace {

using nlohmann::json;

bool IsHelperName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '-' || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string StringAt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The first line of a helper's complaint, printable and short (helpers print
// their error, never the secret, but the output is cut anyway).
std::string Complaint(const process::RunResult& r) {
  std::string text = r.out.empty() ? r.err : r.out;
  text = text.substr(0, text.find('\n')).substr(0, 200);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text.empty() ? "exit " + std::to_string(r.exit_code) : text;
}

}  // namespace

std::string ServerAddress(const std::string& registry) {
  if (registry == "docker.io" || registry == "index.docker.io" ||
      registry == "registry-1.docker.io") {
    return "https://index.docker.io/v1/";
  }
  return registry;
}

std::string CredentialHelperFor(const std::string& config_json, const std::string& registry) {
  json j = json::parse(config_json, nullptr, false);
  if (!j.is_object()) return "";
  std::string server = ServerAddress(registry);
  auto helpers = j.find("credHelpers");
  if (helpers != j.end() && helpers->is_object()) {
    for (const auto& key : {registry, server}) {
      std::string name = StringAt(*helpers, key.c_str());
      if (!name.empty()) return name;
    }
  }
  return StringAt(j, "credsStore");
}

Result<RegistryCredentials> ParseHelperAnswer(const std::string& out, const std::string& server) {
  json j = json::parse(out, nullptr, false);
  if (!j.is_object() || !j.contains("Secret") || !j["Secret"].is_string()) {
    return Status::Invalid("expected {\"Username\": ..., \"Secret\": ...}");
  }
  RegistryCredentials c;
  c.server = server;
  std::string user = StringAt(j, "Username");
  if (user == "<token>") {
    c.identity_token = StringAt(j, "Secret");
  } else {
    c.username = user;
    c.password = StringAt(j, "Secret");
  }
  return c;
}

std::string AuthHeader(const RegistryCredentials& c) {
  json auth = json::object();
  if (!c.identity_token.empty()) {
    auth["identitytoken"] = c.identity_token;
  } else {
    auth["username"] = c.username;
    auth["password"] = c.password;
  }
  auth["serveraddress"] = c.server;
  return Base64Encode(auth.dump(), true);
}

Result<process::RunResult> RunHelper(const std::vector<std::string>& argv,
                                     const std::string& input) {
  return process::RunProgram(argv, input, std::chrono::seconds(30), 1 << 16);
}

Result<std::optional<std::string>> RegistryAuth(const std::string& config_json,
                                                const std::string& registry,
                                                const HelperRunner& run) {
  std::string helper = CredentialHelperFor(config_json, registry);
  if (helper.empty()) return RegistryAuthHeader(config_json, registry);
  std::string program = "docker-credential-" + helper;
  if (!IsHelperName(helper)) {
    return Status::Invalid("credential helper \"" + helper.substr(0, 64) +
                           "\" in Docker's config is not a plain name");
  }
  std::string server = ServerAddress(registry);
  auto r = run({program, "get"}, server + "\n");
  if (!r.ok()) {
    return Status(r.status().code(), "credential helper " + program + ": " + r.status().message());
  }
  if (r->exit_code != 0) {
    if ((r->out + r->err).find("credentials not found") != std::string::npos) {
      return std::optional<std::string>();
    }
    return Status::Unreachable("credential helper " + program + " for " + server + ": " +
                               Complaint(*r));
  }
  auto creds = ParseHelperAnswer(r->out, server);
  if (!creds.ok()) {
    return Status::Invalid("credential helper " + program + " for " + server + ": " +
                           creds.status().message());
  }
  return std::optional<std::string>(AuthHeader(*creds));
}

}  // namespace stowage::runtime::docker
