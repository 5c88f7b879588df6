#pragma once
/// `lint`: the least-privilege rules over a compiled config. Config errors
/// come first in the result, as validate reports them.

#include <string>

#include "compiler/lint/lint.h"
#include "operations/config_check.h"

namespace gatehouse {

/// Where the config sits in its repository, for SARIF locations.
struct RepositoryPlace {
  std::string uri_prefix;  ///< the config dir relative to the repository root ("infra/access/"), or ""
  std::string root_uri;    ///< file:// URI of the repository root
};

struct LintRunResult {
  CheckedConfig checked;  ///< the sources the findings point into
  lint::LintResult lint;  ///< config errors (load, validate, compile, rule parameters), then findings
  RepositoryPlace place;
};

LintRunResult RunLintOperation(const ConfigRequest& req);

}  // namespace gatehouse
