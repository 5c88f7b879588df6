// Tests for the plan's dependency graph (compiler/plan_graph.h).

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "compiler/diff.h"
#include "compiler/plan_graph.h"

using namespace gatehouse;

namespace {

Operation Op(Action action, Object value) {
  Operation op;
  op.action = action;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, User>) op.kind = ObjectKind::kUser;
        if constexpr (std::is_same_v<T, Group>) op.kind = ObjectKind::kGroup;
        if constexpr (std::is_same_v<T, Membership>) op.kind = ObjectKind::kMembership;
        if constexpr (std::is_same_v<T, PermissionSet>) op.kind = ObjectKind::kPermissionSet;
        if constexpr (std::is_same_v<T, Assignment>) op.kind = ObjectKind::kAssignment;
      },
      value);
  op.name = ObjectName(value);
  if (action != Action::kCreate) op.before = value;
  if (action != Action::kDelete) op.after = value;
  return op;
}

User U(const std::string& n) {
  User u;
  u.user_name = n;
  return u;
}
Group G(const std::string& n) { return Group{n, "", ""}; }
PermissionSet P(const std::string& n) {
  PermissionSet p;
  p.name = n;
  return p;
}
Assignment GA(const std::string& g, const std::string& p, const std::string& acc = "111111111111") {
  return {PrincipalType::kGroup, g, p, acc};
}
Assignment UA(const std::string& u, const std::string& p, const std::string& acc = "111111111111") {
  return {PrincipalType::kUser, u, p, acc};
}

using Deps = std::vector<size_t>;

}  // namespace

TEST_CASE("plan graph: a membership waits for its user and group to be created", "[plan_graph]") {
  std::vector<Operation> ops = {
      Op(Action::kCreate, U("alice")),                     // 0
      Op(Action::kCreate, U("bob")),                       // 1
      Op(Action::kCreate, G("DevOps")),                    // 2
      Op(Action::kCreate, Membership{"DevOps", "alice"}),  // 3
      Op(Action::kCreate, Membership{"Other", "bob"}),     // 4: group exists already
  };
  LinkDependencies(&ops);
  CHECK(ops[3].depends_on == Deps{0, 2});
  CHECK(ops[4].depends_on == Deps{1});
  CHECK(ops[0].depends_on.empty());
  CHECK(ops[2].depends_on.empty());
}

TEST_CASE("plan graph: an assignment waits for its principal and its permission set create or update", "[plan_graph]") {
  std::vector<Operation> ops = {
      Op(Action::kCreate, G("Ops")),                     // 0
      Op(Action::kCreate, P("ReadOnly")),                // 1
      Op(Action::kUpdate, P("Admin")),                   // 2
      Op(Action::kCreate, U("carol")),                   // 3
      Op(Action::kCreate, GA("Ops", "ReadOnly")),        // 4
      Op(Action::kCreate, GA("Ops", "Admin")),           // 5
      Op(Action::kCreate, UA("carol", "Admin")),         // 6
      Op(Action::kCreate, GA("Existing", "Untouched")),  // 7
      Op(Action::kCreate, UA("Ops", "ReadOnly")),        // 8: a *user* named like the group
  };
  LinkDependencies(&ops);
  CHECK(ops[4].depends_on == Deps{0, 1});
  CHECK(ops[5].depends_on == Deps{0, 2});
  CHECK(ops[6].depends_on == Deps{2, 3});
  CHECK(ops[7].depends_on.empty());
  CHECK(ops[8].depends_on == Deps{1});
}

TEST_CASE("plan graph: deletions of assignments and memberships come before their targets' deletion", "[plan_graph]") {
  std::vector<Operation> ops = {
      Op(Action::kDelete, P("Old")),                           // 0
      Op(Action::kDelete, G("Gone")),                          // 1
      Op(Action::kDelete, U("dave")),                          // 2
      Op(Action::kDelete, GA("Gone", "Old")),                  // 3
      Op(Action::kDelete, GA("Gone", "Old", "222222222222")),  // 4
      Op(Action::kDelete, UA("dave", "Keep")),                 // 5
      Op(Action::kDelete, Membership{"Gone", "dave"}),         // 6
      Op(Action::kDelete, Membership{"Stays", "erin"}),        // 7
  };
  LinkDependencies(&ops);
  CHECK(ops[0].depends_on == Deps{3, 4});
  CHECK(ops[1].depends_on == Deps{3, 4, 6});
  CHECK(ops[2].depends_on == Deps{5, 6});
  for (size_t i = 3; i < ops.size(); ++i) CHECK(ops[i].depends_on.empty());
}

TEST_CASE("plan graph: LinkDependencies replaces stale depends_on", "[plan_graph]") {
  std::vector<Operation> ops = {Op(Action::kCreate, U("a")), Op(Action::kCreate, U("b"))};
  ops[0].depends_on = {1};
  LinkDependencies(&ops);
  CHECK(ops[0].depends_on.empty());
}

TEST_CASE("plan graph: TopologicalOrder respects depends_on on random DAGs", "[plan_graph]") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    size_t n = 1 + rng() % 30;
    std::vector<Operation> ops(n);
    // Edges only from a random permutation's earlier to later positions: acyclic.
    std::vector<size_t> perm(n);
    for (size_t i = 0; i < n; ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    for (size_t a = 0; a < n; ++a) {
      ops[perm[a]].name = "op" + std::to_string(perm[a]);
      for (size_t b = 0; b < a; ++b)
        if (rng() % 4 == 0) ops[perm[a]].depends_on.push_back(perm[b]);
    }
    std::vector<size_t> order;
    std::string cycle;
    REQUIRE(TopologicalOrder(ops, &order, &cycle));
    REQUIRE(order.size() == n);
    std::vector<size_t> pos(n, n);
    for (size_t k = 0; k < n; ++k) pos[order[k]] = k;
    for (size_t i = 0; i < n; ++i) {
      REQUIRE(pos[i] < n);  // a permutation
      for (size_t d : ops[i].depends_on) REQUIRE(pos[d] < pos[i]);
    }
  }
}

TEST_CASE("plan graph: a cycle is reported with its full path", "[plan_graph]") {
  std::vector<Operation> ops = {
      Op(Action::kCreate, U("a")),  // 0
      Op(Action::kCreate, U("b")),  // 1
      Op(Action::kCreate, U("c")),  // 2
      Op(Action::kCreate, U("d")),  // 3: outside the cycle
  };
  ops[0].depends_on = {2};
  ops[1].depends_on = {0};
  ops[2].depends_on = {1};
  ops[3].depends_on = {0};
  std::vector<size_t> order;
  std::string cycle;
  REQUIRE_FALSE(TopologicalOrder(ops, &order, &cycle));
  CHECK(cycle == "create user a -> create user c -> create user b -> create user a");
}

TEST_CASE("plan graph: a self-dependency and a missing dependency are refused", "[plan_graph]") {
  std::vector<Operation> ops = {Op(Action::kDelete, P("x"))};
  ops[0].depends_on = {0};
  std::vector<size_t> order;
  std::string cycle;
  REQUIRE_FALSE(TopologicalOrder(ops, &order, &cycle));
  CHECK(cycle == "delete permission_set x -> delete permission_set x");

  ops[0].depends_on = {7};
  cycle.clear();
  REQUIRE_FALSE(TopologicalOrder(ops, &order, &cycle));
  CHECK(cycle == "operation 0 depends on missing operation 7");
}

TEST_CASE("plan graph: a user or group renamed by case is deleted before it is created", "[plan_graph]") {
  std::vector<Operation> ops = {
      Op(Action::kCreate, U("Alice")),                     // 0
      Op(Action::kDelete, U("alice")),                     // 1
      Op(Action::kCreate, G("DevOps")),                    // 2
      Op(Action::kDelete, G("devops")),                    // 3
      Op(Action::kDelete, Membership{"devops", "alice"}),  // 4
      Op(Action::kCreate, Membership{"DevOps", "Alice"}),  // 5
      Op(Action::kCreate, U("bob")),                       // 6: unrelated
      Op(Action::kDelete, G("alice")),                     // 7: a group, not the user
  };
  LinkDependencies(&ops);
  CHECK(ops[0].depends_on == Deps{1});
  CHECK(ops[1].depends_on == Deps{4});
  CHECK(ops[2].depends_on == Deps{3});
  CHECK(ops[3].depends_on == Deps{4});
  CHECK(ops[5].depends_on == Deps{0, 2});
  CHECK(ops[6].depends_on.empty());
  std::vector<size_t> order;
  std::string cycle;
  CHECK(TopologicalOrder(ops, &order, &cycle));
}
