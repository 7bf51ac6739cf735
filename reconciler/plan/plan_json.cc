#include "plan/plan_json.h"

#include <fstream>
#include <set>
#include <sstream>

#include "model/service.h"

namespace stowage::plan {

using Json = nlohmann::ordered_json;

// ---- writing -------------------------------------------------------------------------

namespace {

Json ActionToJson(const TaskAction& a) {
  Json j;
  j["type"] = ActionTypeName(a.type);
  j["host"] = a.host;
  j["task_id"] = a.task_id;
  j["revision"] = a.revision;
  j["reason"] = a.reason;
  if (!a.replaces.empty()) j["replaces"] = a.replaces;
  return j;
}

Json DeploymentToJson(const Deployment& d) {
  Json j;
  j["from_revision"] = d.from_revision;
  j["to_revision"] = d.to_revision;
  j["min_healthy"] = d.min_healthy;
  j["max_running"] = d.max_running;
  j["circuit_breaker"] = d.circuit_breaker;
  j["failure_threshold"] = d.failure_threshold;
  j["rollback"] = d.rollback;
  return j;
}

Json ChangeToJson(const FieldChange& c) {
  Json j;
  j["op"] = ChangeOpName(c.op);
  j["path"] = c.path;
  if (c.sensitive) j["sensitive"] = true;
  if (!c.before.is_null()) j["before"] = c.before;
  if (!c.after.is_null()) j["after"] = c.after;
  return j;
}

Json ServiceToJson(const ServicePlan& s) {
  Json j;
  j["service"] = s.service;
  j["family"] = s.family;
  j["revision"] = s.revision;
  j["scheduling_strategy"] = s.scheduling_strategy;
  j["desired"] = s.desired;
  j["running"] = s.running;
  if (s.deployment) j["deployment"] = DeploymentToJson(*s.deployment);
  j["steps"] = Json::array();
  for (const auto& step : s.steps) {
    Json js;
    js["min_healthy"] = step.min_healthy;
    js["max_running"] = step.max_running;
    js["actions"] = Json::array();
    for (const auto& a : step.actions) js["actions"].push_back(ActionToJson(a));
    j["steps"].push_back(std::move(js));
  }
  j["blocked"] = Json::array();
  for (const auto& b : s.blocked)
    j["blocked"].push_back({{"count", b.count}, {"reasons", b.reasons}});
  j["compared_with"] = ComparedWithName(s.compared_with);
  j["changes"] = Json::array();
  for (const auto& c : s.changes) j["changes"].push_back(ChangeToJson(c));
  j["drift"] = Json::array();
  for (const auto& d : s.drift) {
    j["drift"].push_back({{"host", d.host}, {"task_id", d.task_id}, {"what", d.what}});
  }
  return j;
}

Json OrderToJson(const ReleaseOrder& order) {
  Json j;
  j["waves"] = Json::array();
  for (const auto& wave : order.waves) j["waves"].push_back(wave);
  j["gates"] = Json::array();
  for (const auto& g : order.gates) {
    Json jg;
    jg["service"] = g.service;
    jg["kind"] = GateKindName(g.kind);
    jg["on"] = g.on;
    jg["condition"] = g.condition;
    if (!g.revision.empty()) jg["revision"] = g.revision;
    jg["waits"] = g.waits;
    if (!g.why.empty()) jg["why"] = g.why;
    j["gates"].push_back(std::move(jg));
  }
  return j;
}

Json MovesToJson(const std::vector<TargetMove>& moves) {
  Json out = Json::array();
  for (const auto& m : moves) {
    Json jm{{"name", m.name}, {"service", m.service}, {"task", m.task_id}, {"host", m.host}};
    // A task the plan starts has no address yet.
    jm["address"] = m.address.empty() ? Json() : Json(m.address);
    jm["port"] = m.address.empty() ? Json() : Json(m.port);
    jm["reason"] = m.reason;
    out.push_back(std::move(jm));
  }
  return out;
}

Json TargetsToJson(const std::vector<TargetGroupPlan>& groups) {
  Json out = Json::array();
  for (const auto& g : groups) {
    Json jg{{"balancer", g.balancer}, {"group", g.group}, {"backend", g.backend}};
    jg["register"] = MovesToJson(g.register_targets);
    jg["deregister"] = MovesToJson(g.deregister_targets);
    if (!g.error.empty()) jg["error"] = g.error;
    out.push_back(std::move(jg));
  }
  return out;
}

}  // namespace

Json PlanToJson(const Plan& plan) {
  Json j;
  j["format_version"] = plan.format_version;
  j["cluster"] = plan.cluster;
  j["source"] = {{"dir", plan.source.dir},
                 {"repo", plan.source.repo},
                 {"ref", plan.source.ref},
                 {"path", plan.source.path},
                 {"template_values", plan.source.template_values}};
  j["source_revision"] = plan.source_revision;
  j["state_fingerprint"] = plan.state_fingerprint;
  j["host_fingerprints"] = Json::object();
  for (const auto& [host, fp] : plan.host_fingerprints) j["host_fingerprints"][host] = fp;
  j["warnings"] = plan.warnings;
  j["errors"] = plan.errors;
  j["services"] = Json::array();
  for (const auto& s : plan.services) j["services"].push_back(ServiceToJson(s));
  j["order"] = OrderToJson(plan.order);
  j["targets"] = TargetsToJson(plan.targets);
  j["summary"] = {{"to_start", plan.summary.to_start},
                  {"to_stop", plan.summary.to_stop},
                  {"to_replace", plan.summary.to_replace},
                  {"blocked_services", plan.summary.blocked_services}};
  return j;
}

std::string PlanToJsonText(const Plan& plan) { return PlanToJson(plan).dump(2) + "\n"; }

// ---- reading -------------------------------------------------------------------------

namespace {

const char* TypeName(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number_integer()) return "an integer";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

// Reads one JSON object strictly. The first problem is kept in `*error`;
// after it every read is a no-op returning a default.
class ObjectReader {
 public:
  ObjectReader(const Json& j, std::string path, Status* error)
      : j_(j), path_(std::move(path)), error_(error) {
    if (!j_.is_object()) Fail(path_, std::string("expected an object, got ") + TypeName(j_));
  }

  bool Has(const char* key) const { return ok() && j_.contains(key); }
  // Any JSON value, or null when absent.
  nlohmann::json Any(const char* key) {
    seen_.insert(key);
    auto it = j_.find(key);
    return ok() && it != j_.end() ? nlohmann::json(*it) : nlohmann::json();
  }

  const Json* Field(const char* key, bool (Json::*is)() const noexcept, const char* what) {
    if (!ok()) return nullptr;
    seen_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end()) {
      Fail(Path(key), "missing");
      return nullptr;
    }
    if (!((*it).*is)()) {
      Fail(Path(key), std::string("expected ") + what + ", got " + TypeName(*it));
      return nullptr;
    }
    return &*it;
  }

  std::string String(const char* key) {
    const Json* v = Field(key, &Json::is_string, "a string");
    return v ? v->get<std::string>() : std::string();
  }
  int Int(const char* key, int min = 0) {
    const Json* v = Field(key, &Json::is_number_integer, "an integer");
    if (!v) return 0;
    auto n = v->get<long long>();
    if (n < min || n > 1'000'000'000) {
      Fail(Path(key), "expected an integer >= " + std::to_string(min) + ", got " + v->dump());
      return 0;
    }
    return static_cast<int>(n);
  }
  // A string naming one value of an enum (`parse` knows the names).
  template <typename E>
  E Enum(const char* key, std::optional<E> (*parse)(const std::string&), const char* one_of) {
    std::string name = String(key);
    if (!ok()) return E{};
    auto value = parse(name);
    if (!value)
      Fail(Path(key), std::string("expected one of ") + one_of + ", got \"" + name + "\"");
    return value.value_or(E{});
  }
  bool Bool(const char* key) {
    const Json* v = Field(key, &Json::is_boolean, "a boolean");
    return v && v->get<bool>();
  }
  std::vector<std::string> Strings(const char* key) {
    std::vector<std::string> out;
    const Json* v = Field(key, &Json::is_array, "an array");
    if (!v) return out;
    for (size_t i = 0; i < v->size() && ok(); ++i) {
      const Json& e = (*v)[i];
      if (!e.is_string()) {
        Fail(Path(key) + "[" + std::to_string(i) + "]",
             std::string("expected a string, got ") + TypeName(e));
      } else {
        out.push_back(e.get<std::string>());
      }
    }
    return out;
  }
  // An object of strings (name -> string).
  std::map<std::string, std::string> StringMap(const char* key) {
    std::map<std::string, std::string> out;
    const Json* v = Field(key, &Json::is_object, "an object");
    if (!v) return out;
    for (auto it = v->begin(); it != v->end() && ok(); ++it) {
      if (!it->is_string()) {
        Fail(Path(key) + "." + it.key(), std::string("expected a string, got ") + TypeName(*it));
      } else {
        out.emplace(it.key(), it->get<std::string>());
      }
    }
    return out;
  }
  // Calls read(element, element_path) for each element of the array `key`.
  template <typename F>
  void Each(const char* key, F read) {
    const Json* v = Field(key, &Json::is_array, "an array");
    if (!v) return;
    for (size_t i = 0; i < v->size() && ok(); ++i) {
      read((*v)[i], Path(key) + "[" + std::to_string(i) + "]");
    }
  }
  // Reports the first key that was never read.
  void Finish() {
    if (!ok()) return;
    for (const auto& [key, value] : j_.items()) {
      if (!seen_.count(key)) {
        Fail(Path(key.c_str()), "unknown field");
        return;
      }
    }
  }

  std::string Path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  void Fail(const std::string& path, const std::string& message) {
    if (ok()) *error_ = Status::Invalid(path.empty() ? message : path + ": " + message);
  }
  bool ok() const { return error_->ok(); }

 private:
  const Json& j_;
  std::string path_;
  Status* error_;
  std::set<std::string> seen_;
};

TaskAction ReadAction(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  TaskAction a;
  a.type = r.Enum("type", ParseActionType, "start, stop, remove");
  a.host = r.String("host");
  a.task_id = r.String("task_id");
  a.revision = r.String("revision");
  a.reason = r.String("reason");
  if (r.Has("replaces")) a.replaces = r.String("replaces");
  if (r.ok() && a.task_id.empty()) r.Fail(r.Path("task_id"), "must not be empty");
  if (r.ok() && a.host.empty()) r.Fail(r.Path("host"), "must not be empty");
  r.Finish();
  return a;
}

FieldChange ReadChange(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  FieldChange c;
  c.op = r.Enum("op", ParseChangeOp, "add, change, remove");
  c.path = r.String("path");
  if (r.Has("sensitive")) c.sensitive = r.Bool("sensitive");
  c.before = r.Any("before");
  c.after = r.Any("after");
  if (r.ok() && c.sensitive && !(c.before.is_null() && c.after.is_null())) {
    r.Fail(path, "a sensitive change carries no values");
  }
  r.Finish();
  return c;
}

Deployment ReadDeployment(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  Deployment d;
  d.from_revision = r.String("from_revision");
  d.to_revision = r.String("to_revision");
  d.min_healthy = r.Int("min_healthy");
  d.max_running = r.Int("max_running");
  d.circuit_breaker = r.Bool("circuit_breaker");
  d.failure_threshold = r.Int("failure_threshold");
  d.rollback = r.Bool("rollback");
  r.Finish();
  return d;
}

ServicePlan ReadService(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  ServicePlan s;
  s.service = r.String("service");
  s.family = r.String("family");
  s.revision = r.String("revision");
  s.scheduling_strategy = r.String("scheduling_strategy");
  if (r.ok() && s.scheduling_strategy != "REPLICA" && s.scheduling_strategy != "DAEMON") {
    r.Fail(r.Path("scheduling_strategy"),
           "expected REPLICA or DAEMON, got \"" + s.scheduling_strategy + "\"");
  }
  s.desired = r.Int("desired");
  s.running = r.Int("running");
  if (r.Has("deployment")) {
    s.deployment = ReadDeployment(*r.Field("deployment", &Json::is_object, "an object"),
                                  r.Path("deployment"), error);
  }
  r.Each("steps", [&](const Json& js, const std::string& step_path) {
    ObjectReader rs(js, step_path, error);
    DeploymentStep step;
    step.min_healthy = rs.Int("min_healthy");
    step.max_running = rs.Int("max_running");
    rs.Each("actions", [&](const Json& ja, const std::string& action_path) {
      step.actions.push_back(ReadAction(ja, action_path, error));
    });
    rs.Finish();
    s.steps.push_back(std::move(step));
  });
  r.Each("blocked", [&](const Json& jb, const std::string& blocked_path) {
    ObjectReader rb(jb, blocked_path, error);
    BlockedTask b;
    b.count = rb.Int("count", 1);
    b.reasons = rb.Strings("reasons");
    rb.Finish();
    s.blocked.push_back(std::move(b));
  });
  s.compared_with = r.Enum("compared_with", ParseComparedWith, "running, nothing, unrecorded");
  r.Each("changes", [&](const Json& jc, const std::string& change_path) {
    s.changes.push_back(ReadChange(jc, change_path, error));
  });
  r.Each("drift", [&](const Json& jd, const std::string& drift_path) {
    ObjectReader rd(jd, drift_path, error);
    DriftNote d;
    d.host = rd.String("host");
    d.task_id = rd.String("task_id");
    d.what = rd.String("what");
    rd.Finish();
    s.drift.push_back(std::move(d));
  });
  r.Finish();
  return s;
}

DependencyGate ReadGate(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  DependencyGate g;
  g.service = r.String("service");
  g.kind = r.Enum("kind", ParseGateKind, "service, task");
  g.on = r.String("on");
  g.condition = r.String("condition");
  if (r.ok() && !model::ParseServiceCondition(g.condition)) {
    r.Fail(r.Path("condition"),
           "expected one of STARTED, HEALTHY, COMPLETE, SUCCESS, got \"" + g.condition + "\"");
  }
  if (r.Has("revision")) g.revision = r.String("revision");
  g.waits = r.Bool("waits");
  if (r.Has("why")) g.why = r.String("why");
  r.Finish();
  return g;
}

ReleaseOrder ReadOrder(const Json& j, Status* error) {
  ObjectReader r(j, "order", error);
  ReleaseOrder order;
  r.Each("waves", [&](const Json& jw, const std::string& wave_path) {
    if (!jw.is_array()) {
      r.Fail(wave_path, std::string("expected an array, got ") + TypeName(jw));
      return;
    }
    order.waves.emplace_back();
    for (size_t i = 0; i < jw.size() && r.ok(); ++i) {
      if (!jw[i].is_string()) {
        r.Fail(wave_path + "[" + std::to_string(i) + "]",
               std::string("expected a string, got ") + TypeName(jw[i]));
      } else {
        order.waves.back().push_back(jw[i].get<std::string>());
      }
    }
  });
  r.Each("gates", [&](const Json& jg, const std::string& gate_path) {
    order.gates.push_back(ReadGate(jg, gate_path, error));
  });
  r.Finish();
  return order;
}

TargetMove ReadMove(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  TargetMove m;
  m.name = r.String("name");
  m.service = r.String("service");
  m.task_id = r.String("task");
  m.host = r.String("host");
  const nlohmann::json address = r.Any("address");
  const nlohmann::json port = r.Any("port");
  if (address.is_string() && port.is_number_integer()) {
    m.address = address.get<std::string>();
    m.port = port.get<int>();
  } else if (!address.is_null() || !port.is_null()) {
    r.Fail(r.Path("address"), "expected a string and an integer port, or both null");
  }
  m.reason = r.String("reason");
  if (r.ok() && m.name.empty()) r.Fail(r.Path("name"), "must not be empty");
  r.Finish();
  return m;
}

TargetGroupPlan ReadTargetGroup(const Json& j, const std::string& path, Status* error) {
  ObjectReader r(j, path, error);
  TargetGroupPlan g;
  g.balancer = r.String("balancer");
  g.group = r.String("group");
  g.backend = r.String("backend");
  r.Each("register", [&](const Json& jm, const std::string& p) {
    g.register_targets.push_back(ReadMove(jm, p, error));
  });
  r.Each("deregister", [&](const Json& jm, const std::string& p) {
    g.deregister_targets.push_back(ReadMove(jm, p, error));
  });
  if (r.Has("error")) g.error = r.String("error");
  r.Finish();
  return g;
}

std::string SummaryText(const PlanSummary& s) {
  std::ostringstream out;
  out << s.to_start << " to start, " << s.to_stop << " to stop, " << s.to_replace << " to replace, "
      << s.blocked_services << " blocked";
  return out.str();
}

}  // namespace

Result<Plan> PlanFromJson(const Json& json) {
  Status error;
  ObjectReader r(json, "", &error);
  Plan plan;
  plan.format_version = r.Int("format_version");
  if (r.ok() && plan.format_version != kPlanFormatVersion) {
    return Status::Invalid("format_version: unsupported plan format " +
                           std::to_string(plan.format_version) + " (this stowage reads " +
                           std::to_string(kPlanFormatVersion) + ")");
  }
  plan.cluster = r.String("cluster");
  if (const Json* src = r.Field("source", &Json::is_object, "an object")) {
    ObjectReader rs(*src, "source", &error);
    plan.source.dir = rs.String("dir");
    plan.source.repo = rs.String("repo");
    plan.source.ref = rs.String("ref");
    plan.source.path = rs.String("path");
    plan.source.template_values = rs.StringMap("template_values");
    rs.Finish();
    if (error.ok() && !plan.source.dir.empty() && !plan.source.repo.empty()) {
      return Status::Invalid("source: expected at most one of dir and repo");
    }
  }
  plan.source_revision = r.String("source_revision");
  plan.state_fingerprint = r.String("state_fingerprint");
  if (r.Has("host_fingerprints")) {
    const Json* hf = r.Field("host_fingerprints", &Json::is_object, "an object");
    if (hf == nullptr) return Status::Invalid("host_fingerprints: expected an object");
    for (auto it = hf->begin(); it != hf->end(); ++it) {
      if (!it->is_string()) {
        return Status::Invalid("host_fingerprints." + it.key() + ": expected a string");
      }
      plan.host_fingerprints.emplace_back(it.key(), it->get<std::string>());
    }
  }
  plan.warnings = r.Strings("warnings");
  plan.errors = r.Strings("errors");
  r.Each("services", [&](const Json& js, const std::string& path) {
    plan.services.push_back(ReadService(js, path, &error));
  });
  if (const Json* order = r.Field("order", &Json::is_object, "an object")) {
    plan.order = ReadOrder(*order, &error);
  }
  r.Each("targets", [&](const Json& jg, const std::string& path) {
    plan.targets.push_back(ReadTargetGroup(jg, path, &error));
  });
  if (r.Has("summary")) {
    ObjectReader rs(*r.Field("summary", &Json::is_object, "an object"), "summary", &error);
    plan.summary.to_start = rs.Int("to_start");
    plan.summary.to_stop = rs.Int("to_stop");
    plan.summary.to_replace = rs.Int("to_replace");
    plan.summary.blocked_services = rs.Int("blocked_services");
    rs.Finish();
  } else {
    r.Field("summary", &Json::is_object, "an object");  // reports it missing
  }
  r.Finish();
  if (!error.ok()) return error;
  PlanSummary expect = ComputeSummary(plan.services);
  if (SummaryText(expect) != SummaryText(plan.summary)) {
    return Status::Invalid("summary: says " + SummaryText(plan.summary) +
                           " but the actions add up to " + SummaryText(expect));
  }
  return plan;
}

Result<Plan> ParsePlanJson(std::string_view text) {
  Json json;
  try {
    json = Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann gives a byte offset; turn it into line:column.
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    int line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return Status::Invalid(std::to_string(line) + ":" + std::to_string(column) +
                           ": not valid JSON");
  }
  return PlanFromJson(json);
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open the plan file");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto plan = ParsePlanJson(buf.str());
  if (!plan.ok()) return Status(plan.status().code(), path + ": " + plan.status().message());
  return plan;
}

}  // namespace stowage::plan
