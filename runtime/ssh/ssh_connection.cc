#include "runtime/ssh/ssh_connection.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <semaphore>

#include "runtime/ssh/local_socket.h"
#include "runtime/ssh/process.h"

namespace stowage::runtime::ssh {
namespace {

using std::chrono::milliseconds;

// ssh's configuration parser splits on blanks and expands '%' and '~': the
// paths stowage gives it are kept to plain characters.
bool IsPlainPath(const std::string& p) {
  if (p.empty() || p.front() != '/') return false;
  for (char c : p) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The process's private directory (0700), removed when its last user goes.
struct PrivateDir {
  std::string path;
  ~PrivateDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

Result<std::shared_ptr<PrivateDir>> SharedDir() {
  static std::mutex mu;
  static std::weak_ptr<PrivateDir> current;
  std::lock_guard lock(mu);
  if (auto dir = current.lock()) return dir;
  std::string base = "/tmp";
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && IsPlainPath(xdg) && std::strlen(xdg) <= 60 && access(xdg, W_OK) == 0) {
    base = xdg;
  }
  std::string tmpl = base + "/stowage-ssh.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status::Internal("cannot create a private directory in " + base + ": " +
                            std::strerror(errno));
  }
  auto dir = std::make_shared<PrivateDir>();
  dir->path = tmpl;
  current = dir;
  return dir;
}

// The user's directory for shared masters, $XDG_RUNTIME_DIR/stowage-ssh or
// /tmp/stowage-ssh-UID: created 0700, and used only while it is a real
// directory of ours that nobody else may enter (a master's socket logs in).
Result<std::string> SharedMasterDir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  std::string dir = "/tmp/stowage-ssh-" + std::to_string(geteuid());
  if (xdg != nullptr && IsPlainPath(xdg) && std::strlen(xdg) <= 60 && access(xdg, W_OK) == 0) {
    dir = std::string(xdg) + "/stowage-ssh";
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Internal("cannot create " + dir + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 077) != 0) {
    return Status::Internal(dir + " is not a private directory of this user");
  }
  return dir;
}

// SHA-256 (hex, first `bytes` bytes) of `parts`, each length-prefixed.
std::string NameOf(const std::vector<std::string>& parts, unsigned int bytes) {
  std::string key;
  for (const auto& part : parts) key += std::to_string(part.size()) + ":" + part;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(key.data(), key.size(), md, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < bytes && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// What decides where and as whom a master logs in.
std::string MasterName(const SshTarget& t, const SshClientOptions& o) {
  std::vector<std::string> parts = {t.host,          t.user,     std::to_string(t.port),
                                    t.host_key_type, t.host_key, o.identity_file,
                                    o.program};
  for (const auto& [k, v] : t.options) parts.push_back(k + "=" + v);
  return NameOf(parts, 16);
}

std::counting_semaphore<kMaxConcurrentStarts>& Starts() {
  static std::counting_semaphore<kMaxConcurrentStarts> starts(kMaxConcurrentStarts);
  return starts;
}

// ssh expands '%' tokens in some values (IdentityFile): a literal '%' is "%%".
std::string EscapePercent(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

constexpr auto kStartFailureKept = std::chrono::seconds(3);

// "ssh: " and what ssh said (which may already start with "ssh: ").
std::string SshSaid(const std::string& said) {
  return said.rfind("ssh: ", 0) == 0 ? said : "ssh: " + said;
}

}  // namespace

std::vector<std::string> DockerDialStdio(const std::string& socket_path) {
  if (socket_path.empty()) return {"docker", "system", "dial-stdio"};
  return {"docker", "--host", "unix://" + socket_path, "system", "dial-stdio"};
}

SshConnection::SshConnection(SshTarget target, SshClientOptions options)
    : target_(std::move(target)), options_(std::move(options)) {}

Result<std::shared_ptr<SshConnection>> SshConnection::Make(SshTarget target,
                                                           SshClientOptions options) {
  std::shared_ptr<SshConnection> c(new SshConnection(std::move(target), std::move(options)));
  signal(SIGPIPE, SIG_IGN);  // a stream's peer may go away while we write
  auto st = c->Init();
  if (!st.ok()) return st;
  return c;
}

Status SshConnection::Init() {
  auto dir = SharedDir();
  if (!dir.ok()) return dir.status();
  dir_ = *dir;
  static std::atomic<int> next{0};
  std::string n = std::to_string(next++);
  const std::string& d = (*dir)->path;
  control_path_ = d + "/c" + n;
  known_hosts_ = d + "/k" + n;
  if (options_.persist.count() > 0) {
    // Without a private directory of the user's the master stays the command's own.
    if (auto shared = SharedMasterDir(); shared.ok()) {
      std::string name = MasterName(target_, options_);
      control_path_ = *shared + "/m" + name;
      lock_path_ = control_path_ + ".lock";
      known_hosts_ = *shared + "/k" + name;  // the master's command line names it
    }
  }
  log_path_ = d + "/l" + n;
  local_prefix_ = d + "/s" + n + "-";  // not the master's path: that may be shared
  if (!IsPlainPath(control_path_) || control_path_.size() > 100) {
    return Status::Internal("ssh control path " + control_path_ + " is too long or unusual");
  }
  log_fd_ = open(log_path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd_ < 0) return Status::Internal("cannot create " + log_path_);
  if (!target_.host_key.empty()) {
    std::string line = "stowage-pinned " + target_.host_key_type + " " + target_.host_key + "\n";
    // Written aside and renamed: a master starting in another command reads it whole.
    std::string tmp = log_path_ + ".k";
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    bool written =
        fd >= 0 && write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    if (fd >= 0) close(fd);
    if (!written || rename(tmp.c_str(), known_hosts_.c_str()) != 0) {
      unlink(tmp.c_str());
      return Status::Internal("cannot write " + known_hosts_);
    }
  }
  return Status::Ok();
}

SshConnection::~SshConnection() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (wake_[1] >= 0 && write(wake_[1], "x", 1) < 0) {
      // the thread also wakes within its poll timeout
    }
  }
  if (server_.joinable()) server_.join();
  for (auto& l : listeners_) {
    close(l.fd);
    unlink(l.path.c_str());
  }
  // A command that ends right after starting a shared master lets its no-op
  // session reach sshd: else the master would keep Nagle's delay for its life.
  // A private master ends with the command: its session is ended with it.
  if (nodelay_pid_ > 0 && !lock_path_.empty()) {
    process::WaitFor(nodelay_pid_, std::chrono::seconds(2));
  } else if (nodelay_pid_ > 0) {
    children_.push_back(nodelay_pid_);
  }
  for (pid_t pid : children_) process::Terminate(pid);
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
  if (master_up_ && lock_path_.empty()) {
    auto pid = process::Spawn(BaseArgs({"-O", "exit"}), {-1, -1, -1});
    if (pid.ok()) process::WaitFor(*pid, std::chrono::seconds(3));
  }
  if (log_fd_ >= 0) close(log_fd_);
  if (lock_path_.empty()) unlink(control_path_.c_str());  // a shared master stays
  if (lock_path_.empty()) unlink(known_hosts_.c_str());
  unlink(log_path_.c_str());
}

std::vector<std::string> SshConnection::BaseArgs(const std::vector<std::string>& extra) const {
  std::vector<std::string> a = {options_.program,
                                "-o",
                                "BatchMode=yes",
                                "-o",
                                "StrictHostKeyChecking=yes",
                                "-o",
                                "ControlPath=" + control_path_,
                                "-o",
                                "ForwardAgent=no",
                                "-o",
                                "ForwardX11=no",
                                "-o",
                                "PermitLocalCommand=no"};
  // Forwardings from ~/.ssh/config are dropped; a `-O forward -L` of ours is kept.
  bool forwards = std::find(extra.begin(), extra.end(), "-L") != extra.end();
  if (!forwards) a.insert(a.end(), {"-o", "ClearAllForwardings=yes"});
  if (!target_.host_key.empty()) {
    const std::vector<std::string> pinned = {
        "HostKeyAlias=stowage-pinned", "UserKnownHostsFile=" + known_hosts_,
        "GlobalKnownHostsFile=/dev/null", "UpdateHostKeys=no", "CheckHostIP=no"};
    for (const auto& o : pinned) a.insert(a.end(), {"-o", o});
  }
  // The cluster file's options come before stowage's defaults: ssh keeps the first value.
  for (const auto& [k, v] : target_.options) a.insert(a.end(), {"-o", k + "=" + v});
  a.insert(a.end(), {"-o", "ConnectTimeout=" + std::to_string(options_.connect_timeout.count()),
                     "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3"});
  if (!options_.identity_file.empty()) {
    a.insert(a.end(), {"-i", EscapePercent(options_.identity_file)});
  }
  if (!target_.user.empty()) a.insert(a.end(), {"-l", target_.user});
  if (target_.port != 0) a.insert(a.end(), {"-p", std::to_string(target_.port)});
  a.insert(a.end(), extra.begin(), extra.end());
  a.insert(a.end(), {"--", target_.host});
  return a;
}

bool SshConnection::MasterAnswers() const {
  int fd = ConnectLocalSocket(control_path_);
  if (fd >= 0) close(fd);
  return fd >= 0;
}

Status SshConnection::StartMaster() {
  unlink(control_path_.c_str());  // a master killed outright leaves its socket
  off_t from = lseek(log_fd_, 0, SEEK_END);
  // A private master is told to exit at the end; its 60 s are for a stowage that died.
  auto persist = lock_path_.empty() ? std::chrono::seconds(60) : options_.persist;
  auto args =
      BaseArgs({"-f", "-N", "-T", "-o", "ControlMaster=yes", "-o", "StreamLocalBindUnlink=yes",
                "-o", "ControlPersist=" + std::to_string(persist.count())});
  Starts().acquire();
  auto pid = process::Spawn(args, {-1, log_fd_, log_fd_});
  std::optional<int> code;
  if (pid.ok()) code = process::WaitFor(*pid, options_.connect_timeout + std::chrono::seconds(5));
  Starts().release();
  if (!pid.ok()) return pid.status();
  std::string said = process::TailOf(log_fd_, from);
  if (!code) {
    return Status::Unreachable("ssh: no connection within " +
                               std::to_string(options_.connect_timeout.count() + 5) + " s" +
                               (said.empty() ? "" : ": " + said));
  }
  if (*code != 0) {
    return Status::Unreachable(said.empty() ? "ssh: exit " + std::to_string(*code) : SshSaid(said));
  }
  StartNoDelaySession();
  return Status::Ok();
}

void SshConnection::StartNoDelaySession() {
  // sshd turns Nagle's algorithm off on a connection at its first session
  // (OpenSSH's ssh_packet_set_interactive), never for forwardings alone: a
  // response sshd sends in two writes then waits for ssh's delayed ACK, ~40 ms
  // a request. One no-op session per master sets it for the master's life; it
  // runs in the background (awaited at the end) and its outcome is moot.
  auto args = BaseArgs({"-T", "-o", "ControlMaster=no"});
  args.push_back("true");
  auto pid = process::Spawn(args, {-1, -1, -1});
  if (!pid.ok()) return;
  std::lock_guard lock(mu_);
  if (nodelay_pid_ > 0) children_.push_back(nodelay_pid_);  // a master's before: reaped there
  nodelay_pid_ = *pid;
}

Status SshConnection::TakeOrStartMaster() {
  if (lock_path_.empty()) return StartMaster();
  int fd = open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::Internal("cannot open " + lock_path_ + ": " + std::strerror(errno));
  while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  // Another command's master, still up: ride it (a dead one's socket is replaced).
  Status st = MasterAnswers() ? Status::Ok() : StartMaster();
  close(fd);  // releases the lock
  return st;
}

Status SshConnection::Ready() {
  std::lock_guard lock(master_mu_);
  if (master_up_ && verify_master_ && !MasterAnswers()) master_up_ = false;
  verify_master_ = false;
  if (master_up_) return Status::Ok();
  auto now = std::chrono::steady_clock::now();
  if (!start_failure_.empty() && now - failed_at_ < kStartFailureKept) {
    return Status::Unreachable(start_failure_);
  }
  auto st = TakeOrStartMaster();
  if (!st.ok()) {
    start_failure_ = st.message();
    failed_at_ = now;
    std::lock_guard l(mu_);
    failure_ = st.message();
    return st;
  }
  start_failure_.clear();
  master_up_ = true;
  ++generation_;
  std::lock_guard l(mu_);
  log_mark_ = lseek(log_fd_, 0, SEEK_END);
  return Status::Ok();
}

int SshConnection::generation() {
  std::lock_guard lock(master_mu_);
  return generation_;
}

std::string SshConnection::NewLocalPath() {
  std::lock_guard lock(mu_);
  return local_prefix_ + std::to_string(next_path_++);
}

std::string SshConnection::SharedForwardPath(const std::string& remote_path) const {
  if (lock_path_.empty() || remote_path.empty()) return "";
  auto slash = control_path_.rfind('/');
  return control_path_.substr(0, slash) + "/f" + NameOf({control_path_, remote_path}, 12);
}

Status SshConnection::RunControl(const std::vector<std::string>& extra) {
  off_t from = lseek(log_fd_, 0, SEEK_END);
  auto pid = process::Spawn(BaseArgs(extra), {-1, log_fd_, log_fd_});
  if (!pid.ok()) return pid.status();
  auto code = process::WaitFor(*pid, options_.connect_timeout);
  if (code && *code == 0) return Status::Ok();
  std::string said = process::TailOf(log_fd_, from);
  return Status::Unreachable(said.empty() ? "ssh -O " + extra[1] + " failed" : SshSaid(said));
}

Status SshConnection::Forward(const std::string& local_path, const std::string& remote_path) {
  return RunControl({"-O", "forward", "-L", local_path + ":" + remote_path});
}

void SshConnection::CancelForward(const std::string& local_path, const std::string& remote_path) {
  (void)RunControl({"-O", "cancel", "-L", local_path + ":" + remote_path});
  unlink(local_path.c_str());
}

std::string SshConnection::TakeFailure() {
  {
    std::lock_guard lock(master_mu_);
    verify_master_ = true;  // the next Ready() checks the master still answers
  }
  ReapExited();
  std::lock_guard lock(mu_);
  std::string out = std::move(failure_);
  failure_.clear();
  if (out.empty()) {
    std::string said = process::TailOf(log_fd_, log_mark_);
    if (!said.empty()) out = SshSaid(said);
  }
  log_mark_ = lseek(log_fd_, 0, SEEK_END);
  return out;
}

Status SshConnection::SpawnStream(int fd, const std::vector<std::string>& remote_command) {
  {
    // A master that died (killed, network gone) is started again.
    std::lock_guard lock(master_mu_);
    if (master_up_ && !MasterAnswers()) master_up_ = false;
  }
  auto st = Ready();
  if (!st.ok()) return st;
  auto args = BaseArgs({"-T", "-o", "ControlMaster=no"});
  args.insert(args.end(), remote_command.begin(), remote_command.end());
  auto pid = process::Spawn(args, {fd, fd, log_fd_});
  if (!pid.ok()) return pid.status();
  std::lock_guard lock(mu_);
  children_.push_back(*pid);
  return Status::Ok();
}

Result<int> SshConnection::OpenStream(const std::vector<std::string>& remote_command) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status::Internal(std::string("socketpair: ") + std::strerror(errno));
  }
  auto st = SpawnStream(sv[1], remote_command);
  close(sv[1]);
  if (!st.ok()) {
    close(sv[0]);
    return st;
  }
  return sv[0];
}

Result<std::string> SshConnection::LocalSocket(const std::vector<std::string>& remote_command,
                                               const std::string& path) {
  std::string where = path.empty() ? NewLocalPath() : path;
  std::lock_guard lock(mu_);
  for (const auto& l : listeners_) {
    if (l.command == remote_command) return l.path;
  }
  Listener l;
  l.command = remote_command;
  l.path = where;
  l.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, l.path.c_str(), sizeof(addr.sun_path) - 1);
  unlink(l.path.c_str());
  if (l.fd < 0 || bind(l.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(l.fd, 64) != 0) {
    std::string why = std::strerror(errno);
    if (l.fd >= 0) close(l.fd);
    return Status::Internal("cannot listen on " + l.path + ": " + why);
  }
  listeners_.push_back(l);
  if (wake_[0] < 0 && pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  }
  if (!server_.joinable()) {
    server_ = std::thread([this] { Serve(); });
  } else if (write(wake_[1], "x", 1) < 0) {
    // the thread picks the listener up within its poll timeout
  }
  return l.path;
}

void SshConnection::ReapExited() {
  std::lock_guard lock(mu_);
  std::vector<pid_t> running;
  for (pid_t pid : children_) {
    if (!process::Reap(pid, milliseconds(0))) running.push_back(pid);
  }
  children_ = std::move(running);
}

void SshConnection::Serve() {
  // Signals are for the threads of the command (watch takes TERM on its own).
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<std::vector<std::string>> commands;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      fds.push_back({wake_[0], POLLIN, 0});
      for (const auto& l : listeners_) {
        fds.push_back({l.fd, POLLIN, 0});
        commands.push_back(l.command);
      }
    }
    int n = poll(fds.data(), fds.size(), 500);
    if (n < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) {
      char buf[16];
      while (read(wake_[0], buf, sizeof buf) > 0) {
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      int conn = accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      // On failure the connection is closed unanswered; the client asks TakeFailure why.
      (void)SpawnStream(conn, commands[i - 1]);
      close(conn);
    }
    ReapExited();
  }
}

}  // namespace stowage::runtime::ssh
