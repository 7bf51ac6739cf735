// The lock image: stowage's own image for the cluster lock container.
//
// A lock container is created and never started, so its image needs no
// content: stowage imports an image with an empty root filesystem on each
// engine (Runtime::ImportImage, no registry), so the lock never depends on
// the images of the source nor on a registry being reachable. This module
// owns the image's name and builds its root filesystem, an empty tar
// archive, in memory.
#pragma once

#include <string>

namespace stowage::apply {

inline constexpr const char* kLockImage = "stowage/lock:1";

// An empty tar archive (the end-of-archive marker: two zero records).
std::string LockImageTar();

}  // namespace stowage::apply
