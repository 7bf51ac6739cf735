#include "render/status.h"

#include <sstream>

#include "render/table.h"
#include "util/printable.h"

namespace stowage::render {
namespace {

// "sha256:0123456789ab" per container (12 hex digits, as docker ps shows IDs), comma-separated.
std::string ShortImageIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (id.empty()) continue;
    std::string shown = id.rfind("sha256:", 0) == 0 ? id.substr(0, 19) : id.substr(0, 12);
    out += (out.empty() ? "" : ",") + shown;
  }
  return out;
}

}  // namespace

namespace {

// What runs: the running revisions, 8 characters each, or "-".
std::string RevisionsText(const status::ServiceStatus& s) {
  std::string out;
  for (const auto& r : s.running_revisions) out += (out.empty() ? "" : ",") + r.substr(0, 8);
  return out.empty() ? "-" : out;
}

// "web: 3 old tasks stopping (killed by ...), 1 exited (removed by the next
// apply)", or "" when the service has no retired tasks.
std::string RetiredNote(const status::ServiceStatus& s) {
  if (s.stopping == 0 && s.retired_exited == 0) return "";
  std::string note;
  if (s.stopping > 0) {
    note = std::to_string(s.stopping) + (s.stopping == 1 ? " old task" : " old tasks") +
           " stopping (killed by " + UtcTime(s.stopping_deadline) + ")";
  }
  if (s.retired_exited > 0) {
    note += (note.empty() ? std::to_string(s.retired_exited) +
                                (s.retired_exited == 1 ? " old task" : " old tasks")
                          : ", " + std::to_string(s.retired_exited)) +
            " exited (removed by the next apply)";
  }
  return Printable(s.service) + ": " + note + "\n";
}

// A host's old task, as a row of its task table.
std::vector<std::string> RetiredRow(const status::RetiredTask& t) {
  return {"", t.service + "/" + t.task_id, "-", t.running ? "stopping" : "exited",
          t.running ? "old task, killed by " + UtcTime(t.deadline)
                    : "old task, removed by the next apply"};
}

}  // namespace

std::string StatusText(const status::FleetStatus& f) {
  std::ostringstream out;
  out << "Cluster " << Printable(f.cluster) << "\n";
  if (!f.source_error.empty()) out << Printable(f.source_error) << "\n";
  out << "\n";
  std::vector<std::vector<std::string>> rows{
      {"SERVICE", "REVISION", "DESIRED", "RUNNING", "HEALTHY", "PENDING", "DEPLOYMENT"}};
  for (const auto& s : f.services) {
    rows.push_back({s.service, RevisionsText(s), s.in_source ? std::to_string(s.desired) : "-",
                    std::to_string(s.running), std::to_string(s.healthy), std::to_string(s.pending),
                    s.deployment});
  }
  out << Table(rows);
  for (const auto& s : f.services) out << RetiredNote(s);
  for (const auto& h : f.hosts) {
    out << "\n" << Printable(h.host) << ":";
    if (!h.reachable) {
      out << " unreachable: " << Printable(h.error) << "\n";
      continue;
    }
    out << (h.tasks.empty() && h.retired.empty() ? " no tasks\n" : "\n");
    std::vector<std::vector<std::string>> tasks;  // an empty first column indents by 2
    for (const auto& t : h.tasks) {
      std::vector<std::string> row = {"", t.service + "/" + t.task_id, t.revision.substr(0, 8),
                                      t.status};
      if (std::string ids = ShortImageIds(t.image_ids); !ids.empty()) row.push_back(ids);
      std::string where;
      for (const auto& tt : t.targets) {
        where += (where.empty() ? "" : ", ") + tt.group + " " + tt.address + ":" +
                 std::to_string(tt.port) + " " + tt.state;
      }
      if (!where.empty()) row.push_back(where);
      tasks.push_back(std::move(row));
    }
    for (const auto& t : h.retired) tasks.push_back(RetiredRow(t));
    out << Table(tasks);
  }
  if (!f.target_groups.empty()) {
    std::vector<std::vector<std::string>> groups{
        {"TARGET GROUP", "BALANCER", "BACKEND", "TARGETS", "HEALTHY"}};
    for (const auto& g : f.target_groups) {
      groups.push_back({g.group, g.balancer, g.backend,
                        g.reachable ? std::to_string(g.targets) : "-",
                        g.reachable ? std::to_string(g.healthy) : "unreachable: " + g.error});
    }
    out << "\n" << Table(groups);
  }
  return out.str();
}

nlohmann::ordered_json StatusJson(const status::FleetStatus& f) {
  nlohmann::ordered_json j;
  j["cluster"] = f.cluster;
  if (!f.source_error.empty()) j["sourceError"] = f.source_error;
  j["services"] = nlohmann::ordered_json::array();
  for (const auto& s : f.services) {
    j["services"].push_back({{"service", s.service},
                             {"inSource", s.in_source},
                             {"revision", s.revision},
                             {"runningRevisions", s.running_revisions},
                             {"schedulingStrategy", s.scheduling_strategy},
                             {"desired", s.desired},
                             {"running", s.running},
                             {"healthy", s.healthy},
                             {"pending", s.pending},
                             {"deployment", s.deployment},
                             {"stopping", s.stopping},
                             {"stoppingDeadline", s.stopping_deadline},
                             {"retiredExited", s.retired_exited}});
  }
  j["hosts"] = nlohmann::ordered_json::array();
  for (const auto& h : f.hosts) {
    nlohmann::ordered_json hj{{"host", h.host}, {"reachable", h.reachable}, {"state", h.state}};
    if (!h.reachable) hj["error"] = h.error;
    auto resources = [](const model::Resources& r) {
      return nlohmann::ordered_json{{"cpu", r.cpu}, {"memory", r.memory}};
    };
    if (h.reachable) {
      hj["capacity"] = resources(h.capacity);
      hj["reserved"] = resources(h.reserved);
      hj["used"] = resources(h.used);
    }
    hj["tasks"] = nlohmann::ordered_json::array();
    for (const auto& t : h.tasks) {
      nlohmann::ordered_json tj{{"service", t.service},
                                {"task", t.task_id},
                                {"revision", t.revision},
                                {"status", t.status},
                                {"imageIds", t.image_ids}};
      if (!t.targets.empty()) {
        tj["targets"] = nlohmann::ordered_json::array();
        for (const auto& tt : t.targets) {
          tj["targets"].push_back({{"targetGroup", tt.group},
                                   {"address", tt.address},
                                   {"port", tt.port},
                                   {"state", tt.state},
                                   {"health", tt.health}});
        }
      }
      hj["tasks"].push_back(std::move(tj));
    }
    hj["retired"] = nlohmann::ordered_json::array();
    for (const auto& t : h.retired) {
      hj["retired"].push_back({{"service", t.service},
                               {"task", t.task_id},
                               {"running", t.running},
                               {"deadline", t.deadline}});
    }
    j["hosts"].push_back(std::move(hj));
  }
  if (!f.target_groups.empty()) {
    j["targetGroups"] = nlohmann::ordered_json::array();
    for (const auto& g : f.target_groups) {
      nlohmann::ordered_json gj{{"targetGroup", g.group},
                                {"loadBalancer", g.balancer},
                                {"backend", g.backend},
                                {"reachable", g.reachable}};
      if (!g.reachable) gj["error"] = g.error;
      gj["targets"] = g.targets;
      gj["healthy"] = g.healthy;
      j["targetGroups"].push_back(std::move(gj));
    }
  }
  return j;
}

}  // namespace stowage::render
