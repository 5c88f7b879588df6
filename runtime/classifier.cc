#include "runtime/pipeline.h"

#ifdef GATEHOUSE_HAVE_LINT
#include <map>
#include <memory>
#include <mutex>

#include "compiler/lint/set_analysis.h"
#endif

namespace gatehouse {

#ifdef GATEHOUSE_HAVE_LINT
// "admin", "permissions-management", "write" or "read-only" from the IAM analyzer.
// Each distinct set is analysed once per classifier (plans classify a set per access change).
std::function<std::string(const PermissionSet&)> DefaultClassifier() {
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::string> by_policies;
  };
  auto cache = std::make_shared<Cache>();
  return [cache](const PermissionSet& ps) {
    std::string key = ps.inline_policy + '\0';
    for (const auto& arn : ps.managed_policies) key += arn + '\0';
    for (const auto& cmp : ps.customer_managed_policies) key += cmp.path + cmp.name + '\0';
    if (ps.permissions_boundary) key += "boundary:" + ps.permissions_boundary->managed_policy_arn;
    std::lock_guard<std::mutex> lock(cache->mu);
    auto it = cache->by_policies.find(key);
    if (it == cache->by_policies.end()) it = cache->by_policies.emplace(key, lint::ClassifyPermissionSet(ps)).first;
    return it->second;
  };
}
#else
// Without the IAM analyzer, permission sets stay unclassified.
std::function<std::string(const PermissionSet&)> DefaultClassifier() { return nullptr; }
#endif

}  // namespace gatehouse
