#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "support/temp_dir.h"
#include "watch/dir_notify.h"

namespace stowage::watch {
namespace {

using namespace std::chrono_literals;

// Waits up to `limit` for `calls` to move past `from`; returns its value.
int WaitPast(const std::atomic<int>& calls, int from, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (calls <= from && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  return calls;
}

}  // namespace

TEST_CASE("directory notifier reports document changes once per burst", "[watch][inotify]") {
  TempDir dir;
  dir.Write("cluster.yaml", "kind: Cluster\n");
  dir.Write("services/web.yaml", "serviceName: web\n");
  std::atomic<int> calls{0};
  DirectoryNotifier notifier(
      dir.path(), [&] { ++calls; }, 50ms);
  REQUIRE(notifier.Start().ok());

  // A save: several events in a burst, one call after the quiet period.
  dir.Write("services/web.yaml", "serviceName: web\ndesiredCount: 2\n");
  dir.Write("services/web.yaml", "serviceName: web\ndesiredCount: 3\n");
  CHECK(WaitPast(calls, 0, 5s) == 1);
  std::this_thread::sleep_for(300ms);
  CHECK(calls == 1);

  // Not documents, hidden files: nothing.
  dir.Write("notes.txt", "x");
  dir.Write(".web.yaml.swp", "x");
  dir.Write("services/.hidden.yaml", "x");
  std::this_thread::sleep_for(400ms);
  CHECK(calls == 1);

  // A folder created later is watched too; a rename into place counts.
  dir.Write("apps/new/tmp.txt", "x");
  CHECK(WaitPast(calls, 1, 5s) == 2);  // the new folders themselves are a change
  std::this_thread::sleep_for(300ms);
  const int before = calls;
  std::filesystem::rename(dir.path() + "/apps/new/tmp.txt", dir.path() + "/apps/new/db.json");
  CHECK(WaitPast(calls, before, 5s) == before + 1);

  // A deletion counts.
  std::filesystem::remove(dir.path() + "/cluster.yaml");
  CHECK(WaitPast(calls, before + 1, 5s) == before + 2);
  notifier.Stop();
}

TEST_CASE("directory notifier fails to start on a missing directory", "[watch][inotify]") {
  TempDir dir;
  DirectoryNotifier notifier(dir.path() + "/missing", [] {});
  Status s = notifier.Start();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "inotify on " + dir.path() + "/missing: No such file or directory");
}

}  // namespace stowage::watch
