#pragma once
/// Replacing a file so that readers and crashes see the old or the new
/// content, never a torn one.

#include <string>

namespace gatehouse {

/// Writes `text` to `path` atomically: a temp file in the same folder, fsync, rename.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* err);

}  // namespace gatehouse
