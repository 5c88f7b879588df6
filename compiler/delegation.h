#pragma once
/// Delegated administration of IAM Identity Center: a delegated administrator
/// (credentials of a member account) cannot create or delete assignments in the
/// organization's management account, nor change a permission set provisioned
/// there; AWS refuses with AccessDenied half-way through an apply. Planning
/// reports each such change as an error at its declaration instead.
/// https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html

#include <string>

#include "compiler/compile.h"
#include "compiler/config.h"
#include "compiler/diagnostics.h"
#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

inline constexpr const char* kDelegatedAdminDocs =
    "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html";

/// True when the plan runs as a delegated administrator: the config says so
/// (`settings.delegated_admin: true`), or the credentials' account is known and
/// is not the known management account.
bool IsDelegatedAdministrator(const Settings& settings, const std::string& caller_account,
                              const std::string& management_account);

/// Errors for what a delegated administrator may not do in `plan`: assignment
/// creates/deletes in `management_account` (at the assignment's declaration),
/// and changes to permission sets provisioned there — live assignments in it,
/// or provisioned out of date — (at the set's declaration). Pure.
void CheckDelegatedAdministration(const Config& config, const CompiledConfig& compiled, const DirectoryState& live,
                                  const Plan& plan, const std::string& management_account, Diagnostics* diags);

}  // namespace gatehouse
