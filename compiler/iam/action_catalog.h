#pragma once
/// The AWS action catalog: every service prefix, its actions with their access
/// levels, resource types and condition keys. The built-in catalog comes from
/// third_party/iam-data/actions.json, compiled into the binary.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/iam/action_set.h"

namespace gatehouse::iam {

/// Access levels as bit flags: the catalog gives some actions two levels
/// ("Permissions management, Write", "Tagging, Write").
enum AccessLevel : std::uint8_t {
  kList = 1,
  kRead = 2,
  kWrite = 4,
  kPermissionsManagement = 8,
  kTagging = 16,
};
using AccessLevels = std::uint8_t;

/// "List", "Read", "Write", "Permissions management", "Tagging".
const char* AccessLevelName(AccessLevel level);
/// Levels from letters L, R, W, P, T ("PW"); false on any other letter.
bool ParseAccessLevels(std::string_view letters, AccessLevels* out);
/// Levels that change something: Write, Permissions management, Tagging.
constexpr AccessLevels kModifyingLevels = kWrite | kPermissionsManagement | kTagging;

struct ActionInfo {
  std::string service;  ///< prefix as AWS spells it ("s3")
  std::string name;     ///< action in AWS's case ("GetObject")
  std::string lower;    ///< "s3:getobject", the lookup key
  AccessLevels levels = 0;
  /// Resource types the action can be scoped to; empty = wildcard-only (the
  /// action supports only Resource "*").
  std::vector<std::string> resource_types;
  std::vector<std::string> condition_keys;  ///< keys the action supports

  std::string FullName() const { return service + ":" + name; }
  bool wildcard_only() const { return resource_types.empty(); }
  bool Has(AccessLevel level) const { return (levels & level) != 0; }
};

struct ConditionKeyInfo {
  std::string key;   ///< as AWS spells it, may hold a template ("aws:RequestTag/${TagKey}")
  std::string type;  ///< "String", "ArrayOfString", "ARN", "Bool", "Numeric", "Date", ...; "" unknown
  bool multivalued() const { return type.rfind("ArrayOf", 0) == 0; }
};

struct ServiceInfo {
  std::string prefix;  ///< "s3"
  std::string name;    ///< "Amazon S3"
  ActionId first = 0;  ///< the service's actions are the ids [first, end)
  ActionId end = 0;
  std::vector<ConditionKeyInfo> condition_keys;
};

class ActionCatalog {
 public:
  /// Reads the actions.json format written by tools/update-iam-data. Returns
  /// false and sets *err on malformed input.
  static bool FromJson(std::string_view json, ActionCatalog* out, std::string* err);

  std::size_t size() const { return actions_.size(); }
  const ActionInfo& action(ActionId id) const { return actions_[id]; }
  const std::vector<ServiceInfo>& services() const { return services_; }

  /// The service with this prefix, case-insensitively; nullptr if none.
  const ServiceInfo* FindService(std::string_view prefix) const;
  /// The action "service:Action", case-insensitively, without wildcards.
  std::optional<ActionId> Find(std::string_view service_action) const;
  /// Actions matching an IAM action pattern: `*` any run, `?` one character,
  /// case-insensitive, anywhere in service or action ("s3:Get*", "*"). Sorted.
  /// Malformed patterns (no colon, other than "*") match nothing.
  std::vector<ActionId> Expand(std::string_view pattern) const;
  /// Expand() into a set (adds to `out`, whose universe must be size()).
  void ExpandInto(std::string_view pattern, ActionSet* out) const;
  /// "service:Action" for each match, canonical case.
  std::vector<std::string> ExpandNames(std::string_view pattern) const;

  /// The condition key (e.g. "s3:prefix", "aws:RequestTag/env") known to the
  /// service of its prefix, matching templates like `${TagKey}`; nullptr if the
  /// prefix is not a service or the key is not one of its keys.
  const ConditionKeyInfo* FindConditionKey(std::string_view key) const;

  /// Replaces the access levels of one action (exact name, any case); false
  /// if the catalog has no such action.
  bool OverrideLevels(std::string_view service_action, AccessLevels levels);
  /// Applies an access_level_overrides.json document; false and *err on
  /// malformed input. Actions the catalog lacks (renamed or retired since the
  /// overrides were written) are skipped and appended to *unknown.
  bool ApplyLevelOverrides(std::string_view json, std::vector<std::string>* unknown, std::string* err);

  /// A set over this catalog's ids.
  ActionSet EmptySet() const { return ActionSet(size()); }
  ActionSet AllActions() const { return ActionSet::All(size()); }
  /// The actions of `set` carrying `level`.
  ActionSet WithLevel(const ActionSet& set, AccessLevel level) const;
  /// Canonical names of the ids, in id order (service, then action).
  std::vector<std::string> Names(const ActionSet& set) const;

 private:
  template <typename Visit>
  void ForEachMatch(std::string_view pattern, Visit visit) const;

  std::vector<ActionInfo> actions_;  // sorted by service prefix, then lower name
  std::vector<ServiceInfo> services_;
  std::unordered_map<std::string, ActionId> by_lower_name_;
  std::unordered_map<std::string, std::size_t> service_by_lower_prefix_;
};

/// The catalog compiled into the binary with the read verbs of
/// compiler/iam/data/read_verbs.json (read_verbs.h) and then the access level
/// overrides of compiler/iam/data/access_level_overrides.json applied; parsed once on first
/// use (thread-safe).
const ActionCatalog& BuiltinCatalog();

/// IAM wildcard match: `*` any run (also empty), `?` one character; ASCII
/// case-insensitive.
bool WildcardMatch(std::string_view pattern, std::string_view text);

/// ASCII lowercase copy.
std::string ToLower(std::string_view s);

}  // namespace gatehouse::iam
