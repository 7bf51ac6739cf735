// libFuzzer target: any bytes, as a JSON file and as a YAML file, through the
// whole per-file pipeline (parse, kind, schema check, decode). It must never
// crash, hang or leak; every problem must come out as a diagnostic.
#include <cstddef>
#include <cstdint>
#include <string>

#include "load/load_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"fuzz/input.json", "fuzz/input.yaml"}) {
    stowage::load::LoadedSource out;
    stowage::load::LoadFileText(path, text, "/nonexistent", out);
    for (const auto& d : out.diagnostics.items()) {
      if (d.message.empty()) __builtin_trap();  // every diagnostic says something
    }
  }
  return 0;
}
