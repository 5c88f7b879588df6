#pragma once
/// Scoped plans (issue 15): the slice of the directory a change touches, from
/// `--changed-from REF` (the config at a git revision against the working
/// tree's, compared after compiling) and `--only KIND:NAME`.

#include <string>
#include <vector>

#include "compiler/scope.h"
#include "operations/config_check.h"
#include "operations/problem.h"

namespace gatehouse {

struct ScopeRequest {
  std::string changed_from;       ///< --changed-from REF ("" = none)
  std::vector<std::string> only;  ///< --only KIND:NAME
  bool scoped() const { return !changed_from.empty() || !only.empty(); }
};

/// The slice of `checked` (already loaded from `req.dir`) that `scope` asks
/// for, with its dependencies and the assignments that expired by `today`
/// (removed by any plan). False with `problem` when the config at the
/// revision cannot be read or compiled, a name is malformed, or the config
/// discovers its accounts (a slice needs declared accounts).
bool ComputeScope(const ConfigRequest& req, const CheckedConfig& checked, const ScopeRequest& scope, Scope* out,
                  Problem* problem);

}  // namespace gatehouse
