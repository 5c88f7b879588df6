// libFuzzer target: one YAML config file (config.yaml), checked and compiled.
// The parser, every section's field checks, selectors and the diff see it.

#include <cstddef>
#include <cstdint>
#include <string>

#include "compile_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gatehouse::fuzz::CheckAndCompile({{"config.yaml", std::string(reinterpret_cast<const char*>(data), size)}});
  return 0;
}
