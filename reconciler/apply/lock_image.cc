#include "apply/lock_image.h"

namespace stowage::apply {

std::string LockImageTar() {
  constexpr std::size_t kRecord = 512;  // POSIX ustar: an archive ends with two zero records
  return std::string(2 * kRecord, '\0');
}

}  // namespace stowage::apply
