#include "operations/classifier.h"

#include <map>
#include <memory>
#include <mutex>

#include "compiler/lint/set_analysis.h"

namespace gatehouse {

std::function<std::string(const PermissionSet&)> DefaultClassifier(const CustomerPolicyDocuments& documents) {
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::string> by_policies;
    CustomerPolicyDocuments documents;
  };
  auto cache = std::make_shared<Cache>();
  cache->documents = documents;
  return [cache](const PermissionSet& ps) {
    std::string key = ps.inline_policy + '\0';
    for (const auto& arn : ps.managed_policies) key += arn + '\0';
    for (const auto& cmp : ps.customer_managed_policies) key += cmp.path + cmp.name + '\0';
    if (const auto& b = ps.permissions_boundary) {
      key += "boundary:" + b->managed_policy_arn;
      if (b->customer_managed_policy) key += '\0' + b->customer_managed_policy->path + b->customer_managed_policy->name;
    }
    {
      std::lock_guard<std::mutex> lock(cache->mu);
      auto it = cache->by_policies.find(key);
      if (it != cache->by_policies.end()) return it->second;
    }
    // Classified outside the lock, so sets are classified on several threads at once.
    std::string privilege = lint::ClassifyPermissionSet(ps, cache->documents);
    std::lock_guard<std::mutex> lock(cache->mu);
    return cache->by_policies.emplace(key, std::move(privilege)).first->second;
  };
}

}  // namespace gatehouse
