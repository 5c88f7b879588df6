#include "views/diagnostics_view.h"

namespace gatehouse {

std::string RenderConfigDiagnostics(const Diagnostics& diags, const SourceFiles& sources, bool color) {
  std::string out = RenderDiagnostics(diags, sources, color);
  size_t errors = diags.ErrorCount();
  if (errors)
    out += std::to_string(errors) + (errors == 1 ? " error" : " errors") + " found; nothing was changed\n";
  return out;
}

std::string PlanErrorsLine(size_t errors) {
  return std::to_string(errors) + " error(s) found; nothing was changed\n";
}

}  // namespace gatehouse
