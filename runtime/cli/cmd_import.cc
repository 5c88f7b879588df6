#include <filesystem>
#include <iostream>

#include "runtime/cli/common.h"
#include "runtime/config_writer.h"
#include "runtime/local_target.h"

namespace gatehouse::cli {

void RegisterImport(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("import", "write a config directory from the live directory");
  AddConfigOptions(cmd, c, true);
  static std::string out;
  static bool force = false;
  cmd->add_option("--out", out, "directory to write the config into")->required();
  cmd->add_flag("--force", force, "write into a directory that already holds YAML files");
  cmd->callback([c, rc]() {
    Finalize(c, false);
    namespace fs = std::filesystem;
    // The target comes from DIR's config when there is one, else from --target.
    LoadedConfig loaded;
    if (!Load(*c, &loaded)) return void(*rc = kError);
    std::error_code ec;
    if (fs::exists(out, ec) && !force)
      for (const auto& e : fs::directory_iterator(out, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") {
          std::cerr << "error: " << out
                    << " already holds YAML files\nhelp: choose an empty directory, or pass --force\n";
          return void(*rc = kError);
        }
    std::string err;
    auto target = OpenTarget(loaded.target, c->aws_factory, &err);
    if (!target) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    std::map<std::string, Account> hint;
    for (const auto& a : loaded.config.accounts) hint[a.account.id] = a.account;
    DirectoryState live;
    if (!target->Read(hint, &live, &err)) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    // With an external identity source the IdP owns memberships: a config
    // listing members would not validate ("lists members, but identity_source
    // is external").
    if (loaded.config.settings.external_identity) live.memberships.clear();
    if (live.accounts.empty())
      std::cerr << "warning: no accounts are known, so no assignment was imported\n"
                << "help: set 'discover_accounts: true' in settings (AWS Organizations), or declare the accounts in "
                << c->run.dir << " and import again\n";
    std::string target_yaml;
    const TargetSpec& t = loaded.target;
    if (t.type == "aws") {
      target_yaml = "target:\n  type: aws\n  region: " + t.region + "\n";
      if (!t.instance_arn.empty()) target_yaml += "  instance_arn: " + t.instance_arn + "\n";
      if (!t.identity_store_id.empty()) target_yaml += "  identity_store_id: " + t.identity_store_id + "\n";
      if (!t.endpoint_url.empty()) target_yaml += "  endpoint_url: " + t.endpoint_url + "\n";
    } else {
      target_yaml = "target:\n  type: local\n  path: " + fs::absolute(t.path).string() + "\n";
    }
    // Every setting of the source config (not only discover_accounts): without
    // them the imported config would plan differently (mode, ignore, guards...).
    target_yaml += RenderSettingsYaml(loaded.config.settings);
    fs::create_directories(out, ec);
    for (const auto& [name, text] : RenderConfigFiles(live, target_yaml)) {
      if (!WriteFileAtomically((fs::path(out) / name).string(), text, &err)) {
        std::cerr << "error: " << err << "\n";
        return void(*rc = kError);
      }
    }
    std::cout << "Imported " << live.users.size() << " users, " << live.groups.size() << " groups, "
              << live.permission_sets.size() << " permission sets and " << live.assignments.size()
              << " assignments into " << out << "\nNext: gatehouse plan " << out << "  (it should show no changes)\n";
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
