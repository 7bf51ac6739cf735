// `stowage hosts [SOURCE]`: the registered hosts as their engines see them.
//
// Loads the source's cluster, asks every host's engine (concurrently) for its
// info and this cluster's containers, and prints one row per host: name,
// endpoint, engine version, capacity, reserved, used by managed tasks, task
// count, attributes, and whether it answered (or the error). --json gives the
// same as data. Exit 1 when any host is unreachable; the table still prints.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/fleet.h"
#include "cli/source_options.h"
#include "diag/diagnostic.h"
#include "load/load_source.h"
#include "observe/observed.h"
#include "observe/snapshot.h"
#include "render/table.h"
#include "runtime/docker/docker_runtime.h"

namespace stowage::cli {
namespace {

using nlohmann::json;

std::string Attributes(const std::map<std::string, std::string>& attrs) {
  std::string out;
  for (const auto& [k, v] : attrs) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out.empty() ? "-" : out;
}

std::string Res(const model::Resources& r) {
  return std::to_string(r.cpu) + " cpu, " + std::to_string(r.memory) + " MiB";
}

// Capacity before `reserved` is taken off: the cluster's override or the engine's.
model::Resources Total(const observe::ObservedHost& h, const model::Host& host) {
  return {h.capacity.cpu + host.reserved.cpu, h.capacity.memory + host.reserved.memory};
}

json HostJson(const observe::ObservedHost& h, const model::Host& host) {
  json j = {{"name", host.name},
            {"endpoint", host.endpoint},
            {"reachable", h.reachable},
            {"error", h.reachable ? json(nullptr) : json(h.error.ToString())},
            {"attributes", host.attributes},
            {"reserved", {{"cpu", host.reserved.cpu}, {"memory", host.reserved.memory}}},
            {"state", model::HostStateName(host.state)}};
  if (h.reachable) {
    model::Resources total = Total(h, host);
    j["engine_version"] = h.info.engine_version;
    j["api_version"] = h.info.api_version;
    j["os"] = h.info.os;
    j["arch"] = h.info.arch;
    j["capacity"] = {{"cpu", total.cpu}, {"memory", total.memory}};
    j["used"] = {{"cpu", h.used.cpu}, {"memory", h.used.memory}};
    j["tasks"] = h.active_tasks;
  }
  return j;
}

std::vector<std::string> HostRow(const observe::ObservedHost& h, const model::Host& host) {
  if (!h.reachable) {
    return {host.name,
            host.endpoint,
            "-",
            "-",
            "-",
            Res(host.reserved),
            "-",
            "-",
            Attributes(host.attributes),
            "unreachable: " + h.error.message()};
  }
  model::Resources total = Total(h, host);
  return {host.name,
          host.endpoint,
          h.info.engine_version,
          std::to_string(total.cpu),
          std::to_string(total.memory) + " MiB",
          Res(host.reserved),
          Res(h.used),
          std::to_string(h.active_tasks),
          Attributes(host.attributes),
          "reachable"};
}

struct HostsOptions {
  SourceOptions source;
  bool json = false;
  double timeout_seconds = 10;
};

int RunHosts(const HostsOptions& opts) {
  auto source = OpenSource(opts.source);
  if (!source.ok()) return PrintError(source.status());
  load::LoadedSource loaded = load::LoadSource(**source);
  for (const auto& d : loaded.diagnostics.items()) std::cerr << FormatDiagnostic(d) << "\n";
  if (!loaded.ok()) return 1;
  const model::Cluster& cluster = loaded.state.cluster;

  runtime::docker::DockerOptions docker;
  auto timeout = std::chrono::milliseconds(static_cast<long>(opts.timeout_seconds * 1000));
  docker.http.request_timeout = timeout;
  docker.http.connect_timeout = std::min(timeout, docker.http.connect_timeout);
  docker.ssh = SshOptions(opts.source);
  runtime::docker::DockerRuntimeFactory factory(docker);
  observe::ObservedState observed = observe::ObserveFleet(loaded.state, factory);

  bool all_reachable = true;
  json hosts = json::array();
  std::vector<std::vector<std::string>> rows = {{"HOST", "ENDPOINT", "ENGINE", "CPU", "MEMORY",
                                                 "RESERVED", "USED", "TASKS", "ATTRIBUTES",
                                                 "STATUS"}};
  for (const auto& host : cluster.hosts) {
    const observe::ObservedHost* h = observed.FindHost(host.name);
    if (h == nullptr) continue;
    all_reachable = all_reachable && h->reachable;
    hosts.push_back(HostJson(*h, host));
    rows.push_back(HostRow(*h, host));
  }
  if (opts.json) {
    std::cout << json{{"cluster", cluster.name}, {"hosts", hosts}}.dump(2) << "\n";
  } else {
    std::cout << render::Table(rows);
  }
  return all_reachable ? 0 : 1;
}

}  // namespace

void AddHostsCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "hosts", "Show every registered host: engine, capacity, reserved, used, tasks, status");
  static HostsOptions opts;
  AddSourceOptions(*cmd, opts.source);
  cmd->add_flag("--json", opts.json, "Print the hosts as JSON");
  cmd->add_option("--timeout", opts.timeout_seconds, "Seconds to wait for each engine")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->footer(
      "Exit status: 0 every host answered, 1 a host is unreachable or the source is broken.");
  cmd->callback([&ctx] { ctx.exit_code = RunHosts(opts); });
}

}  // namespace stowage::cli
