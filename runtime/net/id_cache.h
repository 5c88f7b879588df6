#pragma once
/// Name → id resolution for remote directories (AWS ids, SCIM ids): filled
/// in bulk by a read, completed by creates and lookups, emptied of what is
/// deleted. Thread-safe, since apply workers share one cache.

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace gatehouse::net {

class IdCache {
 public:
  std::optional<std::string> Find(const std::string& name) const;
  void Remember(const std::string& name, const std::string& id);
  void Forget(const std::string& name);
  /// Replaces everything (after a full read).
  void Reset(std::map<std::string, std::string> ids);
  /// Every id known (to skip them when scanning for an unknown name).
  std::set<std::string> Ids() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> ids_;
};

}  // namespace gatehouse::net
