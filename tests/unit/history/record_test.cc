#include "history/record.h"

#include <catch2/catch.hpp>

namespace stowage::history {
namespace {

Record Sample() {
  Record r;
  r.id = "0123456789abcdef";
  r.time = 1795950123456;
  r.by = "alice@ci-1";
  r.command = "apply";
  r.revision = "3f5e0c1d2b4a69788766554433221100aabbccdd";
  r.git = true;
  r.author = "Alice <alice@example.com>";
  r.subject = "web: 2 -> 3 tasks";
  r.outcome = Outcome::kRolledBack;
  r.reason = "web: circuit breaker: 2 new task(s) failed (threshold 2)";
  r.services = {{"web", "aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"},
                {"api", "", "cccccccccccc", "cccccccccccc"}};
  return r;
}

}  // namespace

TEST_CASE("a record survives encode and decode", "[history]") {
  Record r = Sample();
  std::string text = EncodeRecord(r);
  CHECK(text.find('\n') == std::string::npos);
  auto back = DecodeRecord(text);
  REQUIRE(back.ok());
  CHECK(*back == r);
  r.git = false;
  r.author = r.subject = "";
  r.revision = "dir-0011223344556677";
  r.command = "rollback";
  r.head = "dir-8899aabbccddeeff";
  r.outcome = Outcome::kConverged;
  r.reason = "";
  back = DecodeRecord(EncodeRecord(r));
  REQUIRE(back.ok());
  CHECK(*back == r);
}

TEST_CASE("an encoded record stays within its bound", "[history]") {
  Record r = Sample();
  r.subject = std::string(5000, 'x');
  r.reason = std::string(300, 'y') + "\xc3\xa9";
  r.services.clear();
  for (int i = 0; i < 500; ++i) {
    r.services.push_back({"service-with-a-long-name-" + std::to_string(i), "aaaaaaaaaaaa",
                          "bbbbbbbbbbbb", "bbbbbbbbbbbb"});
  }
  std::string text = EncodeRecord(r);
  CHECK(text.size() <= kMaxRecordBytes);
  auto back = DecodeRecord(text);
  REQUIRE(back.ok());
  CHECK(back->subject == std::string(kMaxText, 'x'));
  CHECK(back->reason == std::string(kMaxText, 'y'));
  CHECK(back->services.size() + static_cast<std::size_t>(back->more_services) == 500);
  CHECK(back->services.size() <= kMaxServices);
  // A UTF-8 character is never cut in half.
  r = Sample();
  r.subject = std::string(kMaxText - 1, 'z') + "\xc3\xa9";
  back = DecodeRecord(EncodeRecord(r));
  REQUIRE(back.ok());
  CHECK(back->subject == std::string(kMaxText - 1, 'z'));
}

TEST_CASE("records read back from an engine are checked field by field", "[history]") {
  std::string good = EncodeRecord(Sample());
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    return DecodeRecord(t.replace(at, from.size(), to)).status().message();
  };
  CHECK(DecodeRecord("not json").status().message() == "record: not a JSON object");
  CHECK(DecodeRecord("[1]").status().message() == "record: not a JSON object");
  CHECK(DecodeRecord(std::string(kMaxRecordBytes + 1, ' ')).status().message() ==
        "record: 6145 bytes, at most 6144");
  CHECK(edit("\"id\":\"0123456789abcdef\"", "\"id\":\"../../etc\"") ==
        "record: field \"id\": expected 16 to 16 bytes, got 9");
  CHECK(edit("\"id\":\"0123456789abcdef\"", "\"id\":\"0123456789abcdeX\"") ==
        "record: field \"id\": unexpected character");
  CHECK(edit("\"t\":1795950123456", "\"t\":-1") ==
        "record: field \"t\": expected 0 to 4398046511104");
  CHECK(edit("\"t\":1795950123456", "\"t\":\"soon\"") ==
        "record: field \"t\": expected an integer");
  CHECK(edit("\"by\":\"alice@ci-1\"", "\"by\":\"alice\\u001b[2J\"") ==
        "record: field \"by\": unexpected character");
  CHECK(edit("\"out\":\"rolled back\"", "\"out\":\"great\"") ==
        "record: field \"out\": unknown value");
  CHECK(edit("\"cmd\":\"apply\"", "\"cmd\":7") == "record: field \"cmd\": expected a string");
  CHECK(edit("\"v\":1", "\"v\":2") == "record: field \"v\": unknown version 2");
  CHECK(edit("\"rev\":\"3f5e", "\"rev\":\"$(rm)3f5e") ==
        "record: field \"rev\": unexpected character");
  CHECK(edit("[\"web\",", "[\"web;rm\",") ==
        "record: field \"svc\": not a service name or revision");
  CHECK(edit("[\"web\",\"aaaaaaaaaaaa\",", "[\"web\",") ==
        "record: field \"svc\": expected [service, before, after, target]");
  CHECK(edit("\"git\":true", "\"git\":\"yes\"") == "record: field \"git\": expected true or false");
  // Invalid UTF-8 is not a record.
  CHECK_FALSE(DecodeRecord(good.replace(good.find("Alice"), 1, "\xff")).ok());
  // Unknown fields (a newer stowage) are ignored.
  good = EncodeRecord(Sample());
  CHECK(DecodeRecord("{\"zz\":1," + good.substr(1)).ok());
}

TEST_CASE("quarantine: rolled back revisions and what a rollback moved away from", "[history]") {
  auto rec = [](const std::string& rev, Outcome o, const std::string& head = "") {
    Record r;
    r.revision = rev;
    r.outcome = o;
    r.head = head;
    return r;
  };
  // Newest first.
  std::vector<Record> records = {
      rec("c2", Outcome::kConverged),  rec("c1", Outcome::kConverged, "c3"),
      rec("c3", Outcome::kRolledBack), rec("c2", Outcome::kRolledBack),
      rec("c4", Outcome::kFailed),     rec("c1", Outcome::kConverged)};
  // c2 converged since it rolled back; c4 only failed (retried, not quarantined).
  CHECK(Quarantined(records) == std::vector<std::string>{"c3"});
  CHECK(LastGood(records) == "c2");
  CHECK(LastGood({rec("c4", Outcome::kFailed)}).empty());
  CHECK(LastGood({rec("c5", Outcome::kBlocked)}) == "c5");
}

}  // namespace stowage::history
