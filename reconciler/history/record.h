// The deploy history's record: what one apply did, in a form small enough to
// travel as one container label.
//
// Every apply (`stowage apply`, CI, `stowage watch`, `stowage rollback`)
// leaves one Record: when, by whom, from which source revision (a commit with
// its author and subject, or a directory's digest), what happened to each
// service it changed (task definition revision before and after) and the
// outcome with its reason. EncodeRecord writes compact JSON bounded to
// kMaxRecordBytes (long texts are cut, services past kMaxServices are only
// counted). DecodeRecord reads one back from an engine, where anyone with
// docker access may have written anything: every field is type-checked,
// length-bounded and character-checked, and a record that fails is an error
// value (the caller skips it), never an exception. The store (store.h) keeps
// records on the engines; nothing here talks to one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace stowage::history {

inline constexpr std::size_t kMaxRecordBytes = 6144;
inline constexpr std::size_t kMaxServices = 40;
inline constexpr std::size_t kMaxText = 200;  // reason, subject, author
inline constexpr std::size_t kMaxName = 255;  // service names (ECS limit), who

// How an apply ended, for the whole cluster.
enum class Outcome { kConverged, kRolledBack, kFailed, kBlocked };
const char* OutcomeName(Outcome o);  // "converged", "rolled back", "failed", "blocked"

struct ServiceChange {
  std::string service;
  std::string before;  // task definition revision that ran (short), "" none
  std::string after;   // revision running after the apply (short), "" removed
  std::string target;  // revision the apply deployed (short)
  bool operator==(const ServiceChange&) const = default;
};

struct Record {
  std::string id;         // 16 lowercase hex digits, unique per apply
  std::int64_t time = 0;  // unix milliseconds (applies within one second stay ordered)
  std::string by;         // "alice@ci-1", or "watcher" (with its machine: "watcher@box")
  std::string command;    // "apply", "watch", "rollback"
  // The source revision: a commit id (git) or a directory's content digest.
  std::string revision;
  bool git = false;
  std::string author;   // git: "Name <mail>"
  std::string subject;  // git: the commit's first line
  Outcome outcome = Outcome::kConverged;
  std::string reason;  // why, for anything but converged
  // rollback: the source's newest revision when the rollback was made, which
  // stays quarantined (a watcher does not deploy it) until a newer one arrives.
  std::string head;
  std::vector<ServiceChange> services;  // the services the apply changed
  int more_services = 0;                // changed services not listed (over kMaxServices)
  bool operator==(const Record&) const = default;
};

// The revisions not to deploy again until a newer one arrives: those whose
// newest record rolled back, and those a rollback moved away from
// (record.head). A failed apply (engines, timeouts) is retried, not
// quarantined. `records` newest first.
std::vector<std::string> Quarantined(const std::vector<Record>& records);

// The newest revision that converged (or converged but for tasks it could not
// place), "" when none; a rollback's target counts once it converged.
std::string LastGood(const std::vector<Record>& records);

// A fresh record id (random).
std::string NewRecordId();

// Compact JSON, at most kMaxRecordBytes: texts are cut to their bounds first,
// then services dropped (counted in more_services) until it fits.
std::string EncodeRecord(const Record& r);

// kInvalid with what is wrong ("record: field \"t\": expected ..."), for any
// text that is not a record EncodeRecord could have written.
Result<Record> DecodeRecord(const std::string& text);

}  // namespace stowage::history
