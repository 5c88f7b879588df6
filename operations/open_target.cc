#include "operations/open_target.h"

#include "runtime/aws/aws_target.h"
#include "runtime/pipeline.h"
#include "runtime/scim/scim_open.h"

namespace gatehouse {

// TODO(merge): becomes `return OpenTarget(spec, err);` from runtime/targets.h
// (helper A's registry), which makes the aws target and applies the SCIM decorator.
std::unique_ptr<Target> OpenConfiguredTarget(const TargetSpec& spec, std::string* err) {
  TargetFactory aws_only = [](const TargetSpec& s, std::string* e) {
    return aws::MakeAwsTarget(s, aws::Environment::Process(), e);
  };
  TargetFactory factory = [aws_only](const TargetSpec& s, std::string* e) {
    if (s.scim_url.empty()) return aws_only(s, e);
    return scim::OpenTargetWithScim(s, aws_only, aws::Environment::Process(), e);
  };
  return OpenTarget(spec, factory, err);
}

}  // namespace gatehouse
