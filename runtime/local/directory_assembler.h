#pragma once
/// Builds a DirectoryState from the entries of a local directory file, in file
/// order, whichever JSON parser read them: users and groups by id, then
/// memberships, assignments and application assignments resolved through those
/// ids (an entry whose principal, set or application is gone is skipped, as
/// AWS drops orphans).

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "compiler/model.h"

namespace gatehouse {

class DirectoryAssembler {
 public:
  /// `find_accounts`: the accounts assignments name are added to out->accounts (import).
  DirectoryAssembler(DirectoryState* out, bool find_accounts) : out_(out), find_accounts_(find_accounts) {}

  void AddUser(const nlohmann::json& entry);
  void AddGroup(const nlohmann::json& entry);
  void AddPermissionSet(const nlohmann::json& entry);
  void AddApplication(const nlohmann::json& entry);
  void AddMembership(std::string_view user_id, std::string_view group_id);
  void AddAssignment(std::string_view principal_type, std::string_view principal_id, std::string_view set_arn,
                     std::string_view account_id);
  void AddApplicationAssignment(std::string_view principal_type, std::string_view principal_id,
                                std::string_view application_arn);

 private:
  /// The principal's name, or nullptr when no such user/group was read.
  const std::string* Principal(std::string_view type, std::string_view id) const;
  /// Looks ids up by string_view without building a std::string per lookup.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::string, Hash, std::equal_to<>>;
  static const std::string* Find(const Index& m, std::string_view key);

  DirectoryState* out_;
  bool find_accounts_;
  Index user_by_id_, group_by_id_, set_by_arn_, app_by_arn_;
};

}  // namespace gatehouse
