#include "operations/open_target.h"

#include "runtime/targets.h"

namespace gatehouse {

std::unique_ptr<Target> OpenConfiguredTarget(const TargetSpec& spec, std::string* err) { return OpenTarget(spec, err); }

}  // namespace gatehouse
