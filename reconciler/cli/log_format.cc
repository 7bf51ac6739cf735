#include "cli/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "util/printable.h"

namespace stowage::cli {
namespace {

// %* : the message as a JSON string (quotes included).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string text = nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %& : the message with control characters escaped (util/printable.h), so a
// value from the source cannot colour the terminal or forge a log line.
class EscapedMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string text = Printable(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessageFlag>();
  }
};

void SetEscapedPattern(const std::string& pattern, spdlog::pattern_time_type time) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(time);
  formatter->add_flag<EscapedMessageFlag>('&').set_pattern(pattern);
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace

void SetCommandLogFormat() { SetEscapedPattern("%^%l%$: %&", spdlog::pattern_time_type::local); }

Status SetLogFormat(const std::string& format) {
  if (format == "text") {
    SetEscapedPattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %&", spdlog::pattern_time_type::utc);
    return Status::Ok();
  }
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%*})");
    spdlog::set_formatter(std::move(formatter));
    return Status::Ok();
  }
  return Status::Invalid("--log-format: expected text or json, got \"" + format + "\"");
}

}  // namespace stowage::cli
