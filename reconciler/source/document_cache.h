// DocumentCache: parsed documents kept by content, so only what changed is re-read.
//
// The loader parses a document once per (path, content id) — the content id is
// a git blob id or a hash of the bytes (Source::ContentId) — and keeps the
// parsed value while the document is unchanged. Sweep() after each load drops
// what the last load did not use, so memory follows the current revision.
// Parsed is whatever the loader keeps per file (documents and diagnostics).
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace stowage {

template <typename Parsed>
class DocumentCache {
 public:
  // The cached value for `path` at `content_id`, or parse() (a
  // std::shared_ptr<const Parsed>, or anything convertible) on a miss.
  template <typename ParseFn>
  std::shared_ptr<const Parsed> GetOrParse(const std::string& path, const std::string& content_id,
                                           ParseFn&& parse) {
    const std::string key = path + '\0' + content_id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        it->second.generation = generation_;
        ++hits_;
        return it->second.value;
      }
    }
    std::shared_ptr<const Parsed> value = std::forward<ParseFn>(parse)();
    std::lock_guard<std::mutex> lock(mu_);
    ++misses_;
    entries_[key] = Entry{value, generation_};
    return value;
  }

  // The cached value (marking it used), or nullptr.
  std::shared_ptr<const Parsed> Find(const std::string& path, const std::string& content_id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(path + '\0' + content_id);
    if (it == entries_.end()) {
      ++misses_;
      return nullptr;
    }
    it->second.generation = generation_;
    ++hits_;
    return it->second.value;
  }

  void Put(const std::string& path, const std::string& content_id,
           std::shared_ptr<const Parsed> value) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[path + '\0' + content_id] = Entry{std::move(value), generation_};
  }

  // Forgets every entry not used since the previous Sweep().
  void Sweep() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.generation == generation_ ? std::next(it) : entries_.erase(it);
    }
    ++generation_;
  }

  std::size_t hits() const { return Locked(hits_); }
  std::size_t misses() const { return Locked(misses_); }
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<const Parsed> value;
    std::uint64_t generation = 0;
  };
  std::size_t Locked(const std::size_t& counter) const {
    std::lock_guard<std::mutex> lock(mu_);
    return counter;
  }

  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
};

}  // namespace stowage
