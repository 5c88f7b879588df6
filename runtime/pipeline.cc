#include "runtime/pipeline.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "compiler/access.h"
#include "compiler/check.h"
#include "compiler/diff.h"
#include "compiler/sha256.h"
#include "compiler/state_json.h"
#include "runtime/local_target.h"
#include "runtime/source_dir.h"

namespace fs = std::filesystem;

namespace gatehouse {

std::string Today() {
  if (const char* now = std::getenv("GATEHOUSE_NOW"); now && *now) return std::string(now).substr(0, 10);
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool LoadConfigDir(const RunOptions& opt, LoadedConfig* loaded) {
  DirectorySourceReader reader(opt.dir);
  CheckConfig(reader, &loaded->config, &loaded->sources, &loaded->diags);
  std::string all;
  for (const auto& [path, text] : loaded->sources.texts()) {
    all += path;
    all.push_back('\0');
    all += Sha256Hex(text);
    all.push_back('\0');
  }
  loaded->digest = "sha256:" + Sha256Hex(all);

  TargetSpec& t = loaded->target;
  const Config& c = loaded->config;
  if (c.target) {
    t.type = c.target->type;
    t.path = c.target->path;
    t.region = c.target->region;
    t.instance_arn = c.target->instance_arn;
    t.identity_store_id = c.target->identity_store_id;
    t.endpoint_url = c.target->endpoint_url;
    t.scim_url = c.target->scim_url;
    t.scim_token_env = c.target->scim_token_env;
  }
  t.discover_accounts = c.settings.discover_accounts;
  t.environment_tag = c.settings.environment_tag;
  t.profile = opt.profile;
  if (!opt.target_override.empty()) {
    // --target replaces the whole target, users_and_groups included.
    t.scim_url.clear();
    t.scim_token_env.clear();
    const std::string& o = opt.target_override;
    if (o.rfind("local:", 0) == 0) {
      t.type = "local";
      t.path = o.substr(6);
    } else if (o == "local") {
      t.type = "local";
      t.path.clear();
    } else {
      loaded->diags.Error(SourceSpan{}, "unknown --target '" + o + "'", "use --target local:PATH");
    }
  } else if (t.type == "local") {
    // A path in the config is relative to the config directory.
    std::string rel = t.path.empty() ? ".gatehouse/directory.json" : t.path;
    t.path = fs::path(rel).is_absolute() ? rel : (fs::path(opt.dir) / rel).lexically_normal().string();
  }
  loaded->diags.Sort();
  return !loaded->diags.HasErrors();
}

std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, const TargetFactory& aws_factory, std::string* err) {
  if (!spec.scim_url.empty()) {
    if (!aws_factory) {
      *err = "this build of gatehouse has no SCIM target (target.users_and_groups.scim)";
      return nullptr;
    }
    return aws_factory(spec, err);
  }
  if (spec.type == "local") return std::make_unique<LocalTarget>(spec.path);
  if (spec.type == "aws") {
    if (!aws_factory) {
      *err = "this build of gatehouse has no AWS target";
      return nullptr;
    }
    return aws_factory(spec, err);
  }
  *err = "unknown target type '" + spec.type + "'";
  return nullptr;
}

namespace {

/// Access changes between two states, computed only for the users whose access
/// can differ (changed memberships, changed user assignments, members of groups
/// whose assignments changed): a converged plan costs nothing, and a large
/// directory is not expanded twice in full.
std::vector<AccessChange> ChangedAccess(const DirectoryState& live, const DirectoryState& desired) {
  std::set<std::string> users, groups;
  auto sym_diff = [](const auto& a, const auto& b, auto each) {
    for (const auto& x : a)
      if (!b.count(x)) each(x);
    for (const auto& x : b)
      if (!a.count(x)) each(x);
  };
  sym_diff(live.memberships, desired.memberships, [&](const Membership& m) { users.insert(m.user); });
  sym_diff(live.assignments, desired.assignments, [&](const Assignment& a) {
    (a.principal_type == PrincipalType::kUser ? users : groups).insert(a.principal);
  });
  for (const auto* s : {&live, &desired})
    for (const auto& m : s->memberships)
      if (groups.count(m.group)) users.insert(m.user);
  if (users.empty()) return {};
  auto restrict = [&](const DirectoryState& s) {
    DirectoryState r;
    r.accounts = s.accounts;
    r.permission_sets = s.permission_sets;
    for (const auto& m : s.memberships)
      if (users.count(m.user)) r.memberships.insert(m);
    for (const auto& a : s.assignments)
      if (a.principal_type == PrincipalType::kGroup || users.count(a.principal)) r.assignments.insert(a);
    return r;
  };
  return AccessChanges(restrict(live), restrict(desired), DefaultClassifier());
}

}  // namespace

bool ComputePlan(const RunOptions& opt, LoadedConfig* loaded, Target& target, PlanInputs* out, std::string* err) {
  std::map<std::string, Account> hint;
  for (const auto& a : loaded->config.accounts) hint[a.account.id] = a.account;
  if (!target.Read(hint, &out->live, err)) return false;
  CompileOptions co;
  co.today = opt.today.empty() ? Today() : opt.today;
  if (loaded->config.settings.discover_accounts) co.discovered_accounts = &out->live.accounts;
  // ValidateConfig already ran in LoadConfigDir; compile into a scratch sink and
  // keep only what is new (selector warnings, discovered-account errors).
  Diagnostics scratch;
  bool ok = CompileConfig(loaded->config, co, &out->compiled, &scratch);
  std::set<std::tuple<std::string, int, int, std::string>> seen;
  for (const auto& d : loaded->diags.items()) seen.insert({d.span.file, d.span.line, d.span.column, d.message});
  for (auto& d : scratch.items())
    if (!seen.count({d.span.file, d.span.line, d.span.column, d.message})) loaded->diags.Add(d);
  if (!ok) return false;
  // Accounts in the plan's live state are the compiled ones, so the fingerprint
  // does not depend on how accounts were found.
  out->live.accounts = out->compiled.desired.accounts;
  // With an external identity source the IdP owns memberships: the desired
  // state has the live ones, so access is computed through the real groups.
  if (loaded->config.settings.external_identity) out->compiled.desired.memberships = out->live.memberships;
  if (!DiffStates(out->compiled.desired, out->live, loaded->config.settings, &out->plan, &loaded->diags)) return false;
  out->plan.config_digest = loaded->digest;
  out->plan.live_fingerprint = StateFingerprint(out->live);
  out->plan.notes = out->compiled.notes;
  out->plan.access_changes = ChangedAccess(out->live, out->compiled.desired);
  return true;
}

}  // namespace gatehouse
