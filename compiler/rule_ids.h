#pragma once
/// The ids of the built-in lint rules (docs/rules.md). The config parser checks
/// `policy.rules` and `policy.exceptions` against this list; lint implements them.
#include <string>
#include <vector>

namespace gatehouse {
inline const std::vector<std::string>& KnownRuleIds() {
  static const std::vector<std::string> kIds = {"admin-only-break-glass",
                                                "no-user-assignments",
                                                "environment-separation",
                                                "session-duration",
                                                "wildcard-actions",
                                                "privilege-escalation",
                                                "permissions-management",
                                                "protect-audit-logs",
                                                "policy-grammar",
                                                "expired-access",
                                                "separation-of-duties",
                                                "unused-permission-set",
                                                "empty-group",
                                                "user-without-group",
                                                "unassigned-application",
                                                "credentials-exposure",
                                                "identity-center-escalation",
                                                "expired-exception",
                                                "unused-exception"};
  return kIds;
}
}  // namespace gatehouse
