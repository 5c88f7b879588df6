#pragma once
/// Loads a config directory: every YAML file, parsed, checked field by field
/// (one parser per section: config_sections.h) and merged into one Config. The
/// language is described in docs/configuration.md. The file system stays behind
/// SourceReader so the compiler core is pure. check.h adds the whole-config checks.

#include <string>
#include <vector>

#include "compiler/config.h"
#include "compiler/diagnostics.h"

namespace gatehouse {

/// Gives the compiler the files of a config directory. Paths are relative to the
/// directory, with '/' separators.
class SourceReader {
 public:
  virtual ~SourceReader() = default;
  /// The YAML files (`*.yaml`, `*.yml`), recursively, sorted, hidden folders skipped.
  /// Problems found while listing (symlink loops, escaping links) go to `diags`.
  virtual std::vector<std::string> ListYamlFiles(Diagnostics* diags) = 0;
  /// Reads a file. False with `err` set when it is missing, too large, or
  /// outside the directory.
  virtual bool Read(const std::string& path, std::string* text, std::string* err) = 0;
};

/// Parses and merges every file. All problems go to `diags`; `sources` receives
/// every text read so diagnostics can show lines. Returns !diags->HasErrors().
bool LoadConfig(SourceReader& reader, Config* config, SourceFiles* sources, Diagnostics* diags);

/// Parses one file's tree into `config` (merging with what is there).
/// `reader` resolves inline_policy_file references; `file` is the file's path.
void ParseConfigTree(const YamlNode& root, const std::string& file, SourceReader& reader, Config* config,
                     SourceFiles* sources, Diagnostics* diags);

/// YAML → JSON for policy documents: plain true/false become booleans, plain
/// integers numbers, everything else strings.
std::string YamlToCanonicalJson(const YamlNode& node);

/// "PT4H" → seconds, or -1 when not an ISO-8601 duration.
long ParseIsoDuration(const std::string& s);
/// True for a valid calendar date YYYY-MM-DD.
bool IsIsoDate(const std::string& s);
/// Managed policy reference as written → ARN ("PowerUserAccess" → arn:aws:iam::aws:policy/PowerUserAccess).
std::string ManagedPolicyArn(const std::string& ref);

}  // namespace gatehouse
