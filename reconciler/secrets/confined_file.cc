#include "secrets/confined_file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stowage::secrets {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int fd_;
};

// openat2 beneath `dir_fd`; -1 with errno, ENOSYS when the kernel lacks it.
int OpenBeneath(int dir_fd, const std::string& key) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, dir_fd, key.c_str(), &how, sizeof how));
}

// Without openat2: each component with O_NOFOLLOW (any symlink is refused).
int OpenNoFollow(int dir_fd, const std::string& key) {
  Fd current(dup(dir_fd));
  std::size_t start = 0;
  while (current.ok()) {
    const std::size_t slash = key.find('/', start);
    const std::string part = key.substr(start, slash == std::string::npos ? slash : slash - start);
    const bool last = slash == std::string::npos;
    const int flags =
        O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | (last ? O_RDONLY : O_PATH | O_DIRECTORY);
    Fd next(openat(current.get(), part.c_str(), flags));
    if (!next.ok()) return -1;
    if (last) return next.Release();
    current = std::move(next);
    start = slash + 1;
  }
  return -1;
}

std::string Why(int err) {
  switch (err) {
    case ENOENT:
      return "no such file";
    case EXDEV:
      return "a symlink leaves the secrets directory";
    case ELOOP:
      return "a symlink (not followed)";
    case ENOTDIR:
      return "a part of the key is not a directory";
    case EACCES:
    case EPERM:
      return "permission denied";
    default:
      return std::strerror(err);
  }
}

Result<crypto::SecretString> ReadOpen(int fd, const std::string& what, std::size_t max_size) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return Status::Io(what + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::Invalid(what + ": not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_size) {
    return Status::Invalid(what + ": larger than " + std::to_string(max_size) + " bytes");
  }
  // The size read is bounded by max_size + 1, whatever fstat said.
  crypto::SecretString out(std::string(max_size + 1, '\0'));
  std::string& buf = out.mutable_str();
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = read(fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Io(what + ": " + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > max_size) {
    return Status::Invalid(what + ": larger than " + std::to_string(max_size) + " bytes");
  }
  crypto::Wipe(buf.data() + got, buf.size() - got);
  buf.resize(got);
  return out;
}

}  // namespace

Result<crypto::SecretString> ReadConfined(const std::string& dir, const std::string& key,
                                          std::size_t max_size, Confinement how) {
  const std::string what = "key " + key + " in --secrets-dir " + dir;
  Fd dir_fd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.ok()) {
    return Status::Io("--secrets-dir " + dir + ": " + std::strerror(errno));
  }
  Fd fd(how == Confinement::kBeneath ? OpenBeneath(dir_fd.get(), key) : -1);
  if (how == Confinement::kNoFollow || (!fd.ok() && (errno == ENOSYS || errno == EPERM))) {
    fd = Fd(OpenNoFollow(dir_fd.get(), key));
  }
  if (!fd.ok()) {
    const int err = errno;
    return Status(err == ENOENT ? Status::Code::kNotFound : Status::Code::kInvalid,
                  what + ": " + Why(err));
  }
  return ReadOpen(fd.get(), what, max_size);
}

Result<crypto::SecretString> ReadOperatorFile(const std::string& path, std::size_t max_size) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.ok()) return Status::Io(path + ": " + std::strerror(errno));
  return ReadOpen(fd.get(), path, max_size);
}

}  // namespace stowage::secrets
