#pragma once
/// The dependency graph of a plan's operations (Boost.Graph lives only here).

#include <string>
#include <vector>

#include "compiler/plan.h"

namespace gatehouse {

/// Sets each operation's depends_on from these rules:
/// users and groups before memberships; a permission set before its
/// assignments; deletions of assignments and memberships before deletion of
/// their permission set or principal.
void LinkDependencies(std::vector<Operation>* ops);

/// A topological order of the operations. When the dependencies have a cycle,
/// returns false and `cycle` names it ("a -> b -> a").
bool TopologicalOrder(const std::vector<Operation>& ops, std::vector<size_t>* order, std::string* cycle);

}  // namespace gatehouse
