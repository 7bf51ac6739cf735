#include "cli/notify_options.h"

#include <cstdlib>

#include "cli/command.h"
#include "notify/http/curl_sender.h"

namespace stowage::cli {

void AddNotifyOption(CLI::App& cmd, std::vector<std::string>& urls) {
  AddRepeatableOption(cmd, "--notify", urls,
                      "POST a JSON event to this URL when a release starts, succeeds, rolls "
                      "back or fails (repeatable; signed with $STOWAGE_NOTIFY_SECRET; "
                      "Slack/Mattermost webhooks read its `text`)")
      ->type_name("URL")
      ->check([](const std::string& url) {
        return url.starts_with("http://") || url.starts_with("https://")
                   ? std::string()
                   : "--notify: expected an http:// or https:// URL, got \"" + url + "\"";
      });
}

std::unique_ptr<notify::Notifier> MakeNotifier(const std::vector<std::string>& urls) {
  notify::NotifierOptions o;
  o.urls = urls;
  if (const char* secret = std::getenv("STOWAGE_NOTIFY_SECRET"); secret != nullptr) {
    o.secret = secret;
  }
  return std::make_unique<notify::Notifier>(o, notify::CurlSender());
}

}  // namespace stowage::cli
