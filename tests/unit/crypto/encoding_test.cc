#include <catch2/catch.hpp>

#include "crypto/bech32.h"
#include "util/base64.h"

namespace stowage {
namespace {

using crypto::Bech32Decode;
using crypto::Bech32Encode;

TEST_CASE("base64 encodes with and without padding", "[crypto]") {
  CHECK(Base64Encode("", Base64Padding::kNone) == "");
  CHECK(Base64Encode("f", Base64Padding::kNone) == "Zg");
  CHECK(Base64Encode("fo", Base64Padding::kNone) == "Zm8");
  CHECK(Base64Encode("foo", Base64Padding::kNone) == "Zm9v");
  CHECK(Base64Encode("f", Base64Padding::kRequired) == "Zg==");
  CHECK(Base64Encode("fo", Base64Padding::kRequired) == "Zm8=");
  CHECK(Base64Encode("\xff\xfe", Base64Padding::kNone) == "//4");
}

TEST_CASE("base64 decoding accepts only canonical text", "[crypto]") {
  CHECK(Base64DecodeStrict("Zm9vYg", Base64Padding::kNone) == std::optional<std::string>("foob"));
  CHECK(Base64DecodeStrict("Zm9vYg==", Base64Padding::kRequired) ==
        std::optional<std::string>("foob"));
  CHECK_FALSE(Base64DecodeStrict("Zm9vYg==", Base64Padding::kNone));    // padding where none
  CHECK_FALSE(Base64DecodeStrict("Zm9vYg", Base64Padding::kRequired));  // missing padding
  CHECK_FALSE(Base64DecodeStrict("Zm9vYh", Base64Padding::kNone));      // non-zero trailing bits
  CHECK_FALSE(Base64DecodeStrict("Zm9vY", Base64Padding::kNone));       // impossible length
  CHECK_FALSE(Base64DecodeStrict("Zm9v\nYg", Base64Padding::kNone));    // newline
  CHECK_FALSE(Base64DecodeStrict("Zm9-Yg", Base64Padding::kNone));      // url alphabet
  CHECK_FALSE(Base64DecodeStrict("Zm===", Base64Padding::kRequired));
  CHECK_FALSE(Base64DecodeStrict("Z===", Base64Padding::kRequired));
}

TEST_CASE("bech32 round trips and knows BIP 173 vectors", "[crypto]") {
  auto a = Bech32Decode("A12UEL5L");
  REQUIRE(a.ok());
  CHECK(a->hrp == "a");
  CHECK(a->bytes.empty());
  CHECK(Bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").ok());
  const std::string data("\x00\x01\x02\xfe\xff", 5);
  const std::string text = Bech32Encode("age", data);
  auto back = Bech32Decode(text);
  REQUIRE(back.ok());
  CHECK(back->hrp == "age");
  CHECK(back->bytes == data);
}

TEST_CASE("bech32 rejects bad checksums, mixed case and bad characters", "[crypto]") {
  CHECK(Bech32Decode("A12UEL5l").status().message() == "bech32: mixed upper and lower case");
  CHECK(Bech32Decode("a12uel5m").status().message() == "bech32: checksum mismatch");
  CHECK(Bech32Decode("a12ueb5l").status().message() == "bech32: invalid data character");
  CHECK(Bech32Decode("pzry9x0s0muk").status().message() == "bech32: no separator or too short");
  CHECK(Bech32Decode("a1 2uel5l").status().message() ==
        "bech32: a character outside printable ASCII");
  // Valid checksums over 5-bit groups [0, 1] (non-zero padding bits) and
  // [0, 0, 0] (a whole 5-bit group of padding).
  CHECK(Bech32Decode("a1qpamnt9j").status().message() == "bech32: invalid padding");
  CHECK(Bech32Decode("a1qqqd87cpp").status().message() == "bech32: invalid padding");
}

}  // namespace
}  // namespace stowage
