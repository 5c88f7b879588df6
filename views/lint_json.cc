// The lint JSON contract (PRODUCT.md §7).
#include <nlohmann/json.hpp>

#include "compiler/lint/rule_catalog.h"
#include "views/lint_view.h"

namespace gatehouse::lint {

using nlohmann::json;

namespace {

json FindingJson(const Diagnostic& d, const std::string& rule, const std::string& target) {
  return json{{"rule", rule},        {"level", SeverityName(d.severity)}, {"message", d.message}, {"file", d.span.file},
              {"line", d.span.line}, {"column", d.span.column},           {"target", target}};
}

}  // namespace

std::string RenderLintJson(const LintResult& result) {
  json findings = json::array();
  for (const Diagnostic& d : result.config_errors.items()) findings.push_back(FindingJson(d, ConfigErrorRule().id, ""));
  for (const Finding& f : result.findings)
    if (!f.suppressed) findings.push_back(FindingJson(f.diag, f.diag.code, f.target));
  json out{{"format_version", "1"}, {"findings", findings}};
  return out.dump(2) + "\n";
}

}  // namespace gatehouse::lint
