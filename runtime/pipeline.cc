#include "runtime/pipeline.h"

#include "runtime/local_target.h"

namespace gatehouse {

std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, const TargetFactory& aws_factory, std::string* err) {
  if (!spec.scim_url.empty()) {
    if (!aws_factory) {
      *err = "this build of gatehouse has no SCIM target (target.users_and_groups.scim)";
      return nullptr;
    }
    return aws_factory(spec, err);
  }
  if (spec.type == "local") return std::make_unique<LocalTarget>(spec.path);
  if (spec.type == "aws") {
    if (!aws_factory) {
      *err = "this build of gatehouse has no AWS target";
      return nullptr;
    }
    return aws_factory(spec, err);
  }
  *err = "unknown target type '" + spec.type + "'";
  return nullptr;
}

}  // namespace gatehouse
