#include "apply/host_session.h"

#include <algorithm>

#include "model/labels.h"

namespace stowage::apply {

class HostSession::Slot {
 public:
  explicit Slot(std::counting_semaphore<>& bound) : bound_(bound) { bound_.acquire(); }
  ~Slot() { bound_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<>& bound_;
};

HostSession::HostSession(std::string cluster, std::string host,
                         std::shared_ptr<runtime::Runtime> rt, SessionBounds bounds, Clock& clock)
    : cluster_(std::move(cluster)),
      host_(std::move(host)),
      rt_(std::move(rt)),
      clock_(clock),
      ops_(std::max(1, bounds.ops)),
      stops_(std::max(1, bounds.stops)),
      pulls_(std::max(1, bounds.pulls)) {}

Status HostSession::EnsureOnce(std::map<std::string, std::shared_ptr<Once>>& done,
                               const std::string& key, const std::function<Status()>& op) {
  std::shared_ptr<Once> once;
  {
    std::lock_guard lock(mu_);
    auto& slot = done[key];
    if (!slot) slot = std::make_shared<Once>();
    once = slot;
  }
  std::call_once(once->flag, [&] { once->status = op(); });
  return once->status;
}

Status HostSession::EnsureImage(const std::string& image,
                                const std::optional<runtime::PullCredentials>& credentials) {
  return EnsureOnce(images_, image, [&] {
    Slot slot(pulls_);
    return rt_->EnsureImage(image, credentials);
  });
}

Status HostSession::EnsureVolume(const runtime::VolumeSpec& spec) {
  return EnsureOnce(volumes_, spec.name, [&] {
    Slot slot(ops_);
    return rt_->EnsureVolume(spec);
  });
}

Status HostSession::RemoveTaskVolumes(const std::string& task_id) {
  Result<std::vector<std::string>> names = std::vector<std::string>{};
  {
    Slot slot(ops_);
    names = rt_->ListVolumes({{labels::kCluster, cluster_}, {labels::kTask, task_id}});
  }
  if (!names.ok()) return names.status();
  for (const auto& name : *names) {
    Status st;
    {
      Slot slot(ops_);
      st = rt_->RemoveVolume(name);
    }
    if (!st.ok()) return st;
    std::lock_guard lock(mu_);
    volumes_.erase(name);
  }
  return Status::Ok();
}

Result<std::string> HostSession::Create(const runtime::ContainerSpec& spec) {
  Slot slot(ops_);
  auto id = rt_->Create(spec);
  ++changes_;
  return id;
}

Status HostSession::Start(const std::string& id) {
  Slot slot(ops_);
  auto st = rt_->Start(id);
  ++changes_;
  return st;
}

Status HostSession::Stop(const std::string& id, std::chrono::seconds timeout) {
  Slot slot(stops_);
  auto st = rt_->Stop(id, timeout);
  ++changes_;
  return st;
}

Result<bool> HostSession::BeginStop(const std::string& id, std::chrono::seconds timeout,
                                    std::chrono::milliseconds wait) {
  Slot slot(stops_);
  auto st = rt_->BeginStop(id, timeout, wait);
  ++changes_;
  return st;
}

Status HostSession::Rename(const std::string& id, const std::string& new_name) {
  Slot slot(ops_);
  auto st = rt_->Rename(id, new_name);
  ++changes_;
  return st;
}

Status HostSession::Remove(const std::string& id) {
  Slot slot(ops_);
  auto st = rt_->Remove(id, true);
  ++changes_;
  return st;
}

Result<runtime::ContainerDetails> HostSession::Inspect(const std::string& id_or_name) {
  Slot slot(ops_);
  return rt_->Inspect(id_or_name);
}

Result<std::vector<runtime::ContainerSummary>> HostSession::ListTask(const std::string& task_id) {
  Slot slot(ops_);
  return rt_->List(
      {{labels::kCluster, cluster_}, {labels::kHost, host_}, {labels::kTask, task_id}});
}

Result<std::vector<runtime::ContainerSummary>> HostSession::ListSince(Clock::TimePoint not_before) {
  std::lock_guard lock(list_mu_);
  if (!have_listing_ || listed_at_ < not_before || listed_changes_ != changes_.load()) {
    listed_at_ = clock_.Now();
    listed_changes_ = changes_.load();
    Slot slot(ops_);
    listing_ = rt_->List({{labels::kCluster, cluster_}, {labels::kHost, host_}});
    have_listing_ = true;
  }
  return listing_;
}

Result<std::vector<runtime::ContainerSummary>> HostSession::ListTaskSince(
    const std::string& task_id, Clock::TimePoint not_before) {
  auto listing = ListSince(not_before);
  if (!listing.ok()) return listing.status();
  std::vector<runtime::ContainerSummary> out;
  for (const auto& c : *listing) {
    auto it = c.labels.find(labels::kTask);
    if (it != c.labels.end() && it->second == task_id) out.push_back(c);
  }
  return out;
}

}  // namespace stowage::apply
