#include "compiler/compile.h"

#include <algorithm>
#include <unordered_map>

namespace gatehouse {

namespace {

/// Accounts: discovered ones first, then the declarations that refine them
/// (a declared field wins; an empty one keeps what discovery found).
void CompileAccounts(const Config& c, const CompileOptions& opt, DirectoryState* s) {
  if (opt.discovered_accounts) s->accounts = *opt.discovered_accounts;
  for (const auto& a : c.accounts) {
    Account acc = a.account;
    auto it = s->accounts.find(acc.id);
    if (it != s->accounts.end()) {
      if (acc.ou.empty()) acc.ou = it->second.ou;
      if (acc.environment.empty()) acc.environment = it->second.environment;
      for (const auto& [k, v] : it->second.tags) acc.tags.emplace(k, v);
      if (acc.name == acc.id) acc.name = it->second.name;
    }
    s->accounts[acc.id] = acc;
  }
}

void CompileIdentities(const Config& c, DirectoryState* s) {
  for (const auto& u : c.users) s->users.emplace(u.user.user_name, u.user);
  for (const auto& g : c.groups) {
    s->groups.emplace(g.group.name, g.group);
    if (!c.settings.external_identity)
      for (const auto& m : g.members) s->memberships.insert({g.group.name, m.value});
  }
  for (const auto& p : c.permission_sets) s->permission_sets.emplace(p.ps.name, p.ps);
}

/// Applications: a name-declared one keeps its name; an arn-declared one takes
/// the name it has live (or its arn when the live applications are unknown).
/// Fills `by_ref` (name or arn as written -> application name).
void CompileApplications(const Config& c, const CompileOptions& opt, DirectoryState* s,
                         std::map<std::string, std::string>* by_ref) {
  for (const auto& d : c.applications) {
    Application app;
    app.name = d.name;
    app.arn = d.arn;
    app.assignment_required = d.assignment_required;
    if (!d.arn.empty()) {
      app.name = d.arn;
      if (opt.live_applications)
        for (const auto& [name, live] : *opt.live_applications)
          if (live.arn == d.arn) app.name = name;
    }
    (*by_ref)[d.ref()] = app.name;
    s->applications.emplace(app.name, app);
  }
}

/// Expands assignments to principal × permission set × account, dropping expired ones.
class AssignmentExpander {
 public:
  AssignmentExpander(const Config& c, const CompileOptions& opt, CompiledConfig* out, Diagnostics* d)
      : c_(c), opt_(opt), out_(out), d_(d) {
    for (const auto& [id, a] : out->desired.accounts) {
      account_by_ref_[id] = id;
      account_by_ref_.emplace(a.name, id);
    }
  }

  std::map<std::string, std::string> application_by_ref;  ///< filled by CompileApplications

  void Expand(size_t index) {
    const AssignmentDecl& a = c_.assignments[index];
    if (a.application) return ExpandApplication(index);
    std::vector<std::string> ids = a.accounts.is_list ? Listed(a.accounts) : Selected(a.accounts);
    bool expired = Expired(a);
    DirectoryState& s = out_->desired;
    for (const auto& id : ids) {
      Assignment as{a.principal_type, a.principal.value, a.permission_set.value, id};
      if (expired) {
        out_->expired.push_back({as, index});
        continue;
      }
      if (s.assignments.insert(as).second) out_->origin[as] = index;
    }
    if (expired && !ids.empty()) out_->notes.push_back(ExpiryNote(a, "'" + a.permission_set.value + "'"));
  }

 private:
  /// Account ids of an explicit list. Undeclared ones were reported by
  /// ValidateConfig, unless discovery is on: then only compile knows the organization.
  std::vector<std::string> Listed(const AccountSelector& sel) {
    std::vector<std::string> ids;
    for (const auto& ref : sel.refs) {
      auto it = account_by_ref_.find(ref.value);
      if (it != account_by_ref_.end())
        ids.push_back(it->second);
      else if (c_.settings.discover_accounts && opt_.discovered_accounts)
        d_->Error(ref.span, "account '" + ref.value + "' is not in the organization", "");
    }
    return ids;
  }

  std::vector<std::string> Selected(const AccountSelector& sel) {
    // Entries repeat selectors (every team's `environment: production`): each
    // distinct selector is matched against the accounts once.
    std::vector<std::string>& ids = selected_[SelectorKey(sel)];
    if (ids.empty())
      for (const auto& [id, acc] : out_->desired.accounts)
        if (sel.all || SelectorMatches(sel, acc)) ids.push_back(id);
    // Without the discovered accounts (validate, lint) a selector cannot be judged.
    if (ids.empty() && (!c_.settings.discover_accounts || opt_.discovered_accounts))
      d_->Warning(sel.span, "account selector matches no account", "check the selector against the declared accounts");
    return ids;
  }

  /// What a selector matches on, as one string (fields separated by NUL).
  static std::string SelectorKey(const AccountSelector& sel) {
    std::string key = sel.all ? "*" : "";
    auto field = [&](const std::optional<std::string>& v) { key += (v ? "=" + *v : "-") + '\0'; };
    field(sel.environment);
    field(sel.ou);
    field(sel.name);
    for (const auto& [k, v] : sel.tags) key += k + '\0' + v + '\0';
    return key;
  }

  static std::string ExpiryNote(const AssignmentDecl& a, const std::string& what) {
    return std::string("access of ") + (a.principal_type == PrincipalType::kUser ? "user '" : "group '") +
           a.principal.value + "' to " + what + " expired on " + a.expires->value + "; it is removed";
  }

  bool Expired(const AssignmentDecl& a) const {
    return a.expires && !opt_.today.empty() && opt_.today > a.expires->value;
  }

  void ExpandApplication(size_t index) {
    const AssignmentDecl& a = c_.assignments[index];
    auto app = application_by_ref.find(a.application->value);
    if (app == application_by_ref.end()) return;  // reported by ValidateConfig
    ApplicationAssignment as{a.principal_type, a.principal.value, app->second};
    if (Expired(a)) {
      out_->expired_applications.push_back({as, index});
      out_->notes.push_back(ExpiryNote(a, "application '" + app->second + "'"));
      return;
    }
    if (out_->desired.application_assignments.insert(as).second) out_->application_origin[as] = index;
  }

  const Config& c_;
  const CompileOptions& opt_;
  CompiledConfig* out_;
  Diagnostics* d_;
  std::map<std::string, std::string> account_by_ref_;                   ///< account id or name -> id
  std::unordered_map<std::string, std::vector<std::string>> selected_;  ///< SelectorKey -> matching account ids
};

}  // namespace

bool CompileConfig(const Config& c, const CompileOptions& opt, CompiledConfig* out, Diagnostics* d) {
  DirectoryState& s = out->desired;
  CompileAccounts(c, opt, &s);
  CompileIdentities(c, &s);
  AssignmentExpander expander(c, opt, out, d);
  CompileApplications(c, opt, &s, &expander.application_by_ref);
  for (size_t i = 0; i < c.assignments.size(); ++i) expander.Expand(i);
  // An expired declaration does not remove access another declaration still grants.
  std::erase_if(out->expired, [&](const auto& e) { return s.assignments.count(e.first) != 0; });
  std::erase_if(out->expired_applications,
                [&](const auto& e) { return s.application_assignments.count(e.first) != 0; });
  return !d->HasErrors();
}

}  // namespace gatehouse
