#include "compiler/check.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/json_path_locate.h"
#include "compiler/iam/policy_acceptance.h"
#include "compiler/text.h"

namespace gatehouse {

namespace {

/// "; did you mean 'x'?" or "".
std::string Suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string m = DidYouMean(word, candidates);
  return m.empty() ? "" : "; " + m;
}

std::string Where(const SourceSpan& s) { return s.file + ":" + std::to_string(s.line); }

/// Reports a second declaration of the same key (case-insensitive when asked).
class DuplicateCheck {
 public:
  DuplicateCheck(std::string what, bool ignore_case, Diagnostics* d)
      : what_(std::move(what)), ignore_case_(ignore_case), d_(d) {}
  bool Add(const std::string& key, const SourceSpan& at) {
    std::string k = ignore_case_ ? AsciiLower(key) : key;
    auto [it, inserted] = seen_.emplace(k, std::make_pair(key, at));
    if (inserted) return true;
    std::string msg = what_ + " '" + key + "' is declared twice";
    if (it->second.first != key)
      msg = what_ + " '" + key + "' clashes with '" + it->second.first + "' (names are case-insensitive)";
    Diagnostic dg;
    dg.message = msg;
    dg.span = at;
    dg.notes.push_back("first declared at " + Where(it->second.second));
    dg.help = "remove one of them";
    d_->Add(dg);
    return false;
  }

 private:
  std::string what_;
  bool ignore_case_;
  Diagnostics* d_;
  std::map<std::string, std::pair<std::string, SourceSpan>> seen_;
};

/// The declared names of one kind: a set to look up, a list to suggest from.
struct NameIndex {
  std::set<std::string> set;
  std::vector<std::string> list;
  void Add(const std::string& name) {
    set.insert(name);
    list.push_back(name);
  }
  bool Has(const std::string& name) const { return set.count(name) != 0; }
};

/// What the reference checks look names up in.
struct Declared {
  NameIndex users, groups, sets, accounts;  ///< accounts by name
  std::set<std::string> account_refs;       ///< account ids and names
  NameIndex applications;                   ///< names and arns as declared
  explicit Declared(const Config& c) {
    for (const auto& a : c.applications) applications.Add(a.ref());
    for (const auto& u : c.users) users.Add(u.user.user_name);
    for (const auto& g : c.groups) groups.Add(g.group.name);
    for (const auto& p : c.permission_sets) sets.Add(p.ps.name);
    for (const auto& a : c.accounts) {
      accounts.list.push_back(a.account.name);
      account_refs.insert(a.account.id);
      account_refs.insert(a.account.name);
    }
  }
};

void CheckDuplicates(const Config& c, Diagnostics* d) {
  DuplicateCheck acc_ids("account id", false, d), acc_names("account name", false, d);
  for (const auto& a : c.accounts) {
    acc_ids.Add(a.account.id, a.id_span);
    if (a.account.name != a.account.id) acc_names.Add(a.account.name, a.name_span);
  }
  DuplicateCheck users("user", true, d), groups("group", true, d), sets("permission set", true, d);
  for (const auto& u : c.users) users.Add(u.user.user_name, u.name_span);
  for (const auto& g : c.groups) groups.Add(g.group.name, g.name_span);
  for (const auto& p : c.permission_sets) sets.Add(p.ps.name, p.name_span);
  DuplicateCheck apps("application", false, d);
  for (const auto& a : c.applications) apps.Add(a.ref(), a.ref_span);
}

void CheckMembers(const Config& c, const Declared& names, Diagnostics* d) {
  for (const auto& g : c.groups) {
    if (c.settings.external_identity && g.has_members && !g.members.empty()) {
      d->Error(g.members.front().span, "group '" + g.group.name + "' lists members, but identity_source is external",
               "the identity provider manages memberships; remove 'members'");
      continue;
    }
    std::set<std::string> seen;
    for (const auto& m : g.members) {
      if (!seen.insert(m.value).second) {
        d->Error(m.span, "user '" + m.value + "' is listed twice in group '" + g.group.name + "'", "");
        continue;
      }
      if (!names.users.Has(m.value))
        d->Error(m.span,
                 "group '" + g.group.name + "' has member '" + m.value + "', which is not a declared user" +
                     Suggest(m.value, names.users.list),
                 "declare the user under 'users'");
    }
  }
}

void CheckAssignment(const Config& c, const AssignmentDecl& a, const Declared& names, Diagnostics* d) {
  bool is_user = a.principal_type == PrincipalType::kUser;
  const NameIndex& principals = is_user ? names.users : names.groups;
  if (!c.settings.external_identity && !principals.Has(a.principal.value)) {
    d->Error(a.principal.span,
             std::string(is_user ? "user" : "group") + " '" + a.principal.value + "' is not declared" +
                 Suggest(a.principal.value, principals.list),
             std::string("declare it under '") + (is_user ? "users" : "groups") + "'");
  }
  if (a.application) {
    if (!names.applications.Has(a.application->value))
      d->Error(a.application->span,
               "application '" + a.application->value + "' is not declared" +
                   Suggest(a.application->value, names.applications.list),
               "declare it under 'applications' (by name or arn)");
    return;
  }
  if (!names.sets.Has(a.permission_set.value)) {
    d->Error(a.permission_set.span,
             "permission set '" + a.permission_set.value + "' is not declared" +
                 Suggest(a.permission_set.value, names.sets.list),
             "declare it under 'permission_sets'");
  }
  // With discovery on, listed accounts may come from the organization: compile checks them.
  if (!a.accounts.is_list || c.settings.discover_accounts) return;
  for (const auto& ref : a.accounts.refs) {
    if (names.account_refs.count(ref.value)) continue;
    d->Error(ref.span, "account '" + ref.value + "' is not declared" + Suggest(ref.value, names.accounts.list),
             "declare it under 'accounts' (by id and name)");
  }
}

void CheckBreakGlass(const Config& c, const Declared& names, Diagnostics* d) {
  for (const auto& g : c.policy.break_glass_groups) {
    if (!names.groups.Has(g.value) && !c.settings.external_identity)
      d->Error(g.span, "break-glass group '" + g.value + "' is not declared" + Suggest(g.value, names.groups.list),
               "declare it under 'groups'");
  }
}

/// What Identity Center would refuse in an inline policy (inline_policy or
/// inline_policy_file), at the statement's line: validate and plan stop here
/// instead of apply failing half-way. The loader has checked the sizes.
void CheckInlinePolicies(const Config& c, Diagnostics* d) {
  for (const auto& set : c.permission_sets) {
    if (!set.inline_policy) continue;
    nlohmann::json doc = nlohmann::json::parse(set.inline_policy->json, nullptr, false);
    if (doc.is_discarded()) continue;  // the loader reported the syntax error
    for (const iam::PolicyIssue& issue : iam::PolicyRefusals(doc))
      d->Error(iam::LocateJsonPath(set.inline_policy->node, issue.path), iam::DescribeRefusal(issue, set.ps.name),
               issue.help);
  }
}

/// A customer managed policy is one policy (by path and name) in every account, so
/// every document_file given for it must say the same.
void CheckCustomerPolicyDocuments(const Config& c, Diagnostics* d) {
  std::map<CustomerManagedPolicy, const PolicySource*> first;
  auto add = [&](const CustomerManagedPolicy& policy, const PolicySource& doc) {
    auto [it, inserted] = first.emplace(policy, &doc);
    if (inserted || it->second->json == doc.json) return;
    Diagnostic dg;
    dg.message = "customer managed policy '" + policy.path + policy.name + "' is given two different documents";
    dg.span = doc.node.span;
    dg.notes.push_back("the other document starts at " + Where(it->second->node.span));
    dg.help = "a customer managed policy is one policy in every account: give one document_file";
    d->Add(dg);
  };
  for (const auto& p : c.permission_sets) {
    for (const auto& [policy, doc] : p.customer_policy_documents) add(policy, doc);
    if (p.boundary_document && p.ps.permissions_boundary && p.ps.permissions_boundary->customer_managed_policy)
      add(*p.ps.permissions_boundary->customer_managed_policy, *p.boundary_document);
  }
}

}  // namespace

void ValidateConfig(const Config& c, Diagnostics* d) {
  CheckDuplicates(c, d);
  Declared names(c);
  CheckMembers(c, names, d);
  for (const auto& a : c.assignments) CheckAssignment(c, a, names, d);
  CheckBreakGlass(c, names, d);
  CheckInlinePolicies(c, d);
  CheckCustomerPolicyDocuments(c, d);
}

bool CheckConfig(SourceReader& reader, Config* config, SourceFiles* sources, Diagnostics* diags) {
  LoadConfig(reader, config, sources, diags);
  ValidateConfig(*config, diags);
  return !diags->HasErrors();
}

}  // namespace gatehouse
