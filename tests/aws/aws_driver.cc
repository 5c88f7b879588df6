// Test driver for the AWS target: reads the live directory or converges it to
// a desired state (a tiny planner/executor of its own, so these tests do not
// depend on the compiler's), printing JSON on stdout. Used by e2e_fake_test.py.
//
//   aws_driver read  --endpoint URL --instance ARN --store ID [--accounts FILE] [--discover]
//   aws_driver apply DESIRED.json --endpoint URL --instance ARN --store ID [--threads N] [--rps R]
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "runtime/aws/aws_target.h"
#include "runtime/aws/worker_pool.h"

using gatehouse::Account;
using gatehouse::Action;
using gatehouse::Assignment;
using gatehouse::CustomerManagedPolicy;
using gatehouse::DirectoryState;
using gatehouse::Group;
using gatehouse::Membership;
using gatehouse::ObjectKind;
using gatehouse::Operation;
using gatehouse::PermissionsBoundary;
using gatehouse::PermissionSet;
using gatehouse::PrincipalType;
using gatehouse::User;
using nlohmann::json;

namespace {

json ToJson(const DirectoryState& s) {
  json j = {{"users", json::object()},           {"groups", json::object()},   {"memberships", json::array()},
            {"permission_sets", json::object()}, {"accounts", json::object()}, {"assignments", json::array()}};
  for (const auto& [k, u] : s.users) {
    j["users"][k] = {{"display_name", u.display_name},
                     {"given_name", u.given_name},
                     {"family_name", u.family_name},
                     {"email", u.email}};
  }
  for (const auto& [k, g] : s.groups) j["groups"][k] = {{"description", g.description}};
  for (const auto& m : s.memberships) j["memberships"].push_back({m.group, m.user});
  for (const auto& [k, p] : s.permission_sets) {
    json cmp = json::array();
    for (const auto& c : p.customer_managed_policies) cmp.push_back({{"name", c.name}, {"path", c.path}});
    json boundary = nullptr;
    if (p.permissions_boundary) {
      boundary = {{"managed_policy_arn", p.permissions_boundary->managed_policy_arn}};
      if (p.permissions_boundary->customer_managed_policy) {
        boundary["customer_managed_policy"] = {{"name", p.permissions_boundary->customer_managed_policy->name},
                                               {"path", p.permissions_boundary->customer_managed_policy->path}};
      }
    }
    j["permission_sets"][k] = {{"description", p.description},
                               {"session_duration", p.session_duration},
                               {"relay_state", p.relay_state},
                               {"managed_policies", p.managed_policies},
                               {"customer_managed_policies", cmp},
                               {"inline_policy", p.inline_policy},
                               {"permissions_boundary", boundary},
                               {"tags", p.tags},
                               {"outdated_accounts", p.outdated_accounts}};
  }
  for (const auto& [k, a] : s.accounts) {
    j["accounts"][k] = {{"name", a.name}, {"ou", a.ou}, {"environment", a.environment}, {"tags", a.tags}};
  }
  for (const auto& a : s.assignments) {
    j["assignments"].push_back(
        {a.principal_type == PrincipalType::kUser ? "USER" : "GROUP", a.principal, a.permission_set, a.account_id});
  }
  return j;
}

std::string S(const json& j, const char* k) { return j.value(k, std::string()); }

/// j[k] when present, else an empty value (object or array), kept alive by the caller.
json Field(const json& j, const char* k, json empty) { return j.contains(k) ? j[k] : empty; }

DirectoryState FromJson(const json& j) {
  DirectoryState s;
  const json j_users = Field(j, "users", json::object());
  for (const auto& [k, v] : j_users.items()) {
    s.users[k] = User{k, S(v, "display_name"), S(v, "given_name"), S(v, "family_name"), S(v, "email"), ""};
  }
  const json j_groups = Field(j, "groups", json::object());
  for (const auto& [k, v] : j_groups.items()) {
    s.groups[k] = Group{k, S(v, "description"), ""};
  }
  for (const auto& m : j.value("memberships", json::array())) s.memberships.insert(Membership{m[0], m[1]});
  const json j_permission_sets = Field(j, "permission_sets", json::object());
  for (const auto& [k, v] : j_permission_sets.items()) {
    PermissionSet p;
    p.name = k;
    p.description = S(v, "description");
    p.session_duration = v.value("session_duration", std::string("PT1H"));
    p.relay_state = S(v, "relay_state");
    for (const auto& m : v.value("managed_policies", json::array())) p.managed_policies.insert(m.get<std::string>());
    for (const auto& c : v.value("customer_managed_policies", json::array())) {
      p.customer_managed_policies.insert(CustomerManagedPolicy{S(c, "name"), c.value("path", std::string("/"))});
    }
    std::string inl = S(v, "inline_policy");
    p.inline_policy = inl.empty() ? "" : json::parse(inl).dump();
    if (v.contains("permissions_boundary") && v["permissions_boundary"].is_object()) {
      const json& b = v["permissions_boundary"];
      PermissionsBoundary pb;
      pb.managed_policy_arn = S(b, "managed_policy_arn");
      if (b.contains("customer_managed_policy")) {
        pb.customer_managed_policy = CustomerManagedPolicy{
            S(b["customer_managed_policy"], "name"), b["customer_managed_policy"].value("path", std::string("/"))};
      }
      p.permissions_boundary = pb;
    }
    const json tags = Field(v, "tags", json::object());
    for (const auto& [tk, tv] : tags.items()) p.tags[tk] = tv;
    s.permission_sets[k] = p;
  }
  const json j_accounts = Field(j, "accounts", json::object());
  for (const auto& [k, v] : j_accounts.items()) {
    Account a{k, S(v, "name"), S(v, "ou"), S(v, "environment"), {}};
    const json tags = Field(v, "tags", json::object());
    for (const auto& [tk, tv] : tags.items()) a.tags[tk] = tv;
    s.accounts[k] = a;
  }
  for (const auto& a : j.value("assignments", json::array())) {
    s.assignments.insert(Assignment{a[0] == "USER" ? PrincipalType::kUser : PrincipalType::kGroup, a[1], a[2], a[3]});
  }
  return s;
}

/// Operations grouped in phases that respect the dependencies; each phase runs in parallel.
std::vector<std::vector<Operation>> Diff(const DirectoryState& live, const DirectoryState& want) {
  std::vector<std::vector<Operation>> phases(6);
  auto op = [](ObjectKind k, Action a, std::string name, auto before, auto after) {
    Operation o;
    o.kind = k;
    o.action = a;
    o.name = std::move(name);
    if (before) o.before = *before;
    if (after) o.after = *after;
    return o;
  };
  for (const auto& [k, u] : want.users) {
    auto it = live.users.find(k);
    if (it == live.users.end())
      phases[0].push_back(op(ObjectKind::kUser, Action::kCreate, k, (User*)nullptr, &u));
    else if (!(it->second == u))
      phases[0].push_back(op(ObjectKind::kUser, Action::kUpdate, k, &it->second, &u));
  }
  for (const auto& [k, g] : want.groups) {
    auto it = live.groups.find(k);
    if (it == live.groups.end())
      phases[0].push_back(op(ObjectKind::kGroup, Action::kCreate, k, (Group*)nullptr, &g));
    else if (!(it->second == g))
      phases[0].push_back(op(ObjectKind::kGroup, Action::kUpdate, k, &it->second, &g));
  }
  for (const auto& m : want.memberships) {
    if (!live.memberships.count(m))
      phases[1].push_back(
          op(ObjectKind::kMembership, Action::kCreate, m.group + "/" + m.user, (Membership*)nullptr, &m));
  }
  for (const auto& [k, p] : want.permission_sets) {
    auto it = live.permission_sets.find(k);
    if (it == live.permission_sets.end())
      phases[1].push_back(op(ObjectKind::kPermissionSet, Action::kCreate, k, (PermissionSet*)nullptr, &p));
    else if (!(it->second == p) || !it->second.outdated_accounts.empty())
      phases[1].push_back(op(ObjectKind::kPermissionSet, Action::kUpdate, k, &it->second, &p));
  }
  for (const auto& a : want.assignments) {
    if (!live.assignments.count(a))
      phases[2].push_back(op(ObjectKind::kAssignment, Action::kCreate,
                             a.principal + "->" + a.permission_set + "@" + a.account_id, (Assignment*)nullptr, &a));
  }
  for (const auto& a : live.assignments) {
    if (!want.assignments.count(a))
      phases[3].push_back(op(ObjectKind::kAssignment, Action::kDelete,
                             a.principal + "->" + a.permission_set + "@" + a.account_id, &a, (Assignment*)nullptr));
  }
  for (const auto& [k, p] : live.permission_sets) {
    if (!want.permission_sets.count(k))
      phases[4].push_back(op(ObjectKind::kPermissionSet, Action::kDelete, k, &p, (PermissionSet*)nullptr));
  }
  for (const auto& m : live.memberships) {
    if (!want.memberships.count(m))
      phases[4].push_back(
          op(ObjectKind::kMembership, Action::kDelete, m.group + "/" + m.user, &m, (Membership*)nullptr));
  }
  for (const auto& [k, u] : live.users) {
    if (!want.users.count(k)) phases[5].push_back(op(ObjectKind::kUser, Action::kDelete, k, &u, (User*)nullptr));
  }
  for (const auto& [k, g] : live.groups) {
    if (!want.groups.count(k)) phases[5].push_back(op(ObjectKind::kGroup, Action::kDelete, k, &g, (Group*)nullptr));
  }
  return phases;
}

int Usage() {
  std::cerr << "usage: aws_driver read|apply [DESIRED.json] --endpoint URL --instance ARN --store ID "
               "[--region R] [--accounts FILE] [--discover] [--threads N] [--rps R] [--profile P]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string cmd = argv[1];
  std::string desired_path, accounts_path;
  gatehouse::TargetSpec spec;
  spec.type = "aws";
  spec.region = "us-east-1";
  size_t threads = 16;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--endpoint")
      spec.endpoint_url = next();
    else if (a == "--instance")
      spec.instance_arn = next();
    else if (a == "--store")
      spec.identity_store_id = next();
    else if (a == "--region")
      spec.region = next();
    else if (a == "--accounts")
      accounts_path = next();
    else if (a == "--discover")
      spec.discover_accounts = true;
    else if (a == "--threads")
      threads = std::stoul(next());
    else if (a == "--rps")
      spec.requests_per_second = std::stod(next());
    else if (a == "--profile")
      spec.profile = next();
    else if (a[0] != '-' && desired_path.empty())
      desired_path = a;
    else
      return Usage();
  }
  std::string err;
  auto env = gatehouse::aws::Environment::Process();
  auto target = gatehouse::aws::MakeAwsTarget(spec, env, &err);
  if (!target) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  auto* aws = static_cast<gatehouse::aws::AwsTarget*>(target.get());
  DirectoryState desired;
  if (!desired_path.empty()) {
    std::ifstream in(desired_path);
    desired = FromJson(json::parse(in));
  }
  std::map<std::string, Account> hint = desired.accounts;
  if (!accounts_path.empty()) {
    std::ifstream in(accounts_path);
    hint = FromJson(json{{"accounts", json::parse(in)}}).accounts;
  }
  auto t0 = std::chrono::steady_clock::now();
  DirectoryState live;
  if (!target->Read(hint, &live, &err)) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  double read_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  json result = {{"read_calls", aws->last_read_calls()}, {"read_seconds", read_secs}};
  if (cmd == "read") {
    result["state"] = ToJson(live);
    std::cout << result.dump() << "\n";
    return 0;
  }
  if (cmd != "apply") return Usage();
  auto phases = Diff(live, desired);
  size_t total = 0;
  for (const auto& p : phases) total += p.size();
  aws->SetPlannedOperations(total);
  if (!target->Lock(&err)) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  size_t requests_before = aws->client().requests_sent();
  size_t retries_before = aws->client().retries();
  auto t1 = std::chrono::steady_clock::now();
  json failed = json::array();
  json counts = json::object();
  std::mutex mu;
  for (const auto& phase : phases) {
    std::vector<std::function<bool()>> tasks;
    for (const auto& op : phase) {
      tasks.push_back([&, op] {
        auto r = target->Apply(op);
        std::lock_guard<std::mutex> lock(mu);
        std::string key = std::string(op.kind == ObjectKind::kUser            ? "user"
                                      : op.kind == ObjectKind::kGroup         ? "group"
                                      : op.kind == ObjectKind::kMembership    ? "membership"
                                      : op.kind == ObjectKind::kPermissionSet ? "permission_set"
                                                                              : "assignment") +
                          "." +
                          (op.action == Action::kCreate   ? "create"
                           : op.action == Action::kUpdate ? "update"
                                                          : "delete");
        counts[key] = counts.value(key, 0) + 1;
        if (!r.ok) failed.push_back({{"op", op.name}, {"error", r.error}});
        return true;
      });
    }
    gatehouse::aws::RunParallel(threads, tasks);
  }
  target->Unlock();
  double apply_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  result["ops"] = total;
  result["counts"] = counts;
  result["failed"] = failed;
  result["apply_seconds"] = apply_secs;
  result["apply_requests"] = aws->client().requests_sent() - requests_before;
  result["apply_retries"] = aws->client().retries() - retries_before;
  std::cout << result.dump() << "\n";
  return failed.empty() ? 0 : 3;
}
