#include "operations/validate.h"

#include "compiler/lint/lint.h"

namespace gatehouse {

ValidateResult RunValidate(const ConfigRequest& req) {
  ValidateResult result;
  result.checked = CheckConfig(req);
  if (!result.checked.ok()) return result;
  // Compiling needs the live accounts when they are discovered: then only the
  // rule parameters are checked here.
  CompiledConfig compiled;
  Diagnostics compile_diags;
  if (!result.checked.config.settings.discover_accounts)
    CompileChecked(result.checked, req.today, &compiled, &compile_diags);
  // Compile errors are plan's to report (they depend on the live accounts).
  MergeCompileDiagnostics(compile_diags, CompileFindings::kNonErrors, &result.checked.diags);
  auto lint_result = lint::RunLint(result.checked.config, compiled, lint::LintOptions{req.today});
  for (const auto& d : lint_result.config_errors.items()) result.checked.diags.Add(d);
  result.checked.diags.Sort();
  return result;
}

}  // namespace gatehouse
