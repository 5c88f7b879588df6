#pragma once
/// Diagnostics as text for stderr (compiler style, compiler/diagnostics.h),
/// with the line that says nothing was changed.

#include <string>

#include "compiler/diagnostics.h"

namespace gatehouse {

/// `file:line:col: error: message [code]`, the source line, a caret under the
/// span, then notes and help; ANSI colour (views/color.h) when `color` is on.
std::string RenderDiagnostic(const Diagnostic& d, const SourceFiles& sources, bool color);
/// Every diagnostic of `ds`, in order.
std::string RenderDiagnostics(const Diagnostics& ds, const SourceFiles& sources, bool color);

/// Every diagnostic, then "1 error found; nothing was changed" (or "N errors")
/// when any is an error: what a config that failed to load shows.
std::string RenderConfigDiagnostics(const Diagnostics& diags, const SourceFiles& sources, bool color);

/// "N error(s) found; nothing was changed": the line after the diagnostics of a
/// failed plan (compile against the live directory, diff).
std::string PlanErrorsLine(size_t errors);

}  // namespace gatehouse
