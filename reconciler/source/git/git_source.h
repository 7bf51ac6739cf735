// GitSource: desired state read straight from a git commit (libgit2).
//
// The remote is mirrored into a bare repository under a cache directory
// (one per URL) and fetched incrementally; documents are read from the
// commit's tree without a checkout, below an optional folder (--path). The
// revision is the commit id; ContentId is the blob id, so the parse cache
// needs no read for an unchanged file. Credentials: https tokens come from an
// environment variable (never printed or stored), ssh keys from a file or the
// ssh-agent. Two processes may share a cache directory: the mirror is
// guarded by an flock (see GitCacheEntry). Only this library links libgit2;
// the core sees a Source.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "source/source.h"

namespace stowage {

struct GitSourceOptions {
  std::string url;        // file://, a local path, https://, ssh:// or user@host:path
  std::string ref;        // branch, tag or commit id; empty: the remote's default branch
  std::string path;       // folder inside the repository; empty: its root
  std::string cache_dir;  // empty: DefaultCacheDir()
  std::string token_env = "STOWAGE_GIT_TOKEN";  // https token (or password)
  std::string ssh_key;  // private key file; empty: $STOWAGE_GIT_SSH_KEY, else the ssh-agent
  std::string ssh_passphrase_env = "STOWAGE_GIT_SSH_PASSPHRASE";
};

// $XDG_CACHE_HOME/stowage, else $HOME/.cache/stowage.
std::string DefaultCacheDir();

// The bare mirror of `url` under `cache_dir` (empty: DefaultCacheDir()):
// CACHE/git/<name>-<hash of the URL>.git. Processes sharing a cache take an
// flock on its kGitCacheLockFile: exclusive while fetching and resolving the
// ref, shared while reading objects.
std::string GitCacheEntry(const std::string& url, const std::string& cache_dir);
inline constexpr const char* kGitCacheLockFile = "stowage.lock";

// The URL with any password or token replaced by "***", for messages.
std::string RedactUrl(const std::string& url);

// Mirrors the remote (first fetch) and pins the source to the ref's commit.
Result<std::unique_ptr<Source>> OpenGitSource(const GitSourceOptions& options);

}  // namespace stowage
