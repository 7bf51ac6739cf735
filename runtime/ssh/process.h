// Process: starting the helper programs stowage runs (ssh, credential helpers).
//
// Programs are started with posix_spawnp and an argv, never through a shell;
// the child gets only the descriptors named here (every other one is closed),
// default signal handling, and a process group of its own, so a Ctrl-C meant
// for stowage does not kill its ssh masters before they are told to exit.
// RunProgram adds what a short-lived helper needs: input on stdin, output
// bounded in size, and a deadline after which the child is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace stowage::runtime::process {

struct SpawnFds {
  int in = -1;   // -1: /dev/null
  int out = -1;  // -1: /dev/null
  int err = -1;  // -1: /dev/null
};

// Starts argv[0] (looked up in PATH) with `fds` as its stdin/stdout/stderr.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const SpawnFds& fds);

// Waits up to `wait` for `pid` to exit: its exit code (128+N for signal N), or
// nullopt when it still runs (it is left running).
std::optional<int> Reap(pid_t pid, std::chrono::milliseconds wait);

// Waits up to `timeout` for `pid` to exit; past it the child is killed and
// reaped, and nullopt returned. Otherwise its exit code (128+N for signal N).
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout);

// Ends a child that may still run: SIGTERM, a short grace, then SIGKILL; reaps it.
void Terminate(pid_t pid);

struct RunResult {
  int exit_code = 0;
  std::string out;  // stdout, at most max_output bytes
  std::string err;  // stderr, at most max_output bytes
};

// Runs argv with `input` on stdin and collects its output. kTimeout when it
// runs past `timeout` (it is killed), kInvalid when its output exceeds
// `max_output` bytes, kUnreachable when it cannot be started.
Result<RunResult> RunProgram(const std::vector<std::string>& argv, const std::string& input,
                             std::chrono::milliseconds timeout, size_t max_output = 1 << 16);

// The last `max_lines` non-empty lines of the file open at `fd` from byte
// `from`, joined with "; " (what ssh said before it failed).
std::string TailOf(int fd, off_t from = 0, int max_lines = 2);

}  // namespace stowage::runtime::process
