#pragma once
/// The plan as text for people (Terraform-like).

#include <map>
#include <string>
#include <vector>

#include "compiler/plan.h"

namespace gatehouse {

struct TextOptions {
  bool color = false;
  /// Account names shown beside assignment account ids, when given.
  const std::map<std::string, Account>* accounts = nullptr;
  /// One line shown under each operation (same index; "" = none), e.g. who
  /// made a drift change; null for none.
  const std::vector<std::string>* annotations = nullptr;
};

/// `+ create`, `~ update`, `- delete`, `-/+ replace` per operation, access
/// changes, notes, and the summary line.
std::string RenderPlanText(const Plan& plan, const TextOptions& opt);

}  // namespace gatehouse
