// `stowage run-task FAMILY [--count N] [--wait]`: standalone tasks (ECS RunTask).
#include <unistd.h>

#include <iostream>
#include <thread>

#include "apply/host_session.h"
#include "apply/one_shot.h"
#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/secret_options.h"

namespace stowage::cli {
namespace {

struct RunTaskOptions {
  std::string pull = "missing";
  std::string family;
  int count = 1;
  bool wait = false;
  int lock_timeout = 0;
  secrets::Providers secrets;
};

struct Started {
  std::string host;
  std::string task_id;
  Status status;
  std::map<std::string, int> exit_codes;
};

// Starts one task (wait: false) or waits for a started one to finish (true).
void RunOne(const model::TaskDefinition& td, const std::string& cluster, const std::string& commit,
            runtime::RuntimeFactory& factory, const model::Host& host, bool wait,
            const apply::SecretResolver& resolve, Started& out) {
  auto rt = factory.Connect(host);
  if (!rt.ok()) {
    out.status = rt.status();
    return;
  }
  apply::HostSession session(cluster, host.name, *rt, apply::SessionBounds{}, apply::SystemClock());
  if (!wait) {
    out.status =
        apply::StartOneShot(session, td, commit, out.task_id, resolve, apply::SystemClock());
    return;
  }
  auto codes = apply::WaitOneShot(session, out.task_id, apply::SystemClock(), apply::GateOptions{},
                                  std::nullopt);
  if (!codes.ok()) {
    out.status = codes.status();
    return;
  }
  out.exit_codes = *codes;
}

int RunTasks(const RunTaskOptions& o, const SourceOptions& source) {
  auto loaded = LoadResolved(source, &o.secrets);
  if (!loaded.ok()) return PrintError(loaded.status());
  const model::DesiredState* desired = &loaded->state;
  const apply::SecretResolver resolve = loaded->secrets.Resolver();
  const auto* td = desired->FindTaskDefinition(o.family);
  if (td == nullptr) {
    std::cerr << "error: no task definition " << o.family << " in the source\n";
    return 1;
  }
  auto factory = MakeRuntimeFactory(source, o.pull);
  std::vector<Started> started;
  {
    auto lock = LockCluster(*desired, *factory, std::chrono::seconds(o.lock_timeout));
    if (!lock.ok()) return PrintError(lock.status());
    auto placement = apply::PlaceOneShots(*desired, *td, *factory, o.count);
    if (placement.unplaced > 0) {
      std::cerr << placement.unplaced << " task(s) of " << o.family << " could not be placed:\n";
      for (const auto& r : placement.reasons) std::cerr << "  " << r << "\n";
    }
    for (const auto& h : placement.hosts) started.push_back({h, apply::NewOneShotId(), {}, {}});
    // Started before the lock goes: placement must not race another apply.
    std::vector<std::thread> threads;
    for (auto& s : started) {
      threads.emplace_back([&, &s = s] {
        RunOne(*td, desired->cluster.name, desired->source_revision, *factory,
               *desired->cluster.FindHost(s.host), false, resolve, s);
      });
    }
    for (auto& t : threads) t.join();
    if (placement.unplaced > 0 && started.empty()) return 4;
  }
  int exit_code = 0;
  std::vector<std::thread> waits;
  for (auto& s : started) {
    if (!s.status.ok()) {
      std::cerr << "error: " << s.host << "/" << s.task_id << ": " << s.status.message() << "\n";
      exit_code = 1;
      continue;
    }
    std::cout << "started " << o.family << " task " << s.task_id << " on " << s.host << "\n";
    if (o.wait) {
      waits.emplace_back([&, &s = s] {
        RunOne(*td, desired->cluster.name, desired->source_revision, *factory,
               *desired->cluster.FindHost(s.host), true, resolve, s);
      });
    }
  }
  for (auto& t : waits) t.join();
  for (const auto& s : started) {
    if (!o.wait || !s.status.ok()) continue;
    for (const auto& [name, code] : s.exit_codes) {
      std::cout << s.host << "/" << s.task_id << " " << name << " exited " << code << "\n";
    }
    if (!apply::EssentialFailure(*td, s.exit_codes).empty()) exit_code = 1;
  }
  if (exit_code == 0 && started.size() < static_cast<std::size_t>(o.count)) exit_code = 4;
  return exit_code;
}

}  // namespace

void AddRunTaskCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "run-task", "Start standalone tasks of a task definition (batch jobs; never replaced)");
  static SourceOptions source_options;
  static RunTaskOptions o;
  cmd->add_option("FAMILY", o.family, "Task definition family")->required();
  AddSourceOptions(*cmd, source_options);
  AddSecretOptions(*cmd, o.secrets);
  cmd->add_option("--count", o.count, "How many tasks to start")->check(CLI::Range(1, 1000));
  cmd->add_flag("--wait", o.wait, "Wait for the tasks to finish; print their exit codes");
  cmd->add_option("--lock-timeout", o.lock_timeout,
                  "Seconds to wait for the cluster lock (default 0: fail at once)");
  AddPullOption(*cmd, o.pull);
  cmd->callback([&ctx] { ctx.exit_code = RunTasks(o, source_options); });
}

}  // namespace stowage::cli
