// Status and Result<T>: how expected failures travel in stowage.
//
// Bad input, unreachable hosts, HTTP and engine errors are values, never
// exceptions across a module boundary (leveldb-style). A Status is either OK
// or carries a Code and a human message; Result<T> is a T or a failed Status.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace stowage {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalid,      // bad input (documents, arguments, plan files)
    kNotFound,     // container, image, file, family ... does not exist
    kConflict,     // name already in use, lock held, stale plan
    kUnreachable,  // host/engine/remote did not answer or refused the connection
    kTimeout,      // an operation exceeded its deadline
    kEngine,       // the engine answered with an error; message is the engine's
    kIo,           // local file or system error
    kCancelled,    // stopped by a signal or a caller
    kInternal,     // a bug: should not happen
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Unreachable(std::string msg) { return Status(Code::kUnreachable, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }
  static Status Engine(std::string msg) { return Status(Code::kEngine, std::move(msg)); }
  static Status Io(std::string msg) { return Status(Code::kIo, std::move(msg)); }
  static Status Cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "unreachable: connect to /run/x.sock: No such file" style, or "ok".
  std::string ToString() const;
  static const char* CodeName(Code code);

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace stowage
