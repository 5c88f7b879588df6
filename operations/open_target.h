#pragma once
/// The one place an operation opens a target.

#include <memory>
#include <string>

#include "runtime/target.h"

namespace gatehouse {

/// The target a resolved spec names (local or aws, paired with SCIM when the
/// config has users_and_groups.scim). Null with `err` on failure.
std::unique_ptr<Target> OpenConfiguredTarget(const TargetSpec& spec, std::string* err);

}  // namespace gatehouse
