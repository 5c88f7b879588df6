#pragma once
/// YAML text → a small tree with a source span on every node. This is the only
/// place yaml-cpp is used. It is built from yaml-cpp's event parser rather than
/// YAML::Node so that Gatehouse can see what YAML::Node hides: duplicate keys,
/// quoted versus plain scalars (an unquoted account id), tags, and aliases
/// (whose expansion is bounded).

#include <string>
#include <utility>
#include <vector>

#include "compiler/diagnostics.h"

namespace gatehouse {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string value;                                   ///< scalar text
  bool plain = false;                                  ///< scalar written without quotes (so YAML would type it)
  std::vector<YamlNode> items;                         ///< sequence items
  std::vector<std::pair<YamlNode, YamlNode>> entries;  ///< map entries, in order
  SourceSpan span;

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsMap() const { return kind == Kind::kMap; }
  /// Map lookup by scalar key; nullptr when absent.
  const YamlNode* Find(const std::string& key) const;
  /// "a string", "a list", "a map", "null", "a number" — for type errors.
  std::string Describe() const;
};

struct YamlLimits {
  size_t max_nodes = 200000;  ///< after alias expansion ("billion laughs" guard)
  int max_depth = 64;
};

/// Parses one file. Returns false and adds diagnostics on any error (malformed
/// YAML, duplicate keys, a second document, tags, alias bombs, self-reference,
/// excessive depth, invalid UTF-8). An empty or comment-only file yields a null node.
bool ParseYaml(const std::string& file, const std::string& text, const YamlLimits& limits, YamlNode* out,
               Diagnostics* diags);

/// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t FindInvalidUtf8(const std::string& text);

}  // namespace gatehouse
