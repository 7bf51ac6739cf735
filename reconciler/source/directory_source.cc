// Directory source: every *.json, *.yaml, *.yml below a root, hidden folders skipped.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "source/source.h"
#include "util/hash.h"

namespace stowage {
namespace {

namespace fs = std::filesystem;

bool IsDocument(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

bool IsHidden(const fs::path& p) {
  const auto name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

class DirectorySource : public Source {
 public:
  explicit DirectorySource(std::string root) : root_(std::move(root)) {}

  Result<std::vector<std::string>> List() override {
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
      return Status::NotFound("source " + root_ + " is not a directory");
    }
    std::vector<std::string> out;
    fs::recursive_directory_iterator it(root_, fs::directory_options::none, ec), end;
    if (ec) return Status::Io("cannot read " + root_ + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return Status::Io("cannot read " + root_ + ": " + ec.message());
      const fs::path& p = it->path();
      if (IsHidden(p)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && IsDocument(p)) {
        out.push_back(fs::relative(p, root_, ec).generic_string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<std::string> Read(const std::string& path) override {
    std::ifstream in(fs::path(root_) / path, std::ios::binary);
    if (!in) return Status::Io("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  Result<std::string> Revision() override {
    auto files = List();
    if (!files.ok()) return files.status();
    Hasher h;
    for (const auto& f : *files) {
      auto text = Read(f);
      if (!text.ok()) return text.status();
      h.Add(f);
      h.Add(*text);
    }
    return "dir-" + h.HexDigest().substr(0, 16);
  }

  std::string Describe() const override { return "directory " + root_; }
  std::string LocalRoot() const override { return root_; }

 private:
  std::string root_;
};

}  // namespace

Result<std::string> Source::ContentId(const std::string& path) {
  auto text = Read(path);
  if (!text.ok()) return text.status();
  return "h-" + Hasher().Add(*text).HexDigest();
}

std::unique_ptr<Source> NewDirectorySource(const std::string& root) {
  return std::make_unique<DirectorySource>(root);
}

}  // namespace stowage
