#pragma once
/// Where a JSON path of a PolicyIssue points in the policy as written: the
/// YAML tree of `inline_policy`, or of an `inline_policy_file` (JSON is YAML),
/// whose nodes carry source spans. Header-only so that gh_iam needs no YAML:
/// any node type with IsMap(), Find(key), IsSequence(), `items` and `span`
/// works (compiler/yaml_tree.h's YamlNode).

#include <variant>

#include "compiler/iam/policy_issue.h"

namespace gatehouse::iam {

/// The span of the node at `path` below `root`, or of the deepest node the
/// path reaches (for a missing member: the object lacking it).
template <typename Node>
auto LocateJsonPath(const Node& root, const JsonPath& path) -> decltype(root.span) {
  const Node* node = &root;
  for (const PathSegment& seg : path) {
    const Node* next = nullptr;
    if (const auto* key = std::get_if<std::string>(&seg)) {
      if (node->IsMap()) next = node->Find(*key);
    } else {
      std::size_t index = std::get<std::size_t>(seg);
      if (node->IsSequence() && index < node->items.size()) next = &node->items[index];
    }
    if (next == nullptr) break;
    node = next;
  }
  return node->span;
}

}  // namespace gatehouse::iam
