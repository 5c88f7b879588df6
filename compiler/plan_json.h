#pragma once
/// The plan as JSON (schemas/plan.schema.json) and back, and the
/// plan as text (Terraform-like) for people.

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/plan.h"

namespace gatehouse {

nlohmann::json PlanToJson(const Plan& plan, const std::map<std::string, Account>* accounts = nullptr);
/// Parses a saved plan; false with `err` on a malformed or unknown-version file.
bool PlanFromJson(const nlohmann::json& j, Plan* plan, std::string* err);

struct TextOptions {
  bool color = false;
  /// Account names shown beside assignment account ids, when given.
  const std::map<std::string, Account>* accounts = nullptr;
};
/// `+ create`, `~ update`, `- delete`, `-/+ replace` per operation, access
/// changes, notes, and the summary line.
std::string RenderPlanText(const Plan& plan, const TextOptions& opt);
std::string SummaryLine(const Plan& plan);

}  // namespace gatehouse
