// Rng: the seeded random source of the benchmark data generators.
//
// SplitMix64 with hand-written range helpers, so the same seed gives the same
// data on every platform and standard library (std::uniform_int_distribution
// is implementation-defined).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stowage::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  // True with probability p.
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<int>(items.size())))];
  }
  // `chars` lowercase hex characters.
  std::string Hex(int chars) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    std::uint64_t bits = 0;
    for (int i = 0; i < chars; ++i) {
      if (i % 16 == 0) bits = Next();
      out.push_back(kDigits[bits & 0xf]);
      bits >>= 4;
    }
    return out;
  }

 private:
  std::uint64_t state_;
};

}  // namespace stowage::bench
