// AwsTarget::Read: the live directory in bulk. Phases, each run in parallel
// under the per-family rate limiters (call counts in README.md):
//   1. users, groups, permission set ARNs, accounts;
//   2. memberships per group, six reads per permission set, two provisioning
//      lists per account;
//   3. assignments, by (account, provisioned set) pair or by principal.
#include <mutex>

#include "runtime/aws/aws_target.h"
#include "runtime/aws/worker_pool.h"

namespace gatehouse::aws {

using nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

User UserFrom(const json& j) {
  User u;
  u.user_name = Str(j, "UserName");
  u.display_name = Str(j, "DisplayName");
  if (j.contains("Name") && j["Name"].is_object()) {
    u.given_name = Str(j["Name"], "GivenName");
    u.family_name = Str(j["Name"], "FamilyName");
  }
  if (j.contains("Emails") && j["Emails"].is_array()) {
    for (const auto& e : j["Emails"]) {
      if (u.email.empty() || e.value("Primary", false)) u.email = Str(e, "Value");
    }
  }
  u.id = Str(j, "UserId");
  return u;
}

Tags TagsFrom(const std::vector<json>& items) {
  Tags tags;
  for (const auto& t : items) tags[Str(t, "Key")] = Str(t, "Value");
  return tags;
}

/// Canonical inline policy text: sorted keys, compact (nlohmann keeps objects
/// sorted), so it compares equal to the compiler's canonical form.
std::string CanonicalPolicy(const std::string& text) {
  if (text.empty()) return "";
  auto doc = json::parse(text, nullptr, false);
  return doc.is_discarded() ? text : doc.dump();
}

/// Collects the first error of parallel tasks.
class FirstError {
 public:
  bool Fail(const AwsError& e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!set_) {
      error_ = e;
      set_ = true;
    }
    return false;
  }
  const AwsError& error() const { return error_; }

 private:
  std::mutex mu_;
  bool set_ = false;
  AwsError error_;
};

}  // namespace

bool AwsTarget::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) {
  size_t calls_before = client_.requests_sent();
  DirectoryState state;
  FirstError first;
  std::mutex mu;
  std::vector<json> users, groups, set_arns;
  size_t threads = options_.read_parallelism;

  // Phase 1.
  std::vector<std::function<bool()>> phase1 = {
      [&] {
        json body = Store();
        body["MaxResults"] = 100;
        AwsError e;
        return client_.CallAll(Service::kIdentityStore, "ListUsers", body, "Users", &users, &e) || first.Fail(e);
      },
      [&] {
        json body = Store();
        body["MaxResults"] = 100;
        AwsError e;
        return client_.CallAll(Service::kIdentityStore, "ListGroups", body, "Groups", &groups, &e) || first.Fail(e);
      },
      [&] {
        json body = Instance();
        body["MaxResults"] = 100;
        AwsError e;
        return client_.CallAll(Service::kSsoAdmin, "ListPermissionSets", body, "PermissionSets", &set_arns, &e) ||
               first.Fail(e);
      },
      [&] {
        AwsError e;
        return ReadAccounts(accounts_hint, &state.accounts, &e) || first.Fail(e);
      },
  };
  if (!RunParallel(threads, phase1)) {
    *err = "cannot read the live directory: " + first.error().ToString();
    return false;
  }

  std::map<std::string, std::string> user_names, group_names, set_names;  // id → name
  for (const auto& j : users) {
    User u = UserFrom(j);
    user_names[u.id] = u.user_name;
    state.users[u.user_name] = u;
  }
  for (const auto& j : groups) {
    Group g;
    g.name = Str(j, "DisplayName");
    g.description = Str(j, "Description");
    g.id = Str(j, "GroupId");
    group_names[g.id] = g.name;
    state.groups[g.name] = g;
  }

  // Phase 2.
  std::vector<std::function<bool()>> phase2;
  for (const auto& [name, group] : state.groups) {
    phase2.push_back([&, gname = name, gid = group.id] {
      json body = Store();
      body["GroupId"] = gid;
      body["MaxResults"] = 100;
      std::vector<json> members;
      AwsError e;
      if (!client_.CallAll(Service::kIdentityStore, "ListGroupMemberships", body, "GroupMemberships", &members, &e)) {
        return first.Fail(e);
      }
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& m : members) {
        if (!m.contains("MemberId")) continue;
        auto it = user_names.find(Str(m["MemberId"], "UserId"));
        if (it != user_names.end()) state.memberships.insert(Membership{gname, it->second});
      }
      return true;
    });
  }
  std::vector<PermissionSet> sets(set_arns.size());
  for (size_t i = 0; i < set_arns.size(); ++i) {
    PermissionSet* ps = &sets[i];
    ps->arn = set_arns[i].get<std::string>();
    json req = Instance();
    req["PermissionSetArn"] = ps->arn;
    phase2.push_back([&, ps, req] {
      json out;
      AwsError e;
      if (!client_.Call(Service::kSsoAdmin, "DescribePermissionSet", req, &out, &e)) {
        return first.Fail(e);
      }
      const json& d = out["PermissionSet"];
      ps->name = Str(d, "Name");
      ps->description = Str(d, "Description");
      ps->session_duration = Str(d, "SessionDuration");
      if (ps->session_duration.empty()) ps->session_duration = "PT1H";
      ps->relay_state = Str(d, "RelayState");
      return true;
    });
    phase2.push_back([&, ps, req] {
      json body = req;
      body["MaxResults"] = 100;
      std::vector<json> items;
      AwsError e;
      if (!client_.CallAll(Service::kSsoAdmin, "ListManagedPoliciesInPermissionSet", body, "AttachedManagedPolicies",
                           &items, &e)) {
        return first.Fail(e);
      }
      for (const auto& p : items) ps->managed_policies.insert(Str(p, "Arn"));
      return true;
    });
    phase2.push_back([&, ps, req] {
      json body = req;
      body["MaxResults"] = 100;
      std::vector<json> items;
      AwsError e;
      if (!client_.CallAll(Service::kSsoAdmin, "ListCustomerManagedPolicyReferencesInPermissionSet", body,
                           "CustomerManagedPolicyReferences", &items, &e)) {
        return first.Fail(e);
      }
      for (const auto& p : items) {
        std::string path = Str(p, "Path");
        ps->customer_managed_policies.insert(CustomerManagedPolicy{Str(p, "Name"), path.empty() ? "/" : path});
      }
      return true;
    });
    phase2.push_back([&, ps, req] {
      json out;
      AwsError e;
      if (!client_.Call(Service::kSsoAdmin, "GetInlinePolicyForPermissionSet", req, &out, &e)) {
        return first.Fail(e);
      }
      ps->inline_policy = CanonicalPolicy(Str(out, "InlinePolicy"));
      return true;
    });
    phase2.push_back([&, ps, req] {
      json out;
      AwsError e;
      if (!client_.Call(Service::kSsoAdmin, "GetPermissionsBoundaryForPermissionSet", req, &out, &e)) {
        if (e.Is("ResourceNotFoundException")) return true;  // no boundary
        return first.Fail(e);
      }
      if (!out.contains("PermissionsBoundary") || !out["PermissionsBoundary"].is_object()) {
        return true;
      }
      const json& b = out["PermissionsBoundary"];
      PermissionsBoundary pb;
      pb.managed_policy_arn = Str(b, "ManagedPolicyArn");
      if (b.contains("CustomerManagedPolicyReference")) {
        const json& r = b["CustomerManagedPolicyReference"];
        std::string path = Str(r, "Path");
        pb.customer_managed_policy = CustomerManagedPolicy{Str(r, "Name"), path.empty() ? "/" : path};
      }
      if (!pb.managed_policy_arn.empty() || pb.customer_managed_policy) {
        ps->permissions_boundary = pb;
      }
      return true;
    });
    phase2.push_back([&, ps, req] {
      json body = Instance();
      body["ResourceArn"] = ps->arn;
      std::vector<json> items;
      AwsError e;
      if (!client_.CallAll(Service::kSsoAdmin, "ListTagsForResource", body, "Tags", &items, &e)) {
        return first.Fail(e);
      }
      ps->tags = TagsFrom(items);
      // Ours (added on create) is not part of the model; another tool's
      // managed-by (terraform, ...) is, so plans show and keep it.
      auto mb = ps->tags.find("managed-by");
      if (mb != ps->tags.end() && mb->second == "gatehouse") ps->tags.erase(mb);
      return true;
    });
  }
  std::map<std::string, std::set<std::string>> provisioned;  // account → set ARNs
  std::map<std::string, std::set<std::string>> outdated;     // set ARN → accounts
  for (const auto& [id, account] : state.accounts) {
    for (bool only_outdated : {false, true}) {
      phase2.push_back([&, account_id = id, only_outdated] {
        json body = Instance();
        body["AccountId"] = account_id;
        body["MaxResults"] = 100;
        if (only_outdated) body["ProvisioningStatus"] = "LATEST_PERMISSION_SET_NOT_PROVISIONED";
        std::vector<json> items;
        AwsError e;
        if (!client_.CallAll(Service::kSsoAdmin, "ListPermissionSetsProvisionedToAccount", body, "PermissionSets",
                             &items, &e)) {
          return first.Fail(e);
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& a : items) {
          if (only_outdated) {
            outdated[a.get<std::string>()].insert(account_id);
          } else {
            provisioned[account_id].insert(a.get<std::string>());
          }
        }
        return true;
      });
    }
  }
  if (!RunParallel(threads, phase2)) {
    *err = "cannot read the live directory: " + first.error().ToString();
    return false;
  }
  for (auto& ps : sets) {
    auto it = outdated.find(ps.arn);
    if (it != outdated.end()) ps.outdated_accounts = it->second;
    set_names[ps.arn] = ps.name;
    state.permission_sets[ps.name] = ps;
  }

  AwsError e;
  if (!ReadAssignments(&state, user_names, group_names, set_names, provisioned, &e)) {
    *err = "cannot read the live directory: " + e.ToString();
    return false;
  }

  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    user_ids_.clear();
    group_ids_.clear();
    set_arns_.clear();
    for (const auto& [id, name] : user_names) user_ids_[name] = id;
    for (const auto& [id, name] : group_names) group_ids_[name] = id;
    for (const auto& [arn, name] : set_names) set_arns_[name] = arn;
  }
  last_read_calls_ = client_.requests_sent() - calls_before;
  *out = std::move(state);
  return true;
}

bool AwsTarget::ReadAssignments(DirectoryState* state, const std::map<std::string, std::string>& user_names,
                                const std::map<std::string, std::string>& group_names,
                                const std::map<std::string, std::string>& set_names,
                                const std::map<std::string, std::set<std::string>>& provisioned, AwsError* err) {
  FirstError by_principal, by_pair;
  std::mutex mu;
  auto add = [&](const json& a) {
    std::string type = Str(a, "PrincipalType");
    std::string pid = Str(a, "PrincipalId");
    auto set = set_names.find(Str(a, "PermissionSetArn"));
    std::string account = Str(a, "AccountId");
    if (set == set_names.end() || state->accounts.count(account) == 0) return;
    const auto& names = type == "USER" ? user_names : group_names;
    auto principal = names.find(pid);
    if (principal == names.end()) return;  // a principal outside this identity store
    std::lock_guard<std::mutex> lock(mu);
    state->assignments.insert(Assignment{type == "USER" ? PrincipalType::kUser : PrincipalType::kGroup,
                                         principal->second, set->second, account});
  };

  // An assignment exists only where its set is provisioned, so the pairs are
  // exhaustive. By-principal listing costs U + G calls instead of one per pair,
  // but works only for organization instances from the management (or
  // delegated admin) account; when it fails we fall back to the pairs.
  size_t pairs = 0;
  for (const auto& [account, arns] : provisioned) pairs += arns.size();
  size_t principals = user_names.size() + group_names.size();
  if (principals < pairs) {
    std::vector<std::function<bool()>> tasks;
    for (const auto* names : {&user_names, &group_names}) {
      std::string type = names == &user_names ? "USER" : "GROUP";
      for (const auto& [pid, name] : *names) {
        tasks.push_back([&, pid = pid, type] {
          json body = Instance();
          body["PrincipalId"] = pid;
          body["PrincipalType"] = type;
          body["MaxResults"] = 100;
          std::vector<json> items;
          AwsError e;
          if (!client_.CallAll(Service::kSsoAdmin, "ListAccountAssignmentsForPrincipal", body, "AccountAssignments",
                               &items, &e)) {
            return by_principal.Fail(e);
          }
          for (const auto& a : items) {
            if (Str(a, "PrincipalId") == pid) add(a);
          }
          return true;
        });
      }
    }
    if (RunParallel(options_.read_parallelism, tasks)) return true;
    state->assignments.clear();
  }

  std::vector<std::function<bool()>> tasks;
  for (const auto& [account, arns] : provisioned) {
    for (const auto& arn : arns) {
      if (set_names.count(arn) == 0) continue;
      tasks.push_back([&, account = account, arn = arn] {
        json body = Instance();
        body["AccountId"] = account;
        body["PermissionSetArn"] = arn;
        body["MaxResults"] = 100;
        std::vector<json> items;
        AwsError e;
        if (!client_.CallAll(Service::kSsoAdmin, "ListAccountAssignments", body, "AccountAssignments", &items, &e)) {
          return by_pair.Fail(e);
        }
        for (const auto& a : items) add(a);
        return true;
      });
    }
  }
  if (!RunParallel(options_.read_parallelism, tasks)) {
    *err = by_pair.error();
    return false;
  }
  return true;
}

bool AwsTarget::ReadAccounts(const std::map<std::string, Account>& hint, std::map<std::string, Account>* out,
                             AwsError* err) {
  if (!spec_.discover_accounts) {
    *out = hint;
    return true;
  }
  std::vector<json> roots;
  if (!client_.CallAll(Service::kOrganizations, "ListRoots", json::object(), "Roots", &roots, err)) {
    return false;
  }
  FirstError first;
  std::mutex mu;
  // Breadth-first over the OU tree: (parent id, OU path below Root).
  std::vector<std::pair<std::string, std::string>> level;
  for (const auto& r : roots) level.emplace_back(Str(r, "Id"), "");
  while (!level.empty()) {
    std::vector<std::pair<std::string, std::string>> next;
    std::vector<std::function<bool()>> tasks;
    for (const auto& [parent, path] : level) {
      tasks.push_back([&, parent = parent, path = path] {
        std::vector<json> ous;
        AwsError e;
        if (!client_.CallAll(Service::kOrganizations, "ListOrganizationalUnitsForParent", json{{"ParentId", parent}},
                             "OrganizationalUnits", &ous, &e)) {
          return first.Fail(e);
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& ou : ous) {
          next.emplace_back(Str(ou, "Id"), path.empty() ? Str(ou, "Name") : path + "/" + Str(ou, "Name"));
        }
        return true;
      });
      tasks.push_back([&, parent = parent, path = path] {
        std::vector<json> accounts;
        AwsError e;
        if (!client_.CallAll(Service::kOrganizations, "ListAccountsForParent", json{{"ParentId", parent}}, "Accounts",
                             &accounts, &e)) {
          return first.Fail(e);
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& a : accounts) {
          Account acc;
          acc.id = Str(a, "Id");
          acc.name = Str(a, "Name");
          acc.ou = path;
          (*out)[acc.id] = acc;
        }
        return true;
      });
    }
    if (!RunParallel(options_.read_parallelism, tasks)) {
      *err = first.error();
      return false;
    }
    level = std::move(next);
  }
  std::vector<std::function<bool()>> tag_tasks;
  for (auto& [id, account] : *out) {
    tag_tasks.push_back([&, acc = &account] {
      std::vector<json> tags;
      AwsError e;
      if (!client_.CallAll(Service::kOrganizations, "ListTagsForResource", json{{"ResourceId", acc->id}}, "Tags", &tags,
                           &e)) {
        return first.Fail(e);
      }
      acc->tags = TagsFrom(tags);
      auto env = acc->tags.find(spec_.environment_tag);
      if (env != acc->tags.end()) acc->environment = env->second;
      return true;
    });
  }
  if (!RunParallel(options_.read_parallelism, tag_tasks)) {
    *err = first.error();
    return false;
  }
  return true;
}

}  // namespace gatehouse::aws
