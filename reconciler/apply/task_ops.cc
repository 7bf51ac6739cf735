#include "apply/task_ops.h"

#include <algorithm>
#include <map>

#include "model/labels.h"
#include "util/printable.h"

namespace stowage::apply {
namespace {

using runtime::ContainerState;
using runtime::ContainerSummary;
using runtime::Health;

std::string Label(const ContainerSummary& c, const char* key) {
  auto it = c.labels.find(key);
  return it == c.labels.end() ? "" : it->second;
}

// A number label of one of the task's containers (labels::IntLabel), its
// error naming the container.
Result<int> IntLabel(const ContainerSummary& c, const char* key, int fallback, int max) {
  auto n = labels::IntLabel(c.labels, key, fallback, max);
  if (!n.ok())
    return Status::Invalid("container " + Printable(c.name) + ": " + n.status().message());
  return static_cast<int>(*n);
}

const ContainerSummary* FindContainer(const std::vector<ContainerSummary>& cs,
                                      const std::string& name) {
  for (const auto& c : cs) {
    if (Label(c, labels::kContainer) == name) return &c;
  }
  return nullptr;
}

bool Exited(const ContainerSummary& c) {
  return c.state == ContainerState::kExited || c.state == ContainerState::kDead;
}

std::string ExitText(const ContainerSummary& c) {
  return c.exit_code ? "exited (code " + std::to_string(*c.exit_code) + ")" : "exited";
}

// nullopt: not yet; OK: met; an error: can never be met.
std::optional<Status> DependencyMet(const ContainerSummary& d, model::DependencyCondition cond) {
  const std::string name = Label(d, labels::kContainer);
  switch (cond) {
    case model::DependencyCondition::kStart:
      if (d.state == ContainerState::kRunning || Exited(d)) return Status::Ok();
      return std::nullopt;
    case model::DependencyCondition::kHealthy:
      if (d.health == Health::kHealthy) return Status::Ok();
      if (d.health == Health::kUnhealthy || Exited(d)) {
        return Status::Engine("dependency " + name + " did not become healthy");
      }
      return std::nullopt;
    case model::DependencyCondition::kComplete:
      if (Exited(d)) return Status::Ok();
      return std::nullopt;
    case model::DependencyCondition::kSuccess:
      if (!Exited(d)) return std::nullopt;
      if (d.exit_code.value_or(1) == 0) return Status::Ok();
      return Status::Engine("dependency " + name + " " + ExitText(d) + ", SUCCESS required");
  }
  return std::nullopt;
}

}  // namespace

TaskOps::TaskOps(HostSession& host, Clock& clock, const GateOptions& options)
    : host_(host), clock_(clock), options_(options) {}

Result<std::string> TaskOps::CreateOrAdopt(const runtime::ContainerSpec& spec, bool* running) {
  *running = false;
  auto id = host_.Create(spec);
  if (id.ok() || id.status().code() != Status::Code::kConflict) return id;
  auto existing = host_.Inspect(spec.name);
  if (!existing.ok()) return existing.status();
  const auto& s = existing->summary;
  if (s.labels.count(labels::kCluster) == 0 ||
      s.labels.at(labels::kCluster) != spec.labels.at(labels::kCluster)) {
    return Status::Conflict("container name " + spec.name +
                            " is taken by a container stowage does not manage");
  }
  if (Label(s, labels::kSpecHash) == spec.labels.at(labels::kSpecHash) &&
      Label(s, labels::kTask) == spec.labels.at(labels::kTask)) {
    *running = s.state == ContainerState::kRunning;
    return s.id;
  }
  if (auto st = host_.Remove(s.id); !st.ok()) return st;
  return host_.Create(spec);
}

Status TaskOps::StartNew(const TaskSpec& spec) {
  for (const auto& v : spec.volumes) {
    if (auto st = host_.EnsureVolume(v); !st.ok()) return st;
  }
  for (const auto& c : spec.containers) {
    if (auto st = host_.EnsureImage(c.spec.image, c.spec.pull_credentials); !st.ok()) return st;
  }
  std::string task_id;
  for (const auto& c : spec.containers) {
    task_id = c.spec.labels.at(labels::kTask);
    bool running = false;
    auto id = CreateOrAdopt(c.spec, &running);
    if (!id.ok()) return id.status();
    for (const auto& dep : c.definition->depends_on) {
      if (auto st = WaitDependency(task_id, c.name, dep); !st.ok()) return st;
    }
    if (running) continue;
    if (auto st = host_.Start(*id); !st.ok()) return st;
  }
  return Status::Ok();
}

Status TaskOps::WaitDependency(const std::string& task_id, const std::string& container,
                               const model::ContainerDependency& dep) {
  auto deadline = clock_.Now() + options_.timeout;
  while (true) {
    auto cs = host_.ListTaskSince(task_id, clock_.Now());
    if (!cs.ok()) return cs.status();
    const auto* d = FindContainer(*cs, dep.container_name);
    if (d == nullptr) return Status::NotFound("dependency " + dep.container_name + " missing");
    if (auto met = DependencyMet(*d, dep.condition)) return *met;
    if (clock_.Now() >= deadline) {
      return Status::Timeout("container " + container + ": dependency " + dep.container_name +
                             " not " + model::DependencyConditionName(dep.condition) + " in time");
    }
    clock_.SleepFor(options_.poll);
  }
}

Status TaskOps::WaitHealthy(const std::string& task_id) {
  auto start = clock_.Now();
  auto deadline = start + options_.timeout;
  std::map<std::string, Clock::TimePoint> running_since;
  while (true) {
    auto cs = host_.ListTaskSince(task_id, clock_.Now());
    if (!cs.ok()) return cs.status();
    auto now = clock_.Now();
    bool all_ok = true;
    int essentials = 0;
    for (const auto& c : *cs) {
      if (Label(c, labels::kEssential) == "false") continue;
      ++essentials;
      std::string name = Label(c, labels::kContainer);
      if (Exited(c)) return Status::Engine("essential container " + name + " " + ExitText(c));
      if (c.state != ContainerState::kRunning) {
        all_ok = false;
        continue;
      }
      running_since.emplace(name, now);
      if (c.health == Health::kUnhealthy && now >= start + options_.grace) {
        return Status::Engine("essential container " + name + " is unhealthy");
      }
      if (c.health == Health::kNone) {
        all_ok = all_ok && now - running_since[name] >= options_.settle;
      } else {
        all_ok = all_ok && c.health == Health::kHealthy;
      }
    }
    if (essentials == 0) return Status::NotFound("task " + task_id + " has no containers");
    if (all_ok) return Status::Ok();
    if (now >= deadline) {
      return Status::Timeout("task " + task_id + " not healthy after " +
                             std::to_string(options_.timeout.count() / 1000) + " s");
    }
    clock_.SleepFor(
        std::min(options_.poll, options_.settle.count() > 0 ? options_.settle : options_.poll));
  }
}

Result<std::vector<ContainerSummary>> TaskOps::Ordered(const std::string& task_id) {
  auto cs = host_.ListTask(task_id);
  if (!cs.ok()) return cs;
  std::vector<std::pair<int, std::size_t>> order;
  for (std::size_t i = 0; i < cs->size(); ++i) {
    auto n = IntLabel((*cs)[i], labels::kStartOrder, 0, 1000);
    if (!n.ok()) return n.status();
    order.emplace_back(*n, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ContainerSummary> sorted;
  sorted.reserve(order.size());
  for (const auto& [n, i] : order) sorted.push_back(std::move((*cs)[i]));
  return sorted;
}

Status TaskOps::Stop(const std::string& task_id, StopMode mode, bool* still_stopping) {
  auto cs = Ordered(task_id);
  if (!cs.ok()) return cs.status();
  // The container stopped last (the first running one in start order) is
  // the one whose stop may be handed to the engine: the others stop first.
  auto first = std::find_if(cs->begin(), cs->end(), [](const ContainerSummary& c) {
    return !Exited(c) && c.state != ContainerState::kCreated;
  });
  if (first == cs->end()) return Status::Ok();  // nothing runs
  const bool hand_off = mode == StopMode::kHandOff;
  for (auto it = cs->rbegin(); it != cs->rend(); ++it) {
    auto secs = IntLabel(*it, labels::kStopTimeout, 30, 86400);
    if (!secs.ok()) return secs.status();
    // A task whose stop may outlive this apply is retired first, whole.
    if (hand_off) {
      if (auto st = Retire(*it, *secs); !st.ok()) return st;
    }
    if (Exited(*it) || it->state == ContainerState::kCreated) continue;
    const auto timeout = std::chrono::seconds(*secs);
    if (hand_off && &*it == &*first) {
      auto stopped = host_.BeginStop(it->id, timeout, options_.hand_off_wait);
      if (!stopped.ok()) return stopped.status();
      if (still_stopping != nullptr) *still_stopping = !*stopped;
      continue;
    }
    if (auto st = host_.Stop(it->id, timeout); !st.ok()) return st;
  }
  return Status::Ok();
}

Status TaskOps::Retire(const ContainerSummary& c, int stop_timeout) {
  if (labels::RetiredDeadline(c.name)) return Status::Ok();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return host_.Rename(c.id, labels::RetiredName(c.name, now.count() + stop_timeout));
}

Status TaskOps::Restart(const std::string& task_id) {
  if (auto st = WaitRetiredStopped(task_id); !st.ok()) return st;
  auto cs = Ordered(task_id);
  if (!cs.ok()) return cs.status();
  if (cs->empty()) return Status::NotFound("task " + task_id + " has no containers");
  for (const auto& c : *cs) {
    if (labels::RetiredDeadline(c.name)) {
      if (auto st = host_.Rename(c.id, labels::UnretiredName(c.name)); !st.ok()) return st;
    }
    if (c.state == ContainerState::kRunning) continue;
    if (auto st = host_.Start(c.id); !st.ok()) return st;
  }
  return Status::Ok();
}

Status TaskOps::WaitRetiredStopped(const std::string& task_id) {
  const auto start = clock_.Now();
  while (true) {
    auto cs = host_.ListTask(task_id);
    if (!cs.ok()) return cs.status();
    int longest = 0;
    bool stopping = false;
    for (const auto& c : *cs) {
      if (!labels::RetiredDeadline(c.name) || Exited(c)) continue;
      stopping = stopping || c.state == ContainerState::kRunning;
      auto secs = IntLabel(c, labels::kStopTimeout, 30, 86400);
      longest = std::max(longest, secs.ok() ? *secs : 30);
    }
    if (!stopping) return Status::Ok();
    if (clock_.Now() - start > std::chrono::seconds(longest) + std::chrono::seconds(30)) {
      return Status::Timeout("task " + task_id + " still stopping after " +
                             std::to_string(longest + 30) + " s");
    }
    clock_.SleepFor(options_.poll);
  }
}

Result<std::map<std::string, int>> TaskOps::WaitExited(
    const std::string& task_id, std::optional<std::chrono::milliseconds> limit) {
  const auto deadline = clock_.Now() + limit.value_or(std::chrono::milliseconds(0));
  while (true) {
    auto cs = host_.ListTask(task_id);
    if (!cs.ok()) return cs.status();
    if (cs->empty()) return Status::NotFound("task " + task_id + " has no containers");
    std::map<std::string, int> codes;
    for (const auto& c : *cs) {
      if (Exited(c)) codes[Label(c, labels::kContainer)] = c.exit_code.value_or(-1);
    }
    if (codes.size() == cs->size()) return codes;
    if (limit && clock_.Now() >= deadline) {
      return Status::Timeout("task " + task_id + " still runs after " +
                             std::to_string(limit->count() / 1000) + "s");
    }
    clock_.SleepFor(options_.poll);
  }
}

Status TaskOps::Remove(const std::string& task_id) {
  auto cs = Ordered(task_id);
  if (!cs.ok()) return cs.status();
  for (auto it = cs->rbegin(); it != cs->rend(); ++it) {
    auto st = host_.Remove(it->id);
    if (!st.ok() && st.code() != Status::Code::kNotFound) return st;
  }
  return host_.RemoveTaskVolumes(task_id);
}

}  // namespace stowage::apply
