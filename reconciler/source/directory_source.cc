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
  explicit DirectorySource(std::string root) : root_(std::move(root)) {
    base_ = fs::path(root_).lexically_normal();
    if (!base_.has_filename() && base_.has_parent_path()) base_ = base_.parent_path();
  }

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
        // Lexically: no realpath() per file.
        out.push_back(p.lexically_normal().lexically_relative(base_).generic_string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<std::string> Read(const std::string& path) override {
    std::ifstream in(fs::path(root_) / path, std::ios::binary | std::ios::ate);
    if (!in) return Status::Io("cannot open " + path);
    const std::streamoff size = in.tellg();
    if (size < 0) return Status::Io("cannot read " + path);
    std::string text(static_cast<size_t>(size), '\0');
    in.seekg(0);
    if (!in.read(text.data(), size)) return Status::Io("cannot read " + path);
    return text;
  }

  bool ConcurrentReads() const override { return true; }

  Result<std::string> RevisionOf(const std::vector<std::string>& paths,
                                 const std::vector<std::string>& content_ids) override {
    if (paths.size() != content_ids.size()) return Revision();
    return ContentRevision(paths, content_ids);
  }

  Result<std::string> Revision() override {
    auto files = List();
    if (!files.ok()) return files.status();
    std::vector<std::string> ids;
    for (const auto& f : *files) {
      auto text = Read(f);
      if (!text.ok()) return text.status();
      ids.push_back(ContentIdOf(*text));
    }
    return ContentRevision(*files, ids);
  }

  std::string Describe() const override { return "directory " + root_; }
  std::string LocalRoot() const override { return root_; }

 private:
  // Every (path, content id) in listing order: same files, same revision.
  static std::string ContentRevision(const std::vector<std::string>& paths,
                                     const std::vector<std::string>& content_ids) {
    Hasher h;
    for (size_t i = 0; i < paths.size(); ++i) {
      h.Add(paths[i]);
      h.Add(content_ids[i]);
    }
    return "dir-" + h.HexDigest().substr(0, 16);
  }

  std::string root_;
  fs::path base_;  // root_, lexically normal, without a trailing '/'
};

}  // namespace

Result<std::string> Source::ContentId(const std::string& path) {
  auto text = Read(path);
  if (!text.ok()) return text.status();
  return ContentIdOf(*text);
}

Result<std::unique_ptr<Source>> Source::AtRevision(const std::string& revision) {
  return Status::NotFound(Describe() + " has no earlier revision " + revision);
}

std::string ContentIdOf(std::string_view text) { return "h-" + Hasher().Add(text).HexDigest(); }

std::unique_ptr<Source> NewDirectorySource(const std::string& root) {
  return std::make_unique<DirectorySource>(root);
}

}  // namespace stowage
