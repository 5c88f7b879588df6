#include "compiler/compile.h"

#include "compiler/text.h"

#include <algorithm>
#include <cctype>
#include <set>

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
    if (it->second.first != key) msg = what_ + " '" + key + "' clashes with '" + it->second.first +
                                        "' (names are case-insensitive)";
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

template <class Decls, class Key>
std::vector<std::string> Names(const Decls& decls, Key key) {
  std::vector<std::string> out;
  for (const auto& d : decls) out.push_back(key(d));
  return out;
}

bool SegmentMatch(const std::string& p, size_t i, const std::string& t, size_t j) {
  while (i < p.size()) {
    if (p[i] == '*') {
      for (size_t k = j; k <= t.size(); ++k)
        if (SegmentMatch(p, i + 1, t, k)) return true;
      return false;
    }
    if (j >= t.size()) return false;
    if (p[i] != '?' && p[i] != t[j]) return false;
    ++i;
    ++j;
  }
  return j == t.size();
}

std::vector<std::string> SplitPath(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('/', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool OuMatch(const std::vector<std::string>& p, size_t i, const std::vector<std::string>& t, size_t j) {
  if (i == p.size()) return j == t.size();
  if (p[i] == "**") {
    // A trailing `**` means "below": at least one level. Elsewhere it may match none.
    size_t min = i + 1 == p.size() ? 1 : 0;
    for (size_t k = j + min; k <= t.size(); ++k)
      if (OuMatch(p, i + 1, t, k)) return true;
    return false;
  }
  if (j == t.size()) return false;
  return SegmentMatch(p[i], 0, t[j], 0) && OuMatch(p, i + 1, t, j + 1);
}

}  // namespace

bool GlobMatch(const std::string& pattern, const std::string& text) {
  return SegmentMatch(pattern, 0, text, 0);
}

bool OuGlobMatch(const std::string& pattern, const std::string& ou) {
  return OuMatch(SplitPath(pattern), 0, SplitPath(ou), 0);
}

bool SelectorMatches(const AccountSelector& s, const Account& a) {
  if (s.environment && *s.environment != a.environment) return false;
  if (s.ou && !OuGlobMatch(*s.ou, a.ou)) return false;
  for (const auto& [k, v] : s.tags) {
    auto it = a.tags.find(k);
    if (it == a.tags.end() || it->second != v) return false;
  }
  if (s.name && !GlobMatch(*s.name, a.name)) return false;
  return true;
}

void ValidateConfig(const Config& c, Diagnostics* d) {
  DuplicateCheck acc_ids("account id", false, d), acc_names("account name", false, d);
  for (const auto& a : c.accounts) {
    acc_ids.Add(a.account.id, a.id_span);
    if (a.account.name != a.account.id) acc_names.Add(a.account.name, a.name_span);
  }
  DuplicateCheck users("user", true, d), groups("group", true, d), sets("permission set", true, d);
  for (const auto& u : c.users) users.Add(u.user.user_name, u.name_span);
  for (const auto& g : c.groups) groups.Add(g.group.name, g.name_span);
  for (const auto& p : c.permission_sets) sets.Add(p.ps.name, p.name_span);

  std::set<std::string> user_names, group_names, set_names;
  for (const auto& u : c.users) user_names.insert(u.user.user_name);
  for (const auto& g : c.groups) group_names.insert(g.group.name);
  for (const auto& p : c.permission_sets) set_names.insert(p.ps.name);
  auto user_list = Names(c.users, [](const UserDecl& u) { return u.user.user_name; });
  auto group_list = Names(c.groups, [](const GroupDecl& g) { return g.group.name; });
  auto set_list = Names(c.permission_sets, [](const PermissionSetDecl& p) { return p.ps.name; });
  bool external = c.settings.external_identity;

  for (const auto& g : c.groups) {
    if (external && g.has_members && !g.members.empty()) {
      d->Error(g.members.front().span,
               "group '" + g.group.name + "' lists members, but identity_source is external",
               "the identity provider manages memberships; remove 'members'");
      continue;
    }
    std::set<std::string> seen;
    for (const auto& m : g.members) {
      if (!seen.insert(m.value).second) {
        d->Error(m.span, "user '" + m.value + "' is listed twice in group '" + g.group.name + "'", "");
        continue;
      }
      if (!user_names.count(m.value))
        d->Error(m.span, "group '" + g.group.name + "' has member '" + m.value + "', which is not a declared user" +
                             Suggest(m.value, user_list),
                 "declare the user under 'users'");
    }
  }

  std::map<std::string, const AccountDecl*> by_id, by_name;
  for (const auto& a : c.accounts) {
    by_id[a.account.id] = &a;
    by_name[a.account.name] = &a;
  }
  std::vector<std::string> account_names;
  for (const auto& a : c.accounts) account_names.push_back(a.account.name);

  for (const auto& a : c.assignments) {
    bool is_user = a.principal_type == PrincipalType::kUser;
    const auto& known = is_user ? user_names : group_names;
    if (!external && !known.count(a.principal.value)) {
      d->Error(a.principal.span,
               std::string(is_user ? "user" : "group") + " '" + a.principal.value + "' is not declared" +
                   Suggest(a.principal.value, is_user ? user_list : group_list),
               std::string("declare it under '") + (is_user ? "users" : "groups") + "'");
    }
    if (!set_names.count(a.permission_set.value)) {
      d->Error(a.permission_set.span,
               "permission set '" + a.permission_set.value + "' is not declared" + Suggest(a.permission_set.value, set_list),
               "declare it under 'permission_sets'");
    }
    if (a.accounts.is_list && !c.settings.discover_accounts) {
      for (const auto& ref : a.accounts.refs) {
        if (by_id.count(ref.value) || by_name.count(ref.value)) continue;
        d->Error(ref.span, "account '" + ref.value + "' is not declared" + Suggest(ref.value, account_names),
                 "declare it under 'accounts' (by id and name)");
      }
    }
  }

  for (const auto& g : c.policy.break_glass_groups) {
    if (!group_names.count(g.value) && !external)
      d->Error(g.span, "break-glass group '" + g.value + "' is not declared" + Suggest(g.value, group_list),
               "declare it under 'groups'");
  }
}

bool CompileConfig(const Config& c, const CompileOptions& opt, CompiledConfig* out, Diagnostics* d) {
  ValidateConfig(c, d);
  DirectoryState& s = out->desired;

  // Accounts: discovered ones first, then the declarations that refine them.
  if (opt.discovered_accounts) s.accounts = *opt.discovered_accounts;
  for (const auto& a : c.accounts) {
    Account acc = a.account;
    auto it = s.accounts.find(acc.id);
    if (it != s.accounts.end()) {
      if (acc.ou.empty()) acc.ou = it->second.ou;
      if (acc.environment.empty()) acc.environment = it->second.environment;
      for (const auto& [k, v] : it->second.tags) acc.tags.emplace(k, v);
      if (acc.name == acc.id) acc.name = it->second.name;
    }
    s.accounts[acc.id] = acc;
  }
  for (const auto& u : c.users) s.users.emplace(u.user.user_name, u.user);
  for (const auto& g : c.groups) {
    s.groups.emplace(g.group.name, g.group);
    if (!c.settings.external_identity)
      for (const auto& m : g.members) s.memberships.insert({g.group.name, m.value});
  }
  for (const auto& p : c.permission_sets) s.permission_sets.emplace(p.ps.name, p.ps);

  std::map<std::string, std::string> account_by_ref;
  for (const auto& [id, a] : s.accounts) {
    account_by_ref[id] = id;
    account_by_ref.emplace(a.name, id);
  }
  for (size_t i = 0; i < c.assignments.size(); ++i) {
    const AssignmentDecl& a = c.assignments[i];
    std::vector<std::string> ids;
    if (a.accounts.is_list) {
      for (const auto& ref : a.accounts.refs) {
        auto it = account_by_ref.find(ref.value);
        if (it != account_by_ref.end()) ids.push_back(it->second);
        else if (c.settings.discover_accounts && opt.discovered_accounts)
          d->Error(ref.span, "account '" + ref.value + "' is not in the organization", "");
      }
    } else {
      for (const auto& [id, acc] : s.accounts)
        if (a.accounts.all || SelectorMatches(a.accounts, acc)) ids.push_back(id);
      if (ids.empty() && (!c.settings.discover_accounts || opt.discovered_accounts))
        d->Warning(a.accounts.span, "account selector matches no account", "check the selector against the declared accounts");
    }
    bool expired = a.expires && !opt.today.empty() && opt.today > a.expires->value;
    for (const auto& id : ids) {
      Assignment as{a.principal_type, a.principal.value, a.permission_set.value, id};
      if (expired) {
        out->expired.push_back({as, i});
        continue;
      }
      if (s.assignments.insert(as).second) out->origin[as] = i;
    }
    if (expired && !ids.empty())
      out->notes.push_back(std::string(PrincipalTypeName(a.principal_type)) == "USER"
                               ? "access of user '" + a.principal.value + "' to '" + a.permission_set.value +
                                     "' expired on " + a.expires->value + "; it is removed"
                               : "access of group '" + a.principal.value + "' to '" + a.permission_set.value +
                                     "' expired on " + a.expires->value + "; it is removed");
  }
  // An expired declaration does not remove access another declaration still grants.
  std::erase_if(out->expired, [&](const auto& e) { return s.assignments.count(e.first) != 0; });
  return !d->HasErrors();
}

}  // namespace gatehouse
