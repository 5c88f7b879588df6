#pragma once
/// Known-dangerous action combinations (privilege escalation, Identity Center
/// self-escalation, credentials exposure, data exfiltration), read from the
/// data file compiler/iam/data/risky_actions.json, and their detection in an
/// effective permission set.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/iam/action_catalog.h"
#include "compiler/iam/action_set.h"
#include "compiler/iam/effective_permissions.h"

namespace gatehouse::iam {

/// Category ids of the built-in data.
inline constexpr std::string_view kPrivilegeEscalation = "privilege-escalation";
inline constexpr std::string_view kIdentityCenterEscalation = "identity-center-escalation";
inline constexpr std::string_view kCredentialsExposure = "credentials-exposure";
inline constexpr std::string_view kDataExfiltration = "data-exfiltration";

/// One action a pattern needs.
struct RiskRequirement {
  std::string pattern;        ///< IAM action pattern ("iam:PassRole", "organizations:*")
  bool unrestricted = false;  ///< must be allowed on Resource "*" without conditions
  AccessLevels levels = 0;    ///< when not 0, a matching action must carry one of these
  ActionSet matches;          ///< catalog actions satisfying pattern and levels
};

/// A set of actions that together are dangerous: met when every requirement
/// is met by at least one allowed action.
struct RiskPattern {
  std::string id;        ///< "pass-role-ec2"
  std::string category;  ///< "privilege-escalation"
  std::string why;       ///< lowercase, what the holder can do
  std::vector<RiskRequirement> requirements;
};

struct RiskMatch {
  const RiskPattern* pattern = nullptr;
  /// For each requirement, the allowed actions meeting it (canonical names).
  std::vector<std::vector<std::string>> actions;
  /// Every action named in `actions`, flattened, sorted, without duplicates.
  std::vector<std::string> AllActions() const;
};

class RiskCatalog {
 public:
  /// Reads the risky_actions.json format, resolving patterns against `catalog`
  /// (which must outlive the result).
  static bool FromJson(std::string_view json, const ActionCatalog& catalog, RiskCatalog* out, std::string* err);

  const std::vector<RiskPattern>& patterns() const { return patterns_; }
  /// The patterns of `category` met by `permissions`, in data-file order.
  std::vector<RiskMatch> Find(const EffectivePermissions& permissions, std::string_view category) const;
  /// Requirements whose pattern matches no catalog action (data to revisit
  /// after a catalog refresh), as "pattern-id: action-pattern".
  std::vector<std::string> UnmatchedRequirements() const;

 private:
  const ActionCatalog* catalog_ = nullptr;
  std::vector<RiskPattern> patterns_;
};

/// The embedded data resolved against BuiltinCatalog(), parsed once (thread-safe).
const RiskCatalog& BuiltinRiskCatalog();

/// Shorthands over BuiltinRiskCatalog().
std::vector<RiskMatch> FindPrivilegeEscalations(const EffectivePermissions& permissions);
std::vector<RiskMatch> FindIdentityCenterEscalations(const EffectivePermissions& permissions);
std::vector<RiskMatch> FindCredentialsExposures(const EffectivePermissions& permissions);
std::vector<RiskMatch> FindDataExfiltration(const EffectivePermissions& permissions);

}  // namespace gatehouse::iam
