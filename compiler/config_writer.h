#pragma once
/// Writes a config directory from a directory state (for `gatehouse import`):
/// a file per kind, in the language of PRODUCT.md §1, so that planning it
/// against the same directory gives zero changes.

#include <map>
#include <string>

#include "compiler/config.h"
#include "compiler/model.h"

namespace gatehouse {

/// file name → YAML text: accounts.yaml, users.yaml, groups.yaml,
/// permission_sets.yaml, assignments.yaml (and target.yaml when given;
/// applications.yaml when the directory has applications).
std::map<std::string, std::string> RenderConfigFiles(const DirectoryState& s, const std::string& target_yaml);

/// The `settings:` section holding every setting of `s` that differs from the
/// default (so an imported config keeps the settings it was imported with);
/// "" when all are defaults.
std::string RenderSettingsYaml(const Settings& s);

/// The `target:` section of a config (users_and_groups.scim included).
std::string RenderTargetYaml(const TargetConfig& target);

/// A YAML scalar, quoted when plain YAML would read it as something else.
std::string YamlScalar(const std::string& s);

}  // namespace gatehouse
