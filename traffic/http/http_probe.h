// HttpProbe: GET a target's health-check path (a target group's healthCheckPath).
//
// The balancer's own check of a backend is configured in HAProxy, per
// backend; a target group's healthCheckPath is checked by stowage itself on
// each new target before it is set ready: GET http://ADDRESS:PORT/PATH must
// answer 2xx or 3xx within the timeout. cpp-httplib, one connection per probe.
#pragma once

#include <chrono>
#include <string>

#include "base/status.h"

namespace stowage::traffic {

Status HttpProbe(const std::string& address, int port, const std::string& path,
                 std::chrono::milliseconds timeout = std::chrono::seconds(2));

}  // namespace stowage::traffic
