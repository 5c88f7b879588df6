#pragma once
/// Provenance of config lines from git (EVIDENCE.md): one `git blame` per file,
/// run the first time a line of that file is asked about, then cached.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/review.h"

namespace gatehouse {

class GitBlame {
 public:
  /// `dir`: the config directory. Not in a git work tree (or no git): in_repo() is false.
  explicit GitBlame(std::string dir);
  bool in_repo() const { return in_repo_; }
  /// The newest commit that touched lines [first, last] of `file` (relative to the
  /// config directory); nullopt when a line is not committed or the file not tracked.
  std::optional<Provenance> Lines(const std::string& file, int first, int last);

 private:
  struct FileBlame {
    std::vector<int> line_commit;  ///< per line (1-based), index into commits_, -1 = not committed
  };
  const FileBlame& Blame(const std::string& file);

  std::string dir_;
  bool in_repo_ = false;
  std::map<std::string, FileBlame> files_;
  std::vector<Provenance> commits_;
  std::map<std::string, int> commit_index_;
};

}  // namespace gatehouse
