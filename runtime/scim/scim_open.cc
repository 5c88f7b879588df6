#include "runtime/scim/scim_open.h"

#include "runtime/scim/composite_target.h"
#include "runtime/scim/scim_target.h"

namespace gatehouse::scim {

std::unique_ptr<Target> OpenTargetWithScim(const TargetSpec& spec, const TargetFactory& aws_factory,
                                           const aws::Environment& env, std::string* err) {
  std::unique_ptr<ScimTarget> scim = MakeScimTarget(spec, env, err);
  if (!scim) return nullptr;
  TargetSpec main_spec = spec;
  main_spec.scim_url.clear();
  main_spec.scim_token_env.clear();
  std::unique_ptr<Target> main = OpenTarget(main_spec, aws_factory, err);
  if (!main) return nullptr;
  // The local target resolves assignment principals from its own file, so it
  // keeps a copy of users and groups; Identity Center's SCIM endpoint writes the
  // identity store the aws target reads, so nothing is copied there.
  bool mirror = spec.type == "local";
  return std::make_unique<CompositeTarget>(std::move(main), std::move(scim), mirror);
}

}  // namespace gatehouse::scim
