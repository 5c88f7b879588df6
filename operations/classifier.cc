#include "operations/classifier.h"

#include <map>
#include <memory>
#include <mutex>

#include "compiler/lint/set_analysis.h"

namespace gatehouse {

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

}  // namespace gatehouse
