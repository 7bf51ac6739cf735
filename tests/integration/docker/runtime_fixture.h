// Shared set-up of the DockerRuntime integration tests: the harness's engines,
// a runtime per engine, a label unique to the test, and removal (by id) of every
// container the test created, even when an assertion fails.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "runtime/docker/docker_runtime.h"
#include "support/test_engines.h"

namespace stowage::testing {

class EngineFixture {
 public:
  EngineFixture() {
    auto env = TestEnginesFromEnv();
    if (!env) FAIL("STOWAGE_TEST_ENGINES is not set: run through ctest -L docker");
    engines_ = *env;
    cluster_ = "it-" + std::to_string(getpid()) + "-" + std::to_string(counter_++);
  }
  ~EngineFixture() {
    for (auto& [rt, id] : created_) (void)rt->Remove(id, true);
  }

  std::shared_ptr<runtime::Runtime> Engine(size_t i, runtime::docker::DockerOptions opts = {}) {
    runtime::docker::DockerRuntimeFactory factory(opts);
    auto rt = factory.Connect(TestHost("h" + std::to_string(i), engines_.endpoints.at(i)));
    REQUIRE(rt.ok());
    return *rt;
  }

  // A minimal spec on the test image, labelled with this test's cluster.
  runtime::ContainerSpec Spec(const std::string& name) const {
    runtime::ContainerSpec s;
    s.name = cluster_ + "." + name;
    s.image = engines_.image;
    s.cmd = {"sleep", "300"};
    s.labels["io.stowage.cluster"] = cluster_;
    return s;
  }

  std::string CreateOk(const std::shared_ptr<runtime::Runtime>& rt,
                       const runtime::ContainerSpec& spec) {
    auto id = rt->Create(spec);
    INFO(id.status().ToString());
    REQUIRE(id.ok());
    created_.push_back({rt, *id});
    return *id;
  }
  void Track(const std::shared_ptr<runtime::Runtime>& rt, const std::string& id) {
    created_.push_back({rt, id});
  }

  const TestEngines& engines() const { return engines_; }
  const std::string& cluster() const { return cluster_; }

 private:
  static inline int counter_ = 0;
  TestEngines engines_;
  std::string cluster_;
  std::vector<std::pair<std::shared_ptr<runtime::Runtime>, std::string>> created_;
};

}  // namespace stowage::testing
