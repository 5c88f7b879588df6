#pragma once
/// The JSON Schemas in schemas/, built into the binary.
#include <string>
namespace gatehouse {
const std::string& ConfigSchemaJson();
const std::string& PlanSchemaJson();
}  // namespace gatehouse
