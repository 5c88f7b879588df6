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

/// A scoped plan's slice as JSON (the plan's `scope.slice`) and back;
/// ScopeFromJson throws nlohmann::json::exception on a wrong shape.
nlohmann::json ScopeToJson(const Scope& scope);
Scope ScopeFromJson(const nlohmann::json& j);

}  // namespace gatehouse
