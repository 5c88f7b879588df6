#include "runtime/net/id_cache.h"

namespace gatehouse::net {

std::optional<std::string> IdCache::Find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void IdCache::Remember(const std::string& name, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_[name] = id;
}

void IdCache::Forget(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_.erase(name);
}

void IdCache::Reset(std::map<std::string, std::string> ids) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_ = std::move(ids);
}

std::set<std::string> IdCache::Ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> out;
  for (const auto& [name, id] : ids_) out.insert(id);
  return out;
}

}  // namespace gatehouse::net
