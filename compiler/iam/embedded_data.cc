#include "compiler/iam/embedded_data.h"

#include "compiler/iam/action_catalog.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/iam/risky_actions.h"

extern "C" {
extern const char gh_iam_actions_json[];
extern const char gh_iam_actions_json_end[];
extern const char gh_iam_managed_policies_json[];
extern const char gh_iam_managed_policies_json_end[];
extern const char gh_iam_risky_actions_json[];
extern const char gh_iam_risky_actions_json_end[];
extern const char gh_iam_access_level_overrides_json[];
extern const char gh_iam_access_level_overrides_json_end[];
extern const char gh_iam_read_verbs_json[];
extern const char gh_iam_read_verbs_json_end[];
}

namespace gatehouse::iam {
namespace {

std::string_view Blob(const char* begin, const char* end) {
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
}

}  // namespace

std::string_view EmbeddedActionsJson() { return Blob(gh_iam_actions_json, gh_iam_actions_json_end); }

std::string_view EmbeddedManagedPoliciesJson() {
  return Blob(gh_iam_managed_policies_json, gh_iam_managed_policies_json_end);
}

std::string_view EmbeddedRiskyActionsJson() { return Blob(gh_iam_risky_actions_json, gh_iam_risky_actions_json_end); }

std::string_view EmbeddedAccessLevelOverridesJson() {
  return Blob(gh_iam_access_level_overrides_json, gh_iam_access_level_overrides_json_end);
}

std::string_view EmbeddedReadVerbsJson() { return Blob(gh_iam_read_verbs_json, gh_iam_read_verbs_json_end); }

void LoadBuiltinIamData() {
  BuiltinCatalog();
  BuiltinRiskCatalog();
  AllManagedPolicies();
}

}  // namespace gatehouse::iam
