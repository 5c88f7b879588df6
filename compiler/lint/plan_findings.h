#pragma once
/// Lint findings for a plan's pull-request comment: those about the objects the
/// plan changes first, the rest of the configuration's after (issue 9 item 7).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics.h"
#include "compiler/lint/lint.h"
#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse::lint {

struct PlanFindings {
  std::vector<Diagnostic> about_plan;  ///< findings whose target names an object the plan touches
  std::vector<Diagnostic> rest;        ///< the other findings of the configuration
};

/// Whether a finding's `target` (its exception target: a set, group or user
/// name, "PRINCIPAL/SET/ACCOUNT", "USER/A/B" or "RULE/TARGET") is about an
/// object an operation of `plan` touches. A one-name target matches any name an
/// operation touches (a set newly assigned, a user added to a group); a
/// several-part target matches a changed assignment, or a part naming a user,
/// group or permission set the plan itself creates, updates or deletes.
class PlanTouches {
 public:
  PlanTouches(const Plan& plan, const std::map<std::string, Account>& accounts);
  bool About(const std::string& target) const;

 private:
  std::set<std::string> changed_;      ///< users, groups, sets operated on; members of changed memberships
  std::set<std::string> involved_;     ///< sets, principals and accounts of changed assignments
  std::set<std::string> assignments_;  ///< "PRINCIPAL/SET/ACCOUNT" of changed assignments (name and id)
};

/// The findings not waived, split by PlanTouches; each part keeps its order.
PlanFindings SplitFindings(std::vector<Finding> findings, const Plan& plan,
                           const std::map<std::string, Account>& accounts);

}  // namespace gatehouse::lint
