// `stowage watch [SOURCE | --repo URL]`: converge on every new revision, heal drift.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/log_format.h"
#include "cli/notify_options.h"
#include "cli/secret_options.h"
#include "cli/source_options.h"
#include "cli/traffic.h"
#include "server/watch_server.h"
#include "util/duration.h"
#include "watch/dir_notify.h"
#include "watch/event_monitor.h"
#include "watch/pipeline.h"
#include "watch/watcher.h"

namespace stowage::cli {
namespace {

struct WatchFlags {
  SourceOptions source;
  std::string pull = "missing";
  std::string interval = "15s";
  std::string resync = "60s";
  std::string settle = "10s";
  std::string listen;
  std::string log_format = "text";
  bool prune = false;
  bool allow_mass_delete = false;
  std::optional<std::chrono::seconds> unreachable_grace;
  std::vector<std::string> notify;
  secrets::Providers secrets;
};

// SIGTERM/SIGINT stop the watcher, SIGHUP pokes it. The signals are blocked in
// every thread and taken by sigtimedwait on this one, so no handler runs at an
// arbitrary point.
class SignalThread {
 public:
  SignalThread(std::atomic<bool>& stop, watch::Watcher*& watcher) {
    sigemptyset(&set_);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set_, s);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this, &stop, &watcher] {
      const timespec tick{0, 100'000'000};
      while (!done_) {
        const int sig = sigtimedwait(&set_, nullptr, &tick);
        if (sig == SIGHUP) {
          spdlog::info("SIGHUP: reconciling now");
          if (watcher != nullptr) watcher->Poke(watch::Poke::kReconcile);
        } else if (sig == SIGTERM || sig == SIGINT) {
          spdlog::info("{}: finishing the step in flight, then exiting",
                       sig == SIGTERM ? "SIGTERM" : "SIGINT");
          stop = true;
          if (watcher != nullptr) watcher->Wake();
        }
      }
    });
  }
  ~SignalThread() {
    done_ = true;
    thread_.join();
  }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// The first fetch, retried with backoff while the remote does not answer.
Result<std::unique_ptr<Source>> OpenWithRetry(const SourceOptions& options,
                                              std::chrono::milliseconds interval,
                                              const std::atomic<bool>& stop) {
  auto wait = interval;
  while (true) {
    auto source = OpenSource(options);
    if (source.ok() || source.status().code() != Status::Code::kUnreachable || stop) return source;
    spdlog::warn("{} (retry in {} s)", source.status().message(),
                 std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    for (auto until = std::chrono::steady_clock::now() + wait;
         !stop && std::chrono::steady_clock::now() < until;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    wait = std::min(wait * 2, std::chrono::milliseconds(300'000));
  }
}

int RunWatch(const WatchFlags& flags) {
  if (Status s = SetLogFormat(flags.log_format); !s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  watch::WatchOptions options;
  auto interval = ParseDuration(flags.interval);
  auto resync = ParseDuration(flags.resync);
  auto settle = ParseDuration(flags.settle);
  if (!interval.ok() || !resync.ok() || *interval <= std::chrono::milliseconds(0)) {
    spdlog::error("--interval/--resync: {}",
                  (!interval.ok() ? interval.status() : resync.status()).message());
    return 1;
  }
  if (!settle.ok()) {
    spdlog::error("--settle: {}", settle.status().message());
    return 1;
  }
  auto policy = OpenPolicy(flags.source);
  if (!policy.ok()) {
    spdlog::error("{}", policy.status().message());
    return 1;
  }
  if (Status s = secrets::CheckProviders(flags.secrets); !s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  options.interval = *interval;
  options.resync = *resync;
  options.seed = static_cast<std::uint64_t>(getpid());
  const std::unique_ptr<notify::Notifier> releases = MakeNotifier(flags.notify);
  options.on_release = [&](const notify::ReleaseEvent& e) { releases->Publish(e); };
  std::optional<server::ListenAddress> listen;
  if (!flags.listen.empty()) {
    auto address = server::ParseListenAddress(flags.listen);
    if (!address.ok()) {
      spdlog::error("{}", address.status().message());
      return 1;
    }
    listen = *address;
  }

  std::atomic<bool> stop{false};
  watch::Watcher* watcher_ptr = nullptr;
  SignalThread signals(stop, watcher_ptr);
  auto source = OpenWithRetry(flags.source, options.interval, stop);
  if (!source.ok()) {
    spdlog::error("{}", source.status().message());
    return 1;
  }
  if (stop) return 0;

  const std::unique_ptr<runtime::RuntimeFactory> factory =
      MakeRuntimeFactory(flags.source, flags.pull);
  runtime::RuntimeFactory& runtimes = *factory;
  watch::PipelineOptions pipeline;
  auto routers = MakeRouterFactory(flags.source);
  pipeline.traffic = CliTraffic(*routers);
  pipeline.plan.prune = flags.prune;
  pipeline.plan.allow_mass_delete = flags.allow_mass_delete;
  pipeline.plan.unreachable_grace = flags.unreachable_grace;
  pipeline.apply.cancel = &stop;
  pipeline.apply.settle = *settle;
  pipeline.policy = *policy;
  pipeline.secrets = flags.secrets;
  std::unique_ptr<watch::EventMonitor> monitor;
  watch::PipelineReconciler reconciler(runtimes, pipeline,
                                       [&](const model::Cluster& c) { monitor->Follow(c); });
  watch::Watcher watcher(**source, reconciler, options);
  monitor = std::make_unique<watch::EventMonitor>(runtimes, [&](const std::string& host,
                                                                const runtime::ContainerEvent& e) {
    spdlog::info("{}: container {} {}: reconciling", host, e.container_id.substr(0, 12), e.action);
    watcher.Poke(watch::Poke::kDrift);
  });
  watcher_ptr = &watcher;
  // A directory is also re-read as soon as inotify reports a change to it.
  std::unique_ptr<watch::DirectoryNotifier> notifier;
  if (!flags.source.IsGit()) {
    notifier = std::make_unique<watch::DirectoryNotifier>(
        (*source)->LocalRoot(), [&] { watcher.Poke(watch::Poke::kFetch); });
    if (Status s = notifier->Start(); !s.ok()) {
      spdlog::warn("{}: changes are noticed at the next poll only", s.message());
      notifier.reset();
    }
  }

  std::unique_ptr<server::WatchServer> http;
  if (listen) {
    const char* secret = std::getenv("STOWAGE_WEBHOOK_SECRET");
    http = std::make_unique<server::WatchServer>(
        server::Endpoints{[&] { return watch::RenderMetrics(*watcher.State()); },
                          [&] { return watch::StatusJson(*watcher.State()); },
                          [&] { watcher.Poke(watch::Poke::kFetch); },
                          [&] { return watcher.StateVersion(); }},
        secret != nullptr ? secret : "");
    if (Status s = http->Start(*listen); !s.ok()) {
      spdlog::error("{}", s.message());
      return 1;
    }
  }
  spdlog::info("watching {} every {} s{} (resync {} s)", (*source)->Describe(),
               std::chrono::duration<double>(options.interval).count(),
               notifier ? " and on inotify events" : "",
               std::chrono::duration<double>(options.resync).count());
  watcher.Run(stop);
  if (notifier) notifier->Stop();
  watcher_ptr = nullptr;
  if (http) http->Stop();
  monitor->Stop();
  releases->Flush(std::chrono::seconds(3));
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void AddWatchCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "watch", "Converge the fleet on every new revision of a source and heal drift");
  static WatchFlags flags;
  AddSourceOptions(*cmd, flags.source);
  AddSecretOptions(*cmd, flags.secrets);
  cmd->add_option("--interval", flags.interval,
                  "How often to fetch the repository or re-read the directory (jittered by "
                  "10%; default 15s); a directory is also re-read at once on inotify events");
  cmd->add_option("--resync", flags.resync,
                  "Reconcile this often even without a new revision (default 60s)");
  cmd->add_option("--settle", flags.settle,
                  "A new task without a health check counts as healthy after running this "
                  "long (default 10s)");
  cmd->add_option("--listen", flags.listen,
                  "Serve /healthz, /metrics, /status and POST /hooks/git on [HOST:]PORT "
                  "(HOST defaults to 127.0.0.1; webhook secret: $STOWAGE_WEBHOOK_SECRET)");
  cmd->add_option("--log-format", flags.log_format, "text (default) or json, one line per event");
  cmd->add_flag("--prune", flags.prune, "Remove services deleted from the source");
  cmd->add_flag("--allow-mass-delete", flags.allow_mass_delete,
                "Allow a plan that stops more than half of all tasks");
  AddUnreachableGraceOption(*cmd, flags.unreachable_grace);
  AddNotifyOption(*cmd, flags.notify);
  AddPullOption(*cmd, flags.pull);
  cmd->callback([&ctx] { ctx.exit_code = RunWatch(flags); });
}

}  // namespace stowage::cli
