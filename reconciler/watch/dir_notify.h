// DirectoryNotifier: tells the watcher at once when a directory source changes.
//
// `stowage watch DIR` re-reads the directory every --interval; this module
// adds Linux inotify on top so an edit is deployed within a moment instead of
// at the next poll. It watches the root and every folder below it that is not
// hidden (folders created later are added as they appear), and when a
// document (*.json, *.yaml, *.yml) or a folder is written, created, moved or
// deleted it waits for a quiet period (an editor's save is several events),
// then calls `on_change` once; the watcher then fetches, i.e. re-reads the
// directory and compares its content hash. Polling stays as the fallback for
// what inotify cannot see (network file systems, a full event queue).
// One thread; Stop() (or the destructor) joins it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "base/status.h"

namespace stowage::watch {

class DirectoryNotifier {
 public:
  DirectoryNotifier(std::string root, std::function<void()> on_change,
                    std::chrono::milliseconds quiet = std::chrono::milliseconds(200));
  ~DirectoryNotifier();
  DirectoryNotifier(const DirectoryNotifier&) = delete;
  DirectoryNotifier& operator=(const DirectoryNotifier&) = delete;

  // Sets up the watches and starts the thread; an error (no inotify, too many
  // watches) leaves the watcher polling.
  Status Start();
  void Stop();

 private:
  void Run();
  // Reads the pending events; true when one of them is a change to the source.
  bool Drain();
  Status AddTree(const std::string& dir);

  std::string root_;
  std::function<void()> on_change_;
  std::chrono::milliseconds quiet_;
  int fd_ = -1;
  std::map<int, std::string> dirs_;  // watch descriptor -> folder
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace stowage::watch
