#include "server/status_page.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace stowage::server {
namespace {

using nlohmann::json;

// Members of a document that may lack them (older watchers, unreachable hosts).
std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
double Num(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}
const json& Member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it != j.end() ? *it : kNull;
}
const json& Array(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json& m = Member(j, key);
  return m.is_array() ? m : kEmpty;
}

std::string E(const std::string& s) { return HtmlEscape(s); }
std::string Int(double v) { return std::to_string(static_cast<long long>(std::llround(v))); }
std::string Short(const std::string& revision) { return revision.substr(0, 12); }

// UTC, ISO 8601 for <time datetime> and a readable form for its text.
std::string Iso(double unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
std::string TimeTag(double unix_seconds) {
  if (unix_seconds <= 0) return "never";
  const std::string iso = Iso(unix_seconds);
  std::string text = iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
  return "<time datetime=\"" + iso + "\">" + text + "</time>";
}

// A stable colour slot (0..7) per service, so a service keeps its colour.
int ColourOf(const std::string& service) {
  unsigned h = 2166136261u;
  for (unsigned char c : service) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % 8);
}

// A CSS class token from a status word ("in progress" -> "in-progress").
std::string Token(const std::string& word) {
  std::string out;
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if ((c == ' ' || c == '_' || c == '-') && !out.empty() && out.back() != '-') out += '-';
  }
  return out.empty() ? "unknown" : out;
}

void Activity(std::ostringstream& o, const json& watch) {
  const json& act = Member(watch, "activity");
  std::string phase = Str(act, "phase");
  if (phase.empty()) phase = "idle";
  std::string text = phase;
  if (Num(act, "steps") > 0) {
    text += ": step " + Int(Num(act, "step")) + " of " + Int(Num(act, "steps"));
  }
  if (!Str(act, "detail").empty()) text += " (" + Str(act, "detail") + ")";
  o << "<section id=\"activity\" aria-labelledby=\"activity-h\">"
    << "<h2 id=\"activity-h\">Watcher</h2><dl class=\"facts\">"
    << "<dt>Source</dt><dd>" << E(Str(watch, "source")) << "</dd>"
    << "<dt>Now</dt><dd class=\"phase phase-" << Token(phase) << "\">" << E(text) << "</dd>";
  const double next = Num(watch, "next_fetch_at");
  if (next > 0) o << "<dt>Next poll</dt><dd data-countdown>" << TimeTag(next) << "</dd>";
  o << "<dt>Applied</dt><dd>";
  const std::string applied = Str(watch, "revision_applied");
  if (applied.empty()) {
    o << "nothing yet";
  } else {
    o << "<code>" << E(Short(applied)) << "</code> at " << TimeTag(Num(watch, "applied_at"));
  }
  o << "</dd>";
  const std::string seen = Str(watch, "revision_seen");
  if (!seen.empty() && seen != applied) {
    o << "<dt>Newest</dt><dd><code>" << E(Short(seen)) << "</code>";
    const json& failed = Member(watch, "failed_revisions");
    if (failed.is_object() && failed.contains(seen) && failed[seen].is_string()) {
      o << " <strong class=\"bad\">not deployed: " << E(failed[seen].get<std::string>())
        << "</strong>";
    }
    o << "</dd>";
  }
  o << "</dl>";
  const json& error = Member(watch, "last_error");
  if (error.is_object()) {
    o << "<p class=\"error\" role=\"alert\"><strong>Last error</strong> ("
      << TimeTag(Num(error, "at")) << ", revision <code>" << E(Short(Str(error, "revision")))
      << "</code>): " << E(Str(error, "message")) << "</p>";
  }
  o << "</section>";
}

// Old tasks still stopping (and by when their engines kill them) and exited
// ones the next apply removes, under the running count; "" when none.
std::string OldTasks(const json& s) {
  const int stopping = static_cast<int>(Num(s, "stopping"));
  const int exited = static_cast<int>(Num(s, "retiredExited"));
  std::string out;
  if (stopping > 0) {
    out += "<br><small class=\"stopping\">+" + std::to_string(stopping) +
           " old stopping, killed by " + TimeTag(Num(s, "stoppingDeadline")) + "</small>";
  }
  if (exited > 0) {
    out += "<br><small class=\"retired\">+" + std::to_string(exited) +
           " old exited, removed by the next apply</small>";
  }
  return out;
}

// desired / running / healthy as a <progress> (healthy of desired) plus the numbers.
void ServiceRow(std::ostringstream& o, const json& s, const std::string& applied) {
  const std::string name = Str(s, "service");
  const int desired = static_cast<int>(Num(s, "desired"));
  const int healthy = static_cast<int>(Num(s, "healthy"));
  const std::string deployment = Str(s, "deployment");
  o << "<tr data-service=\"" << E(name) << "\" class=\"svc-" << ColourOf(name) << "\">"
    << "<th scope=\"row\"><span class=\"swatch\" aria-hidden=\"true\"></span>" << E(name) << "</th>"
    << "<td><code>" << E(Str(s, "revision").substr(0, 8)) << "</code></td>"
    << "<td><code>" << E(Short(Str(s, "commit").empty() ? applied : Str(s, "commit")))
    << "</code></td>"
    << "<td data-count=\"desired\">" << desired << "</td>"
    << "<td data-count=\"running\">" << Int(Num(s, "running")) << OldTasks(s) << "</td>"
    << "<td data-count=\"healthy\">" << healthy << "</td>"
    << "<td><span class=\"state state-" << Token(deployment) << "\">" << E(deployment)
    << "</span> <progress max=\"" << std::max(desired, 1) << "\" value=\""
    << std::min(healthy, std::max(desired, 1)) << "\" aria-label=\"" << E(name) << ": " << healthy
    << " of " << desired << " healthy\"></progress></td>"
    << "<td>" << E(Str(s, "last_error")) << "</td></tr>";
}

void Services(std::ostringstream& o, const json& status) {
  const json& services = Array(status, "services");
  const std::string applied = Str(Member(status, "watch"), "revision_applied");
  o << "<section id=\"services\" aria-labelledby=\"services-h\"><h2 id=\"services-h\">Services ("
    << services.size() << ")</h2>";
  if (services.empty()) {
    o << "<p>No services yet.</p></section>";
    return;
  }
  o << "<table><thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Revision</th>"
       "<th scope=\"col\">Commit</th><th scope=\"col\">Desired</th><th scope=\"col\">Running</th>"
       "<th scope=\"col\">Healthy</th><th scope=\"col\">Deployment</th>"
       "<th scope=\"col\">Last error</th></tr></thead><tbody>";
  for (const auto& s : services) ServiceRow(o, s, applied);
  o << "</tbody></table></section>";
}

// One resource as a stacked bar (reserved | used | free) drawn in SVG, so no
// inline style is needed (the page's Content-Security-Policy forbids it).
void Bar(std::ostringstream& o, const std::string& label, const std::string& unit, const json& host,
         const char* key) {
  const double total = Num(Member(host, "capacity"), key);
  if (total <= 0) return;
  const double reserved = Num(Member(host, "reserved"), key);
  const double used = Num(Member(host, "used"), key);
  const double free = std::max(0.0, total - reserved - used);
  auto pct = [&](double v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", std::clamp(v / total * 100.0, 0.0, 100.0));
    return std::string(buf);
  };
  o << "<div class=\"resource\"><span class=\"resource-name\">" << label << "</span>"
    << "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" "
       "aria-label=\""
    << label << ": " << Int(reserved) << " reserved, " << Int(used) << " used, " << Int(free)
    << " free of " << Int(total) << " " << unit << "\">"
    << "<rect class=\"reserved\" x=\"0\" y=\"0\" height=\"10\" width=\"" << pct(reserved) << "\"/>"
    << "<rect class=\"used\" x=\"" << pct(reserved) << "\" y=\"0\" height=\"10\" width=\""
    << pct(used) << "\"/></svg><span class=\"resource-figures\">" << Int(used) << " / "
    << Int(total - reserved) << " " << unit << "</span></div>";
}

void Host(std::ostringstream& o, const json& h) {
  const std::string name = Str(h, "host");
  const bool reachable = Member(h, "reachable").is_boolean() && h["reachable"].get<bool>();
  const std::string state = Str(h, "state");  // "active" | "draining" (cluster file)
  std::string marks;
  if (!reachable) marks += " unreachable";
  if (state == "draining") marks += " draining";
  const json& tasks = Array(h, "tasks");
  o << "<li class=\"host" << marks << "\" data-host=\"" << E(name) << "\" data-tasks=\""
    << tasks.size() << "\"><h3>" << E(name);
  if (!reachable) o << " <span class=\"badge bad\">unreachable</span>";
  if (state == "draining") o << " <span class=\"badge warn\">draining</span>";
  o << "</h3>";
  if (!reachable) o << "<p class=\"error\">" << E(Str(h, "error")) << "</p>";
  Bar(o, "CPU", "units", h, "cpu");
  Bar(o, "Memory", "MiB", h, "memory");
  if (tasks.empty()) {
    o << "<p class=\"none\">No tasks</p></li>";
    return;
  }
  o << "<ul class=\"tasks\" aria-label=\"Tasks on " << E(name) << "\">";
  for (const auto& t : tasks) {
    const std::string service = Str(t, "service");
    const std::string task_status = Str(t, "status");
    const std::string text = service + " task " + Str(t, "task") + ", " + task_status +
                             ", revision " + Str(t, "revision").substr(0, 8) +
                             (Str(t, "address").empty() ? std::string() : ", " + Str(t, "address"));
    o << "<li class=\"task svc-" << ColourOf(service) << " st-" << Token(task_status)
      << "\" data-service=\"" << E(service) << "\" title=\"" << E(text) << "\">"
      << "<span class=\"sr-only\">" << E(text) << "</span></li>";
  }
  o << "</ul></li>";
}

void Hosts(std::ostringstream& o, const json& status) {
  const json& hosts = Array(status, "hosts");
  o << "<section id=\"hosts\" aria-labelledby=\"hosts-h\"><h2 id=\"hosts-h\">Hosts ("
    << hosts.size() << ")</h2>";
  if (hosts.empty()) {
    o << "<p>No hosts yet.</p></section>";
    return;
  }
  o << "<ul class=\"hostmap\">";
  for (const auto& h : hosts) Host(o, h);
  o << "</ul><p class=\"legend\">Colour: service. Outline: solid healthy, dashed starting or "
       "without health check, dotted stopped, red unhealthy or failed.</p></section>";
}

void History(std::ostringstream& o, const json& status) {
  const json& history = Array(status, "history");
  o << "<section id=\"history\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">Deploy "
       "history</h2>";
  if (history.empty()) {
    o << "<p>No deployment recorded yet.</p></section>";
    return;
  }
  o << "<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Commit</th>"
       "<th scope=\"col\">Subject</th><th scope=\"col\">Author</th><th scope=\"col\">By</th>"
       "<th scope=\"col\">Outcome</th><th scope=\"col\">Duration</th></tr></thead><tbody>";
  for (const auto& r : history) {
    const std::string outcome = Str(r, "outcome");
    char duration[32] = "-";
    if (Num(r, "duration") > 0)
      std::snprintf(duration, sizeof duration, "%.1f s", Num(r, "duration"));
    o << "<tr><td>" << TimeTag(Num(r, "at")) << "</td><td><code>"
      << E(Short(Str(r, "commit").empty() ? Str(r, "revision") : Str(r, "commit")))
      << "</code></td><td>" << E(Str(r, "subject")) << "</td><td>" << E(Str(r, "author"))
      << "</td><td>" << E(Str(r, "by")) << "</td><td><span class=\"state state-" << Token(outcome)
      << "\">" << E(outcome) << "</span>"
      << (Str(r, "reason").empty() ? "" : " " + E(Str(r, "reason"))) << "</td><td>" << duration
      << "</td></tr>";
  }
  o << "</tbody></table></section>";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string RenderStatusMain(const json& status) {
  std::ostringstream o;
  o << "<main id=\"main\">";
  Activity(o, Member(status, "watch"));
  Services(o, status);
  Hosts(o, status);
  History(o, status);
  o << "</main>";
  return o.str();
}

std::string RenderStatusPage(const json& status) {
  const std::string cluster = Str(status, "cluster");
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>stowage" << (cluster.empty() ? "" : " · " + E(cluster)) << "</title>"
    << "<link rel=\"stylesheet\" href=\"/ui/page.css\"></head><body>"
    << "<a class=\"skip\" href=\"#services\">Skip to services</a>"
    << "<header><h1>stowage <span class=\"cluster\">"
    << (cluster.empty() ? "(no cluster loaded yet)" : "cluster " + E(cluster)) << "</span></h1>"
    << "<p id=\"live\" class=\"live\" role=\"status\" aria-live=\"polite\">"
    << "<noscript>This page does not update itself without JavaScript: reload it to see "
       "changes.</noscript></p></header>"
    << RenderStatusMain(status)
    << "<footer><p>Read-only view of <code>/status</code> (also <a href=\"/status\">JSON</a> "
       "and <a href=\"/metrics\">metrics</a>).</p></footer>"
    << "<script src=\"/ui/page.js\" defer></script></body></html>\n";
  return o.str();
}

}  // namespace stowage::server
