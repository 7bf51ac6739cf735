// libFuzzer target: any bytes, as a JSON file and as a YAML file, through the
// whole per-file pipeline (parse, kind, schema check, decode). It must never
// crash, hang or leak; every problem must come out as a diagnostic.
//
// The same bytes also describe a small tree of paths and symlinks (names and
// link targets taken from the input), which must stay confined:
//   - in memory, through ResolveInside: no lookup ever names a path above the
//     root or an absolute one, and what resolves inside is a plain relative path;
//   - on disk, through a directory source: a file outside the root (holding
//     a sentinel) is never loaded nor quoted in a diagnostic, whatever the links.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "load/load_source.h"
#include "source/confine.h"
#include "source/source.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kSentinel = "FUZZSECRET";

// Up to 8 entries "name\0target\0" from the input: a name ending in '/' is a
// folder, a non-empty target makes a symlink, else a file.
struct Entry {
  std::string name;
  std::string target;
};

std::vector<Entry> Entries(const std::string& text) {
  std::vector<Entry> out;
  size_t i = 0;
  auto next = [&] {
    const size_t end = text.find('\0', i);
    std::string s = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    i = end == std::string::npos ? text.size() : end + 1;
    return s.substr(0, 64);
  };
  while (i < text.size() && out.size() < 8) {
    Entry e{next(), next()};
    if (!e.name.empty()) out.push_back(std::move(e));
  }
  return out;
}

bool HasDotDot(const std::string& path) {
  return path == ".." || path.rfind("../", 0) == 0 || path.find("/../") != std::string::npos ||
         (path.size() >= 3 && path.compare(path.size() - 3, 3, "/..") == 0);
}

void CheckInMemory(const std::vector<Entry>& entries) {
  std::map<std::string, stowage::PathEntry> tree;
  for (const auto& e : entries) {
    stowage::PathEntry p;
    p.kind = !e.target.empty()      ? stowage::PathEntry::Kind::kSymlink
             : e.name.back() == '/' ? stowage::PathEntry::Kind::kDirectory
                                    : stowage::PathEntry::Kind::kFile;
    p.link_target = e.target;
    std::string name = e.name;
    while (!name.empty() && name.back() == '/') name.pop_back();
    tree[name] = p;
  }
  auto lookup = [&](const std::string& path) {
    if (path.empty() || path[0] == '/' || HasDotDot(path)) __builtin_trap();  // looked outside
    auto it = tree.find(path);
    return it == tree.end() ? stowage::PathEntry{} : it->second;
  };
  for (const auto& [name, entry] : tree) {
    if (name.empty() || name[0] == '/' || HasDotDot(name)) continue;  // not a listed path
    const stowage::Resolved r = stowage::ResolveInside(name, lookup, "/root");
    if (r.outcome == stowage::Resolved::Outcome::kInside &&
        (HasDotDot(r.path) || (!r.path.empty() && r.path[0] == '/'))) {
      __builtin_trap();
    }
  }
}

// A scratch root and, beside it, a document that must never be read.
const fs::path& Scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("stowage-fuzz-" + std::to_string(getpid()));
    fs::create_directories(d / "outside");
    std::ofstream(d / "outside" / "secret.yaml")
        << "family: " << kSentinel << "\ncontainerDefinitions: [{name: " << kSentinel
        << ", image: x, memory: 64}]\n";
    return d;
  }();
  return dir;
}

void CheckOnDisk(const std::vector<Entry>& entries) {
  const fs::path root = Scratch() / "root";
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  for (const auto& e : entries) {
    if (e.name.find('/') != std::string::npos && e.name.back() != '/') continue;  // one level
    std::string name = e.name;
    while (!name.empty() && name.back() == '/') name.pop_back();
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
      continue;
    const fs::path p = root / name;
    if (!e.target.empty()) {
      ::symlink(e.target.c_str(), p.c_str());
    } else if (e.name.back() == '/') {
      fs::create_directory(p, ec);
    } else {
      std::ofstream(p) << "family: inside\n";
    }
  }
  auto source = stowage::NewDirectorySource(root.string());
  stowage::load::LoadedSource out = stowage::load::LoadSource(*source);
  for (const auto& td : out.state.task_definitions) {
    if (td.family == kSentinel) __builtin_trap();  // read outside the root
  }
  for (const auto& d : out.diagnostics.items()) {
    if (d.message.empty() || d.message.find(kSentinel) != std::string::npos) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"fuzz/input.json", "fuzz/input.yaml"}) {
    stowage::load::LoadedSource out;
    stowage::load::LoadFileText(path, text, "/nonexistent", out);
    for (const auto& d : out.diagnostics.items()) {
      if (d.message.empty()) __builtin_trap();  // every diagnostic says something
    }
  }
  const std::vector<Entry> entries = Entries(text);
  CheckInMemory(entries);
  CheckOnDisk(entries);
  return 0;
}
