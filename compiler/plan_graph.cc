#include "compiler/plan_graph.h"

#include "compiler/text.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <map>

namespace gatehouse {

namespace {

using Key = std::pair<ObjectKind, std::string>;

ObjectKind PrincipalKind(PrincipalType t) { return t == PrincipalType::kUser ? ObjectKind::kUser : ObjectKind::kGroup; }

}  // namespace

namespace {

/// Who produces and who removes what, over a plan's operations.
class OpIndex {
 public:
  void Record(const Operation& op, size_t i) {
    if (op.kind == ObjectKind::kApplication) {
      if (op.action == Action::kCreate) producers_[{op.kind, op.name}].push_back(i);
    } else if (op.kind == ObjectKind::kApplicationAssignment) {
      const auto& a = std::get<ApplicationAssignment>(op.value());
      if (op.action == Action::kDelete)
        dependents_removed_[{PrincipalKind(a.principal_type), a.principal}].push_back(i);
      else  // assignment_required changes only once the new assignments are in
        app_assignments_added_[{ObjectKind::kApplication, a.application}].push_back(i);
    } else if (op.kind == ObjectKind::kUser || op.kind == ObjectKind::kGroup || op.kind == ObjectKind::kPermissionSet) {
      if (op.action != Action::kDelete)
        producers_[{op.kind, op.name}].push_back(i);
      else if (op.kind != ObjectKind::kPermissionSet)
        principal_deletes_by_lower_name_[{op.kind, AsciiLower(op.name)}].push_back(i);
    } else if (op.action == Action::kDelete && op.kind == ObjectKind::kMembership) {
      const auto& m = std::get<Membership>(op.value());
      dependents_removed_[{ObjectKind::kUser, m.user}].push_back(i);
      dependents_removed_[{ObjectKind::kGroup, m.group}].push_back(i);
    } else if (op.action == Action::kDelete && op.kind == ObjectKind::kAssignment) {
      const auto& a = std::get<Assignment>(op.value());
      dependents_removed_[{PrincipalKind(a.principal_type), a.principal}].push_back(i);
      dependents_removed_[{ObjectKind::kPermissionSet, a.permission_set}].push_back(i);
    }
  }

  std::vector<size_t> DependenciesOf(const Operation& op) const {
    std::vector<size_t> deps;
    bool deleting = op.action == Action::kDelete;
    if (op.kind == ObjectKind::kMembership && !deleting) {
      const auto& m = std::get<Membership>(op.value());
      Add(&deps, producers_, {ObjectKind::kUser, m.user});
      Add(&deps, producers_, {ObjectKind::kGroup, m.group});
    } else if (op.kind == ObjectKind::kAssignment && !deleting) {
      const auto& a = std::get<Assignment>(op.value());
      Add(&deps, producers_, {PrincipalKind(a.principal_type), a.principal});
      Add(&deps, producers_, {ObjectKind::kPermissionSet, a.permission_set});
    } else if (op.kind == ObjectKind::kApplicationAssignment && !deleting) {
      const auto& a = std::get<ApplicationAssignment>(op.value());
      Add(&deps, producers_, {PrincipalKind(a.principal_type), a.principal});
      Add(&deps, producers_, {ObjectKind::kApplication, a.application});
    } else if (op.kind == ObjectKind::kApplication && op.action == Action::kUpdate) {
      Add(&deps, app_assignments_added_, {op.kind, op.name});
    } else if (op.action == Action::kCreate && (op.kind == ObjectKind::kUser || op.kind == ObjectKind::kGroup)) {
      Add(&deps, principal_deletes_by_lower_name_, {op.kind, AsciiLower(op.name)});
    } else if (deleting && (op.kind == ObjectKind::kUser || op.kind == ObjectKind::kGroup ||
                            op.kind == ObjectKind::kPermissionSet)) {
      Add(&deps, dependents_removed_, {op.kind, op.name});
    }
    return deps;
  }

 private:
  using Index = std::map<Key, std::vector<size_t>>;
  static void Add(std::vector<size_t>* deps, const Index& from, const Key& k) {
    auto it = from.find(k);
    if (it != from.end()) deps->insert(deps->end(), it->second.begin(), it->second.end());
  }
  // What brings an object into being (create/update), and what removes
  // the things that point at an object (assignment and membership deletes).
  Index producers_, dependents_removed_;
  // User and group names are unique case-insensitively in Identity Store, so a
  // rename by case (alice -> Alice) must delete the old spelling first.
  Index principal_deletes_by_lower_name_;
  Index app_assignments_added_;  ///< by application
};

}  // namespace

void LinkDependencies(std::vector<Operation>* ops) {
  OpIndex index;
  for (size_t i = 0; i < ops->size(); ++i) index.Record((*ops)[i], i);
  for (size_t i = 0; i < ops->size(); ++i) {
    Operation& op = (*ops)[i];
    std::vector<size_t> deps = index.DependenciesOf(op);
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    deps.erase(std::remove(deps.begin(), deps.end(), i), deps.end());
    op.depends_on = deps;
  }
}

namespace {

// Finds one cycle by depth-first search; used only to explain a failed sort.
bool FindCycle(const std::vector<Operation>& ops, size_t v, std::vector<int>* state, std::vector<size_t>* path) {
  (*state)[v] = 1;
  path->push_back(v);
  for (size_t dep : ops[v].depends_on) {
    if (dep >= ops.size()) continue;
    if ((*state)[dep] == 1) {
      path->push_back(dep);
      return true;
    }
    if ((*state)[dep] == 0 && FindCycle(ops, dep, state, path)) return true;
  }
  path->pop_back();
  (*state)[v] = 2;
  return false;
}

}  // namespace

bool TopologicalOrder(const std::vector<Operation>& ops, std::vector<size_t>* order, std::string* cycle) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Graph g(ops.size());
  for (size_t i = 0; i < ops.size(); ++i)
    for (size_t dep : ops[i].depends_on) {
      if (dep >= ops.size()) {
        *cycle = "operation " + std::to_string(i) + " depends on missing operation " + std::to_string(dep);
        return false;
      }
      boost::add_edge(dep, i, g);
    }
  std::vector<Graph::vertex_descriptor> reversed;
  try {
    boost::topological_sort(g, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    std::vector<int> state(ops.size(), 0);
    std::vector<size_t> path;
    for (size_t v = 0; v < ops.size() && path.empty(); ++v)
      if (state[v] == 0) FindCycle(ops, v, &state, &path);
    std::string text;
    if (!path.empty()) {
      size_t start = std::find(path.begin(), path.end(), path.back()) - path.begin();
      for (size_t k = start; k < path.size(); ++k) {
        const auto& op = ops[path[k]];
        text += (k == start ? "" : " -> ") + std::string(ActionName(op.action)) + " " + ObjectKindName(op.kind) + " " +
                op.name;
      }
    }
    *cycle = text.empty() ? "dependency cycle" : text;
    return false;
  }
  order->assign(reversed.rbegin(), reversed.rend());
  return true;
}

}  // namespace gatehouse
