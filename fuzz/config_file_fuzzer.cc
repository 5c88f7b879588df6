// libFuzzer target: one YAML config file (config.yaml), checked and compiled.
// The parser, every section's field checks, selectors and the diff see it.
// It also parses the file in pieces (compiler/yaml_split.cc, cut at every list
// item) and traps when the tree or the diagnostics differ from the whole parse.

#include <cstddef>
#include <cstdint>
#include <string>

#include "compile_config.h"
#include "compiler/yaml_tree.h"

namespace {

std::string Messages(const gatehouse::Diagnostics& d) {
  std::string out;
  for (const auto& x : d.items()) out += std::to_string(x.span.line) + ":" + x.message + "\n";
  return out;
}

void CheckPieces(const std::string& text) {
  using namespace gatehouse;
  const std::string name = "config.yaml";
  YamlNode whole;
  Diagnostics diags;
  bool ok = ParseYaml(name, text, YamlLimits{}, &whole, &diags);
  auto pieces = ParseYamlFiles({{&name, &text}}, YamlLimits{}, 1);
  if (pieces[0].ok != ok || !SameYaml(pieces[0].root, whole) || Messages(pieces[0].diags) != Messages(diags))
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  CheckPieces(text);
  gatehouse::fuzz::CheckAndCompile({{"config.yaml", std::move(text)}});
  return 0;
}
