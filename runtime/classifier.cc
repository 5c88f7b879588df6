#include "runtime/pipeline.h"

namespace gatehouse {

// Without the IAM analyzer, permission sets stay unclassified.
std::function<std::string(const PermissionSet&)> DefaultClassifier() { return nullptr; }

}  // namespace gatehouse
