#pragma once
/// `gatehouse who-can ACTION`: who can perform an action, across Identity Center
/// (WHO-CAN.md). Users → groups → assignments → permission sets → policies, over
/// any DirectoryState (the config's or the live one). Each permission set is
/// evaluated once per query (compiler/iam/who_can_eval.h), then its holders are
/// expanded, so one query over a large organization stays fast.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/access.h"
#include "compiler/iam/who_can_eval.h"
#include "compiler/model.h"
#include "compiler/policy_documents.h"

namespace gatehouse {

/// The question, as the command line gives it.
struct WhoCanQuery {
  std::string action;                      ///< "service:Action", any case, no wildcards
  std::optional<std::string> resource;     ///< an ARN; none = any resource
  std::vector<std::string> accounts;       ///< names or ids; several add up; empty = every account
  std::optional<std::string> environment;  ///< exact
  std::optional<std::string> ou;           ///< glob, as account selectors (selector.h)
};

/// Who holds a permission set on an account, and how: dense ids into
/// WhoCanResult::names (a query over a large organization yields millions of
/// holders; none of them copies a string).
struct WhoCanHolder {
  int user = 0, account = 0;
  std::uint32_t via_begin = 0, via_end = 0;  ///< range of WhoCanResult::via_ids
};

/// What a permission set that grants the action answers: shared by all its grants
/// (evaluated once per query, not per holder).
struct WhoCanSetAnswer {
  std::string permission_set;
  iam::Decision decision = iam::Decision::kAllow;  ///< kAllow or kConditional
  std::vector<iam::GrantReason> because;           ///< the Allow statements, policy and statement order
  std::string privilege;                           ///< the set's class when a classifier was given ("" unknown)
};

/// A user who can perform the action on an account through a permission set.
struct WhoCanGrant {
  WhoCanHolder holder;
  std::size_t set = 0;  ///< index of the set's answer (name, decision, because) in WhoCanResult::sets
};

/// A permission set the analysis cannot decide (a policy without its document).
struct WhoCanUnknown {
  std::string permission_set;
  std::vector<std::string> policies;  ///< the unknown policies: "/path/name" or the ARN
  std::string reason;                 ///< "customer managed policy /LegacyS3 is not in the config"
  std::vector<WhoCanHolder> holders;  ///< in scope, sorted by user, account id
};

/// The names the holders' ids stand for.
struct WhoCanNames {
  std::vector<std::string> users, account_ids, account_names;  ///< account_names[i] "" when not in the state
  std::vector<std::string> via;                                ///< via[0] "direct", then "group:NAME"
};

struct WhoCanResult {
  std::string action;  ///< canonical
  std::optional<std::string> resource;
  std::vector<WhoCanSetAnswer> sets;   ///< the sets that grant the action, by name
  std::vector<WhoCanGrant> grants;     ///< sorted by user, account id, permission set
  std::vector<WhoCanUnknown> unknown;  ///< held in scope; sorted by permission set
  WhoCanNames names;
  std::vector<int> via_ids;  ///< holders' via, "direct" first, then groups by name: ids into names.via
  struct Summary {
    std::size_t users = 0, accounts = 0, permission_sets = 0;  ///< distinct, over grants
  } summary;

  const std::string& User(const WhoCanHolder& h) const { return names.users[h.user]; }
  const std::string& AccountId(const WhoCanHolder& h) const { return names.account_ids[h.account]; }
  const std::string& AccountName(const WhoCanHolder& h) const { return names.account_names[h.account]; }
  const WhoCanSetAnswer& Set(const WhoCanGrant& g) const { return sets[g.set]; }
  /// Calls f(const std::string&) for each of the holder's paths ("direct", "group:NAME").
  template <typename F>
  void ForEachVia(const WhoCanHolder& h, F f) const {
    for (std::uint32_t i = h.via_begin; i < h.via_end; ++i) f(names.via[via_ids[i]]);
  }
  std::vector<std::string> Via(const WhoCanHolder& h) const {
    std::vector<std::string> out;
    ForEachVia(h, [&](const std::string& v) { out.push_back(v); });
    return out;
  }
};

struct WhoCanError {
  std::string message;
  std::string help;  ///< "did you mean …?" or ""
};

/// What one permission set's policies say about the query.
struct SetOutcome {
  enum Kind { kDenied, kGranted, kUnknown } kind = kDenied;
  iam::ActionEvaluation evaluation;  ///< over the documents the analyzer has
  std::vector<std::string> unknown;  ///< policies without a document
  std::string reason;                ///< why kUnknown
};

/// Evaluates one set: its AWS managed policies (built-in documents), inline policy
/// and customer managed policies (from `documents`), bounded by its boundary. A
/// policy without a document never decides alone: a set its known policies already
/// allow (without a condition) stays granted, one they deny outright stays denied,
/// any other (also a conditional one) is unknown; a boundary without a document
/// makes an allowed or conditional set unknown.
SetOutcome EvaluatePermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& documents,
                                 const iam::ActionQuery& query);

/// Answers the query over `state`. False with *error when the action is not one
/// the catalog knows, or an account filter names no account of the state.
/// `classify`, when given, fills WhoCanSetAnswer::privilege (once per set).
bool WhoCan(const DirectoryState& state, const CustomerPolicyDocuments& documents, const WhoCanQuery& query,
            WhoCanResult* out, WhoCanError* error, const PrivilegeClassifier& classify = nullptr);

/// The sentence every output says once: what the evaluation leaves out.
inline constexpr char kWhoCanScopeNote[] = "service control policies and resource-based policies are not evaluated";

}  // namespace gatehouse
