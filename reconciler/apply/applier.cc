#include "apply/applier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "apply/host_session.h"
#include "apply/one_shot.h"
#include "apply/release_gates.h"
#include "apply/task_ops.h"
#include "apply/traffic_gate.h"
#include "model/labels.h"
#include "model/normal_form.h"

namespace stowage::apply {
namespace {

template <typename Fn>
void ParallelFor(std::size_t n, Fn fn) {
  if (n == 1) {
    fn(std::size_t{0});
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) threads.emplace_back([&fn, i] { fn(i); });
  for (auto& t : threads) t.join();
}

struct TaskRef {
  std::string host;
  std::string task_id;
};

// What every service run shares: connections to hosts, the observer, the clock.
class ApplyRun {
 public:
  ApplyRun(const plan::Plan& plan, const model::DesiredState& desired,
           runtime::RuntimeFactory& runtimes, const ApplyOptions& options, Observer* observer,
           Clock& clock)
      : plan_(plan),
        desired_(desired),
        runtimes_(runtimes),
        options_(options),
        observer_(observer),
        clock_(clock),
        board_(plan) {}

  Result<HostSession*> Session(const std::string& host_name) {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(host_name);
    if (it != sessions_.end()) return it->second.get();
    const model::Host* host = desired_.cluster.FindHost(host_name);
    if (host == nullptr) return Status::NotFound("host " + host_name + " is not in the cluster");
    auto rt = runtimes_.Connect(*host);
    if (!rt.ok()) return rt.status();
    SessionBounds bounds{options_.parallelism, options_.stop_parallelism,
                         options_.pull_parallelism};
    auto session =
        std::make_unique<HostSession>(plan_.cluster, host_name, std::move(*rt), bounds, clock_);
    return (sessions_[host_name] = std::move(session)).get();
  }

  void Emit(ApplyEvent e) {
    if (observer_ == nullptr) return;
    std::lock_guard lock(emit_mu_);
    observer_->OnEvent(e);
  }

  bool Cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }

  const plan::Plan& plan_;
  const model::DesiredState& desired_;
  runtime::RuntimeFactory& runtimes_;
  const ApplyOptions& options_;
  Observer* observer_;
  Clock& clock_;
  ReleaseBoard board_;

 private:
  std::mutex mu_;
  std::mutex emit_mu_;
  std::map<std::string, std::unique_ptr<HostSession>> sessions_;
};

// Executes the steps of one service.
class ServiceRun {
 public:
  ServiceRun(ApplyRun& run, const plan::ServicePlan& sp) : run_(run), sp_(sp) {
    result_.service = sp.service;
    if (const auto* svc = run.desired_.FindService(sp.service)) {
      gate_.grace = std::chrono::seconds(svc->health_check_grace_period_seconds);
    }
    gate_.settle = run.options_.settle;
    gate_.poll = run.options_.poll;
    gate_.timeout = run.options_.gate_timeout;
    td_ = run.desired_.FindTaskDefinition(sp.family);
    for (const auto& step : sp.steps) {
      for (const auto& a : step.actions) first_starts_ += a.type == plan::ActionType::kStart;
      if (first_starts_ > 0) break;
    }
  }

  ServiceResult Run() {
    for (const auto& b : sp_.blocked) result_.blocked += b.count;
    if (!PullImages()) return result_;
    if (!AwaitDependencies()) return result_;
    int n = static_cast<int>(sp_.steps.size());
    for (int i = 0; i < n && !done_; ++i) {
      if (run_.Cancelled()) {
        return Finish(Outcome::kCancelled, "cancelled before step " + std::to_string(i + 1));
      }
      run_.Emit({EventType::kStepStarted, sp_.service, "", "", i + 1, n, ""});
      RunStep(sp_.steps[static_cast<std::size_t>(i)], i + 1 == n);
      if (!done_ && !run_.options_.wait && !started_.empty()) {
        // --no-wait: nothing that depends on the new tasks' health happens.
        return Finish(Outcome::kPending, NoWaitMessage(i));
      }
    }
    if (done_) return result_;
    CompleteDeployment();
    if (done_) return result_;
    if (result_.blocked > 0) {
      return Finish(Outcome::kBlocked,
                    std::to_string(result_.blocked) + " task(s) could not be placed");
    }
    return Finish(Outcome::kConverged, "");
  }

 private:
  ServiceResult Finish(Outcome o, std::string message) {
    result_.outcome = o;
    result_.message = std::move(message);
    done_ = true;
    run_.Emit({EventType::kServiceDone, sp_.service, "", "", 0, 0,
               result_.message.empty() ? OutcomeName(o)
                                       : std::string(OutcomeName(o)) + ": " + result_.message});
    run_.board_.MarkDone(sp_.service, result_);  // after its event: dependents' come later
    return result_;
  }

  // Before the service deploys: each waiting gate of the plan's order, the
  // services first (apply/release_gates.h), then the one-shot tasks in the
  // order written. False when one failed (the service is then finished).
  bool AwaitDependencies() {
    const auto gates = run_.board_.GatesOf(sp_.service);
    if (gates.empty()) return true;
    if (!run_.board_.CycleError().empty()) {
      Finish(Outcome::kFailed, run_.board_.CycleError());
      return false;
    }
    for (const auto* g : gates) {
      run_.Emit({EventType::kDependencyWait, sp_.service, "", "", 0, 0,
                 (g->kind == plan::GateKind::kTask ? "task " : "") + g->on + " " + g->condition});
      if (g->kind == plan::GateKind::kTask) {
        if (!RunOneShot(*g)) return false;
        continue;
      }
      auto failure = run_.board_.Await(*g, run_.options_.cancel);
      if (!failure) continue;
      if (run_.Cancelled()) {
        Finish(Outcome::kCancelled, "cancelled while waiting for " + g->on);
        return false;
      }
      NotDeployed(failure->cause,
                  "depends on " + g->on + ", which " + DependencyEnded(failure->outcome));
      return false;
    }
    return true;
  }

  // The service keeps its old tasks: a dependency failed for `cause`.
  void NotDeployed(Outcome cause, const std::string& why) {
    if (cause == Outcome::kPending) {
      Finish(Outcome::kPending, "not deployed: " + why);
      return;
    }
    result_.cause = cause;
    Finish(Outcome::kNotDeployed, why);
  }

  // A dependsOn {taskDefinition: FAMILY}: one task of FAMILY, placed on the
  // fleet as it runs now, run to its end (run-task semantics). SUCCESS needs
  // every essential container to exit 0; COMPLETE only that it ended. False
  // (the service not deployed) when it could not run or did not succeed.
  bool RunOneShot(const plan::DependencyGate& g) {
    const std::string which = "depends on task " + g.on + ", which ";
    const model::TaskDefinition* td = run_.desired_.FindTaskDefinition(g.on);
    std::string why;
    if (td == nullptr) {
      why = "is not in the source";
    } else if (!g.revision.empty() && g.revision != td->revision) {
      why = "the plan wants at revision " + g.revision + " but the source has " + td->revision;
    }
    if (!why.empty()) {
      NotDeployed(Outcome::kFailed, which + why);
      return false;
    }
    auto placed = PlaceOneShots(run_.desired_, *td, run_.runtimes_, 1);
    if (placed.hosts.empty()) {
      for (const auto& r : placed.reasons) why += (why.empty() ? "" : "; ") + r;
      NotDeployed(Outcome::kBlocked, which + "could not be placed (" + why + ")");
      return false;
    }
    Status st = RunOneShotOn(*td, placed.hosts.front(), g);
    if (!st.ok()) NotDeployed(Outcome::kFailed, which + "failed: " + st.message());
    return st.ok();
  }

  // Runs one task of `td` on `host` to its end: an error when it could not
  // run or (condition SUCCESS) an essential container did not exit 0.
  Status RunOneShotOn(const model::TaskDefinition& td, const std::string& host,
                      const plan::DependencyGate& g) {
    auto session = run_.Session(host);
    if (!session.ok()) return session.status();
    for (const auto& c : td.containers) {
      if (auto st = PullOne(host, c); !st.ok()) return st;
    }
    const std::string task_id = NewOneShotId();
    auto st = StartOneShot(**session, td, run_.desired_.source_revision, task_id,
                           run_.options_.resolve_secret, run_.clock_);
    if (!st.ok()) return st;
    run_.Emit({EventType::kOneShotStarted, sp_.service, host, task_id, 0, 0, g.on});
    auto codes = WaitOneShot(**session, task_id, run_.clock_, gate_, run_.options_.gate_timeout);
    if (!codes.ok()) return codes.status();
    std::string failure = EssentialFailure(td, *codes);
    run_.Emit({EventType::kOneShotExited, sp_.service, host, task_id, 0, 0,
               failure.empty() ? g.on + " succeeded" : g.on + ": " + failure});
    if (g.condition == "SUCCESS" && !failure.empty()) return Status::Invalid(failure);
    return Status::Ok();
  }

  // --no-wait stopped after step `step`: what is left for a waiting apply.
  std::string NoWaitMessage(int step) const {
    std::string m = std::to_string(result_.started) + " new task(s) started, health not awaited";
    const auto& actions = sp_.steps[static_cast<std::size_t>(step)].actions;
    bool skipped = step + 1 < static_cast<int>(sp_.steps.size()) ||
                   std::any_of(actions.begin(), actions.end(),
                               [](const auto& a) { return a.type != plan::ActionType::kStart; });
    if (!skipped) return m;
    return m + (sp_.deployment
                    ? "; old tasks kept until an apply that waits finishes the deployment"
                    : "; later steps left to an apply that waits");
  }

  // The first phase of a service's deployment: every image of its task
  // definition is made present on every host that will start a new task,
  // before any step stops anything. A pull that fails fails the service
  // with every old task still running; false then.
  bool PullImages() {
    if (td_ == nullptr) return true;  // StartOne reports the missing definition
    std::set<std::string> hosts;
    for (const auto& step : sp_.steps) {
      for (const auto& a : step.actions) {
        if (a.type == plan::ActionType::kStart) hosts.insert(a.host);
      }
    }
    std::map<std::string, const model::ContainerDefinition*> images;  // the first container
    for (const auto& c : td_->containers) images.emplace(c.image, &c);
    std::vector<std::pair<std::string, const model::ContainerDefinition*>> pulls;  // host
    for (const auto& h : hosts) {
      for (const auto& [image, c] : images) pulls.emplace_back(h, c);
    }
    std::vector<Status> res(pulls.size());
    ParallelFor(pulls.size(),
                [&](std::size_t i) { res[i] = PullOne(pulls[i].first, *pulls[i].second); });
    constexpr int kShown = 3;
    std::string why;
    int failed = 0;
    for (const auto& st : res) {
      if (st.ok() || ++failed > kShown) continue;
      why += (why.empty() ? "" : "; ") + st.message();
    }
    if (failed == 0) return true;
    if (failed > kShown) why += "; and " + std::to_string(failed - kShown) + " more";
    Finish(Outcome::kFailed, why + "; no task was stopped");
    return false;
  }

  Status PullOne(const std::string& host, const model::ContainerDefinition& c) {
    const std::string& image = c.image;
    auto credentials = PullCredentialsFor(c, run_.options_.resolve_secret);
    if (!credentials.ok()) return credentials.status();
    auto session = run_.Session(host);
    if (!session.ok()) return session.status();
    run_.Emit({EventType::kImagePulling, sp_.service, host, "", 0, 0, image});
    if (auto st = (*session)->EnsureImage(image, *credentials); !st.ok()) {
      return Status(st.code(), "host " + host + ": " + st.message());
    }
    run_.Emit({EventType::kImagePulled, sp_.service, host, "", 0, 0, image});
    return Status::Ok();
  }

  bool BreakerOn() const { return sp_.deployment && sp_.deployment->circuit_breaker; }
  bool Tripped() const {
    return BreakerOn() && failures_ >= std::max(1, sp_.deployment->failure_threshold);
  }

  // In the service's last step, stops are handed to the engines (StopMode::
  // kHandOff, unless --wait-stopped): no later step needs their capacity.
  void RunStep(const plan::DeploymentStep& step, bool last) {
    const StopMode mode =
        last && !run_.options_.wait_stopped ? StopMode::kHandOff : StopMode::kWait;
    std::vector<const plan::TaskAction*> starts, others;
    for (const auto& a : step.actions) {
      (a.type == plan::ActionType::kStart ? starts : others).push_back(&a);
    }
    if (!run_.options_.wait && !starts.empty()) {
      // --no-wait: the new tasks are started, the old ones stay (see Run).
      std::vector<Status> results(starts.size());
      ParallelFor(starts.size(), [&](std::size_t i) { results[i] = StartWithRetries(*starts[i]); });
      EndStep(results, {});
      return;
    }
    // Starts and stops run together: an old task is stopped as soon as the
    // healthy tasks allow it (see StopTurns), not after the whole step.
    StopTurns turns(static_cast<int>(others.size()) - static_cast<int>(starts.size()));
    std::vector<Status> results(starts.size()), stops(others.size());
    ParallelFor(starts.size() + others.size(), [&](std::size_t i) {
      if (i < starts.size()) {
        results[i] = StartWithRetries(*starts[i]);
        turns.StartEnded(results[i].ok());
        return;
      }
      std::size_t k = i - starts.size();
      if (!turns.Wait(static_cast<int>(k))) return;  // a start failed: this one stays
      if (auto st = GateExistingOnce(); !st.ok()) {
        turns.Abort();
        stops[k] = st;
        return;
      }
      stops[k] = StopOrRemove(*others[k], mode);
    });
    EndStep(results, stops);
  }

  // When the step's k-th stop (0-based) may begin: once healthy new tasks of
  // the step plus the slack cover it. The plan sizes a step so that stopping
  // all its K old tasks once its S new ones are healthy keeps the minimum
  // healthy: H0 + S - K >= minimum, so with h of them healthy, stopping
  // k < h + (K - S) keeps H0 - k + h >= minimum at every moment.
  class StopTurns {
   public:
    explicit StopTurns(int slack) : allowed_(std::max(0, slack)) {}
    void StartEnded(bool healthy) {
      {
        std::lock_guard lock(mu_);
        if (healthy) {
          ++allowed_;
        } else {
          aborted_ = true;
        }
      }
      cv_.notify_all();
    }
    void Abort() {
      {
        std::lock_guard lock(mu_);
        aborted_ = true;
      }
      cv_.notify_all();
    }
    // True when stop `k` may go; false when the step failed first.
    bool Wait(int k) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return aborted_ || k < allowed_; });
      return !aborted_;
    }

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int allowed_;
    bool aborted_ = false;
  };

  // The step's outcome from its starts' and stops' results.
  void EndStep(const std::vector<Status>& results, const std::vector<Status>& stops) {
    for (const auto& st : results) {
      if (st.ok()) continue;
      if (Tripped()) return TripBreaker();
      if (st.code() == Status::Code::kCancelled) {
        // Some starts of the step never began: the stops they would have
        // allowed did not happen, so the service keeps its minimum.
        Finish(Outcome::kCancelled, "cancelled during a step: " + st.message());
        return;
      }
      Finish(Outcome::kFailed, st.message() + RestoreAfterFailure());
      return;
    }
    for (const auto& st : stops) {
      if (!st.ok()) {
        Finish(Outcome::kFailed, st.message());
        return;
      }
    }
  }

  // Tasks of the target revision that ran before this apply pass their gate
  // before the service's first stop (once per service).
  Status GateExistingOnce() {
    if (!sp_.deployment) return Status::Ok();
    std::call_once(gate_existing_once_, [&] { gate_existing_status_ = GateExisting(); });
    return gate_existing_status_;
  }

  // With the circuit breaker on, an attempt (first or retry) may begin only
  // while the failures counted plus the attempts in flight stay below the
  // threshold: if every attempt in flight failed, the count would reach the
  // threshold exactly, never pass it. An attempt waits for one in flight to
  // end; false when the breaker tripped (or apply was cancelled) meanwhile.
  bool BeginAttempt() {
    std::unique_lock lock(mu_);
    if (!BreakerOn()) return true;
    int threshold = std::max(1, sp_.deployment->failure_threshold);
    while (!Tripped() && !run_.Cancelled() && failures_ + in_flight_ >= threshold) {
      attempt_cv_.wait_for(lock, std::chrono::milliseconds(200));
    }
    if (Tripped() || run_.Cancelled()) return false;
    ++in_flight_;
    return true;
  }

  // Ends an attempt; true when the failed task is to be tried again.
  bool EndAttempt(const plan::TaskAction& a, bool failed) {
    bool retry = false;
    {
      std::lock_guard lock(mu_);
      if (BreakerOn()) --in_flight_;
      if (failed) {
        ++failures_;
        failed_tasks_.insert(a.host + "/" + a.task_id);
        result_.failed = static_cast<int>(failed_tasks_.size());
        retry = BreakerOn() && !Tripped() && !run_.Cancelled();
      } else {
        ++result_.started;
      }
    }
    attempt_cv_.notify_all();
    return retry;
  }

  Status StartWithRetries(const plan::TaskAction& a) {
    {
      std::lock_guard lock(mu_);
      started_.push_back({a.host, a.task_id});  // once: retries reuse the task id
    }
    while (true) {
      if (!BeginAttempt()) {
        if (run_.Cancelled()) return Status::Cancelled("task " + a.task_id + " not started");
        return Status::Conflict("task " + a.task_id + " not started: circuit breaker tripped");
      }
      Status st = StartOne(a);
      bool retry = EndAttempt(a, !st.ok());
      if (st.ok()) return st;
      run_.Emit({EventType::kTaskFailed, sp_.service, a.host, a.task_id, 0, 0, st.message()});
      if (!retry) return st;
      if (auto rm = RemoveTask(a.host, a.task_id); !rm.ok()) return rm;
    }
  }

  Status StartOne(const plan::TaskAction& a) {
    if (td_ == nullptr) return Status::NotFound("task definition " + sp_.family + " not found");
    if (!a.revision.empty() && a.revision != td_->revision) {
      return Status::Invalid("task " + a.task_id + " wants revision " + a.revision +
                             " but the source has " + td_->revision);
    }
    auto session = run_.Session(a.host);
    if (!session.ok()) return session.status();
    TaskIdentity id{run_.plan_.cluster,           a.host, sp_.service, a.task_id, false, "",
                    run_.desired_.source_revision};
    if (const model::Service* service = run_.desired_.FindService(sp_.service)) {
      id.service_definition = model::NormalFormLabel(model::ServiceNormalForm(*service));
    }
    auto spec = BuildTaskSpec(*td_, id, run_.options_.resolve_secret);
    if (!spec.ok()) return spec.status();
    run_.Emit({EventType::kTaskStarting, sp_.service, a.host, a.task_id, 0, 0, a.reason});
    TaskOps ops(**session, run_.clock_, gate_);
    if (auto st = ops.StartNew(*spec); !st.ok()) return st;
    NoteStarted(a.task_id);
    if (run_.options_.wait) {
      if (auto st = ops.WaitHealthy(a.task_id); !st.ok()) return st;
    }
    run_.Emit({EventType::kTaskHealthy, sp_.service, a.host, a.task_id, 0, 0, ""});
    if (run_.options_.wait) return Admit(**session, a.task_id);
    return Status::Ok();
  }

  // STARTED (release gates) holds once the new tasks of the first step
  // that starts any run.
  void NoteStarted(const std::string& task_id) {
    bool all = false;
    {
      std::lock_guard lock(started_mu_);
      running_new_.insert(task_id);
      all = static_cast<int>(running_new_.size()) >= first_starts_;
    }
    if (all) run_.board_.MarkStarted(sp_.service);
  }

  bool Bound() const {
    return run_.options_.traffic != nullptr && run_.options_.traffic->Bound(sp_.service);
  }

  // A healthy task of a bound service takes traffic: its targets are
  // registered and set ready once the balancer's check passes.
  Status Admit(HostSession& session, const std::string& task_id) {
    if (!Bound()) return Status::Ok();
    auto containers = session.ListTask(task_id);
    if (!containers.ok()) return containers.status();
    auto st = run_.options_.traffic->Admit(sp_.service, session.host(), task_id, *containers);
    if (!st.ok()) return st;
    run_.Emit({EventType::kTaskRegistered, sp_.service, session.host(), task_id, 0, 0, ""});
    return Status::Ok();
  }

  // Before a task of a bound service stops: drained for the target group's
  // deregistration delay (or until it holds no connection), then deregistered.
  Status Release(const std::string& host, const std::string& task_id) {
    if (!Bound()) return Status::Ok();
    return run_.options_.traffic->Release(sp_.service, task_id, false, [&] {
      run_.Emit({EventType::kTaskDraining, sp_.service, host, task_id, 0, 0, ""});
    });
  }

  // Tasks of the target revision that ran before this apply (started by an
  // apply --no-wait, or by one that was killed) pass their health gate before
  // the first old task is stopped, like the tasks this apply starts.
  Status GateExisting() {
    if (!run_.options_.wait || sp_.revision.empty()) return Status::Ok();
    std::set<std::string> planned;
    for (const auto& step : sp_.steps) {
      for (const auto& a : step.actions) planned.insert(a.task_id);
    }
    std::vector<TaskRef> existing;
    for (const auto& host : run_.desired_.cluster.hosts) {
      auto session = run_.Session(host.name);
      if (!session.ok()) continue;  // an unreachable host is reported by its own actions
      auto cs = (*session)->ListSince(run_.clock_.Now());
      if (!cs.ok()) continue;
      std::set<std::string> tasks;
      for (const auto& c : *cs) {
        const auto& l = c.labels;
        auto service = l.find(labels::kService), rev = l.find(labels::kRevision),
             task = l.find(labels::kTask);
        if (service == l.end() || rev == l.end() || task == l.end()) continue;
        if (service->second != sp_.service || rev->second != sp_.revision) continue;
        if (c.state == runtime::ContainerState::kRunning && !planned.count(task->second)) {
          tasks.insert(task->second);
        }
      }
      for (const auto& t : tasks) existing.push_back({host.name, t});
    }
    std::vector<Status> res(existing.size());
    ParallelFor(existing.size(), [&](std::size_t i) {
      auto session = run_.Session(existing[i].host);
      if (!session.ok()) {
        res[i] = session.status();
        return;
      }
      TaskOps ops(**session, run_.clock_, gate_);
      res[i] = ops.WaitHealthy(existing[i].task_id);
    });
    for (std::size_t i = 0; i < res.size(); ++i) {
      if (!res[i].ok()) {
        return Status(res[i].code(), "task " + existing[i].task_id + " on " + existing[i].host +
                                         " (started earlier): " + res[i].message());
      }
    }
    return Status::Ok();
  }

  Status StopOrRemove(const plan::TaskAction& a, StopMode mode) {
    if (a.type == plan::ActionType::kRemove) return RemoveTask(a.host, a.task_id, mode);
    auto session = run_.Session(a.host);
    if (!session.ok()) return session.status();
    if (auto st = Release(a.host, a.task_id); !st.ok()) return st;
    TaskOps ops(**session, run_.clock_, gate_);
    bool stopping = false;
    if (auto st = ops.Stop(a.task_id, mode, &stopping); !st.ok()) return st;
    std::lock_guard lock(mu_);
    stopped_.push_back({a.host, a.task_id});
    ++result_.stopped;
    run_.Emit({stopping ? EventType::kTaskStopping : EventType::kTaskStopped, sp_.service, a.host,
               a.task_id, 0, 0, a.reason});
    return Status::Ok();
  }

  // Stops and removes a task. A stop handed to its engine that is still
  // running is left to it (counted as stopping): a later apply removes the
  // retired containers once they exited (apply/retired.h).
  Status RemoveTask(const std::string& host, const std::string& task_id,
                    StopMode mode = StopMode::kWait) {
    auto session = run_.Session(host);
    if (!session.ok()) return session.status();
    if (auto st = Release(host, task_id); !st.ok()) return st;
    TaskOps ops(**session, run_.clock_, gate_);
    bool stopping = false;
    if (auto st = ops.Stop(task_id, mode, &stopping); !st.ok()) return st;
    if (!stopping) return RemoveStopped(**session, task_id);
    std::lock_guard lock(mu_);
    ++result_.stopping;
    run_.Emit({EventType::kTaskStopping, sp_.service, host, task_id, 0, 0, ""});
    return Status::Ok();
  }

  // An old task stopped earlier goes, unless its stop was handed to its
  // engine and still runs (then it is stopping).
  Status RemoveIfStopped(HostSession& session, const std::string& task_id) {
    auto running = StillRunning(session, task_id);
    if (!running.ok()) return running.status();
    if (!*running) return RemoveStopped(session, task_id);
    std::lock_guard lock(mu_);
    --result_.stopped;  // counted when its stop was handed off
    ++result_.stopping;
    return Status::Ok();
  }

  Status RemoveStopped(HostSession& session, const std::string& task_id) {
    TaskOps ops(session, run_.clock_, gate_);
    if (auto st = ops.Remove(task_id); !st.ok()) return st;
    std::lock_guard lock(mu_);
    // A failed attempt is removed before its retry, and again by a rollback:
    // the task is counted and reported removed once.
    if (!removed_tasks_.insert(session.host() + "/" + task_id).second) return Status::Ok();
    result_.removed = static_cast<int>(removed_tasks_.size());
    run_.Emit({EventType::kTaskRemoved, sp_.service, session.host(), task_id, 0, 0, ""});
    return Status::Ok();
  }

  static Result<bool> StillRunning(HostSession& session, const std::string& task_id) {
    auto cs = session.ListTask(task_id);
    if (!cs.ok()) return cs.status();
    return std::any_of(cs->begin(), cs->end(), [](const runtime::ContainerSummary& c) {
      return c.state == runtime::ContainerState::kRunning;
    });
  }

  // The last step succeeded: the old tasks kept for rollback go; those whose
  // stop was handed to their engine and still run are left to it.
  void CompleteDeployment() {
    std::vector<Status> res(stopped_.size());
    ParallelFor(stopped_.size(), [&](std::size_t i) {
      auto session = run_.Session(stopped_[i].host);
      res[i] = session.ok() ? RemoveIfStopped(**session, stopped_[i].task_id) : session.status();
    });
    for (const auto& st : res) {
      if (!st.ok()) {
        Finish(Outcome::kFailed, "removing old tasks: " + st.message());
        return;
      }
    }
  }

  void TripBreaker() {
    std::string why = std::to_string(failures_) + " new task(s) failed (threshold " +
                      std::to_string(sp_.deployment->failure_threshold) + ")";
    run_.Emit({EventType::kCircuitBreaker, sp_.service, "", "", 0, 0, why});
    if (!sp_.deployment->rollback) {
      Finish(Outcome::kFailed, "circuit breaker: " + why);
      return;
    }
    if (auto st = Rollback(); !st.ok()) {
      Finish(Outcome::kFailed, "rollback failed: " + st.message());
      return;
    }
    Finish(Outcome::kRolledBack,
           "circuit breaker: " + why + "; revision " + sp_.deployment->from_revision + " restored");
  }

  // A start failed after earlier steps stopped old tasks (without the
  // circuit breaker, whose `rollback` decides): the deployment is undone as a
  // rollback would, so the service keeps the capacity it had. What was done,
  // for the failure message ("" when no old task had been stopped).
  std::string RestoreAfterFailure() {
    if (stopped_.empty()) return "";
    std::size_t restarted = stopped_.size();
    if (auto st = Rollback(); !st.ok()) return "; restoring the old tasks failed: " + st.message();
    return "; " + std::to_string(restarted) + " stopped old task(s) restarted, new ones removed";
  }

  Status Rollback() {
    std::vector<Status> res(started_.size() + stopped_.size());
    auto remove_new = [&] {
      ParallelFor(started_.size(), [&](std::size_t i) {
        res[i] = RemoveTask(started_[i].host, started_[i].task_id);
      });
    };
    auto restart_old = [&] {
      ParallelFor(stopped_.size(),
                  [&](std::size_t i) { res[started_.size() + i] = RestartOld(stopped_[i]); });
    };
    // A bound service takes traffic throughout: the old tasks are back in
    // their target groups before the new ones are drained.
    if (Bound()) {
      restart_old();
      remove_new();
    } else {
      remove_new();
      restart_old();
    }
    for (const auto& st : res) {
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

  Status RestartOld(const TaskRef& t) {
    auto session = run_.Session(t.host);
    if (!session.ok()) return session.status();
    TaskOps ops(**session, run_.clock_, gate_);
    if (auto st = ops.Restart(t.task_id); !st.ok()) return st;
    run_.Emit({EventType::kTaskRestarted, sp_.service, t.host, t.task_id, 0, 0, ""});
    if (run_.options_.wait) {
      if (auto st = ops.WaitHealthy(t.task_id); !st.ok()) return st;
      run_.Emit({EventType::kTaskHealthy, sp_.service, t.host, t.task_id, 0, 0, ""});
      return Admit(**session, t.task_id);
    }
    return Status::Ok();
  }

  ApplyRun& run_;
  const plan::ServicePlan& sp_;
  const model::TaskDefinition* td_ = nullptr;
  GateOptions gate_;
  std::mutex mu_;
  ServiceResult result_;
  bool done_ = false;
  std::once_flag gate_existing_once_;
  Status gate_existing_status_;
  int in_flight_ = 0;                    // start attempts under way (circuit breaker on)
  int failures_ = 0;                     // failed start attempts: the circuit breaker's count
  std::set<std::string> failed_tasks_;   // "host/task" of the tasks that failed at least once
  std::set<std::string> removed_tasks_;  // "host/task" of the tasks removed
  std::condition_variable attempt_cv_;
  std::vector<TaskRef> started_;       // every new task attempted in this deployment
  std::vector<TaskRef> stopped_;       // old tasks stopped, kept for rollback
  int first_starts_ = 0;               // start actions of the first step that has any
  std::mutex started_mu_;              // guards running_new_ (not mu_: no attempt waits on it)
  std::set<std::string> running_new_;  // new tasks started (running) so far
};

}  // namespace

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kConverged:
      return "converged";
    case Outcome::kRolledBack:
      return "rolled back";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kBlocked:
      return "blocked";
    case Outcome::kCancelled:
      return "cancelled";
    case Outcome::kPending:
      return "pending";
    case Outcome::kNotDeployed:
      return "not deployed";
  }
  return "failed";
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kImagePulling:
      return "image_pulling";
    case EventType::kImagePulled:
      return "image_pulled";
    case EventType::kStepStarted:
      return "step_started";
    case EventType::kTaskStarting:
      return "task_starting";
    case EventType::kTaskHealthy:
      return "task_healthy";
    case EventType::kTaskFailed:
      return "task_failed";
    case EventType::kTaskStopped:
      return "task_stopped";
    case EventType::kTaskStopping:
      return "task_stopping";
    case EventType::kTaskRemoved:
      return "task_removed";
    case EventType::kTaskRestarted:
      return "task_restarted";
    case EventType::kCircuitBreaker:
      return "circuit_breaker";
    case EventType::kServiceDone:
      return "service_done";
    case EventType::kTaskRegistered:
      return "task_registered";
    case EventType::kTaskDraining:
      return "task_draining";
    case EventType::kDependencyWait:
      return "dependency_wait";
    case EventType::kOneShotStarted:
      return "oneshot_started";
    case EventType::kOneShotExited:
      return "oneshot_exited";
  }
  return "unknown";
}

int ApplyResult::ExitCode() const {
  bool rolled_back = false, blocked = false;
  for (const auto& s : services) {
    const Outcome o = s.outcome == Outcome::kNotDeployed ? s.cause : s.outcome;
    if (o == Outcome::kFailed || o == Outcome::kCancelled) return 1;
    rolled_back = rolled_back || o == Outcome::kRolledBack;
    blocked = blocked || o == Outcome::kBlocked || s.blocked > 0;
  }
  if (rolled_back) return 3;
  return blocked ? 4 : 0;
}

ApplyResult NothingToApply(const model::DesiredState& desired, const plan::Plan& plan) {
  ApplyResult result;
  std::set<std::string> blocked;
  for (const auto& sp : plan.services) {
    ServiceResult r;
    r.service = sp.service;
    for (const auto& b : sp.blocked) r.blocked += b.count;
    if (r.blocked == 0) continue;
    r.outcome = Outcome::kBlocked;
    r.message = std::to_string(r.blocked) + " task(s) could not be placed";
    result.services.push_back(std::move(r));
    blocked.insert(sp.service);
  }
  for (const auto& s : desired.services) {
    if (!blocked.count(s.name)) result.unchanged.push_back(s.name);
  }
  return result;
}

ApplyResult Apply(const plan::Plan& plan, const model::DesiredState& desired,
                  runtime::RuntimeFactory& runtimes, const ApplyOptions& options,
                  Observer* observer, Clock& clock) {
  ApplyRun run(plan, desired, runtimes, options, observer, clock);
  ApplyResult result;
  result.services.resize(plan.services.size());
  ParallelFor(plan.services.size(), [&](std::size_t i) {
    ServiceRun service(run, plan.services[i]);
    result.services[i] = service.Run();
  });
  std::set<std::string> planned;
  for (const auto& sp : plan.services) planned.insert(sp.service);
  for (const auto& s : desired.services) {
    if (!planned.count(s.name)) result.unchanged.push_back(s.name);
  }
  for (const auto& s : result.services) {
    if (s.outcome != Outcome::kConverged) {
      spdlog::debug("service {}: {}: {}", s.service, OutcomeName(s.outcome), s.message);
    }
  }
  return result;
}

}  // namespace stowage::apply
