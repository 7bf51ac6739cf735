#include "watch/dir_notify.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace stowage::watch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool Hidden(const std::string& name) { return !name.empty() && name[0] == '.'; }

bool IsDocument(const std::string& name) {
  const std::string ext = fs::path(name).extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

}  // namespace

DirectoryNotifier::DirectoryNotifier(std::string root, std::function<void()> on_change,
                                     std::chrono::milliseconds quiet)
    : root_(std::move(root)), on_change_(std::move(on_change)), quiet_(quiet) {}

DirectoryNotifier::~DirectoryNotifier() { Stop(); }

Status DirectoryNotifier::Start() {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) return Status::Io(std::string("inotify: ") + std::strerror(errno));
  if (Status s = AddTree(root_); !s.ok()) {
    ::close(fd_);
    fd_ = -1;
    return s;
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void DirectoryNotifier::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status DirectoryNotifier::AddTree(const std::string& dir) {
  const int wd = inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd < 0) return Status::Io("inotify on " + dir + ": " + std::strerror(errno));
  dirs_[wd] = dir;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec) && !Hidden(it->path().filename().string())) {
      if (Status s = AddTree(it->path().string()); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

bool DirectoryNotifier::Drain() {
  alignas(inotify_event) char buf[16 * 1024];
  bool changed = false;
  while (true) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) return changed;  // EAGAIN: nothing more for now
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if ((e->mask & IN_Q_OVERFLOW) != 0) {
        changed = true;  // events were lost: let the watcher re-read
        continue;
      }
      if ((e->mask & IN_IGNORED) != 0) {
        dirs_.erase(e->wd);
        continue;
      }
      if ((e->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
        changed = true;
        continue;
      }
      const std::string name = e->len > 0 ? e->name : "";
      if (Hidden(name)) continue;
      const bool dir = (e->mask & IN_ISDIR) != 0;
      if (dir && (e->mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
        auto parent = dirs_.find(e->wd);
        if (parent != dirs_.end()) (void)AddTree((fs::path(parent->second) / name).string());
      }
      if (dir || IsDocument(name)) changed = true;
    }
  }
}

void DirectoryNotifier::Run() {
  bool pending = false;
  Clock::time_point last{};
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready > 0 && Drain()) {
      pending = true;
      last = Clock::now();
    }
    if (pending && Clock::now() - last >= quiet_) {
      pending = false;
      on_change_();
    }
  }
}

}  // namespace stowage::watch
