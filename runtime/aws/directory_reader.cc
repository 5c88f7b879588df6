#include "runtime/aws/directory_reader.h"

#include "runtime/aws/worker_pool.h"
#include "runtime/net/json_field.h"

namespace gatehouse::aws {

using net::StringField;
using nlohmann::json;

User UserFrom(const json& j) {
  User u;
  u.user_name = StringField(j, "UserName");
  u.display_name = StringField(j, "DisplayName");
  if (j.contains("Name") && j["Name"].is_object()) {
    u.given_name = StringField(j["Name"], "GivenName");
    u.family_name = StringField(j["Name"], "FamilyName");
  }
  if (j.contains("Emails") && j["Emails"].is_array()) {
    for (const auto& e : j["Emails"]) {
      if (u.email.empty() || e.value("Primary", false)) u.email = StringField(e, "Value");
    }
  }
  u.id = StringField(j, "UserId");
  return u;
}

namespace {

Tags TagsFrom(const std::vector<json>& items) {
  Tags tags;
  for (const auto& t : items) tags[StringField(t, "Key")] = StringField(t, "Value");
  return tags;
}

CustomerManagedPolicy CustomerPolicyFrom(const json& ref) {
  std::string path = StringField(ref, "Path");
  return CustomerManagedPolicy{StringField(ref, "Name"), path.empty() ? "/" : path};
}

/// Canonical inline policy text: sorted keys, compact (nlohmann keeps objects
/// sorted), so it compares equal to the compiler's canonical form.
std::string CanonicalPolicy(const std::string& text) {
  if (text.empty()) return "";
  auto doc = json::parse(text, nullptr, false);
  return doc.is_discarded() ? text : doc.dump();
}

}  // namespace

bool FirstError::Fail(const AwsError& e) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!set_) {
    error_ = e;
    set_ = true;
  }
  return false;
}

DirectoryReader::DirectoryReader(JsonClient* client, ReadScope scope) : client_(client), scope_(std::move(scope)) {}

json DirectoryReader::Store() const { return json{{"IdentityStoreId", scope_.identity_store_id}}; }
json DirectoryReader::Instance() const { return json{{"InstanceArn", scope_.instance_arn}}; }

bool DirectoryReader::RunPhase(const Tasks& tasks) const { return RunParallel(scope_.parallelism, tasks); }

bool DirectoryReader::ListAll(FirstError* first, Service service, const std::string& operation, json body,
                              const std::string& items_key, std::vector<json>* items) {
  AwsError e;
  return client_->CallAll(service, operation, std::move(body), items_key, items, &e) || first->Fail(e);
}

bool DirectoryReader::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, LiveIds* ids,
                           std::string* err) {
  DirectoryState state;
  std::vector<json> users, groups, set_arns, applications;
  if (!RunPhase(ListTasks(accounts_hint, &state, &users, &groups, &set_arns, &applications))) {
    *err = "cannot read the live directory: " + first_.error().ToString();
    return false;
  }
  AddPrincipals(users, groups, &state, ids);
  if (organizations_denied_) {
    AwsError e;
    if (!FindAccountsInIdentityCenter(set_arns, &state.accounts, &e)) {
      *err = "cannot read the live directory: " + e.ToString();
      return false;
    }
  }
  Tasks phase2;
  AddMembershipTasks(&state, *ids, &phase2);
  AddApplicationTasks(applications, &state, ids, &phase2);
  std::vector<PermissionSet> sets(set_arns.size());
  for (size_t i = 0; i < set_arns.size(); ++i) {
    sets[i].arn = set_arns[i].get<std::string>();
    AddPermissionSetTasks(&sets[i], &phase2);
  }
  Provisioned provisioned;  // account → set ARNs
  Provisioned outdated;     // set ARN → accounts
  AddProvisioningTasks(state.accounts, &provisioned, &outdated, &phase2);
  if (!RunPhase(phase2)) {
    *err = "cannot read the live directory: " + first_.error().ToString();
    return false;
  }
  for (auto& ps : sets) {
    auto it = outdated.find(ps.arn);
    if (it != outdated.end()) ps.outdated_accounts = it->second;
    ids->sets[ps.arn] = ps.name;
    state.permission_sets[ps.name] = ps;
  }
  AwsError e;
  if (!ReadAssignments(&state, *ids, provisioned, &e)) {
    *err = "cannot read the live directory: " + e.ToString();
    return false;
  }
  *out = std::move(state);
  return true;
}

DirectoryReader::Tasks DirectoryReader::ListTasks(const std::map<std::string, Account>& hint, DirectoryState* state,
                                                  std::vector<json>* users, std::vector<json>* groups,
                                                  std::vector<json>* set_arns, std::vector<json>* applications) {
  json store = Store(), instance = Instance();
  store["MaxResults"] = 100;
  instance["MaxResults"] = 100;
  json apps = Instance();
  apps["MaxResults"] = 50;  // ListApplications answers at most 50 a page
  return {
      [=, this] {
        // Credentials without sso:ListApplications (roles written before
        // applications were managed) read no application rather than fail.
        AwsError e;
        if (client_->CallAll(Service::kSsoAdmin, "ListApplications", apps, "Applications", applications, &e))
          return true;
        applications->clear();
        return e.Is("AccessDeniedException") || first_.Fail(e);
      },
      [=, this] { return ListAll(&first_, Service::kIdentityStore, "ListUsers", store, "Users", users); },
      [=, this] { return ListAll(&first_, Service::kIdentityStore, "ListGroups", store, "Groups", groups); },
      [=, this] {
        return ListAll(&first_, Service::kSsoAdmin, "ListPermissionSets", instance, "PermissionSets", set_arns);
      },
      [&hint, state, this] {
        AwsError e;
        return ReadAccounts(hint, &state->accounts, &e) || first_.Fail(e);
      },
  };
}

void DirectoryReader::AddPrincipals(const std::vector<json>& users, const std::vector<json>& groups,
                                    DirectoryState* state, LiveIds* ids) {
  for (const auto& j : users) {
    User u = UserFrom(j);
    ids->users[u.id] = u.user_name;
    state->users[u.user_name] = u;
  }
  for (const auto& j : groups) {
    Group g;
    g.name = StringField(j, "DisplayName");
    g.description = StringField(j, "Description");
    g.id = StringField(j, "GroupId");
    ids->groups[g.id] = g.name;
    state->groups[g.name] = g;
  }
}

void DirectoryReader::AddApplicationTasks(const std::vector<json>& applications, DirectoryState* state, LiveIds* ids,
                                          Tasks* tasks) {
  for (const auto& j : applications) {
    Application app;
    app.arn = StringField(j, "ApplicationArn");
    app.name = StringField(j, "Name");
    // Names need not be unique: a second one is known by its ARN (declare it by arn:).
    if (app.name.empty() || state->applications.count(app.name)) app.name = app.arn;
    ids->applications[app.arn] = app.name;
    Application* slot = &(state->applications[app.name] = app);
    tasks->push_back([this, slot] {
      json out;
      AwsError e;
      if (!client_->Call(Service::kSsoAdmin, "GetApplicationAssignmentConfiguration",
                         json{{"ApplicationArn", slot->arn}}, &out, &e))
        return first_.Fail(e);
      slot->assignment_required = out.value("AssignmentRequired", true);
      return true;
    });
    tasks->push_back([this, state, ids, arn = app.arn, name = app.name] {
      std::vector<json> items;
      if (!ListAll(&first_, Service::kSsoAdmin, "ListApplicationAssignments",
                   json{{"ApplicationArn", arn}, {"MaxResults", 100}}, "ApplicationAssignments", &items))
        return false;
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& a : items) {
        bool user = StringField(a, "PrincipalType") == "USER";
        const auto& names = user ? ids->users : ids->groups;
        auto principal = names.find(StringField(a, "PrincipalId"));
        if (principal == names.end()) continue;  // a principal outside this identity store
        state->application_assignments.insert(
            {user ? PrincipalType::kUser : PrincipalType::kGroup, principal->second, name});
      }
      return true;
    });
  }
}

void DirectoryReader::AddMembershipTasks(DirectoryState* state, const LiveIds& ids, Tasks* tasks) {
  for (const auto& [name, group] : state->groups) {
    tasks->push_back([&, state, gname = name, gid = group.id] {
      json body = Store();
      body["GroupId"] = gid;
      body["MaxResults"] = 100;
      std::vector<json> members;
      if (!ListAll(&first_, Service::kIdentityStore, "ListGroupMemberships", body, "GroupMemberships", &members))
        return false;
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& m : members) {
        if (!m.contains("MemberId")) continue;
        auto it = ids.users.find(StringField(m["MemberId"], "UserId"));
        if (it != ids.users.end()) state->memberships.insert(Membership{gname, it->second});
      }
      return true;
    });
  }
}

void DirectoryReader::AddPermissionSetTasks(PermissionSet* ps, Tasks* tasks) {
  json req = Instance();
  req["PermissionSetArn"] = ps->arn;
  json list = req;
  list["MaxResults"] = 100;
  tasks->push_back([this, ps, req] {
    json out;
    AwsError e;
    if (!client_->Call(Service::kSsoAdmin, "DescribePermissionSet", req, &out, &e)) return first_.Fail(e);
    const json& d = out["PermissionSet"];
    ps->name = StringField(d, "Name");
    ps->description = StringField(d, "Description");
    ps->session_duration = StringField(d, "SessionDuration");
    if (ps->session_duration.empty()) ps->session_duration = kDefaultSessionDuration;
    ps->relay_state = StringField(d, "RelayState");
    return true;
  });
  tasks->push_back([this, ps, list] {
    std::vector<json> items;
    if (!ListAll(&first_, Service::kSsoAdmin, "ListManagedPoliciesInPermissionSet", list, "AttachedManagedPolicies",
                 &items))
      return false;
    for (const auto& p : items) ps->managed_policies.insert(StringField(p, "Arn"));
    return true;
  });
  tasks->push_back([this, ps, list] {
    std::vector<json> items;
    if (!ListAll(&first_, Service::kSsoAdmin, "ListCustomerManagedPolicyReferencesInPermissionSet", list,
                 "CustomerManagedPolicyReferences", &items))
      return false;
    for (const auto& p : items) ps->customer_managed_policies.insert(CustomerPolicyFrom(p));
    return true;
  });
  tasks->push_back([this, ps, req] {
    json out;
    AwsError e;
    if (!client_->Call(Service::kSsoAdmin, "GetInlinePolicyForPermissionSet", req, &out, &e)) return first_.Fail(e);
    ps->inline_policy = CanonicalPolicy(StringField(out, "InlinePolicy"));
    return true;
  });
  AddBoundaryTask(ps, tasks);
  tasks->push_back([this, ps] {
    json body = Instance();
    body["ResourceArn"] = ps->arn;
    std::vector<json> items;
    if (!ListAll(&first_, Service::kSsoAdmin, "ListTagsForResource", body, "Tags", &items)) return false;
    ps->tags = TagsFrom(items);
    // Ours (added on create) is not part of the model; another tool's
    // managed-by (terraform, ...) is, so plans show and keep it.
    auto mb = ps->tags.find("managed-by");
    if (mb != ps->tags.end() && mb->second == "gatehouse") ps->tags.erase(mb);
    return true;
  });
}

void DirectoryReader::AddBoundaryTask(PermissionSet* ps, Tasks* tasks) {
  json req = Instance();
  req["PermissionSetArn"] = ps->arn;
  tasks->push_back([this, ps, req] {
    json out;
    AwsError e;
    if (!client_->Call(Service::kSsoAdmin, "GetPermissionsBoundaryForPermissionSet", req, &out, &e)) {
      if (e.Is("ResourceNotFoundException")) return true;  // no boundary
      return first_.Fail(e);
    }
    if (!out.contains("PermissionsBoundary") || !out["PermissionsBoundary"].is_object()) return true;
    const json& b = out["PermissionsBoundary"];
    PermissionsBoundary pb;
    pb.managed_policy_arn = StringField(b, "ManagedPolicyArn");
    if (b.contains("CustomerManagedPolicyReference"))
      pb.customer_managed_policy = CustomerPolicyFrom(b["CustomerManagedPolicyReference"]);
    if (!pb.managed_policy_arn.empty() || pb.customer_managed_policy) ps->permissions_boundary = pb;
    return true;
  });
}

void DirectoryReader::AddProvisioningTasks(const std::map<std::string, Account>& accounts, Provisioned* provisioned,
                                           Provisioned* outdated, Tasks* tasks) {
  for (const auto& [id, account] : accounts) {
    for (bool only_outdated : {false, true}) {
      tasks->push_back([=, this, account_id = id] {
        json body = Instance();
        body["AccountId"] = account_id;
        body["MaxResults"] = 100;
        if (only_outdated) body["ProvisioningStatus"] = "LATEST_PERMISSION_SET_NOT_PROVISIONED";
        std::vector<json> items;
        if (!ListAll(&first_, Service::kSsoAdmin, "ListPermissionSetsProvisionedToAccount", body, "PermissionSets",
                     &items))
          return false;
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& a : items) {
          if (only_outdated) {
            (*outdated)[a.get<std::string>()].insert(account_id);
          } else {
            (*provisioned)[account_id].insert(a.get<std::string>());
          }
        }
        return true;
      });
    }
  }
}

bool DirectoryReader::OrganizationsDenied(const AwsError& e) {
  if (!scope_.find_accounts_in_identity_center || !e.Is("AccessDeniedException")) return false;
  organizations_denied_ = true;
  return true;
}

bool DirectoryReader::FindAccountsInIdentityCenter(const std::vector<json>& set_arns,
                                                   std::map<std::string, Account>* out, AwsError* err) {
  FirstError first;
  Tasks tasks;
  for (const auto& arn : set_arns) {
    tasks.push_back([&, arn = arn.get<std::string>()] {
      json body = Instance();
      body["PermissionSetArn"] = arn;
      body["MaxResults"] = 100;
      std::vector<json> ids;
      if (!ListAll(&first, Service::kSsoAdmin, "ListAccountsForProvisionedPermissionSet", body, "AccountIds", &ids))
        return false;
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& id : ids) {
        // Organizations is not readable: the id is the only name known.
        Account acc;
        acc.id = acc.name = id.get<std::string>();
        out->emplace(acc.id, acc);
      }
      return true;
    });
  }
  if (RunPhase(tasks)) return true;
  *err = first.error();
  return false;
}

bool DirectoryReader::ReadAccounts(const std::map<std::string, Account>& hint, std::map<std::string, Account>* out,
                                   AwsError* err) {
  if (!scope_.discover_accounts && !scope_.find_accounts_in_identity_center) {
    *out = hint;
    return true;
  }
  std::vector<json> roots;
  if (!client_->CallAll(Service::kOrganizations, "ListRoots", json::object(), "Roots", &roots, err)) {
    if (!OrganizationsDenied(*err)) return false;
    *out = hint;
    return true;
  }
  FirstError first;
  // Breadth-first over the OU tree: (parent id, OU path below Root).
  std::vector<std::pair<std::string, std::string>> level;
  for (const auto& r : roots) level.emplace_back(StringField(r, "Id"), "");
  while (!level.empty()) {
    std::vector<std::pair<std::string, std::string>> next;
    Tasks tasks;
    AddOuLevelTasks(level, &next, out, &first, &tasks);
    if (!RunPhase(tasks)) {
      *err = first.error();
      return false;
    }
    level = std::move(next);
  }
  Tasks tag_tasks;
  AddAccountTagTasks(out, &first, &tag_tasks);
  if (!RunPhase(tag_tasks)) {
    *err = first.error();
    return false;
  }
  return true;
}

void DirectoryReader::AddOuLevelTasks(const std::vector<std::pair<std::string, std::string>>& level,
                                      std::vector<std::pair<std::string, std::string>>* next,
                                      std::map<std::string, Account>* out, FirstError* first, Tasks* tasks) {
  for (const auto& [parent, path] : level) {
    tasks->push_back([=, this, parent = parent, path = path] {
      std::vector<json> ous;
      if (!ListAll(first, Service::kOrganizations, "ListOrganizationalUnitsForParent", json{{"ParentId", parent}},
                   "OrganizationalUnits", &ous))
        return false;
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& ou : ous) {
        std::string name = StringField(ou, "Name");
        next->emplace_back(StringField(ou, "Id"), path.empty() ? name : path + "/" + name);
      }
      return true;
    });
    tasks->push_back([=, this, parent = parent, path = path] {
      std::vector<json> accounts;
      if (!ListAll(first, Service::kOrganizations, "ListAccountsForParent", json{{"ParentId", parent}}, "Accounts",
                   &accounts))
        return false;
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& a : accounts) {
        Account acc;
        acc.id = StringField(a, "Id");
        acc.name = StringField(a, "Name");
        acc.ou = path;
        (*out)[acc.id] = acc;
      }
      return true;
    });
  }
}

void DirectoryReader::AddAccountTagTasks(std::map<std::string, Account>* accounts, FirstError* first, Tasks* tasks) {
  for (auto& [id, account] : *accounts) {
    tasks->push_back([this, first, acc = &account] {
      std::vector<json> tags;
      if (!ListAll(first, Service::kOrganizations, "ListTagsForResource", json{{"ResourceId", acc->id}}, "Tags", &tags))
        return false;
      acc->tags = TagsFrom(tags);
      auto env = acc->tags.find(scope_.environment_tag);
      if (env != acc->tags.end()) acc->environment = env->second;
      return true;
    });
  }
}

bool DirectoryReader::ReadAssignments(DirectoryState* state, const LiveIds& ids, const Provisioned& provisioned,
                                      AwsError* err) {
  auto add = [&](const json& a) {
    std::string type = StringField(a, "PrincipalType");
    auto set = ids.sets.find(StringField(a, "PermissionSetArn"));
    std::string account = StringField(a, "AccountId");
    if (set == ids.sets.end() || state->accounts.count(account) == 0) return;
    const auto& names = type == "USER" ? ids.users : ids.groups;
    auto principal = names.find(StringField(a, "PrincipalId"));
    if (principal == names.end()) return;  // a principal outside this identity store
    std::lock_guard<std::mutex> lock(mu_);
    state->assignments.insert(Assignment{type == "USER" ? PrincipalType::kUser : PrincipalType::kGroup,
                                         principal->second, set->second, account});
  };
  // An assignment exists only where its set is provisioned, so the pairs are
  // exhaustive. By-principal listing costs U + G calls instead of one per pair,
  // but works only for organization instances from the management (or
  // delegated admin) account; when it fails we fall back to the pairs.
  size_t pairs = 0;
  for (const auto& [account, arns] : provisioned) pairs += arns.size();
  if (ids.users.size() + ids.groups.size() < pairs) {
    if (ReadAssignmentsByPrincipal(ids, add)) return true;
    state->assignments.clear();
  }
  return ReadAssignmentsByPair(ids, provisioned, add, err);
}

bool DirectoryReader::ReadAssignmentsByPrincipal(const LiveIds& ids, const std::function<void(const json&)>& add) {
  FirstError ignored;  // any failure falls back to the pairs
  Tasks tasks;
  for (const auto* names : {&ids.users, &ids.groups}) {
    std::string type = names == &ids.users ? "USER" : "GROUP";
    for (const auto& [pid, name] : *names) {
      tasks.push_back([&, pid = pid, type] {
        json body = Instance();
        body["PrincipalId"] = pid;
        body["PrincipalType"] = type;
        body["MaxResults"] = 100;
        std::vector<json> items;
        if (!ListAll(&ignored, Service::kSsoAdmin, "ListAccountAssignmentsForPrincipal", body, "AccountAssignments",
                     &items))
          return false;
        for (const auto& a : items)
          if (StringField(a, "PrincipalId") == pid) add(a);
        return true;
      });
    }
  }
  return RunPhase(tasks);
}

bool DirectoryReader::ReadAssignmentsByPair(const LiveIds& ids, const Provisioned& provisioned,
                                            const std::function<void(const json&)>& add, AwsError* err) {
  FirstError first;
  Tasks tasks;
  for (const auto& [account, arns] : provisioned) {
    for (const auto& arn : arns) {
      if (ids.sets.count(arn) == 0) continue;
      tasks.push_back([&, account = account, arn = arn] {
        json body = Instance();
        body["AccountId"] = account;
        body["PermissionSetArn"] = arn;
        body["MaxResults"] = 100;
        std::vector<json> items;
        if (!ListAll(&first, Service::kSsoAdmin, "ListAccountAssignments", body, "AccountAssignments", &items))
          return false;
        for (const auto& a : items) add(a);
        return true;
      });
    }
  }
  if (RunPhase(tasks)) return true;
  *err = first.error();
  return false;
}

}  // namespace gatehouse::aws
