#pragma once
/// The plan as JSON (schemas/plan.schema.json) and back: the
/// saved plan file `apply --plan` reads, and `plan --format json`.

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/plan.h"

namespace gatehouse {

/// The plan as the saved-plan JSON document; `accounts` adds account names beside ids.
nlohmann::json PlanToJson(const Plan& plan, const std::map<std::string, Account>* accounts = nullptr);
/// Parses a saved plan; false with `err` on a malformed or unknown-version file.
bool PlanFromJson(const nlohmann::json& j, Plan* plan, std::string* err);

}  // namespace gatehouse
