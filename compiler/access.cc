#include "compiler/access.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace gatehouse {

int PrivilegeRank(const std::string& p) {
  if (p == "admin") return 0;
  if (p == "permissions-management") return 1;
  if (p == "write") return 2;
  if (p == "read-only") return 3;
  return 4;
}

bool IsPrivileged(const std::string& p) { return PrivilegeRank(p) <= 1; }

std::vector<AccessEntry> EffectiveAccess(const DirectoryState& s, const PrivilegeClassifier& classify) {
  std::map<std::string, std::vector<std::string>> members;  // group -> users
  for (const auto& m : s.memberships) members[m.group].push_back(m.user);
  std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> paths;
  for (const auto& a : s.assignments) {
    if (a.principal_type == PrincipalType::kUser) {
      paths[{a.principal, a.account_id, a.permission_set}].insert("");  // "" sorts first: direct
    } else {
      auto it = members.find(a.principal);
      if (it == members.end()) continue;
      for (const auto& u : it->second) paths[{u, a.account_id, a.permission_set}].insert(a.principal);
    }
  }
  std::map<std::string, std::string> privilege;
  std::vector<AccessEntry> out;
  for (const auto& [key, via] : paths) {
    AccessEntry e;
    std::tie(e.user, e.account_id, e.permission_set) = key;
    auto acc = s.accounts.find(e.account_id);
    e.account_name = acc != s.accounts.end() ? acc->second.name : "";
    for (const auto& v : via) e.via.push_back(v.empty() ? "direct" : v);
    if (classify) {
      auto it = privilege.find(e.permission_set);
      if (it == privilege.end()) {
        auto ps = s.permission_sets.find(e.permission_set);
        std::string p = ps != s.permission_sets.end() ? classify(ps->second) : "";
        it = privilege.emplace(e.permission_set, p).first;
      }
      e.privilege = it->second;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<AccessChange> AccessChanges(const DirectoryState& live, const DirectoryState& desired,
                                        const PrivilegeClassifier& classify) {
  auto before = EffectiveAccess(live, classify);
  auto after = EffectiveAccess(desired, classify);
  auto key = [](const AccessEntry& e) { return std::tie(e.user, e.account_id, e.permission_set); };
  std::map<std::tuple<std::string, std::string, std::string>, const AccessEntry*> b, a;
  for (const auto& e : before) b[key(e)] = &e;
  for (const auto& e : after) a[key(e)] = &e;
  std::vector<AccessChange> out;
  auto add = [&](const AccessEntry& e, bool gained) {
    AccessChange c;
    c.gained = gained;
    c.user = e.user;
    c.permission_set = e.permission_set;
    c.account_id = e.account_id;
    c.account_name = e.account_name;
    c.via = e.via;
    c.privilege = e.privilege;
    out.push_back(std::move(c));
  };
  for (const auto& [k, e] : a)
    if (!b.count(k)) add(*e, true);
  for (const auto& [k, e] : b)
    if (!a.count(k)) add(*e, false);
  std::stable_sort(out.begin(), out.end(), [](const AccessChange& x, const AccessChange& y) {
    return std::make_tuple(PrivilegeRank(x.privilege), !x.gained, x.user, x.account_id, x.permission_set) <
           std::make_tuple(PrivilegeRank(y.privilege), !y.gained, y.user, y.account_id, y.permission_set);
  });
  return out;
}

std::string DescribeAccessChange(const AccessChange& c) {
  std::string s =
      c.user + (c.gained ? " gains " : " loses ") + c.permission_set + " on " +
      (c.account_name.empty() || c.account_name == c.account_id ? c.account_id
                                                                : c.account_name + " (" + c.account_id + ")");
  std::string via;
  for (const auto& v : c.via) {
    if (!via.empty()) via += ", ";
    via += v == "direct" ? "direct assignment" : "group " + v;
  }
  if (!via.empty()) s += " via " + via;
  if (!c.privilege.empty()) s += " [" + c.privilege + "]";
  return s;
}

}  // namespace gatehouse
