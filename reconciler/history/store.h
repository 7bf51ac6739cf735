// The deploy history store: records kept on the engines themselves.
//
// Like the cluster lock (apply/lock.h) there is no state file: each record is
// a created-never-started container named stowage-history.<cluster>.<id>,
// labelled io.stowage.history=<cluster> (never io.stowage.cluster, so the
// planner does not see it) and carrying the encoded record (record.h) in
// io.stowage.history.record. WriteRecord puts one on every reachable host and
// keeps the newest `keep` there (the record containers use the lock's own
// image, apply/lock_image.h, imported when missing); ReadHistory reads every reachable host and
// merges (deduplicated by record id, newest first), so the history survives a
// lost host, a restarted watcher and a fresh CI runner alike. Records that do
// not decode (edited by hand, too large) are skipped and counted.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "history/record.h"
#include "model/cluster.h"
#include "runtime/runtime.h"

namespace stowage::history {

inline constexpr int kDefaultKeep = 50;

struct StoreOptions {
  int keep = kDefaultKeep;  // records each host keeps
};

struct WriteReport {
  std::vector<std::string> written;  // hosts that hold the record now
  std::vector<std::string> skipped;  // "h2: <why>"
};

// Writes `record` to every reachable host of `cluster`, then removes that
// host's oldest records beyond options.keep. Fails only when no host took it.
Result<WriteReport> WriteRecord(const model::Cluster& cluster, runtime::RuntimeFactory& runtimes,
                                const Record& record, const StoreOptions& options);

struct History {
  std::vector<Record> records;       // newest first (time, then id), at most `keep`
  std::vector<std::string> skipped;  // hosts that did not answer, "h2: <why>"
  int invalid = 0;                   // record containers that did not decode
};

// Reads and merges the records of every reachable host. kUnreachable when no
// host answers.
Result<History> ReadHistory(const model::Cluster& cluster, runtime::RuntimeFactory& runtimes,
                            int keep = kDefaultKeep);

// Merges record lists: one per id (the first seen), newest first, at most `keep`.
std::vector<Record> MergeRecords(std::vector<Record> records, int keep);

}  // namespace stowage::history
