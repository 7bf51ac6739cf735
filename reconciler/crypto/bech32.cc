#include "crypto/bech32.h"

#include <cstdint>
#include <vector>

#include "crypto/primitives.h"

namespace stowage::crypto {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::size_t kChecksumLength = 6;

std::uint32_t Polymod(const std::vector<std::uint8_t>& values) {
  static constexpr std::uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  std::uint32_t chk = 1;
  for (std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGenerator[i];
    }
  }
  return chk;
}

std::vector<std::uint8_t> ExpandHrp(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(c & 31));
  return out;
}

// Regroups bits: 8 -> 5 (pad with zeros) or 5 -> 8 (padding must be zero, < 5 bits).
bool Regroup(const std::vector<std::uint8_t>& in, int from, int to, bool pad,
             std::vector<std::uint8_t>& out) {
  std::uint32_t acc = 0;
  int bits = 0;
  const std::uint32_t max = (1u << to) - 1;
  for (std::uint8_t v : in) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & max));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (to - bits)) & max));
    return true;
  }
  return bits < from && ((acc << (to - bits)) & max) == 0;
}

}  // namespace

std::string Bech32Encode(std::string_view hrp, std::string_view bytes) {
  std::vector<std::uint8_t> data;
  Regroup(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), 8, 5, true, data);
  std::vector<std::uint8_t> values = ExpandHrp(hrp);
  values.insert(values.end(), data.begin(), data.end());
  values.insert(values.end(), kChecksumLength, 0);
  const std::uint32_t mod = Polymod(values) ^ 1;
  std::string out(hrp);
  out += '1';
  for (std::uint8_t d : data) out += kCharset[d];
  for (std::size_t i = 0; i < kChecksumLength; ++i) {
    out += kCharset[(mod >> (5 * (kChecksumLength - 1 - i))) & 31];
  }
  return out;
}

Result<Bech32Data> Bech32Decode(std::string_view text) {
  bool lower = false;
  bool upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) return Status::Invalid("bech32: a character outside printable ASCII");
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
  }
  if (lower && upper) return Status::Invalid("bech32: mixed upper and lower case");
  std::string s(text);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::size_t sep = s.rfind('1');
  if (sep == std::string::npos || sep == 0 || sep + 1 + kChecksumLength > s.size()) {
    return Status::Invalid("bech32: no separator or too short");
  }
  std::vector<std::uint8_t> data;
  for (std::size_t i = sep + 1; i < s.size(); ++i) {
    const std::size_t d = kCharset.find(s[i]);
    if (d == std::string_view::npos) return Status::Invalid("bech32: invalid data character");
    data.push_back(static_cast<std::uint8_t>(d));
  }
  Bech32Data out;
  out.hrp = s.substr(0, sep);
  std::vector<std::uint8_t> values = ExpandHrp(out.hrp);
  values.insert(values.end(), data.begin(), data.end());
  if (Polymod(values) != 1) return Status::Invalid("bech32: checksum mismatch");
  data.resize(data.size() - kChecksumLength);
  std::vector<std::uint8_t> bytes;
  const bool ok = Regroup(data, 5, 8, false, bytes);
  out.bytes.assign(bytes.begin(), bytes.end());
  // The text may be a secret key: leave no copy of it behind.
  Wipe(s);
  Wipe(data.data(), data.size());
  Wipe(values.data(), values.size());
  Wipe(bytes.data(), bytes.size());
  if (!ok) return Status::Invalid("bech32: invalid padding");
  return out;
}

}  // namespace stowage::crypto
