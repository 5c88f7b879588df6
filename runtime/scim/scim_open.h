#pragma once
/// Opens a config's target when it has `users_and_groups.scim`: the main
/// target (local, or aws through `aws_factory`) paired with the SCIM target in
/// a CompositeTarget (see composite_target.h for the routing).

#include <memory>
#include <string>

#include "runtime/aws/environment.h"
#include "runtime/pipeline.h"

namespace gatehouse::scim {

/// Null with `err` on failure (unset token variable, bad URL, main target errors).
std::unique_ptr<Target> OpenTargetWithScim(const TargetSpec& spec, const TargetFactory& aws_factory,
                                           const aws::Environment& env, std::string* err);

}  // namespace gatehouse::scim
