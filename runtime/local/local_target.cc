#include "runtime/local/local_target.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "compiler/iam/policy_acceptance.h"
#include "compiler/state_json.h"
#include "compiler/text.h"
#include "runtime/local/atomic_file.h"
#include "runtime/local/directory_assembler.h"
#include "runtime/local/directory_snapshot.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace gatehouse {

namespace {

std::string RandomUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<uint64_t> dist;
  uint64_t a = dist(rng), b = dist(rng);
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  char buf[40];
  snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
           static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff), static_cast<unsigned>(b >> 48),
           static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

json EmptyDirectory() {
  return {{"format_version", "1"},
          {"instance_arn", "arn:aws:sso:::instance/ssoins-local00000000000"},
          {"identity_store_id", "d-0000000000"},
          {"users", json::array()},
          {"groups", json::array()},
          {"memberships", json::array()},
          {"permission_sets", json::array()},
          {"assignments", json::array()}};
}

OpResult Fail(std::string msg) { return OpResult{false, std::move(msg)}; }

/// What Identity Center's PutInlinePolicyToPermissionSet would refuse, as it
/// would: the first problem fails the operation ("" when accepted).
std::string InlinePolicyRefusal(const PermissionSet& ps) {
  if (ps.inline_policy.empty()) return "";
  json doc = json::parse(ps.inline_policy, nullptr, false);
  std::vector<iam::PolicyIssue> issues = iam::InlinePolicyRefusals(doc, ps.inline_policy);
  return issues.empty() ? "" : iam::DescribeRefusal(issues.front(), ps.name) + " (ValidationException)";
}

}  // namespace

LocalTarget::LocalTarget(std::string path, std::function<std::string()> new_id)
    : path_(std::move(path)), new_id_(new_id ? std::move(new_id) : RandomUuid) {}

LocalTarget::~LocalTarget() { Unlock(); }

namespace {

constexpr const char* kLists[] = {"users", "groups", "memberships", "permission_sets", "assignments"};
constexpr const char* kNotTouched =
    "; it was not changed (restore it, or move it away to start from an empty directory)";

/// Checks a directory file's text; "" when it is one this version reads, else
/// why not (the caller names the file). Nothing is repaired: a damaged file is
/// refused, never rewritten.
std::string ParseDirectory(const std::string& text, json* doc) {
  if (text.empty()) return " is empty (truncated?)";
  try {
    *doc = json::parse(text);
  } catch (const json::exception& e) {
    return std::string(" is not valid JSON (truncated or damaged?): ") + e.what();
  }
  if (!doc->is_object() || !doc->contains("format_version"))
    return " is not a Gatehouse local directory (no format_version)";
  const json& version = (*doc)["format_version"];
  if (version != "1")
    return " has format_version " + version.dump() + ", which this version of Gatehouse does not read (it reads \"1\")";
  for (const char* k : kLists) {
    if (!doc->contains(k)) (*doc)[k] = json::array();
    if (!(*doc)[k].is_array()) return std::string(" is damaged: \"") + k + "\" is not a list";
    for (const json& item : (*doc)[k])
      if (!item.is_object()) return std::string(" is damaged: an entry of \"") + k + "\" is not an object";
  }
  return "";
}

}  // namespace

bool LocalTarget::LoadLocked(std::string* err) {
  if (loaded_) return true;
  std::error_code ec;
  bool exists = fs::exists(path_, ec);
  if (ec) {
    *err = "cannot read " + path_ + ": " + ec.message();
    return false;
  }
  if (!exists) {
    doc_ = EmptyDirectory();
    loaded_ = true;
    BuildIndex();
    return true;
  }
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    *err = "cannot read " + path_ + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (std::string why = ParseDirectory(ss.str(), &doc_); !why.empty()) {
    *err = path_ + why + kNotTouched;
    doc_ = json();
    return false;
  }
  try {
    BuildIndex();
  } catch (const json::exception& e) {
    *err = path_ + " is damaged: " + e.what() + kNotTouched;
    doc_ = json();
    return false;
  }
  loaded_ = true;
  return true;
}

bool LocalTarget::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  // Without the lock (plan, drift, access) the file is only read: the fast path.
  if (!loaded_ && lock_fd_ < 0 && !modified_ && ReadSnapshot(accounts_hint, out)) return true;
  if (!LoadLocked(err)) return false;
  *out = DirectoryState{};
  out->accounts = accounts_hint;
  DirectoryAssembler assemble(out, find_accounts_);
  try {
    for (const auto& u : doc_["users"])
      if (!u.is_null()) assemble.AddUser(u);
    for (const auto& g : doc_["groups"])
      if (!g.is_null()) assemble.AddGroup(g);
    for (const auto& m : doc_["memberships"])
      if (!m.is_null()) assemble.AddMembership(m.value("user_id", ""), m.value("group_id", ""));
    for (const auto& p : doc_["permission_sets"])
      if (!p.is_null()) assemble.AddPermissionSet(p);
    for (const auto& a : doc_["assignments"])
      if (!a.is_null())
        assemble.AddAssignment(a.value("principal_type", ""), a.value("principal_id", ""),
                               a.value("permission_set_arn", ""), a.value("account_id", ""));
    for (const auto& a : doc_.value("applications", json::array()))
      if (!a.is_null()) assemble.AddApplication(a);
    for (const auto& a : doc_.value("application_assignments", json::array()))
      if (!a.is_null())
        assemble.AddApplicationAssignment(a.value("principal_type", ""), a.value("principal_id", ""),
                                          a.value("application_arn", ""));
  } catch (const json::exception& e) {
    *err = path_ + " is damaged: " + e.what();
    return false;
  }
  // A read without the lock (plan, drift, access) is the last use of the
  // document: it is freed, not held (~5x the file's size) while the plan is made.
  if (lock_fd_ < 0 && !modified_) Unload();
  return true;
}

bool LocalTarget::ReadSnapshot(const std::map<std::string, Account>& accounts_hint, DirectoryState* out) {
  *out = DirectoryState{};
  out->accounts = accounts_hint;
  DirectoryAssembler assemble(out, find_accounts_);
  return ReadDirectorySnapshot(path_, &assemble);
}

void LocalTarget::Unload() {
  doc_ = json();
  loaded_ = false;
  for (auto* index : {&users_, &groups_, &sets_, &members_, &assigns_, &apps_, &app_assigns_}) index->clear();
}

namespace {
/// The pid a lock file names ("" when none).
std::string LockHolder(int fd) {
  char buf[32] = {0};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
  return holder;
}
}  // namespace

bool LocalTarget::Lock(std::string* err) {
  std::string lock_path = path_ + ".lock";
  std::error_code ec;
  fs::path p(lock_path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = "cannot open lock file " + lock_path + ": " + std::strerror(errno);
    return false;
  }
  // The kernel drops a flock when its holder dies (kill -9 included), so a live
  // holder refuses and a dead one never blocks. A pid still written in the file
  // is a holder that ended without Unlock: named, and taken over.
  std::string holder = LockHolder(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    *err = "another apply is running on " + path_ + (holder.empty() ? "" : " (pid " + holder + ")") +
           "; wait for it to finish";
    return false;
  }
  holder = LockHolder(fd);
  lock_note_ = holder.empty() ? ""
                              : "took over the lock " + lock_path + " left by pid " + holder +
                                    ", an apply that ended without releasing it (killed?); its changes that "
                                    "were written are kept, the rest are planned again";
  if (::ftruncate(fd, 0) == 0) {
    std::string pid = std::to_string(getpid()) + "\n";
    if (::pwrite(fd, pid.data(), pid.size(), 0) < 0) { /* the pid is only informative */
    }
  }
  lock_fd_ = fd;
  return true;
}

void LocalTarget::Unlock() {
  if (lock_fd_ >= 0) {
    // Clear the pid so a later holder that writes none (flock(1)) is not misnamed.
    if (::ftruncate(lock_fd_, 0) != 0) { /* the pid is only informative */
    }
    ::flock(lock_fd_, LOCK_UN);
    ::close(lock_fd_);
    lock_fd_ = -1;
  }
}

bool LocalTarget::Commit(std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  if (!loaded_) return true;
  for (const char* list : {"users", "groups", "memberships", "permission_sets", "assignments", "applications",
                           "application_assignments"}) {
    if (!doc_.contains(list)) continue;  // applications: only once there are some
    json kept = json::array();
    for (auto& x : doc_[list])
      if (!x.is_null()) kept.push_back(std::move(x));
    doc_[list] = std::move(kept);
  }
  BuildIndex();
  return WriteFileAtomically(path_, doc_.dump(2) + "\n", err);
}

bool LocalTarget::MarkOutdated(const std::string& name, std::string* err) {
  std::lock_guard<std::mutex> g(mu_);
  if (!LoadLocked(err)) return false;
  json* ps = Lookup("permission_sets", sets_, name);
  if (!ps) {
    *err = "no permission set " + name;
    return false;
  }
  (*ps)["outdated_accounts"] = (*ps).value("provisioned_accounts", json::array());
  modified_ = true;
  return true;
}

OpResult LocalTarget::Apply(const Operation& op) {
  std::lock_guard<std::mutex> g(mu_);
  std::string err;
  if (!LoadLocked(&err)) return Fail(err);
  modified_ = true;
  try {
    return ApplyLocked(op);
  } catch (const std::exception& e) {
    return Fail(std::string("local directory: ") + e.what());
  }
}

namespace {
// Ids are strings in a sound file; anything else keys as its JSON text, so a
// damaged entry matches nothing instead of throwing.
std::string IdText(const json& id) { return id.is_string() ? id.get<std::string>() : id.dump(); }
std::string MemberKey(const json& group_id, const json& user_id) { return IdText(group_id) + "|" + IdText(user_id); }
std::string AssignKey(const json& principal_id, const json& arn, const std::string& account) {
  return IdText(principal_id) + "|" + IdText(arn) + "|" + account;
}
}  // namespace

void LocalTarget::BuildIndex() {
  users_.clear();
  groups_.clear();
  sets_.clear();
  members_.clear();
  assigns_.clear();
  auto each = [&](const char* list, auto key_of, std::unordered_map<std::string, size_t>* index) {
    const json& l = doc_[list];
    for (size_t i = 0; i < l.size(); ++i)
      if (!l[i].is_null()) (*index)[key_of(l[i])] = i;
  };
  each(
      "users", [](const json& x) { return AsciiLower(x.value("user_name", "")); }, &users_);
  each(
      "groups", [](const json& x) { return AsciiLower(x.value("name", "")); }, &groups_);
  each(
      "permission_sets", [](const json& x) { return x.value("name", ""); }, &sets_);
  each(
      "memberships", [](const json& x) { return MemberKey(x.value("group_id", json()), x.value("user_id", json())); },
      &members_);
  each(
      "assignments",
      [](const json& x) {
        return AssignKey(x.value("principal_id", json()), x.value("permission_set_arn", json()),
                         x.value("account_id", json()).is_string() ? x.value("account_id", "") : "");
      },
      &assigns_);
  IndexApplications();
}

json* LocalTarget::Lookup(const char* list, const std::unordered_map<std::string, size_t>& index,
                          const std::string& key) {
  auto it = index.find(key);
  if (it == index.end()) return nullptr;
  json& item = doc_[list][it->second];
  return item.is_null() ? nullptr : &item;
}

void LocalTarget::Remove(const char* list, std::unordered_map<std::string, size_t>* index, const std::string& key) {
  auto it = index->find(key);
  if (it == index->end()) return;
  doc_[list][it->second] = nullptr;
  index->erase(it);
}

OpResult LocalTarget::ApplyLocked(const Operation& op) {
  switch (op.kind) {
    case ObjectKind::kUser:
    case ObjectKind::kGroup: return ApplyPrincipal(op);
    case ObjectKind::kMembership: return ApplyMembership(op);
    case ObjectKind::kPermissionSet: return ApplyPermissionSet(op);
    case ObjectKind::kAssignment: return ApplyAssignment(op);
    case ObjectKind::kApplication: return ApplyApplication(op);
    case ObjectKind::kApplicationAssignment: return ApplyApplicationAssignment(op);
  }
  return Fail("unknown operation");
}

json* LocalTarget::Principal(PrincipalType type, const std::string& name) {
  bool user = type == PrincipalType::kUser;
  return Lookup(user ? "users" : "groups", user ? users_ : groups_, AsciiLower(name));
}

void LocalTarget::DropMemberships(const char* field, const json& id) {
  // Memberships of a removed user or group go with it, as in Identity Store.
  json& members = doc_["memberships"];
  for (const auto& m : members)
    if (!m.is_null() && m.value(field, json()) == id)
      Remove("memberships", &members_, MemberKey(m.value("group_id", json()), m.value("user_id", json())));
}

OpResult LocalTarget::ApplyPrincipal(const Operation& op) {
  bool user = op.kind == ObjectKind::kUser;
  const Object& obj = op.value();
  const std::string& name = user ? std::get<User>(obj).user_name : std::get<Group>(obj).name;
  const char* list = user ? "users" : "groups";
  auto* index = user ? &users_ : &groups_;
  std::string key = AsciiLower(name);
  json* cur = Lookup(list, *index, key);
  if (op.action == Action::kDelete) {
    if (!cur) return {};
    json id = (*cur)["id"];
    Remove(list, index, key);
    DropMemberships(user ? "user_id" : "group_id", id);
    return {};
  }
  json j = user ? ToJson(std::get<User>(obj)) : ToJson(std::get<Group>(obj));
  if (cur) {
    j["id"] = (*cur)["id"];
    *cur = j;
    return {};
  }
  if (op.action == Action::kUpdate) return Fail(std::string(user ? "user '" : "group '") + name + "' does not exist");
  j["id"] = new_id_();
  doc_[list].push_back(j);
  (*index)[key] = doc_[list].size() - 1;
  return {};
}

OpResult LocalTarget::ApplyMembership(const Operation& op) {
  const Membership& m = std::get<Membership>(op.value());
  json* u = Principal(PrincipalType::kUser, m.user);
  json* gr = Principal(PrincipalType::kGroup, m.group);
  if (op.action == Action::kDelete) {
    if (u && gr) Remove("memberships", &members_, MemberKey((*gr)["id"], (*u)["id"]));
    return {};
  }
  if (!u) return Fail("user '" + m.user + "' does not exist, so it cannot join group '" + m.group + "'");
  if (!gr) return Fail("group '" + m.group + "' does not exist");
  std::string key = MemberKey((*gr)["id"], (*u)["id"]);
  if (members_.count(key)) return {};
  json& members = doc_["memberships"];
  members.push_back({{"membership_id", new_id_()}, {"group_id", (*gr)["id"]}, {"user_id", (*u)["id"]}});
  members_[key] = members.size() - 1;
  return {};
}

OpResult LocalTarget::ApplyPermissionSet(const Operation& op) {
  const PermissionSet& v = std::get<PermissionSet>(op.value());
  json* cur = Lookup("permission_sets", sets_, v.name);
  if (op.action == Action::kDelete) {
    if (!cur) return {};
    const json arn = (*cur)["arn"];
    for (const auto& a : doc_["assignments"])
      if (!a.is_null() && a.value("permission_set_arn", json()) == arn)
        return Fail("permission set '" + v.name + "' still has assignments (ConflictException)");
    Remove("permission_sets", &sets_, v.name);
    return {};
  }
  if (std::string refused = InlinePolicyRefusal(v); !refused.empty()) return Fail(refused);
  json j = ToJson(v);
  j.erase("outdated_accounts");
  if (cur) {
    // An update is provisioned to every account at once: the local directory
    // has no propagation delay.
    j["arn"] = (*cur)["arn"];
    j["provisioned_accounts"] = (*cur).value("provisioned_accounts", json::array());
    *cur = j;
    return {};
  }
  if (op.action == Action::kUpdate) return Fail("permission set '" + v.name + "' does not exist");
  std::string id = new_id_();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  j["arn"] = "arn:aws:sso:::permissionSet/ssoins-local00000000000/ps-" + id.substr(0, 16);
  j["provisioned_accounts"] = json::array();
  doc_["permission_sets"].push_back(j);
  sets_[v.name] = doc_["permission_sets"].size() - 1;
  return {};
}

OpResult LocalTarget::ApplyAssignment(const Operation& op) {
  const Assignment& a = std::get<Assignment>(op.value());
  json* principal = Principal(a.principal_type, a.principal);
  json* ps = Lookup("permission_sets", sets_, a.permission_set);
  if (op.action == Action::kDelete) {
    if (principal && ps) Remove("assignments", &assigns_, AssignKey((*principal)["id"], (*ps)["arn"], a.account_id));
    return {};
  }
  bool user = a.principal_type == PrincipalType::kUser;
  if (!principal) return Fail(std::string(user ? "user '" : "group '") + a.principal + "' does not exist");
  if (!ps) return Fail("permission set '" + a.permission_set + "' does not exist");
  std::string key = AssignKey((*principal)["id"], (*ps)["arn"], a.account_id);
  if (assigns_.count(key)) return {};
  json& assigns = doc_["assignments"];
  assigns.push_back({{"principal_type", PrincipalTypeName(a.principal_type)},
                     {"principal_id", (*principal)["id"]},
                     {"permission_set_arn", (*ps)["arn"]},
                     {"account_id", a.account_id}});
  assigns_[key] = assigns.size() - 1;
  json& prov = (*ps)["provisioned_accounts"];
  if (std::find(prov.begin(), prov.end(), a.account_id) == prov.end()) prov.push_back(a.account_id);
  return {};
}

}  // namespace gatehouse
