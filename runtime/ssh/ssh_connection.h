// SshConnection: streams to programs on one remote host over one OpenSSH master.
//
// The system ssh client does the work, as the docker CLI does for ssh://
// endpoints: a master connection per host (ControlMaster, its ControlPath in a
// 0700 directory of the user's under $XDG_RUNTIME_DIR or /tmp), started on
// first use with at most kMaxConcurrentStarts handshakes in flight across
// hosts, and restarted when it died. With `persist` > 0 the master is shared:
// its ControlPath is named by a SHA-256 of everything that decides where and as
// whom it logs in (host, user, port, pinned key, options, identity, program),
// so the next stowage command within `persist` idle seconds reuses it instead
// of paying the handshake again (as Ansible's ControlPersist does); a flock
// keeps two commands from starting the same master at once. With persist 0 the
// master is the command's own and exits with it. A new master runs one no-op
// session (`true`), so sshd sends without Nagle's delay. Each stream is one `ssh -S CONTROL ... --
// HOST CMD` multiplexed over the master, whose stdin and stdout are one end of a socketpair or of
// an accepted connection: the caller gets a connected stream socket and may speak anything over it.
// LocalSocket serves the same as a unix socket in the private directory, a thread handing each
// accepted connection to its own ssh process (libcurl connects there).
//
// Host keys are always checked (StrictHostKeyChecking=yes, BatchMode=yes): a
// pinned key (the cluster file's hostKey) is written to a private known_hosts
// file used alone, else the operator's known_hosts files apply. The identity is
// the operator's (--ssh-key, the agent, ~/.ssh/config). Agent and X11
// forwarding, local commands and forwardings are turned off. What ssh writes
// to stderr goes to a private log; failures carry its last lines ("Host key
// verification failed.", "Permission denied (publickey).").
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace stowage::runtime::ssh {

inline constexpr int kMaxConcurrentStarts = 8;

// Where and as whom to log in; every field already validated (model/endpoint.h,
// model/ssh.h) and safe on a command line.
struct SshTarget {
  std::string host;           // name or address (IPv6 without brackets)
  std::string user;           // "": the operator's ssh configuration decides
  int port = 0;               // 0: likewise
  std::string host_key_type;  // with host_key: the pinned key, else ""
  std::string host_key;
  std::map<std::string, std::string> options;  // allow-listed -o options
  std::string label;                           // for messages: "ssh://deploy@web-1"
};

// The operator's side.
struct SshClientOptions {
  std::string program = "ssh";
  std::string identity_file;  // --ssh-key; "" : the agent and ~/.ssh/config
  std::chrono::seconds connect_timeout{10};
  // How long an idle master outlives the command, shared with the next ones
  // (ControlPersist); 0: the master is private and exits with the command.
  std::chrono::seconds persist{60};
};

class SshConnection {
 public:
  static Result<std::shared_ptr<SshConnection>> Make(SshTarget target, SshClientOptions options);
  // Stops serving, ends every stream, tells the master to exit, removes the files.
  ~SshConnection();
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  // Starts the master unless it is up; kUnreachable with ssh's words when it
  // cannot be (a failure is repeated, not retried, for a few seconds).
  Status Ready();

  // A local unix socket (in the private directory) that stands for
  // `remote_command` on the host (words already safe for the remote shell):
  // every connection accepted on it becomes one `ssh ... CMD` over the master,
  // with the accepted socket as its stdin and stdout. Served by a thread of
  // this object; the same command gets the same socket. `path`: where (from
  // NewLocalPath), "" for a new one.
  Result<std::string> LocalSocket(const std::vector<std::string>& remote_command,
                                  const std::string& path = "");

  // Asks the master to listen on `local_path` and forward each connection to
  // the host's unix socket `remote_path` (direct-streamlocal, as `ssh -L`): no
  // process per connection. A master started again has none: see generation().
  Status Forward(const std::string& local_path, const std::string& remote_path);
  void CancelForward(const std::string& local_path, const std::string& remote_path);
  // Counts the masters started; forwards set under an older one are gone.
  int generation();
  // A fresh socket path in the process's private directory (never another
  // command's, also when the master is shared).
  std::string NewLocalPath();
  // With a shared master: where its forward of `remote_path` lives, the same
  // for every command, so a later one finds it up; "" with a private master.
  std::string SharedForwardPath(const std::string& remote_path) const;

  // One stream to `remote_command`: a connected socket to its stdin/stdout.
  // Close it to end the stream; the ssh process is reaped in the background.
  Result<int> OpenStream(const std::vector<std::string>& remote_command);

  // What ssh said since the last call when a start or a stream failed ("Host
  // key verification failed.", "bash: docker: command not found"), "" if
  // nothing. For the error of a request whose stream broke.
  std::string TakeFailure();

  const SshTarget& target() const { return target_; }

 private:
  SshConnection(SshTarget target, SshClientOptions options);
  Status Init();
  bool MasterAnswers() const;
  Status StartMaster();
  // A no-op session on a new master, so sshd sends without Nagle's delay.
  void StartNoDelaySession();
  // Under the master's flock: a live shared master is taken, else one is started.
  Status TakeOrStartMaster();
  // ssh's arguments up to and including the destination.
  std::vector<std::string> BaseArgs(const std::vector<std::string>& extra) const;
  Status SpawnStream(int fd, const std::vector<std::string>& remote_command);
  void Serve();
  Status RunControl(const std::vector<std::string>& extra);
  void ReapExited();

  struct Listener {
    int fd = -1;
    std::string path;
    std::vector<std::string> command;
  };

  SshTarget target_;
  SshClientOptions options_;
  std::shared_ptr<void> dir_;  // the process's private directory, removed with the last user
  std::string control_path_;
  std::string lock_path_;  // "": the master is private
  std::string known_hosts_;
  std::string log_path_;
  std::string local_prefix_;  // of NewLocalPath's paths, in the private directory
  int log_fd_ = -1;

  std::mutex master_mu_;
  bool master_up_ = false;
  std::chrono::steady_clock::time_point failed_at_{};
  std::string start_failure_;  // repeated for a few seconds
  int generation_ = 0;
  bool verify_master_ = false;  // after a failure: is the master still there?

  std::mutex mu_;  // everything below
  std::vector<Listener> listeners_;
  std::vector<pid_t> children_;
  pid_t nodelay_pid_ = -1;  // the last master's no-op session
  int next_path_ = 0;
  std::string failure_;  // a failure not yet taken
  off_t log_mark_ = 0;   // the log up to here was seen
  int wake_[2] = {-1, -1};
  bool stopping_ = false;
  std::thread server_;
};

// `docker system dial-stdio`, or `docker --host unix://PATH system dial-stdio`.
std::vector<std::string> DockerDialStdio(const std::string& socket_path);

}  // namespace stowage::runtime::ssh
