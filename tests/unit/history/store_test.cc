#include "history/store.h"

#include <catch2/catch.hpp>

#include "model/labels.h"
#include "runtime/fake/fake_runtime.h"

namespace stowage::history {
namespace {

using runtime::fake::FakeRuntimeFactory;

constexpr const char* kImage = "stowage/busybox:1";

// A cluster whose hosts each have an engine of their own in `f`.
model::Cluster Cluster(FakeRuntimeFactory& f, std::initializer_list<const char*> hosts) {
  model::Cluster c;
  c.name = "prod";
  for (const char* h : hosts) {
    model::Host host;
    host.name = h;
    host.endpoint = "default";
    c.hosts.push_back(host);
    f.Engine(h);
  }
  return c;
}

Record At(std::int64_t time, const std::string& id, const std::string& revision = "c1") {
  Record r;
  r.id = id;
  r.time = time;
  r.by = "alice@laptop";
  r.command = "apply";
  r.revision = revision;
  return r;
}

std::vector<std::string> Ids(const std::vector<Record>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.id);
  return out;
}

}  // namespace

TEST_CASE("a record is written to every host, never started, invisible to the planner",
          "[history]") {
  FakeRuntimeFactory f;
  auto cluster = Cluster(f, {"a", "b"});
  auto rep = WriteRecord(cluster, f, At(100, "00000000000000a1"), {});
  REQUIRE(rep.ok());
  CHECK(rep->written == std::vector<std::string>{"a", "b"});
  for (const char* h : {"a", "b"}) {
    auto c = f.Engine(h)->Find("stowage-history.prod.00000000000000a1");
    REQUIRE(c);
    CHECK(c->summary.state == runtime::ContainerState::kCreated);
    CHECK(c->spec.network_mode == "none");
    CHECK(c->summary.labels.count(labels::kCluster) == 0);
    CHECK(c->summary.labels.at(labels::kHistory) == "prod");
  }
}

TEST_CASE("history merges the hosts: a host that missed a record, one that is down", "[history]") {
  FakeRuntimeFactory f;
  auto cluster = Cluster(f, {"a", "b"});
  REQUIRE(WriteRecord(cluster, f, At(100, "00000000000000a1"), {}).ok());
  f.Engine("b")->SetUnreachable(true);
  auto rep = WriteRecord(cluster, f, At(200, "00000000000000a2"), {});
  REQUIRE(rep.ok());
  CHECK(rep->written == std::vector<std::string>{"a"});
  REQUIRE(rep->skipped.size() == 1);
  CHECK(rep->skipped[0].rfind("b: ", 0) == 0);
  f.Engine("b")->SetUnreachable(false);
  f.Engine("a")->SetUnreachable(true);
  REQUIRE(WriteRecord(cluster, f, At(300, "00000000000000a3"), {}).ok());
  f.Engine("a")->SetUnreachable(false);
  auto h = ReadHistory(cluster, f);
  REQUIRE(h.ok());
  CHECK(Ids(h->records) ==
        std::vector<std::string>{"00000000000000a3", "00000000000000a2", "00000000000000a1"});
  CHECK(h->invalid == 0);
  // One host down: what the other holds.
  f.Engine("a")->SetUnreachable(true);
  h = ReadHistory(cluster, f);
  REQUIRE(h.ok());
  CHECK(Ids(h->records) == std::vector<std::string>{"00000000000000a3", "00000000000000a1"});
  CHECK(h->skipped.size() == 1);
  f.Engine("b")->SetUnreachable(true);
  CHECK(ReadHistory(cluster, f).status().message() == "history: no host of cluster prod answers");
  CHECK(WriteRecord(cluster, f, At(400, "00000000000000a4"), {}).status().code() ==
        Status::Code::kUnreachable);
}

TEST_CASE("hosts sharing one engine hold one copy", "[history]") {
  FakeRuntimeFactory f;
  auto engine = f.Engine("a");
  f.SetEngine("b", engine);
  auto cluster = Cluster(f, {"a", "b"});  // b keeps a's engine
  auto rep = WriteRecord(cluster, f, At(100, "00000000000000a1"), {});
  REQUIRE(rep.ok());
  CHECK(rep->written.size() == 2);
  CHECK(engine->Containers().size() == 1);
  auto h = ReadHistory(cluster, f);
  REQUIRE(h.ok());
  CHECK(h->records.size() == 1);
}

TEST_CASE("each host keeps the newest records only", "[history]") {
  FakeRuntimeFactory f;
  auto cluster = Cluster(f, {"a"});
  for (int i = 0; i < 7; ++i) {
    char id[17];
    std::snprintf(id, sizeof id, "%016x", i);
    REQUIRE(WriteRecord(cluster, f, At(1000 + i, id), {5}).ok());
  }
  CHECK(f.Engine("a")->Containers().size() == 5);
  auto h = ReadHistory(cluster, f, 3);
  REQUIRE(h.ok());
  CHECK(Ids(h->records) ==
        std::vector<std::string>{"0000000000000006", "0000000000000005", "0000000000000004"});
}

TEST_CASE("records edited on an engine are skipped and counted", "[history]") {
  FakeRuntimeFactory f;
  auto cluster = Cluster(f, {"a"});
  REQUIRE(WriteRecord(cluster, f, At(100, "00000000000000a1"), {}).ok());
  REQUIRE(WriteRecord(cluster, f, At(200, "00000000000000a2"), {}).ok());
  REQUIRE(f.Engine("a")
              ->SetLabel("stowage-history.prod.00000000000000a2", labels::kHistoryRecord,
                         "{\"v\":1,\"id\":\"\\u001b[2J\"}")
              .ok());
  runtime::ContainerSpec forged;
  forged.name = "forged";
  forged.image = kImage;
  forged.labels = {{labels::kHistory, "prod"}};  // no record at all
  REQUIRE(f.Engine("a")->AddContainer(forged, runtime::ContainerState::kCreated).ok());
  auto h = ReadHistory(cluster, f);
  REQUIRE(h.ok());
  CHECK(Ids(h->records) == std::vector<std::string>{"00000000000000a1"});
  CHECK(h->invalid == 2);
}

TEST_CASE("merge keeps one record per id, newest first", "[history]") {
  auto merged = MergeRecords({At(5, "000000000000000b"), At(9, "000000000000000a"),
                              At(5, "000000000000000b"), At(5, "000000000000000c")},
                             10);
  CHECK(Ids(merged) ==
        std::vector<std::string>{"000000000000000a", "000000000000000c", "000000000000000b"});
}

}  // namespace stowage::history
