// Directory source: every *.json, *.yaml, *.yml below a root, hidden folders
// skipped, never a read outside the root.
//
// The walk opens every folder and file relative to the root's descriptor, one
// component at a time with O_NOFOLLOW, so what was checked is what is read.
// A symlink is followed only when it resolves inside the root (source/confine.h);
// one that leaves it is an error at its path and its target is never opened. A
// folder or file that cannot be read is an error, never a silent skip. FIFOs,
// devices and sockets are skipped with a warning and never opened (opening a
// FIFO blocks). The size of a file is checked on the opened descriptor before
// a byte is read.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include "source/confine.h"
#include "source/source.h"
#include "util/hash.h"

namespace stowage {
namespace {

namespace fs = std::filesystem;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::string Errno(int err) { return std::strerror(err); }

// `relative` opened below `root`, every component with O_NOFOLLOW (a symlink
// anywhere fails with ELOOP): `directory` for a folder, else a file opened
// non-blocking (a FIFO swapped in after listing does not hang the read).
Fd OpenBeneath(int root, const std::string& relative, bool directory) {
  Fd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  size_t start = 0;
  while (dir.ok()) {
    const size_t slash = relative.find('/', start);
    const std::string part = relative.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") {
      errno = EINVAL;
      return Fd();
    }
    const bool last = slash == std::string::npos;
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
                      (!last || directory ? O_DIRECTORY : O_NONBLOCK);
    Fd next(::openat(dir.get(), part.c_str(), flags));
    if (last || !next.ok()) return next;
    dir = std::move(next);
    start = slash + 1;
  }
  return dir;
}

const char* SpecialKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return nullptr;
}

PathEntry::Kind KindOf(mode_t mode) {
  if (S_ISREG(mode)) return PathEntry::Kind::kFile;
  if (S_ISDIR(mode)) return PathEntry::Kind::kDirectory;
  if (S_ISLNK(mode)) return PathEntry::Kind::kSymlink;
  return PathEntry::Kind::kOther;
}

std::string MaxBytesText() { return std::to_string(kMaxDocumentBytes >> 20) + " MiB"; }

PathLookup DiskLookup(int root) {
  return [root](const std::string& relative) {
    PathEntry e;
    struct stat st {};
    if (::fstatat(root, relative.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return e;
    e.kind = KindOf(st.st_mode);
    if (e.kind == PathEntry::Kind::kSymlink) {
      std::string buf(4096, '\0');
      const ssize_t n = ::readlinkat(root, relative.c_str(), buf.data(), buf.size());
      if (n < 0) return PathEntry{};
      buf.resize(static_cast<size_t>(n));
      e.link_target = std::move(buf);
    }
    return e;
  };
}

class DirectorySource : public Source {
 public:
  explicit DirectorySource(std::string root) : root_(std::move(root)) {}

  Result<std::vector<std::string>> List() override {
    diagnostics_ = Diagnostics();
    resolved_.clear();
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
      return Status::NotFound("source " + root_ + " is not a directory");
    }
    Fd root(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.ok()) return Status::Io("cannot read " + root_ + ": " + Errno(errno));
    canonical_root_ = fs::canonical(root_, ec).string();
    Walk(root.get(), "");
    std::vector<std::string> out;
    out.reserve(resolved_.size());
    for (const auto& [path, target] : resolved_) out.push_back(path);
    return out;  // std::map: sorted bytewise
  }

  Diagnostics ListDiagnostics() const override { return diagnostics_; }

  Result<std::string> Read(const std::string& path) override {
    Fd root(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.ok()) return Status::Io("cannot read " + root_ + ": " + Errno(errno));
    std::string target;
    if (auto it = resolved_.find(path); it != resolved_.end()) {
      target = it->second;
    } else {
      const Resolved r = ResolveInside(path, DiskLookup(root.get()), canonical_root_);
      if (r.outcome == Resolved::Outcome::kDangling && r.chain.empty()) {
        return Status::NotFound("does not exist");  // no symlink on the way: just missing
      }
      if (r.outcome != Resolved::Outcome::kInside) return Status::Invalid(SymlinkProblem(path, r));
      target = r.path;
    }
    Fd fd = OpenBeneath(root.get(), target, /*directory=*/false);
    if (!fd.ok()) return Status::Io("cannot open: " + Errno(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Status::Io("cannot read: " + Errno(errno));
    if (!S_ISREG(st.st_mode)) return Status::Invalid("not a regular file");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > kMaxDocumentBytes) {
      return Status::Invalid("file too large (" + std::to_string(size) + " bytes; the limit is " +
                             MaxBytesText() + ")");
    }
    return ReadAll(fd.get(), static_cast<size_t>(size));
  }

  bool ConcurrentReads() const override { return true; }

  Result<std::string> RevisionOf(const std::vector<std::string>& paths,
                                 const std::vector<std::string>& content_ids) override {
    if (paths.size() != content_ids.size()) return Revision();
    return ContentRevision(paths, content_ids);
  }

  void SetReferencedFiles(std::vector<std::string> paths) override {
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    referenced_ = std::move(paths);
  }

  Result<std::string> Revision() override {
    auto files = List();
    if (!files.ok()) return files.status();
    std::vector<std::string> ids;
    for (const auto& f : *files) {
      auto text = Read(f);
      if (!text.ok()) return Status(text.status().code(), f + ": " + text.status().message());
      ids.push_back(ContentIdOf(*text));
    }
    return ContentRevision(*files, ids);
  }

  std::string Describe() const override { return "directory " + root_; }
  std::string LocalRoot() const override { return root_; }

 private:
  static std::string Child(const std::string& dir, const std::string& name) {
    return dir.empty() ? name : dir + "/" + name;
  }

  // Lists the folder `dir` (relative to the root) and every folder below it.
  void Walk(int root, const std::string& dir) {
    Fd fd = dir.empty() ? Fd(::fcntl(root, F_DUPFD_CLOEXEC, 0)) : OpenBeneath(root, dir, true);
    DIR* d = fd.ok() ? ::fdopendir(fd.get()) : nullptr;
    if (d == nullptr) {
      diagnostics_.Error(Position{dir, 0, 0}, "cannot read folder: " + Errno(errno));
      return;
    }
    const int dfd = fd.release();
    std::vector<std::pair<std::string, unsigned char>> entries;
    errno = 0;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") entries.emplace_back(name, e->d_type);
    }
    const int read_errno = errno;
    std::sort(entries.begin(), entries.end());  // diagnostics in a stable order
    for (const auto& [name, type] : entries) {
      if (name[0] == '.') continue;  // hidden: skipped with everything below
      Visit(root, dfd, Child(dir, name), name);
    }
    ::closedir(d);
    if (read_errno != 0) {
      diagnostics_.Error(Position{dir, 0, 0}, "cannot read folder: " + Errno(read_errno));
    }
  }

  void Visit(int root, int dir_fd, const std::string& path, const std::string& name) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      diagnostics_.Error(Position{path, 0, 0}, "cannot read: " + Errno(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) return Walk(root, path);
    if (S_ISREG(st.st_mode)) {
      if (IsDocumentName(name)) resolved_[path] = path;
      return;
    }
    if (const char* special = SpecialKind(st.st_mode)) {
      diagnostics_.Warning(Position{path, 0, 0},
                           std::string("skipped: ") + special + " is not a document");
      return;
    }
    if (S_ISLNK(st.st_mode)) VisitSymlink(root, path, name);
  }

  // A symlink is followed when it resolves inside the root; a document name
  // that does not resolve there, or any link that leaves, is an error. A link
  // to a folder inside is not followed: its documents are listed at their own path.
  void VisitSymlink(int root, const std::string& path, const std::string& name) {
    const Resolved r = ResolveInside(path, DiskLookup(root), canonical_root_);
    const bool document = IsDocumentName(name);
    if (r.outcome == Resolved::Outcome::kLeaves ||
        (document && r.outcome != Resolved::Outcome::kInside)) {
      diagnostics_.Error(Position{path, 0, 0}, SymlinkProblem(path, r));
      return;
    }
    if (r.outcome != Resolved::Outcome::kInside || !document) return;
    if (r.kind == PathEntry::Kind::kFile) {
      resolved_[path] = r.path;
    } else if (r.kind == PathEntry::Kind::kOther) {
      diagnostics_.Warning(Position{path, 0, 0},
                           "skipped: the symlink's target is not a regular file");
    }
  }

  static Result<std::string> ReadAll(int fd, size_t size) {
    std::string text(size, '\0');
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::read(fd, text.data() + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::Io("cannot read: " + Errno(errno));
      if (n == 0) break;  // shrank while read
      done += static_cast<size_t>(n);
    }
    text.resize(done);
    return text;
  }

  // Every (path, content id) in listing order, then each referenced file's
  // (its content id, or why it cannot be read): same files, same revision.
  std::string ContentRevision(const std::vector<std::string>& paths,
                              const std::vector<std::string>& content_ids) {
    Hasher h;
    for (size_t i = 0; i < paths.size(); ++i) {
      h.Add(paths[i]);
      h.Add(content_ids[i]);
    }
    if (!referenced_.empty()) h.Add("referenced");  // no path can be this and a document
    for (const auto& path : referenced_) {
      auto text = Read(path);
      h.Add(path);
      h.Add(text.ok() ? ContentIdOf(*text) : "unreadable: " + text.status().message());
    }
    return "dir-" + h.HexDigest().substr(0, 16);
  }

  std::string root_;
  std::string canonical_root_;                   // absolute, symlinks resolved (at List)
  std::map<std::string, std::string> resolved_;  // listed path -> the file read for it
  std::vector<std::string> referenced_;          // SetReferencedFiles, sorted
  Diagnostics diagnostics_;                      // of the last List()
};

}  // namespace

Result<std::string> Source::ContentId(const std::string& path) {
  auto text = Read(path);
  if (!text.ok()) return text.status();
  return ContentIdOf(*text);
}

Result<std::unique_ptr<Source>> Source::AtRevision(const std::string& revision) {
  return Status::NotFound(Describe() + " has no earlier revision " + revision);
}

const TemplateValues& Source::template_values() const {
  static const TemplateValues kNone;
  return template_values_ ? *template_values_ : kNone;
}

std::string ContentIdOf(std::string_view text) { return "h-" + Hasher().Add(text).HexDigest(); }

std::unique_ptr<Source> NewDirectorySource(const std::string& root) {
  return std::make_unique<DirectorySource>(root);
}

}  // namespace stowage
