#pragma once
/// The config directory as it is at a git revision (`plan --changed-from REF`):
/// `git archive REF:<prefix>` of the directory, unpacked into a temporary
/// directory that lives as long as the GitSnapshot.

#include <string>

namespace gatehouse {

class GitSnapshot {
 public:
  GitSnapshot() = default;
  ~GitSnapshot();
  GitSnapshot(const GitSnapshot&) = delete;
  GitSnapshot& operator=(const GitSnapshot&) = delete;

  /// Unpacks config directory `dir` (inside a git work tree) at revision `ref`.
  /// False with `err` (and `help`) when `dir` is not in a git repository, `ref`
  /// is unknown (a shallow CI clone: fetch the base), or the directory did
  /// not exist at `ref`.
  bool Export(const std::string& dir, const std::string& ref, std::string* err, std::string* help);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gatehouse
