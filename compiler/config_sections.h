#pragma once
/// The section parsers of one config file: config_loader.cc dispatches each
/// top-level key to one of them. Each adds what it reads to the Config and every
/// problem to the Diagnostics, and goes on after an error so that one run reports
/// them all. Internal to compiler/.

#include <string>

#include "compiler/config.h"
#include "compiler/config_loader.h"
#include "compiler/diagnostics.h"
#include "compiler/yaml_tree.h"

namespace gatehouse {

/// What every section parser needs.
struct SectionContext {
  const std::string& file;  ///< the file's path in the config directory
  SourceReader& reader;     ///< resolves inline_policy_file references
  Config* config;
  SourceFiles* sources;  ///< receives the policy files read
  Diagnostics* diags;
};

/// target, settings and policy may be written in one file only: records the first
/// declaration in `first`, or reports a second one and returns false.
bool ClaimSingleton(const YamlNode& key, const std::string& name, SourceSpan* first, Diagnostics* d);

void ParseTarget(const YamlNode& key, const YamlNode& value, const SectionContext& cx);    ///< config_target.cc
void ParseSettings(const YamlNode& key, const YamlNode& value, const SectionContext& cx);  ///< config_settings.cc
void ParsePolicy(const YamlNode& key, const YamlNode& value, const SectionContext& cx);    ///< config_policy.cc
/// One item of `accounts:`, `users:`, `groups:` (config_directory.cc).
void ParseAccount(const YamlNode& item, const SectionContext& cx);
void ParseUser(const YamlNode& item, const SectionContext& cx);
void ParseGroup(const YamlNode& item, const SectionContext& cx);
void ParsePermissionSet(const YamlNode& item, const SectionContext& cx);  ///< config_permission_sets.cc
void ParseAssignment(const YamlNode& item, const SectionContext& cx);     ///< config_assignments.cc
void ParseApplication(const YamlNode& item, const SectionContext& cx);    ///< config_applications.cc

}  // namespace gatehouse
