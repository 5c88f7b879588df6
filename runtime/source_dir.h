#pragma once
/// A config directory on disk, read through the compiler's SourceReader seam.
/// Confines every read to the directory: symlinks are followed only when they
/// stay inside it, and a symlink loop is an error naming the file.

#include <set>
#include <string>

#include "compiler/config_loader.h"

namespace gatehouse {

class DirectorySourceReader : public SourceReader {
 public:
  /// `display_prefix` is prepended to paths in diagnostics ("" or "config/").
  explicit DirectorySourceReader(std::string root, std::string display_prefix = "");
  std::vector<std::string> ListYamlFiles(Diagnostics* diags) override;
  bool Read(const std::string& path, std::string* text, std::string* err) override;
  /// Largest file Gatehouse reads.
  static constexpr uintmax_t kMaxFileBytes = 32 << 20;

 private:
  void Walk(const std::string& rel_dir, std::set<std::string>* visited, std::vector<std::string>* out,
            Diagnostics* diags);
  bool Inside(const std::string& canonical) const;
  std::string root_;
  std::string canonical_root_;
  std::string prefix_;
};

}  // namespace gatehouse
