// WriteSource: a generated DesiredState as files, half JSON and half YAML (see source_gen.h).
#include <fstream>
#include <system_error>

#include "gen/documents.h"
#include "gen/source_gen.h"

namespace stowage::bench {
namespace {

namespace fs = std::filesystem;

class Writer {
 public:
  explicit Writer(fs::path root) : root_(std::move(root)) {}

  Status Write(const fs::path& relative, const std::string& text) {
    const fs::path path = root_ / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::Io("create " + path.parent_path().string() + ": " + ec.message());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status::Io("write " + path.string() + ": failed");
    ++files_;
    return Status::Ok();
  }

  int files() const { return files_; }

 private:
  fs::path root_;
  int files_ = 0;
};

std::string Json(const nlohmann::ordered_json& j) { return j.dump(2) + "\n"; }

// One service and its task definition, in the layout chosen by its index.
Status WritePair(Writer& w, std::size_t i, const model::TaskDefinition& td,
                 const model::Service& s) {
  const auto td_json = TaskDefinitionJson(td);
  const auto svc_json = ServiceJson(s);
  const std::string tdn = "task-definitions/" + td.family;
  const std::string svn = "services/" + s.name;
  switch (i % 4) {
    case 0: {
      // Every 50th in describe-task-definition form.
      auto doc = i % 200 == 0 ? nlohmann::ordered_json{{"taskDefinition", td_json}} : td_json;
      if (auto st = w.Write(tdn + ".json", Json(doc)); !st.ok()) return st;
      return w.Write(svn + ".json", Json(svc_json));
    }
    case 1:
      if (auto st = w.Write(tdn + ".yaml", ToYaml(td_json)); !st.ok()) return st;
      return w.Write(svn + ".yaml", ToYaml(svc_json));
    case 2:
      return w.Write("apps/" + s.name + ".yaml", ToYaml(td_json) + "---\n" + ToYaml(svc_json));
    default:
      if (auto st = w.Write(tdn + ".json", Json(td_json)); !st.ok()) return st;
      return w.Write(svn + ".yml", ToYaml(svc_json));
  }
}

}  // namespace

Result<int> WriteSource(const GeneratedSource& source, const std::filesystem::path& dir) {
  Writer w(dir);
  const auto& d = source.desired;
  if (auto st = w.Write("cluster.yaml", ToYaml(ClusterJson(d.cluster))); !st.ok()) return st;
  for (std::size_t i = 0; i < d.services.size(); ++i) {
    const auto& s = d.services[i];
    // Generated in step (app-i for svc-i); search only if that ever changes.
    const model::TaskDefinition* td =
        i < d.task_definitions.size() && d.task_definitions[i].family == s.task_definition
            ? &d.task_definitions[i]
            : d.FindTaskDefinition(s.task_definition);
    if (!td) return Status::Internal("service " + s.name + ": no task definition");
    if (auto st = WritePair(w, i, *td, s); !st.ok()) return st;
  }
  return w.files();
}

}  // namespace stowage::bench
