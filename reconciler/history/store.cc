#include "history/store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "apply/lock_image.h"
#include "model/labels.h"
#include "util/printable.h"

namespace stowage::history {
namespace {

std::int64_t TimeOf(const runtime::ContainerSummary& c) {
  auto it = c.labels.find(labels::kHistoryTime);
  std::int64_t t = 0;
  if (it != c.labels.end()) {
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), t);
  }
  return t;
}

runtime::ContainerSpec RecordSpec(const std::string& cluster, const Record& r) {
  runtime::ContainerSpec s;
  s.name = labels::HistoryContainerName(cluster, r.id);
  s.image = apply::kLockImage;
  s.cmd = {"true"};
  s.network_mode = "none";
  s.labels = {{labels::kHistory, cluster},
              {labels::kHistoryId, r.id},
              {labels::kHistoryTime, std::to_string(r.time)},
              {labels::kHistoryRecord, EncodeRecord(r)}};
  return s;
}

// Removes the host's oldest record containers beyond `keep`.
void Prune(runtime::Runtime& rt, const std::string& cluster, int keep) {
  auto list = rt.List({{labels::kHistory, cluster}});
  if (!list.ok() || static_cast<int>(list->size()) <= keep) return;
  std::sort(list->begin(), list->end(), [](const auto& a, const auto& b) {
    auto ta = TimeOf(a), tb = TimeOf(b);
    return ta != tb ? ta > tb : a.name > b.name;
  });
  for (std::size_t i = static_cast<std::size_t>(keep); i < list->size(); ++i) {
    (void)rt.Remove((*list)[i].id, true);
  }
}

Status WriteOn(runtime::Runtime& rt, const runtime::ContainerSpec& spec) {
  if (auto st = rt.ImportImage(apply::kLockImage, apply::LockImageTar()); !st.ok()) return st;
  auto id = rt.Create(spec);
  // A conflict: hosts sharing one engine, the record is there already.
  if (!id.ok() && id.status().code() != Status::Code::kConflict) return id.status();
  return Status::Ok();
}

}  // namespace

Result<WriteReport> WriteRecord(const model::Cluster& cluster, runtime::RuntimeFactory& runtimes,
                                const Record& record, const StoreOptions& options) {
  WriteReport report;
  auto spec = RecordSpec(cluster.name, record);
  for (const auto& h : cluster.hosts) {
    auto rt = runtimes.Connect(h);
    Status st = rt.ok() ? WriteOn(**rt, spec) : rt.status();
    if (!st.ok()) {
      report.skipped.push_back(h.name + ": " + st.message());
      continue;
    }
    Prune(**rt, cluster.name, std::max(1, options.keep));
    report.written.push_back(h.name);
  }
  if (report.written.empty()) {
    std::string why = report.skipped.empty() ? "no hosts" : report.skipped.front();
    return Status::Unreachable("history: no host of cluster " + cluster.name +
                               " took the record (" + why + ")");
  }
  return report;
}

std::vector<Record> MergeRecords(std::vector<Record> records, int keep) {
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return a.time != b.time ? a.time > b.time : a.id > b.id;
  });
  std::vector<Record> out;
  std::set<std::string> seen;
  for (auto& r : records) {
    if (static_cast<int>(out.size()) >= keep) break;
    if (seen.insert(r.id).second) out.push_back(std::move(r));
  }
  return out;
}

Result<History> ReadHistory(const model::Cluster& cluster, runtime::RuntimeFactory& runtimes,
                            int keep) {
  History h;
  std::vector<Record> all;
  bool any = false;
  for (const auto& host : cluster.hosts) {
    auto rt = runtimes.Connect(host);
    auto list = rt.ok() ? (*rt)->List({{labels::kHistory, cluster.name}})
                        : Result<std::vector<runtime::ContainerSummary>>(rt.status());
    if (!list.ok()) {
      h.skipped.push_back(host.name + ": " + list.status().message());
      continue;
    }
    any = true;
    for (const auto& c : *list) {
      auto it = c.labels.find(labels::kHistoryRecord);
      auto r = it == c.labels.end() ? Result<Record>(Status::Invalid("record: label missing"))
                                    : DecodeRecord(it->second);
      if (!r.ok()) {
        ++h.invalid;
        spdlog::debug("history: host {}: container {} skipped: {}", host.name,
                      Printable(c.name.substr(0, 128)), r.status().message());
        continue;
      }
      all.push_back(std::move(*r));
    }
  }
  if (!any) {
    return Status::Unreachable("history: no host of cluster " + cluster.name + " answers");
  }
  h.records = MergeRecords(std::move(all), keep);
  return h;
}

}  // namespace stowage::history
