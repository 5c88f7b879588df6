#pragma once
/// `import`: writes a config directory from the live directory, so planning it
/// against the same directory shows no changes.

#include <string>
#include <vector>

#include "operations/config_check.h"
#include "operations/problem.h"

namespace gatehouse {

struct ImportRequest {
  ConfigRequest config;  ///< the target comes from DIR's config when there is one, else from --target
  std::string out;       ///< directory to write into
  bool force = false;    ///< write into a directory that already holds YAML files
};

struct ImportResult {
  CheckedConfig checked;  ///< failed when `!checked.ok()`
  Problem problem;        ///< set when the import failed for another reason
  std::vector<Problem> warnings;
  size_t users = 0, groups = 0, permission_sets = 0, assignments = 0;  ///< what was imported
  size_t applications = 0, application_assignments = 0;
  bool ok() const { return checked.ok() && problem.empty(); }
};

ImportResult RunImport(const ImportRequest& req);

}  // namespace gatehouse
