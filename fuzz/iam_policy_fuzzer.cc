// libFuzzer target: an IAM policy document as JSON text, through the analyzer
// (compiler/iam): parse, grammar and catalog checks, what AWS refuses, the
// effective permissions alone and as a boundary, their summary, wildcard grants
// and the escalation finders.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/iam/effective_permissions.h"
#include "compiler/iam/policy_acceptance.h"
#include "compiler/iam/policy_validator.h"
#include "compiler/iam/risky_actions.h"
#include "compiler/iam/wildcard_grants.h"

using namespace gatehouse::iam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json doc;
  JsonTextError error;
  if (!ParsePolicyJson(text, &doc, &error)) return 0;
  (void)ValidatePolicy(doc);
  for (const PolicyIssue& issue : InlinePolicyRefusals(doc, text)) (void)DescribeRefusal(issue, "fuzz");
  (void)FindWildcardGrants(doc);
  EffectivePermissions alone = PolicyPermissions(doc);
  (void)Summarize(alone);
  EffectivePermissions bounded = ComputeEffectivePermissions({&doc, &doc}, &doc);
  (void)FindPrivilegeEscalations(bounded);
  (void)FindIdentityCenterEscalations(bounded);
  (void)FindCredentialsExposures(bounded);
  (void)FindDataExfiltration(bounded);
  return 0;
}
