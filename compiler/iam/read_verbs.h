#pragma once
/// Actions that cannot change anything, known by their name's verb: AWS's
/// catalog files some of them under Write or Permissions management (e.g.
/// quicksight:DescribeTopicPermissions), which would make its own SecurityAudit
/// policy a permissions-management set. The verbs and the exceptions (Get*
/// actions that issue credentials, upload or change state) are data:
/// compiler/iam/data/read_verbs.json, each with why.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/iam/action_catalog.h"

namespace gatehouse::iam {

/// The verb of an action name: its first capitalised word ("Get" of
/// "GetObject"), or the first two after "Batch" ("BatchGet" of "BatchGetItem").
std::string_view ActionVerb(std::string_view action_name);

struct ReadVerbResult {
  /// Actions whose levels were replaced by their verb's, canonical names sorted.
  std::vector<std::string> reclassified;
  /// Exceptions naming actions the catalog lacks (renamed or retired).
  std::vector<std::string> unknown_exceptions;
};

/// Reads every action of `catalog` whose verb is listed in `json` (the
/// read_verbs.json format) and whose levels include Write, Permissions
/// management or Tagging as the verb's level (List or Read), except the listed
/// exceptions. False and *err on malformed input.
bool ApplyReadVerbs(std::string_view json, ActionCatalog* catalog, ReadVerbResult* out, std::string* err);

/// What ApplyReadVerbs did to the built-in catalog (BuiltinCatalog() applies
/// the embedded data); for tests and reviews after a data refresh.
const ReadVerbResult& BuiltinReadVerbResult();

}  // namespace gatehouse::iam
