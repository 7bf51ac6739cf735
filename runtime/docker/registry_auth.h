// RegistryAuth: the credentials of a pull, found the way the docker CLI finds them.
//
// Docker's config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json)
// is read for each pull: `credHelpers[REGISTRY]` names a credential helper for
// one registry, else `credsStore` one for every registry, else
// `auths[REGISTRY].auth` holds base64 "user:password". A helper is the program
// docker-credential-NAME (NAME of letters, digits, '.', '_', '-'), run from
// PATH with the single argument `get`, never through a shell: it reads the
// server address on stdin and answers {"ServerURL", "Username", "Secret"} on
// stdout (Username "<token>": Secret is an identity token). It gets 30 s and
// 64 KiB of output; "credentials not found" means an anonymous pull. The
// result is the X-Registry-Auth header the engine takes. Explicit credentials
// (ECS repositoryCredentials, resolved by the core) bypass the config.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "runtime/ssh/process.h"

namespace stowage::runtime::docker {

struct RegistryCredentials {
  std::string username;
  std::string password;
  std::string identity_token;
  std::string server;  // the server address the credentials are for
};

// What the CLI calls a registry in config.json and to helpers:
// "https://index.docker.io/v1/" for Docker Hub, else "host[:port]".
std::string ServerAddress(const std::string& registry);

// The helper config.json names for `registry` (credHelpers, else credsStore),
// "" when none.
std::string CredentialHelperFor(const std::string& config_json, const std::string& registry);

// Parses what `docker-credential-NAME get` printed.
Result<RegistryCredentials> ParseHelperAnswer(const std::string& out, const std::string& server);

// The X-Registry-Auth header value (base64url JSON) of `c`.
std::string AuthHeader(const RegistryCredentials& c);

// Runs a helper: argv, stdin text. The default runs the program (RunProgram).
using HelperRunner = std::function<Result<process::RunResult>(const std::vector<std::string>& argv,
                                                              const std::string& input)>;
Result<process::RunResult> RunHelper(const std::vector<std::string>& argv,
                                     const std::string& input);

// The header for a pull from `registry` (as ImageRef::registry names it):
// nullopt for an anonymous pull; an error when the helper fails or answers
// nonsense (the message names the helper, never a secret).
Result<std::optional<std::string>> RegistryAuth(const std::string& config_json,
                                                const std::string& registry,
                                                const HelperRunner& run = RunHelper);

}  // namespace stowage::runtime::docker
