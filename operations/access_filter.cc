#include "operations/access_filter.h"

#include "compiler/diagnostics.h"
#include "compiler/text.h"

namespace gatehouse {

namespace {

bool Matches(const std::string& wanted, const std::string& value) {
  return wanted.empty() || AsciiLower(wanted) == AsciiLower(value);
}

template <typename Map>
std::vector<std::string> Keys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

std::string Unknown(const std::string& what, const std::string& name, const std::string& source,
                    const std::vector<std::string>& candidates) {
  std::string hint = DidYouMean(name, candidates);
  return what + " '" + name + "' is not in the " + source + (hint.empty() ? "" : "; " + hint);
}

}  // namespace

std::vector<AccessEntry> FilterAccess(std::vector<AccessEntry> entries, const AccessFilter& f) {
  // In place: the full list can be 1.7 million entries; a second one would double the peak.
  std::erase_if(entries, [&](const AccessEntry& e) {
    return !Matches(f.user, e.user) || (!Matches(f.account, e.account_id) && !Matches(f.account, e.account_name)) ||
           !Matches(f.permission_set, e.permission_set);
  });
  return entries;
}

std::vector<ApplicationAccessEntry> FilterApplicationAccess(std::vector<ApplicationAccessEntry> entries,
                                                            const AccessFilter& f) {
  if (!f.account.empty() || !f.permission_set.empty()) return {};
  std::erase_if(entries, [&](const ApplicationAccessEntry& e) { return !Matches(f.user, e.user); });
  return entries;
}

std::string CheckAccessFilter(const DirectoryState& s, const AccessFilter& f, const std::string& source) {
  auto has = [](const std::vector<std::string>& names, const std::string& wanted) {
    for (const auto& n : names)
      if (Matches(wanted, n)) return true;
    return false;
  };
  if (!f.user.empty()) {
    auto names = Keys(s.users);
    for (const auto& m : s.memberships) names.push_back(m.user);
    for (const auto& a : s.application_assignments)
      if (a.principal_type == PrincipalType::kUser) names.push_back(a.principal);
    if (!has(names, f.user)) return Unknown("user", f.user, source, Keys(s.users));
  }
  if (!f.account.empty()) {
    std::vector<std::string> names;
    for (const auto& [id, a] : s.accounts) {
      names.push_back(id);
      if (!a.name.empty()) names.push_back(a.name);
    }
    if (!has(names, f.account)) return Unknown("account", f.account, source, names);
  }
  if (!f.permission_set.empty() && !has(Keys(s.permission_sets), f.permission_set))
    return Unknown("permission set", f.permission_set, source, Keys(s.permission_sets));
  return "";
}

}  // namespace gatehouse
