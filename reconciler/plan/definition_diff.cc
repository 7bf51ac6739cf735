#include "plan/definition_diff.h"

#include <algorithm>
#include <set>

#include "model/labels.h"
#include "model/normal_form.h"

namespace stowage::plan {
namespace {

using Json = nlohmann::json;

// Lists whose order carries no meaning: compared member by member.
bool IsSet(const std::string& key) {
  static const std::set<std::string> kSets = {
      "portMappings", "placementConstraints", "links",       "capAdd",     "capDrop",
      "dependsOn",    "mountPoints",          "volumesFrom", "extraHosts", "ulimits"};
  return kSets.count(key) > 0;
}

// Objects whose keys are names of things (always written ["name"]).
bool IsNamed(const std::string& key) {
  return key == "containerDefinitions" || key == "volumes" || key == "tmpfs";
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Keys and members are kept as written: the renderers escape what they print.
std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string Segment(const std::string& parent, const std::string& key) {
  if (IsNamed(parent) || !IsIdentifier(key)) return "[" + Quoted(key) + "]";
  return parent.empty() ? key : "." + key;
}

std::string Member(const std::string& member) { return "[" + member + "]"; }

class Differ {
 public:
  Differ(std::vector<FieldChange>& out, bool task_definition)
      : out_(out), task_definition_(task_definition) {}

  void Walk(const Json& a, const Json& b, const std::string& path, const std::string& key,
            bool sensitive) {
    if (a == b) return;
    if (IsSet(key) && (a.is_array() || a.is_null()) && (b.is_array() || b.is_null())) {
      WalkSet(a, b, path);
    } else if ((a.is_object() || a.is_null()) && (b.is_object() || b.is_null()) &&
               !(a.is_null() && b.is_null()) && !IsEmptyObject(a) && !IsEmptyObject(b)) {
      WalkObject(a, b, path, key, sensitive);
    } else {
      Leaf(a, b, path, sensitive);
    }
  }

 private:
  static bool IsEmptyObject(const Json& j) { return j.is_object() && j.empty(); }

  void WalkObject(const Json& a, const Json& b, const std::string& path, const std::string& key,
                  bool sensitive) {
    static const Json kNull;
    std::set<std::string> keys;
    if (a.is_object()) {
      for (const auto& [k, v] : a.items()) keys.insert(k);
    }
    if (b.is_object()) {
      for (const auto& [k, v] : b.items()) keys.insert(k);
    }
    for (const auto& k : keys) {
      const Json& va = a.is_object() && a.contains(k) ? a[k] : kNull;
      const Json& vb = b.is_object() && b.contains(k) ? b[k] : kNull;
      std::string child = path + Segment(key, k);
      if (path.empty() && task_definition_ && (k == "placementConstraints" || k == "tags")) {
        child = "taskDefinition." + k;
      }
      Walk(va, vb, child, k, sensitive || k == "secrets");
    }
  }

  void WalkSet(const Json& a, const Json& b, const std::string& path) {
    std::set<std::string> before = Members(a), after = Members(b);
    for (const auto& m : before) {
      if (!after.count(m)) out_.push_back({ChangeOp::kRemove, path + Member(m), {}, {}, false});
    }
    for (const auto& m : after) {
      if (!before.count(m)) out_.push_back({ChangeOp::kAdd, path + Member(m), {}, {}, false});
    }
  }

  static std::set<std::string> Members(const Json& list) {
    std::set<std::string> out;
    if (!list.is_array()) return out;
    for (const auto& m : list) out.insert(m.is_string() ? m.get<std::string>() : m.dump());
    return out;
  }

  void Leaf(const Json& a, const Json& b, const std::string& path, bool sensitive) {
    FieldChange c;
    c.op = a.is_null() ? ChangeOp::kAdd : b.is_null() ? ChangeOp::kRemove : ChangeOp::kChange;
    c.path = path;
    c.sensitive = sensitive;
    if (!sensitive) {
      c.before = a;
      c.after = b;
    }
    out_.push_back(std::move(c));
  }

  std::vector<FieldChange>& out_;
  bool task_definition_;
};

// The task definition that runs: the deployment's old revision when there is
// one (else the first task found), merged from its containers' labels.
const observe::ObservedTask* RunningTask(const ServicePlan& sp,
                                         const std::vector<const observe::ObservedTask*>& tasks) {
  if (sp.deployment) {
    for (const auto* t : tasks) {
      if (t->revision == sp.deployment->from_revision) return t;
    }
  }
  for (const auto* t : tasks) {
    if (t->status != observe::TaskStatus::kExited) return t;
  }
  return tasks.empty() ? nullptr : tasks.front();
}

std::optional<Json> TaskForm(const observe::ObservedTask& t) {
  std::vector<const std::string*> texts;
  for (const auto& c : t.containers) {
    auto it = c.labels.find(labels::kDefinition);
    texts.push_back(it == c.labels.end() ? nullptr : &it->second);
  }
  if (texts.empty()) return std::nullopt;
  return model::MergeContainerForms(texts);
}

// The service settings of the task created last (scale changes do not touch
// the tasks that stay, so only the newest one knows the last applied count).
std::optional<Json> ServiceForm(const std::vector<const observe::ObservedTask*>& tasks) {
  const observe::ObservedTask* newest = nullptr;
  for (const auto* t : tasks) {
    if (t->containers.empty() || !t->containers.front().labels.count(labels::kServiceDefinition))
      continue;
    if (newest == nullptr || t->created > newest->created ||
        (t->created == newest->created && t->id > newest->id)) {
      newest = t;
    }
  }
  if (newest == nullptr) return std::nullopt;
  Json j =
      Json::parse(newest->containers.front().labels.at(labels::kServiceDefinition), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

std::vector<FieldChange> DiffNormalForms(const Json& before, const Json& after,
                                         bool task_definition) {
  std::vector<FieldChange> out;
  Differ(out, task_definition).Walk(before, after, "", "", false);
  return out;
}

void DescribeChanges(ServicePlan& sp, const model::Service& service,
                     const model::TaskDefinition& td,
                     const std::vector<const observe::ObservedTask*>& tasks) {
  if (tasks.empty()) {
    sp.compared_with = ComparedWith::kNothing;
    sp.changes = DiffNormalForms(Json(), model::ServiceNormalForm(service));
    auto task_changes = DiffNormalForms(Json(), model::TaskDefinitionNormalForm(td), true);
    sp.changes.insert(sp.changes.end(), task_changes.begin(), task_changes.end());
    return;
  }
  const observe::ObservedTask* running = RunningTask(sp, tasks);
  std::optional<Json> running_td;
  if (running != nullptr) running_td = TaskForm(*running);
  std::optional<Json> running_service = ServiceForm(tasks);
  if (!running_td || !running_service) {
    sp.compared_with = ComparedWith::kUnrecorded;
    return;
  }
  sp.compared_with = ComparedWith::kRunning;
  sp.changes = DiffNormalForms(*running_service, model::ServiceNormalForm(service));
  if (running->revision != td.revision) {
    auto task_changes = DiffNormalForms(*running_td, model::TaskDefinitionNormalForm(td), true);
    sp.changes.insert(sp.changes.end(), task_changes.begin(), task_changes.end());
  }
}

}  // namespace stowage::plan
