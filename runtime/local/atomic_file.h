#pragma once
/// Replacing a file so that readers and crashes see the old or the new
/// content, never a torn one.

#include <string>

namespace gatehouse {

/// Writes `text` to `path` atomically: a temp file in the same folder, fsync,
/// rename, fsync the folder. A failed write (full disk, file size limit) leaves
/// `path` as it was and removes its temp file; temp files of writers that were
/// killed are removed on the next write.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* err);

}  // namespace gatehouse
