#pragma once
/// Checking a config: load every file (config_loader.h), then validate the
/// whole (duplicates, references between sections). One pass returns every
/// diagnostic of a config; compile (compile.h) takes a config that passed it.

#include "compiler/config.h"
#include "compiler/config_loader.h"
#include "compiler/diagnostics.h"

namespace gatehouse {

/// Loads and validates the config `reader` gives. Every problem goes to `diags`;
/// `sources` receives every text read so diagnostics can show lines.
/// Returns !diags->HasErrors().
bool CheckConfig(SourceReader& reader, Config* config, SourceFiles* sources, Diagnostics* diags);

/// Checks duplicates and references of a loaded config. Adds every problem to `diags`.
void ValidateConfig(const Config& config, Diagnostics* diags);

}  // namespace gatehouse
