#include "operations/import.h"

#include <filesystem>

#include "compiler/config_writer.h"
#include "operations/open_target.h"
#include "runtime/local/atomic_file.h"

namespace fs = std::filesystem;

namespace gatehouse {

namespace {

bool HoldsYaml(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return false;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") return true;
  return false;
}

/// The config's target as the imported config declares it: a local path made absolute.
TargetConfig TargetOf(const TargetSpec& t) {
  TargetConfig c;
  c.type = t.type == "aws" ? "aws" : "local";
  if (c.type == "local") c.path = fs::absolute(t.path).string();
  c.region = t.region;
  c.instance_arn = t.instance_arn;
  c.identity_store_id = t.identity_store_id;
  c.endpoint_url = t.endpoint_url;
  c.scim_url = t.scim_url;
  c.scim_token_env = t.scim_token_env;
  return c;
}

/// Reads the live directory the checked config's target holds.
bool ReadLive(const CheckedConfig& checked, DirectoryState* live, Problem* problem) {
  // Import adopts what is there: the accounts come from the target itself
  // (planning never asks for this; see TargetSpec).
  TargetSpec spec = checked.target;
  spec.find_accounts_in_identity_center = true;
  auto target = OpenConfiguredTarget(spec, &problem->message);
  if (!target) return false;
  std::map<std::string, Account> hint;
  for (const auto& a : checked.config.accounts) hint[a.account.id] = a.account;
  return target->Read(hint, live, &problem->message);
}

bool WriteFiles(const std::string& out, const std::map<std::string, std::string>& files, Problem* problem) {
  std::error_code ec;
  fs::create_directories(out, ec);
  for (const auto& [name, text] : files)
    if (!WriteFileAtomically((fs::path(out) / name).string(), text, &problem->message)) return false;
  return true;
}

}  // namespace

ImportResult RunImport(const ImportRequest& req) {
  ImportResult result;
  result.checked = CheckConfig(req.config);
  if (!result.checked.ok()) return result;
  if (!req.force && HoldsYaml(req.out)) {
    result.problem = {req.out + " already holds YAML files", "choose an empty directory, or pass --force"};
    return result;
  }
  DirectoryState live;
  if (!ReadLive(result.checked, &live, &result.problem)) return result;
  // With an external identity source the IdP owns memberships: a config
  // listing members would not validate ("lists members, but identity_source
  // is external").
  if (result.checked.config.settings.external_identity) live.memberships.clear();
  // Every setting of the source config (not only discover_accounts): without
  // them the imported config would plan differently (mode, ignore, guards...).
  std::string target_yaml =
      RenderTargetYaml(TargetOf(result.checked.target)) + RenderSettingsYaml(result.checked.config.settings);
  if (!WriteFiles(req.out, RenderConfigFiles(live, target_yaml), &result.problem)) return result;
  result.users = live.users.size();
  result.groups = live.groups.size();
  result.permission_sets = live.permission_sets.size();
  result.assignments = live.assignments.size();
  result.applications = live.applications.size();
  result.application_assignments = live.application_assignments.size();
  return result;
}

}  // namespace gatehouse
