#pragma once
/// Reading typed fields of a config YAML map, with a diagnostic for every value
/// of the wrong shape. The section parsers (config_sections.h) build on these.
/// Each getter reports a type error and returns false when a value has the wrong
/// shape, so callers can skip it and go on.

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/config.h"
#include "compiler/diagnostics.h"
#include "compiler/yaml_tree.h"

namespace gatehouse {

/// The span of a map key, at least one character wide.
inline SourceSpan KeySpanOf(const YamlNode& key) {
  SourceSpan s = key.span;
  s.length = std::max<int>(1, static_cast<int>(key.value.size()));
  return s;
}

/// Reads one YAML map against a fixed set of field names.
class Fields {
 public:
  Fields(const YamlNode& node, const std::string& what, std::vector<std::string> allowed, Diagnostics* diags)
      : node_(node) {
    for (const auto& [k, v] : node.entries) {
      if (!k.IsScalar()) continue;
      if (std::find(allowed.begin(), allowed.end(), k.value) == allowed.end()) {
        std::string suggestion = DidYouMean(k.value, allowed);
        std::string help = "allowed fields: ";
        for (size_t i = 0; i < allowed.size(); ++i) help += (i ? ", " : "") + allowed[i];
        diags->Error(KeySpanOf(k),
                     "unknown field '" + k.value + "' in " + what + (suggestion.empty() ? "" : "; " + suggestion),
                     help);
      }
    }
  }
  const YamlNode* Get(const std::string& key) const { return node_.Find(key); }
  const YamlNode* KeyNode(const std::string& key) const {
    for (const auto& [k, v] : node_.entries)
      if (k.IsScalar() && k.value == key) return &k;
    return nullptr;
  }

 private:
  const YamlNode& node_;
};

bool ExpectMap(const YamlNode& n, const std::string& what, Diagnostics* d);
bool ExpectList(const YamlNode& n, const std::string& what, Diagnostics* d);
/// A scalar into `out`. A missing value is an error only when `required` (at `parent`).
bool GetString(const YamlNode* n, const std::string& what, std::string* out, Diagnostics* d, bool required = false,
               const SourceSpan* parent = nullptr);
/// Plain true/false, any case.
bool GetBool(const YamlNode* n, const std::string& what, bool* out, Diagnostics* d);
bool GetStringList(const YamlNode* n, const std::string& what, std::vector<Located<std::string>>* out, Diagnostics* d);
void GetPlainStringList(const YamlNode* n, const std::string& what, std::vector<std::string>* out, Diagnostics* d);
/// Reports a value shorter than `min` (empty) or longer than `max` characters.
void CheckLength(const YamlNode& n, const std::string& what, const std::string& v, size_t min, size_t max,
                 Diagnostics* d);
/// A `tags:` map within AWS's limits (50 tags, 128-char keys, 256-char values, no `aws:` prefix).
bool ParseTags(const YamlNode* n, const std::string& what, Tags* out, Diagnostics* d);

}  // namespace gatehouse
