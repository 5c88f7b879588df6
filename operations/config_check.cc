#include "operations/config_check.h"

#include <filesystem>
#include <future>

#include "compiler/check.h"
#include "compiler/config_loader.h"
#include "compiler/iam/embedded_data.h"
#include "compiler/parallel.h"
#include "compiler/sha256.h"
#include "runtime/source_dir.h"

namespace fs = std::filesystem;

namespace gatehouse {

namespace {

/// The hash of every file's path and hash (the files hashed on one thread per core).
std::string Digest(const SourceFiles& sources) {
  std::vector<const std::pair<const std::string, std::string>*> files;
  for (const auto& f : sources.texts()) files.push_back(&f);
  std::vector<std::string> hashes(files.size());
  ParallelFor(files.size(), [&](size_t i) { hashes[i] = Sha256Hex(files[i]->second); });
  std::string all;
  for (size_t i = 0; i < files.size(); ++i) {
    all += files[i]->first;
    all.push_back('\0');
    all += hashes[i];
    all.push_back('\0');
  }
  return "sha256:" + Sha256Hex(all);
}

/// The target of the config's `target:` and settings, then --profile and --target.
TargetSpec ResolveTarget(const Config& c, const ConfigRequest& req, Diagnostics* diags) {
  TargetSpec t;
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
  t.profile = req.profile;
  if (!req.target_override.empty()) {
    // --target replaces the whole target, users_and_groups included.
    t.scim_url.clear();
    t.scim_token_env.clear();
    const std::string& o = req.target_override;
    if (o.rfind("local:", 0) == 0) {
      t.type = "local";
      t.path = o.substr(6);
    } else if (o == "local") {
      t.type = "local";
      t.path.clear();
    } else {
      diags->Error(SourceSpan{}, "unknown --target '" + o + "'", "use --target local:PATH");
    }
  } else if (t.type == "local") {
    // A path in the config is relative to the config directory.
    std::string rel = t.path.empty() ? ".gatehouse/directory.json" : t.path;
    t.path = fs::path(rel).is_absolute() ? rel : (fs::path(req.dir) / rel).lexically_normal().string();
  }
  return t;
}

}  // namespace

CheckedConfig CheckConfig(const ConfigRequest& req) {
  // The checks after the load need the built-in IAM data: parse it meanwhile.
  auto iam_data = std::async(std::launch::async, iam::LoadBuiltinIamData);
  CheckedConfig checked;
  DirectorySourceReader reader(req.dir);
  gatehouse::CheckConfig(reader, &checked.config, &checked.sources, &checked.diags);
  checked.digest = Digest(checked.sources);
  checked.target = ResolveTarget(checked.config, req, &checked.diags);
  checked.diags.Sort();
  return checked;
}

void MergeCompileDiagnostics(const Diagnostics& compiled, CompileFindings keep, Diagnostics* into) {
  for (const auto& d : compiled.items()) {
    bool error = d.severity == Severity::kError;
    if ((keep == CompileFindings::kErrorsOnly && !error) || (keep == CompileFindings::kNonErrors && error)) continue;
    into->Add(d);
  }
}

bool CompileChecked(const CheckedConfig& checked, const std::string& today, CompiledConfig* out, Diagnostics* diags) {
  CompileOptions co;
  co.today = today;
  return CompileConfig(checked.config, co, out, diags);
}

}  // namespace gatehouse
