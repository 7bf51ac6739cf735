#include "runtime/ssh/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace stowage::runtime::process {
namespace {

using Clock = std::chrono::steady_clock;

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() { Reset(); }
  void Reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

// Reads what is available on `fd` into `out`; false at end of file.
bool ReadSome(int fd, std::string& out, size_t limit, bool& overflow) {
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  size_t room = limit > out.size() ? limit - out.size() : 0;
  if (static_cast<size_t>(n) > room) overflow = true;
  out.append(buf, std::min(room, static_cast<size_t>(n)));
  return true;
}

}  // namespace

Result<pid_t> Spawn(const std::vector<std::string>& argv, const SpawnFds& fds) {
  if (argv.empty()) return Status::Internal("spawn: no program");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const int targets[3] = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO};
  const int sources[3] = {fds.in, fds.out, fds.err};
  for (int i = 0; i < 3; ++i) {
    if (sources[i] >= 0) {
      posix_spawn_file_actions_adddup2(&actions, sources[i], targets[i]);
    } else {
      posix_spawn_file_actions_addopen(&actions, targets[i], "/dev/null",
                                       i == 0 ? O_RDONLY : O_WRONLY, 0);
    }
  }
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::Unreachable("cannot run " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

std::optional<int> Reap(pid_t pid, std::chrono::milliseconds wait) {
  auto deadline = Clock::now() + wait;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCodeOf(status);
    if (r < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  if (auto code = Reap(pid, timeout)) return code;
  kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return std::nullopt;
}

void Terminate(pid_t pid) {
  kill(pid, SIGTERM);
  WaitFor(pid, std::chrono::milliseconds(500));
}

Result<RunResult> RunProgram(const std::vector<std::string>& argv, const std::string& input,
                             std::chrono::milliseconds timeout, size_t max_output) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Status::Internal("pipe: " + std::string(strerror(errno)));
  Fd in_r{in[0]}, in_w{in[1]};
  if (pipe2(out, O_CLOEXEC) != 0) return Status::Internal("pipe: " + std::string(strerror(errno)));
  Fd out_r{out[0]}, out_w{out[1]};
  if (pipe2(err, O_CLOEXEC) != 0) return Status::Internal("pipe: " + std::string(strerror(errno)));
  Fd err_r{err[0]}, err_w{err[1]};
  auto pid = Spawn(argv, {in_r.fd, out_w.fd, err_w.fd});
  if (!pid.ok()) return pid.status();
  in_r.Reset();
  out_w.Reset();
  err_w.Reset();
  // Helpers read a short line; a full pipe buffer is never reached.
  signal(SIGPIPE, SIG_IGN);
  if (!input.empty() && write(in_w.fd, input.data(), input.size()) < 0) {
    // The helper exited before reading; its exit code tells.
  }
  in_w.Reset();
  RunResult result;
  bool overflow = false;
  bool out_open = true, err_open = true;
  auto deadline = Clock::now() + timeout;
  while ((out_open || err_open) && !overflow) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
    if (!out_open) p[0].fd = -1;
    if (!err_open) p[1].fd = -1;
    int n = poll(p, 2, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) break;
    if (p[0].revents != 0) out_open = ReadSome(out_r.fd, result.out, max_output, overflow);
    if (p[1].revents != 0) err_open = ReadSome(err_r.fd, result.err, max_output, overflow);
  }
  if (overflow) {
    Terminate(*pid);
    return Status::Invalid(argv[0] + ": more than " + std::to_string(max_output) +
                           " bytes of output");
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto code = WaitFor(*pid, std::max(left, std::chrono::milliseconds(0)));
  if (!code || out_open || err_open) {
    if (code) Terminate(*pid);
    return Status::Timeout(argv[0] + ": no answer within " + std::to_string(timeout.count()) +
                           " ms");
  }
  result.exit_code = *code;
  return result;
}

std::string TailOf(int fd, off_t from, int max_lines) {
  off_t end = lseek(fd, 0, SEEK_END);
  if (end <= from) return "";
  off_t start = std::max(from, end - 4096);
  std::string text(static_cast<size_t>(end - start), '\0');
  ssize_t n = pread(fd, text.data(), text.size(), start);
  if (n <= 0) return "";
  text.resize(static_cast<size_t>(n));
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  std::string out;
  size_t first = lines.size() > static_cast<size_t>(max_lines) ? lines.size() - max_lines : 0;
  for (size_t i = first; i < lines.size(); ++i) out += (out.empty() ? "" : "; ") + lines[i];
  return out;
}

}  // namespace stowage::runtime::process
