// DockerEventStream: GET /events of one engine, read on a thread of its own.
//
// The thread keeps one streaming request open and queues each container event;
// Next() waits on the queue. The destructor cancels the request (curl's progress
// callback notices within about a second) and joins the thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/docker/http_client.h"
#include "runtime/runtime.h"

namespace stowage::runtime::docker {

class DockerEventStream : public EventStream {
 public:
  DockerEventStream(std::shared_ptr<HttpClient> client, std::string path);
  ~DockerEventStream() override;

  Result<std::optional<ContainerEvent>> Next(std::chrono::milliseconds timeout) override;

 private:
  void Run();
  bool OnData(std::string_view data);

  std::shared_ptr<HttpClient> client_;
  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ContainerEvent> queue_;
  std::string partial_;
  bool done_ = false;
  bool cancelled_ = false;
  Status final_status_;
  std::thread thread_;
};

}  // namespace stowage::runtime::docker
