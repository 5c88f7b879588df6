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

  // Declared here, defaulted in yaml_tree.cc: the implicit ones would be defined
  // while std::pair<YamlNode, YamlNode> (entries) is still incomplete, which
  // clang with libstdc++ rejects (the fuzz build uses clang).
  YamlNode();
  ~YamlNode();
  YamlNode(const YamlNode&);
  YamlNode(YamlNode&&) noexcept;
  YamlNode& operator=(const YamlNode&);
  YamlNode& operator=(YamlNode&&) noexcept;

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
  /// Nodes created by alias expansion ("billion laughs" guard); the nodes
  /// written out in the file are bounded by the file size limit instead.
  size_t max_alias_nodes = 200000;
  int max_depth = 64;
};

/// Parses one file. Returns false and adds diagnostics on any error (malformed
/// YAML, duplicate keys, a second document, tags, alias bombs, self-reference,
/// excessive depth, invalid UTF-8). An empty or comment-only file yields a null node.
bool ParseYaml(const std::string& file, const std::string& text, const YamlLimits& limits, YamlNode* out,
               Diagnostics* diags);

/// Whether two trees are the same: kinds, values, quoting, spans, order.
bool SameYaml(const YamlNode& a, const YamlNode& b);

/// One file to parse: its name and text (both outlive the call).
struct YamlSource {
  const std::string* name;
  const std::string* text;
};
struct YamlParse {
  YamlNode root;
  Diagnostics diags;
  bool ok = false;
};

/// ParseYaml of every file, on up to one thread per core. A large file whose top
/// level is a map of keys (most holding block lists, as a config's users.yaml)
/// is also cut at list items and its pieces parsed in parallel, then joined; a
/// file any piece of which does not parse cleanly on its own (an error, a
/// warning, an anchor or an alias) is parsed whole by ParseYaml instead. Either
/// way the trees and diagnostics are ParseYaml's. `piece_bytes`: size of a piece.
std::vector<YamlParse> ParseYamlFiles(const std::vector<YamlSource>& files, const YamlLimits& limits,
                                      size_t piece_bytes = 256 * 1024);

/// Where ParseYamlFiles may cut `text`: each piece after the first starts at an
/// item line of the block list under the top-level `key`, at `first_line`.
/// Empty when the file is under two pieces or its top level is not plainly a map
/// of distinct simple keys (then it is parsed whole).
struct YamlPiece {
  size_t begin = 0, end = 0;
  int first_line = 1;
  std::string key;  ///< the list's key; "" for the first piece
};
std::vector<YamlPiece> SplitYaml(const std::string& text, size_t piece_bytes);

/// Parses one piece (see ParseYamlFiles; `line_offset` is added to its lines).
/// True only when it parsed cleanly into a map with no anchor, alias or duplicate.
bool ParseYamlPiece(const std::string& file, const std::string& text, int line_offset, const YamlLimits& limits,
                    YamlNode* out);

/// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t FindInvalidUtf8(const std::string& text);

}  // namespace gatehouse
