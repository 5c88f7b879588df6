#include "runtime/aws/scoped_reader.h"

#include <atomic>

#include "runtime/aws/worker_pool.h"
#include "runtime/net/json_field.h"

namespace gatehouse::aws {

using net::StringField;
using nlohmann::json;

ScopedReader::ScopedReader(JsonClient* client, ReadScope scope)
    : client_(client), scope_(scope), bulk_(client, std::move(scope)) {}

json ScopedReader::Store() const { return json{{"IdentityStoreId", scope_.identity_store_id}}; }
json ScopedReader::Instance() const { return json{{"InstanceArn", scope_.instance_arn}}; }

bool ScopedReader::Phase(const Tasks& tasks, std::string* err) {
  if (RunParallel(scope_.parallelism, tasks)) return true;
  *err = "cannot read the live directory: " + bulk_.first_.error().ToString();
  return false;
}

bool ScopedReader::Read(const Scope& slice, const std::map<std::string, Account>& accounts, DirectoryState* out,
                        LiveIds* ids, std::string* err) {
  Tasks a;
  for (const auto& name : slice.users) AddPrincipalTask(PrincipalType::kUser, name, &a);
  for (const auto& name : slice.groups) AddPrincipalTask(PrincipalType::kGroup, name, &a);
  if (!Phase(a, err) || !FindSetArns(slice, err)) return false;
  Tasks b;
  AddMembershipTasks(slice, &b);
  for (const auto& name : slice.whole_users) AddWholePrincipalTasks(PrincipalType::kUser, name, &b);
  for (const auto& name : slice.whole_groups) AddWholePrincipalTasks(PrincipalType::kGroup, name, &b);
  AddSetTasks(slice, &sets_, &b);
  AddPairTasks(slice, &b);
  if (!Phase(b, err) || !ResolveUnknown(err)) return false;
  Build(accounts, out, ids);
  return true;
}

// ---- A: users, groups and set ARNs by name ----------------------------------

void ScopedReader::AddPrincipalTask(PrincipalType type, const std::string& name, Tasks* tasks) {
  tasks->push_back([this, type, name] {
    bool user = type == PrincipalType::kUser;
    json body = Store();
    body["AlternateIdentifier"] = {
        {"UniqueAttribute", {{"AttributePath", user ? "userName" : "displayName"}, {"AttributeValue", name}}}};
    json out;
    AwsError e;
    if (!client_->Call(Service::kIdentityStore, user ? "GetUserId" : "GetGroupId", body, &out, &e))
      return e.Is("ResourceNotFoundException") || Fail(e);  // absent: to be created
    json req = Store();
    std::string id = StringField(out, user ? "UserId" : "GroupId");
    req[user ? "UserId" : "GroupId"] = id;
    if (!client_->Call(Service::kIdentityStore, user ? "DescribeUser" : "DescribeGroup", req, &out, &e))
      return e.Is("ResourceNotFoundException") || Fail(e);
    std::lock_guard<std::mutex> lock(mu_);
    if (user) {
      User u = UserFrom(out);
      user_names_[id] = u.user_name;
      users_[u.user_name] = u;
    } else {
      Group g{StringField(out, "DisplayName"), StringField(out, "Description"), id};
      group_names_[id] = g.name;
      groups_[g.name] = g;
    }
    return true;
  });
}

bool ScopedReader::ProvisionedTo(const std::string& account, std::set<std::string>* arns) {
  json body = Instance();
  body["AccountId"] = account;
  body["MaxResults"] = 100;
  std::vector<json> items;
  if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListPermissionSetsProvisionedToAccount", body,
                     "PermissionSets", &items))
    return false;
  for (const auto& a : items) arns->insert(a.get<std::string>());
  return true;
}

bool ScopedReader::DescribeSet(const std::string& arn, std::string* name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = set_names_.find(arn); it != set_names_.end()) return *name = it->second, true;
  }
  json req = Instance();
  req["PermissionSetArn"] = arn;
  json out;
  AwsError e;
  if (!client_->Call(Service::kSsoAdmin, "DescribePermissionSet", req, &out, &e)) {
    if (!e.Is("ResourceNotFoundException")) return Fail(e);
    name->clear();
  } else {
    *name = out.contains("PermissionSet") ? StringField(out["PermissionSet"], "Name") : "";
  }
  std::lock_guard<std::mutex> lock(mu_);
  set_names_[arn] = *name;
  return true;
}

bool ScopedReader::HintArns(const Assignment& hint, std::set<std::string>* arns, bool* usable) {
  bool user = hint.principal_type == PrincipalType::kUser;
  std::string pid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (user && users_.count(hint.principal)) pid = users_.at(hint.principal).id;
    if (!user && groups_.count(hint.principal)) pid = groups_.at(hint.principal).id;
  }
  AwsError e;
  json out;
  if (pid.empty()) {
    json body = Store();
    body["AlternateIdentifier"] = {
        {"UniqueAttribute",
         {{"AttributePath", user ? "userName" : "displayName"}, {"AttributeValue", hint.principal}}}};
    if (!client_->Call(Service::kIdentityStore, user ? "GetUserId" : "GetGroupId", body, &out, &e))
      return e.Is("ResourceNotFoundException") ? (*usable = false, true) : Fail(e);
    pid = StringField(out, user ? "UserId" : "GroupId");
  }
  // The sets the principal holds on the account: usually one or two.
  json body = Instance();
  body["PrincipalId"] = pid;
  body["PrincipalType"] = user ? "USER" : "GROUP";
  body["Filter"] = {{"AccountId", hint.account_id}};
  body["MaxResults"] = 100;
  std::vector<json> items;
  if (client_->CallAll(Service::kSsoAdmin, "ListAccountAssignmentsForPrincipal", body, "AccountAssignments", &items,
                       &e)) {
    for (const auto& a : items)
      if (StringField(a, "AccountId") == hint.account_id) arns->insert(StringField(a, "PermissionSetArn"));
    *usable = !arns->empty();
    return true;
  }
  // Not an organization instance, or not the management/delegated admin
  // account: every set provisioned to the account.
  if (!ProvisionedTo(hint.account_id, arns)) return false;
  *usable = !arns->empty();
  return true;
}

bool ScopedReader::FindSetArn(const std::string& name, const std::vector<Assignment>& hints) {
  std::set<std::string> candidates;
  bool any = false;
  for (const auto& hint : hints) {
    std::set<std::string> arns;
    bool usable = false;
    if (!HintArns(hint, &arns, &usable)) return false;
    if (!usable) continue;
    if (any) {
      for (auto it = candidates.begin(); it != candidates.end();)
        it = arns.count(*it) ? std::next(it) : candidates.erase(it);
    } else {
      candidates = std::move(arns);
    }
    any = true;
  }
  for (const auto& arn : candidates) {
    std::string found;
    if (!DescribeSet(arn, &found)) return false;
    if (found != name) continue;
    std::lock_guard<std::mutex> lock(mu_);
    set_arns_[name] = arn;
    return true;
  }
  return true;  // not found this way: ScanAllSets
}

bool ScopedReader::FindSetArns(const Scope& slice, std::string* err) {
  // Identity Center cannot look a set up by name. The config's assignments of
  // the set outside the slice (hints) name a principal and an account whose
  // live assignments hold it, when the live directory matches the config
  // there: intersect the sets they hold and describe what is left.
  Tasks tasks;
  for (const auto& name : slice.permission_sets) {
    auto hints = slice.set_hints.find(name);
    if (hints != slice.set_hints.end())
      tasks.push_back([this, &name, list = &hints->second] { return FindSetArn(name, *list); });
  }
  if (!Phase(tasks, err)) return false;
  std::set<std::string> missing;
  for (const auto& name : slice.permission_sets)
    if (!set_arns_.count(name)) missing.insert(name);
  if (missing.empty() || ScanAllSets(missing)) return true;
  *err = "cannot read the live directory: " + bulk_.first_.error().ToString();
  return false;
}

bool ScopedReader::ScanAllSets(const std::set<std::string>& wanted) {
  // Not found by the hints (a new set, or drift): list every set and describe
  // the unknown ones until all wanted are found.
  json body = Instance();
  body["MaxResults"] = 100;
  std::vector<json> arns;
  if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListPermissionSets", body, "PermissionSets", &arns))
    return false;
  std::atomic<size_t> left{wanted.size()};
  Tasks tasks;
  for (const auto& a : arns)
    tasks.push_back([this, &left, &wanted, arn = a.get<std::string>()] {
      if (left == 0) return true;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (set_names_.count(arn)) return true;
      }
      std::string name;
      if (!DescribeSet(arn, &name)) return false;
      if (!wanted.count(name)) return true;
      std::lock_guard<std::mutex> lock(mu_);
      set_arns_[name] = arn;
      --left;
      return true;
    });
  return RunParallel(scope_.parallelism, tasks);
}

// ---- B: memberships, sets, assignments --------------------------------------

void ScopedReader::AddMembershipTasks(const Scope& slice, Tasks* tasks) {
  for (const auto& m : slice.memberships) {
    if (slice.whole_users.count(m.user) || slice.whole_groups.count(m.group)) continue;  // listed whole
    auto user = users_.find(m.user);
    auto group = groups_.find(m.group);
    if (user == users_.end() || group == groups_.end()) continue;  // one is absent: no membership
    tasks->push_back([this, uid = user->second.id, gid = group->second.id] {
      json body = Store();
      body["GroupId"] = gid;
      body["MemberId"] = {{"UserId", uid}};
      json out;
      AwsError e;
      if (!client_->Call(Service::kIdentityStore, "GetGroupMembershipId", body, &out, &e))
        return e.Is("ResourceNotFoundException") || Fail(e);
      std::lock_guard<std::mutex> lock(mu_);
      raw_memberships_.insert({gid, uid});
      return true;
    });
  }
}

void ScopedReader::AddWholePrincipalTasks(PrincipalType type, const std::string& name, Tasks* tasks) {
  bool user = type == PrincipalType::kUser;
  std::string id;
  if (user && users_.count(name)) id = users_.at(name).id;
  if (!user && groups_.count(name)) id = groups_.at(name).id;
  if (id.empty()) return;  // absent: nothing hangs on it
  tasks->push_back([this, user, id] {
    json body = Store();
    body["MaxResults"] = 100;
    if (user) body["MemberId"] = {{"UserId", id}};
    if (!user) body["GroupId"] = id;
    std::vector<json> items;
    if (!bulk_.ListAll(&bulk_.first_, Service::kIdentityStore,
                       user ? "ListGroupMembershipsForMember" : "ListGroupMemberships", body, "GroupMemberships",
                       &items))
      return false;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& m : items)
      if (m.contains("MemberId"))
        raw_memberships_.insert({StringField(m, "GroupId"), StringField(m["MemberId"], "UserId")});
    return true;
  });
  tasks->push_back([this, user, id] {
    json body = Instance();
    body["PrincipalId"] = id;
    body["PrincipalType"] = user ? "USER" : "GROUP";
    body["MaxResults"] = 100;
    std::vector<json> items;
    if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListAccountAssignmentsForPrincipal", body,
                       "AccountAssignments", &items))
      return false;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& a : items)
      if (StringField(a, "PrincipalId") == id)
        raw_assignments_.insert(
            {StringField(a, "AccountId"), StringField(a, "PermissionSetArn"), StringField(a, "PrincipalType"), id});
    return true;
  });
}

void ScopedReader::AddSetTasks(const Scope& slice, std::vector<PermissionSet>* sets, Tasks* tasks) {
  sets->resize(set_arns_.size());
  size_t i = 0;
  for (const auto& [name, arn] : set_arns_) {
    PermissionSet* ps = &(*sets)[i++];
    ps->arn = arn;
    bulk_.AddPermissionSetTasks(ps, tasks);
    bool whole = slice.whole_sets.count(name) > 0;
    tasks->push_back([this, ps, whole] {
      // Out-of-date accounts (one call); for a whole set, every provisioned
      // account and each of its (account, set) pairs.
      json body = Instance();
      body["PermissionSetArn"] = ps->arn;
      body["MaxResults"] = 100;
      if (!whole) body["ProvisioningStatus"] = "LATEST_PERMISSION_SET_NOT_PROVISIONED";
      std::vector<json> items;
      if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListAccountsForProvisionedPermissionSet", body,
                         "AccountIds", &items))
        return false;
      for (const auto& a : items) {
        if (!whole) ps->outdated_accounts.insert(a.get<std::string>());
        if (whole && !ListPair(a.get<std::string>(), ps->arn, true)) return false;
      }
      if (!whole) return true;
      body["ProvisioningStatus"] = "LATEST_PERMISSION_SET_NOT_PROVISIONED";
      items.clear();
      if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListAccountsForProvisionedPermissionSet", body,
                         "AccountIds", &items))
        return false;
      for (const auto& a : items) ps->outdated_accounts.insert(a.get<std::string>());
      return true;
    });
  }
}

void ScopedReader::AddPairTasks(const Scope& slice, Tasks* tasks) {
  // (account, set ARN) pairs per principal of the slice's assignments.
  std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, std::string>>> by_principal;
  for (const auto& a : slice.assignments) {
    bool user = a.principal_type == PrincipalType::kUser;
    if ((user ? slice.whole_users : slice.whole_groups).count(a.principal) || slice.whole_sets.count(a.permission_set))
      continue;  // listed whole
    auto principal = user ? users_.find(a.principal) : users_.end();
    auto group = user ? groups_.end() : groups_.find(a.principal);
    if (user ? principal == users_.end() : group == groups_.end()) continue;  // absent principal
    auto arn = set_arns_.find(a.permission_set);
    if (arn == set_arns_.end()) continue;  // absent set
    std::string id = user ? principal->second.id : group->second.id;
    by_principal[{user ? "USER" : "GROUP", id}].insert({a.account_id, arn->second});
  }
  // One call per pair; a principal with more pairs (a selector over many
  // accounts) is listed once instead, falling back to its pairs.
  constexpr size_t kPairsPerPrincipal = 2;
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& [principal, its_pairs] : by_principal) {
    if (its_pairs.size() <= kPairsPerPrincipal) {
      pairs.insert(its_pairs.begin(), its_pairs.end());
      continue;
    }
    tasks->push_back([this, principal = principal, its_pairs = its_pairs] {
      if (ListPrincipal(principal.first, principal.second)) return true;
      for (const auto& [account, arn] : its_pairs)
        if (!ListPair(account, arn, false)) return false;
      return true;
    });
  }
  for (const auto& [account, arn] : pairs)
    tasks->push_back([this, account = account, arn = arn] { return ListPair(account, arn, false); });
}

bool ScopedReader::ListPrincipal(const std::string& type, const std::string& id) {
  json body = Instance();
  body["PrincipalId"] = id;
  body["PrincipalType"] = type;
  body["MaxResults"] = 100;
  std::vector<json> items;
  AwsError e;
  if (!client_->CallAll(Service::kSsoAdmin, "ListAccountAssignmentsForPrincipal", body, "AccountAssignments", &items,
                        &e))
    return false;  // not an organization instance, ...: by pairs
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& a : items) {
    std::string arn = StringField(a, "PermissionSetArn");
    // Its assignments of the slice's sets; the others are outside the slice.
    if (StringField(a, "PrincipalId") != id || !set_names_.count(arn)) continue;
    raw_assignments_.insert({StringField(a, "AccountId"), arn, type, id});
  }
  return true;
}

bool ScopedReader::ListPair(const std::string& account, const std::string& arn, bool all_principals) {
  json body = Instance();
  body["AccountId"] = account;
  body["PermissionSetArn"] = arn;
  body["MaxResults"] = 100;
  std::vector<json> items;
  if (!bulk_.ListAll(&bulk_.first_, Service::kSsoAdmin, "ListAccountAssignments", body, "AccountAssignments", &items))
    return false;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& a : items) {
    std::string type = StringField(a, "PrincipalType"), pid = StringField(a, "PrincipalId");
    // Other principals on the pair are outside the slice (unless the whole set is in it).
    bool known = (type == "USER" ? user_names_ : group_names_).count(pid) > 0;
    if (known || all_principals) raw_assignments_.insert({account, arn, type, pid});
  }
  return true;
}

// ---- C: names of the ids met in B -------------------------------------------

bool ScopedReader::ResolveUnknown(std::string* err) {
  std::set<std::string> users, groups, sets;
  for (const auto& [gid, uid] : raw_memberships_) {
    if (!user_names_.count(uid)) users.insert(uid);
    if (!group_names_.count(gid)) groups.insert(gid);
  }
  for (const auto& [account, arn, type, pid] : raw_assignments_) {
    if (type == "USER" && !user_names_.count(pid)) users.insert(pid);
    if (type == "GROUP" && !group_names_.count(pid)) groups.insert(pid);
    if (!set_names_.count(arn)) sets.insert(arn);
  }
  Tasks tasks;
  for (const auto* ids : {&users, &groups}) {
    bool user = ids == &users;
    for (const auto& id : *ids)
      tasks.push_back([this, user, id] {
        json req = Store();
        req[user ? "UserId" : "GroupId"] = id;
        json out;
        AwsError e;
        if (!client_->Call(Service::kIdentityStore, user ? "DescribeUser" : "DescribeGroup", req, &out, &e))
          return e.Is("ResourceNotFoundException") || Fail(e);
        std::lock_guard<std::mutex> lock(mu_);
        (user ? user_names_ : group_names_)[id] = StringField(out, user ? "UserName" : "DisplayName");
        return true;
      });
  }
  for (const auto& arn : sets)
    tasks.push_back([this, arn] {
      std::string name;
      return DescribeSet(arn, &name);
    });
  return Phase(tasks, err);
}

void ScopedReader::Build(const std::map<std::string, Account>& accounts, DirectoryState* out, LiveIds* ids) {
  DirectoryState state;
  state.users = users_;
  state.groups = groups_;
  state.accounts = accounts;
  for (const auto& [gid, uid] : raw_memberships_) {
    auto g = group_names_.find(gid);
    auto u = user_names_.find(uid);
    if (g != group_names_.end() && u != user_names_.end()) state.memberships.insert(Membership{g->second, u->second});
  }
  for (auto& ps : sets_) {
    for (auto it = ps.outdated_accounts.begin(); it != ps.outdated_accounts.end();)
      it = accounts.count(*it) ? std::next(it) : ps.outdated_accounts.erase(it);
    state.permission_sets[ps.name] = ps;
  }
  for (const auto& [account, arn, type, pid] : raw_assignments_) {
    const auto& names = type == "USER" ? user_names_ : group_names_;
    auto principal = names.find(pid);
    auto set = set_names_.find(arn);
    if (principal == names.end() || set == set_names_.end() || set->second.empty() || !accounts.count(account))
      continue;  // outside this identity store or the config's accounts
    state.assignments.insert(Assignment{type == "USER" ? PrincipalType::kUser : PrincipalType::kGroup,
                                        principal->second, set->second, account});
  }
  ids->users = user_names_;
  ids->groups = group_names_;
  for (const auto& [arn, name] : set_names_)
    if (!name.empty()) ids->sets[arn] = name;
  *out = std::move(state);
}

}  // namespace gatehouse::aws
