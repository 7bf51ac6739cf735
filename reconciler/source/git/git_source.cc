// GitSource: a bare mirror per remote, fetched incrementally; documents read
// from the pinned commit's tree.
#include "source/git/git_source.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "source/confine.h"
#include "util/hash.h"

namespace stowage {
namespace {

namespace fs = std::filesystem;

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;
using RepoPtr = GitPtr<git_repository, git_repository_free>;
using RemotePtr = GitPtr<git_remote, git_remote_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using EntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using RefPtr = GitPtr<git_reference, git_reference_free>;

void InitLibgit2() {
  static const int once = git_libgit2_init();
  (void)once;
}

std::string LastGitError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

std::string OidHex(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

// "a/b/" and "./a/b" both become "a/b"; "." and "/" become "".
std::string NormalisePath(std::string p) {
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p == "." ? "" : p;
}

// A local path becomes an absolute one; anything else is used as given.
std::string NormaliseUrl(const std::string& url) {
  std::error_code ec;
  if (url.find("://") == std::string::npos && fs::exists(url, ec)) {
    return fs::absolute(url, ec).lexically_normal().string();
  }
  return url;
}

struct CredentialState {
  const GitSourceOptions* options;
  int attempts = 0;
};

int Credentials(git_credential** out, const char* url, const char* username_from_url,
                unsigned int allowed, void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  if (++state->attempts > 3) {
    git_error_set_str(GIT_ERROR_NET, ("authentication to " + RedactUrl(url) + " failed").c_str());
    return GIT_EAUTH;
  }
  const GitSourceOptions& o = *state->options;
  const std::string user = username_from_url != nullptr ? username_from_url : "";
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) != 0) {
    const std::string ssh_user = user.empty() ? "git" : user;
    std::string key = o.ssh_key;
    if (key.empty()) {
      const char* env = std::getenv("STOWAGE_GIT_SSH_KEY");
      key = env != nullptr ? env : "";
    }
    if (key.empty()) return git_credential_ssh_key_from_agent(out, ssh_user.c_str());
    const char* pass = std::getenv(o.ssh_passphrase_env.c_str());
    return git_credential_ssh_key_new(out, ssh_user.c_str(), nullptr, key.c_str(), pass);
  }
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0) {
    const char* token = std::getenv(o.token_env.c_str());
    if (token == nullptr || *token == '\0') {
      git_error_set_str(
          GIT_ERROR_NET,
          (RedactUrl(url) + " asks for credentials; set " + o.token_env + " to a token").c_str());
      return GIT_EAUTH;
    }
    return git_credential_userpass_plaintext_new(
        out, user.empty() ? "x-access-token" : user.c_str(), token);
  }
  if ((allowed & GIT_CREDENTIAL_USERNAME) != 0) {
    return git_credential_username_new(out, user.empty() ? "git" : user.c_str());
  }
  return GIT_PASSTHROUGH;
}

// Every entry of a tree, by path below it: what ResolveInside looks up.
struct TreeEntry {
  git_filemode_t mode;
  git_oid oid;
};
using TreeIndex = std::map<std::string, TreeEntry>;

int CollectEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* index = static_cast<TreeIndex*>(payload);
  (*index)[std::string(root) + git_tree_entry_name(entry)] =
      TreeEntry{git_tree_entry_filemode(entry), *git_tree_entry_id(entry)};
  return 0;
}

bool IsHiddenPath(const std::string& path) {
  return path[0] == '.' || path.find("/.") != std::string::npos;
}

std::string BaseName(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// An flock(2) on the mirror's lock file, held while this process fetches
// (exclusive) or reads objects (shared), so two stowage processes sharing a
// cache directory never write the mirror at the same time or read it half
// written. The file stays open for the source's life; each Hold() locks it
// and the returned guard unlocks it.
class CacheLock {
 public:
  CacheLock() = default;
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  ~CacheLock() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const fs::path& file) {
    if (fd_ >= 0) return Status::Ok();
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Io("cannot open " + file.string() + ": " + std::strerror(errno));
    return Status::Ok();
  }

  class Guard {
   public:
    explicit Guard(int fd) : fd_(fd) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (fd_ >= 0) ::flock(fd_, LOCK_UN);
    }

   private:
    int fd_;
  };

  // Blocks until the lock is held (`exclusive`: for writing the mirror).
  Guard Hold(bool exclusive) const {
    if (fd_ < 0) return Guard(-1);
    while (::flock(fd_, exclusive ? LOCK_EX : LOCK_SH) != 0 && errno == EINTR) {
    }
    return Guard(fd_);
  }

 private:
  int fd_ = -1;
};

RevisionDetails CommitDetails(const git_commit* commit) {
  RevisionDetails d;
  d.git = true;
  if (const git_signature* a = git_commit_author(commit)) {
    d.author = std::string(a->name != nullptr ? a->name : "") + " <" +
               (a->email != nullptr ? a->email : "") + ">";
  }
  // git_commit_summary caches in the commit: not const in libgit2's API.
  if (const char* s = git_commit_summary(const_cast<git_commit*>(commit))) d.subject = s;
  return d;
}

class GitSource : public Source {
 public:
  explicit GitSource(GitSourceOptions options) : options_(std::move(options)) {
    options_.url = NormaliseUrl(options_.url);
    options_.path = NormalisePath(options_.path);
    if (options_.cache_dir.empty()) options_.cache_dir = DefaultCacheDir();
  }

  Result<std::vector<std::string>> List() override {
    std::vector<std::string> out;
    out.reserve(files_.size());
    for (const auto& [path, oid] : files_) out.push_back(path);
    return out;  // std::map keeps them sorted bytewise
  }

  Result<std::string> Read(const std::string& path) override {
    auto it = Find(path);
    if (it == others_.end()) return Status::NotFound(path + " not found in " + Describe());
    const CacheLock::Guard held = lock_.Hold(/*exclusive=*/false);
    if (Status s = CheckBlobSize(it->second); !s.ok()) return s;
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo_.get(), &it->second) != 0) {
      return Status::Io("cannot read " + path + ": " + LastGitError());
    }
    BlobPtr blob(raw);
    const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(bytes, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  }

  Diagnostics ListDiagnostics() const override { return diagnostics_; }

  Result<std::string> ContentId(const std::string& path) override {
    auto it = Find(path);
    if (it == others_.end()) return Status::NotFound(path + " not found in " + Describe());
    return OidHex(&it->second);
  }

  Result<std::string> Revision() override { return commit_; }

  RevisionDetails Details() const override { return details_; }

  std::string Describe() const override {
    std::string d = "git " + RedactUrl(options_.url);
    if (!options_.path.empty()) d += " path " + options_.path;
    if (!commit_.empty()) d += "@" + commit_.substr(0, 12);
    return d;
  }

  Status Refresh() override { return Open(/*fetch=*/true); }

  Result<std::unique_ptr<Source>> AtRevision(const std::string& revision) override {
    GitSourceOptions o = options_;
    o.ref = revision;
    auto at = std::make_unique<GitSource>(std::move(o));
    if (Status s = at->Open(/*fetch=*/false); !s.ok()) return s;
    at->SetTemplateValues(shared_template_values());
    return std::unique_ptr<Source>(std::move(at));
  }

 private:
  // A document, else another file of the tree (tls files, age files);
  // others_.end() when neither.
  std::map<std::string, git_oid>::const_iterator Find(const std::string& path) const {
    if (auto it = files_.find(path); it != files_.end()) return it;
    return others_.find(path);
  }

  // Opens the mirror, fetches (unless `fetch` is false: the commit is in the
  // mirror already) and pins the source to the ref's commit.
  Status Open(bool fetch) {
    const fs::path dir = GitCacheEntry(options_.url, options_.cache_dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::Io("cannot create cache " + dir.string() + ": " + ec.message());
    if (Status s = lock_.Open(dir / kGitCacheLockFile); !s.ok()) return s;
    const CacheLock::Guard held = lock_.Hold(/*exclusive=*/true);
    if (Status s = OpenMirror(dir); !s.ok()) return s;
    if (fetch) {
      if (Status s = Fetch(); !s.ok()) return s;
    }
    auto commit = ResolveRef();
    if (!commit.ok()) return commit.status();
    std::map<std::string, git_oid> files, others;
    Diagnostics diagnostics;
    if (Status s = IndexTree(commit->get(), files, others, diagnostics); !s.ok()) return s;
    commit_ = OidHex(git_commit_id(commit->get()));
    details_ = CommitDetails(commit->get());
    files_ = std::move(files);
    others_ = std::move(others);
    diagnostics_ = std::move(diagnostics);
    return Status::Ok();
  }

  Status OpenMirror(const fs::path& dir) {
    if (repo_) return Status::Ok();
    git_repository* raw = nullptr;
    std::error_code ec;
    const bool exists = fs::exists(dir / "HEAD", ec);
    const int rc = exists ? git_repository_open_bare(&raw, dir.c_str())
                          : git_repository_init(&raw, dir.c_str(), /*is_bare=*/1);
    if (rc != 0) return Status::Io("cannot open git cache " + dir.string() + ": " + LastGitError());
    repo_.reset(raw);
    return Status::Ok();
  }

  Status Fetch() {
    git_remote* raw = nullptr;
    if (git_remote_create_anonymous(&raw, repo_.get(), options_.url.c_str()) != 0) {
      return Status::Invalid("bad git URL " + RedactUrl(options_.url) + ": " + LastGitError());
    }
    RemotePtr remote(raw);
    CredentialState creds{&options_};
    git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
    fetch.callbacks.credentials = Credentials;
    fetch.callbacks.payload = &creds;
    fetch.prune = GIT_FETCH_PRUNE;
    fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &fetch.callbacks, nullptr, nullptr) !=
        0) {
      return Status::Unreachable("cannot reach " + RedactUrl(options_.url) + ": " + LastGitError());
    }
    git_buf head = GIT_BUF_INIT;
    std::string default_branch;
    if (git_remote_default_branch(&head, remote.get()) == 0) default_branch = head.ptr;
    git_buf_dispose(&head);
    char heads[] = "+refs/heads/*:refs/heads/*";
    char tags[] = "+refs/tags/*:refs/tags/*";
    char* specs[] = {heads, tags};
    const git_strarray refspecs{specs, 2};
    if (git_remote_fetch(remote.get(), &refspecs, &fetch, "stowage fetch") != 0) {
      return Status::Unreachable("cannot fetch " + RedactUrl(options_.url) + ": " + LastGitError());
    }
    if (!default_branch.empty()) {
      git_reference* ref = nullptr;
      if (git_reference_symbolic_create(&ref, repo_.get(), "HEAD", default_branch.c_str(), 1,
                                        "stowage: remote HEAD") != 0) {
        return Status::Io("cannot record the default branch: " + LastGitError());
      }
      git_reference_free(ref);
    }
    return Status::Ok();
  }

  Result<CommitPtr> ResolveRef() {
    std::vector<std::string> specs;
    if (options_.ref.empty()) {
      specs = {"HEAD"};
    } else {
      specs = {"refs/heads/" + options_.ref, "refs/tags/" + options_.ref, options_.ref};
    }
    for (const auto& spec : specs) {
      git_object* raw = nullptr;
      if (git_revparse_single(&raw, repo_.get(), spec.c_str()) != 0) continue;
      ObjectPtr obj(raw);
      git_object* peeled = nullptr;
      if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) != 0) continue;
      return CommitPtr(reinterpret_cast<git_commit*>(peeled));
    }
    if (options_.ref.empty()) {
      return Status::NotFound(RedactUrl(options_.url) +
                              " has no default branch (empty repository?)");
    }
    return Status::NotFound("ref \"" + options_.ref + "\" not found in " + RedactUrl(options_.url) +
                            " (expected a branch, a tag or a commit id)");
  }

  // The blob's size from its header, before its content is loaded.
  Status CheckBlobSize(const git_oid& oid) const {
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, repo_.get()) != 0)
      return Status::Io("cannot read: " + LastGitError());
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    const int rc = git_odb_read_header(&size, &type, odb, &oid);
    git_odb_free(odb);
    if (rc != 0) return Status::Io("cannot read: " + LastGitError());
    if (size > kMaxDocumentBytes) {
      return Status::Invalid("file too large (" + std::to_string(size) +
                             " bytes; the limit is 8 MiB)");
    }
    return Status::Ok();
  }

  // A symlink's text (a blob of mode 120000), bounded as a path is.
  std::string LinkText(const git_oid& oid) const {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo_.get(), &oid) != 0) return "";
    BlobPtr blob(raw);
    const auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
    if (size > 4096) return "";
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
  }

  PathLookup Lookup(const TreeIndex& index) const {
    return [this, &index](const std::string& relative) {
      PathEntry e;
      auto it = index.find(relative);
      if (it == index.end()) return e;
      switch (it->second.mode) {
        case GIT_FILEMODE_TREE:
          e.kind = PathEntry::Kind::kDirectory;
          break;
        case GIT_FILEMODE_BLOB:
        case GIT_FILEMODE_BLOB_EXECUTABLE:
          e.kind = PathEntry::Kind::kFile;
          break;
        case GIT_FILEMODE_LINK:
          e.kind = PathEntry::Kind::kSymlink;
          e.link_target = LinkText(it->second.oid);
          if (e.link_target.empty()) e.kind = PathEntry::Kind::kMissing;
          break;
        default:
          e.kind = PathEntry::Kind::kOther;  // a submodule
      }
      return e;
    };
  }

  // The documents of the tree (`files`, hidden folders skipped) and every
  // other file (`others`: what a document names, such as tls and age files,
  // read but never listed); a symlink is followed when it resolves inside the
  // tree (below --path), any other is an error at its path (a hidden one is
  // only left out).
  void IndexDocuments(const TreeIndex& index, std::map<std::string, git_oid>& files,
                      std::map<std::string, git_oid>& others, Diagnostics& diagnostics) const {
    for (const auto& [path, entry] : index) {
      const bool hidden = IsHiddenPath(path);
      const bool document = !hidden && IsDocumentName(BaseName(path));
      auto& into = document ? files : others;
      if (entry.mode == GIT_FILEMODE_BLOB || entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
        into[path] = entry.oid;
        continue;
      }
      if (entry.mode != GIT_FILEMODE_LINK) continue;
      const Resolved r = ResolveInside(path, Lookup(index), "");
      const bool inside_file =
          r.outcome == Resolved::Outcome::kInside && r.kind == PathEntry::Kind::kFile;
      if (!hidden && (r.outcome == Resolved::Outcome::kLeaves ||
                      (document && r.outcome != Resolved::Outcome::kInside))) {
        diagnostics.Error(Position{path, 0, 0}, SymlinkProblem(path, r));
      } else if (inside_file) {
        into[path] = index.at(r.path).oid;
      }
    }
  }

  Status IndexTree(git_commit* commit, std::map<std::string, git_oid>& files,
                   std::map<std::string, git_oid>& others, Diagnostics& diagnostics) {
    git_tree* raw = nullptr;
    if (git_commit_tree(&raw, commit) != 0)
      return Status::Io("cannot read tree: " + LastGitError());
    TreePtr tree(raw);
    const std::string short_id = OidHex(git_commit_id(commit)).substr(0, 12);
    if (!options_.path.empty()) {
      git_tree_entry* entry_raw = nullptr;
      if (git_tree_entry_bypath(&entry_raw, tree.get(), options_.path.c_str()) != 0) {
        return Status::NotFound("path " + options_.path + " not found in commit " + short_id);
      }
      EntryPtr entry(entry_raw);
      if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
        return Status::Invalid("path " + options_.path + " is not a folder in commit " + short_id);
      }
      git_tree* sub = nullptr;
      if (git_tree_lookup(&sub, repo_.get(), git_tree_entry_id(entry.get())) != 0) {
        return Status::Io("cannot read " + options_.path + ": " + LastGitError());
      }
      tree.reset(sub);
    }
    TreeIndex index;
    if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, CollectEntry, &index) != 0) {
      return Status::Io("cannot list commit " + short_id + ": " + LastGitError());
    }
    IndexDocuments(index, files, others, diagnostics);
    return Status::Ok();
  }

  GitSourceOptions options_;
  CacheLock lock_;  // before repo_: the repository is closed before the lock file
  RepoPtr repo_;
  std::string commit_;
  RevisionDetails details_;
  std::map<std::string, git_oid> files_;   // the documents (List)
  std::map<std::string, git_oid> others_;  // every other file, for Read
  Diagnostics diagnostics_;                // of the pinned commit's listing
};

}  // namespace

std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return (fs::path(xdg) / "stowage").string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : "/tmp") / ".cache" / "stowage").string();
}

std::string GitCacheEntry(const std::string& url, const std::string& cache_dir) {
  const std::string key = RedactUrl(NormaliseUrl(url));
  std::string stem = fs::path(NormalisePath(key)).stem().string();
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  const std::string root = cache_dir.empty() ? DefaultCacheDir() : cache_dir;
  return (fs::path(root) / "git" /
          (stem + "-" + Hasher().Add(key).HexDigest().substr(0, 16) + ".git"))
      .string();
}

std::string RedactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto start = scheme + 3;
  const auto at = url.find('@', start);
  const auto slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  const std::string userinfo = url.substr(start, at - start);
  const auto colon = userinfo.find(':');
  const bool http = url.rfind("http", 0) == 0;
  std::string redacted;
  if (colon != std::string::npos) {
    redacted = userinfo.substr(0, colon) + ":***";
  } else {
    redacted = http ? "***" : userinfo;  // a bare https user is usually a token
  }
  return url.substr(0, start) + redacted + url.substr(at);
}

Result<std::unique_ptr<Source>> OpenGitSource(const GitSourceOptions& options) {
  InitLibgit2();
  if (options.url.empty()) return Status::Invalid("--repo: expected a git URL");
  auto source = std::make_unique<GitSource>(options);
  if (Status s = source->Refresh(); !s.ok()) return s;
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace stowage
