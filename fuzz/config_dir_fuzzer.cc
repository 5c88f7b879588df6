// libFuzzer target: a small config directory. The input is split at the
// separator line "#---8<---" into up to three files: a.yaml, sub/b.yaml (merged
// with the first: duplicates across files, sections in two files) and
// policies/p.json (reachable as `inline_policy_file: policies/p.json` or
// `../policies/p.json` from sub/b.yaml).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "compile_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kNames[] = {"a.yaml", "sub/b.yaml", "policies/p.json"};
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string sep = "#---8<---\n";
  std::map<std::string, std::string> files;
  size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    size_t end = i == 2 ? std::string::npos : input.find(sep, start);
    files[kNames[i]] = input.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (end == std::string::npos) break;
    start = end + sep.size();
  }
  gatehouse::fuzz::CheckAndCompile(std::move(files));
  return 0;
}
