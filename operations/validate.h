#pragma once
/// `validate`: everything plan would say about a config without reading the
/// live directory: load and validate, compile (selectors, expiry), and the
/// lint rule parameters under policy.rules.

#include "operations/config_check.h"

namespace gatehouse {

struct ValidateResult {
  /// `checked.diags` holds every diagnostic, sorted: validation, compile
  /// warnings, rule-parameter errors.
  CheckedConfig checked;
  bool ok() const { return checked.ok(); }
};

ValidateResult RunValidate(const ConfigRequest& req);

}  // namespace gatehouse
