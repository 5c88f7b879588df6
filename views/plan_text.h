#pragma once
/// The plan as text for people (Terraform-like).

#include <map>
#include <string>

#include "compiler/plan.h"

namespace gatehouse {

struct TextOptions {
  bool color = false;
  /// Account names shown beside assignment account ids, when given.
  const std::map<std::string, Account>* accounts = nullptr;
};

/// `+ create`, `~ update`, `- delete`, `-/+ replace` per operation, access
/// changes, notes, and the summary line.
std::string RenderPlanText(const Plan& plan, const TextOptions& opt);

}  // namespace gatehouse
