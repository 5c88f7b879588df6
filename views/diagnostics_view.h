#pragma once
/// Diagnostics as text for stderr (compiler style, compiler/diagnostics.h),
/// with the line that says nothing was changed.

#include <string>

#include "compiler/diagnostics.h"

namespace gatehouse {

/// Every diagnostic, then "1 error found; nothing was changed" (or "N errors")
/// when any is an error: what a config that failed to load shows.
std::string RenderConfigDiagnostics(const Diagnostics& diags, const SourceFiles& sources, bool color);

/// "N error(s) found; nothing was changed": the line after the diagnostics of a
/// failed plan (compile against the live directory, diff).
std::string PlanErrorsLine(size_t errors);

}  // namespace gatehouse
