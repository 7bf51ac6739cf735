// The watcher's status page: `GET /` on `watch --listen`.
//
// Rendered on the server from the status document (`/status`, the watcher's
// state plus `stowage status --json`), so the first view is a complete,
// readable page without JavaScript. The page's script (ui/page.js, embedded
// with ui/page.css at build time) only re-fetches the `<main>` part
// (RenderStatusMain, served as /ui/main) and swaps it in when it changed: one
// renderer, in C++, for both. Every value from the document is HTML-escaped;
// the page loads nothing from elsewhere (no CDN, no font) and shows, never
// acts (no form, no write endpoint).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace stowage::server {

// The whole document: head, header, RenderStatusMain, footer, script tag.
std::string RenderStatusPage(const nlohmann::json& status);
// The <main> element alone: services, hosts, deploy history, watcher activity.
std::string RenderStatusMain(const nlohmann::json& status);
// `<`, `>`, `&`, `"`, `'` as entities; control characters as U+FFFD-free `\xNN` text.
std::string HtmlEscape(const std::string& text);

namespace ui {
// File name ("page.css") -> contents, embedded from reconciler/server/ui/.
const std::map<std::string, std::string>& Assets();
}  // namespace ui

}  // namespace stowage::server
