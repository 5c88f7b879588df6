#pragma once
/// A config directory held in memory, for tests and fuzzers: the compiler reads
/// it through the same SourceReader seam as a directory on disk
/// (runtime/source_dir.h), so they need no file system.

#include <map>
#include <string>
#include <vector>

#include "compiler/config_loader.h"

namespace gatehouse {

/// path → text; ListYamlFiles gives the `.yaml`/`.yml` paths in sorted order,
/// Read any path it holds (so `inline_policy_file` can name a `.json`).
class MemoryReader : public SourceReader {
 public:
  explicit MemoryReader(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  std::vector<std::string> ListYamlFiles(Diagnostics*) override {
    std::vector<std::string> out;
    for (const auto& [path, text] : files_)
      if (EndsWith(path, ".yaml") || EndsWith(path, ".yml")) out.push_back(path);
    return out;  // std::map keeps them sorted
  }
  bool Read(const std::string& path, std::string* text, std::string* err) override {
    auto it = files_.find(path);
    if (it == files_.end()) {
      *err = "no such file";
      return false;
    }
    *text = it->second;
    return true;
  }

 private:
  static bool EndsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  std::map<std::string, std::string> files_;
};

}  // namespace gatehouse
