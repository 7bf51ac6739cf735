#include "cli/command.h"

#include "util/duration.h"

namespace stowage::cli {

CLI::Option* AddUnreachableGraceOption(CLI::App& cmd, std::optional<std::chrono::seconds>& grace) {
  return cmd
      .add_option_function<std::string>(
          "--unreachable-grace",
          [&grace](const std::string& text) {
            auto d = ParseDuration(text);
            if (!d.ok()) throw CLI::ValidationError("--unreachable-grace", d.status().message());
            grace = std::chrono::duration_cast<std::chrono::seconds>(*d);
          },
          "Replace the tasks of a host that has not answered for this long elsewhere "
          "(e.g. 5m, 0 = at once; default: the cluster file's unreachableGraceSeconds, else 5m)")
      ->type_name("DURATION");
}

CLI::Option* AddPullOption(CLI::App& cmd, std::string& pull) {
  return cmd
      .add_option("--pull", pull,
                  "When engines pull a task's image: missing (default: only an image the engine "
                  "lacks), always (once per host and image in every apply), never")
      ->check(CLI::IsMember({"always", "missing", "never"}))
      ->type_name("always|missing|never");
}

}  // namespace stowage::cli
