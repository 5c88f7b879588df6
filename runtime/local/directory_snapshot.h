#pragma once
/// A read-only fast path for the local directory file: simdjson parses it
/// (several times faster than building nlohmann's DOM, which at 50,000 users is
/// ~5x the file in memory) and the entries go straight to a DirectoryAssembler.

#include <string>

#include "runtime/local/directory_assembler.h"

namespace gatehouse {

/// True when `path` held a sound directory file and every entry was assembled.
/// False on anything unusual (missing, damaged, another format version, a value
/// of an unexpected type): the caller then reads the file the ordinary way,
/// which names the problem. `assemble` may have been fed part of the file.
bool ReadDirectorySnapshot(const std::string& path, DirectoryAssembler* assemble);

}  // namespace gatehouse
