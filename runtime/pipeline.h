#pragma once
/// The target registry of today: local targets are made here, aws (and targets
/// paired with SCIM) by a factory. Transitional: runtime/targets.h (the registry
/// that needs no factory) replaces this file, and operations/open_target.cc is
/// its only caller.

#include <functional>
#include <memory>
#include <string>

#include "runtime/target.h"

namespace gatehouse {

/// Makes the target named by a spec.
using TargetFactory = std::function<std::unique_ptr<Target>(const TargetSpec&, std::string* err)>;

/// The target for a spec; local targets are made here, others (aws, and any
/// target with users_and_groups.scim) by `aws_factory`.
std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, const TargetFactory& aws_factory, std::string* err);

}  // namespace gatehouse
