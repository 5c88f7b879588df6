// libFuzzer target: a saved plan file (`apply --plan FILE`) as JSON text,
// through PlanFromJson. A plan it accepts must serialize again and read back:
// what `plan --out` writes, `apply` must take. (The text rendering is a view,
// outside compiler/, and not fuzzed here.)

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/plan_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  gatehouse::Plan plan;
  std::string err;
  if (!gatehouse::PlanFromJson(j, &plan, &err)) return 0;
  nlohmann::json again = gatehouse::PlanToJson(plan);
  gatehouse::Plan reread;
  if (!gatehouse::PlanFromJson(again, &reread, &err)) std::abort();  // our own output must read back
  return 0;
}
