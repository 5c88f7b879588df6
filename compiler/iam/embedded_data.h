#pragma once
/// The IAM data files compiled into the binary by embedded_data.S (an assembler
/// `.incbin`), so nothing is read from disk at run time.

#include <string_view>

namespace gatehouse::iam {

/// third_party/iam-data/actions.json: the action catalog.
std::string_view EmbeddedActionsJson();
/// third_party/iam-data/managed-policies.json: AWS managed policy documents.
std::string_view EmbeddedManagedPoliciesJson();
/// compiler/iam/data/risky_actions.json: escalation and exposure patterns.
std::string_view EmbeddedRiskyActionsJson();
/// compiler/iam/data/access_level_overrides.json: corrected access levels.
std::string_view EmbeddedAccessLevelOverridesJson();
/// compiler/iam/data/read_verbs.json: verbs that only read, and their exceptions.
std::string_view EmbeddedReadVerbsJson();

/// Parses the built-in data now: the action catalog, the risk catalog and the
/// managed policies, each parsed once per process on first use (~70 ms in all).
/// Thread-safe; a command calls it on a second thread so the parse overlaps its
/// own loading instead of delaying the first check that needs the data.
void LoadBuiltinIamData();

}  // namespace gatehouse::iam
