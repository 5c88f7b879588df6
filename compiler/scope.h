#pragma once
/// Scoped plans (issue 15): the slice of the directory a change touches. A
/// scoped plan reads only the slice from the live directory, diffs only the
/// slice, and never changes (or deletes) anything outside it.
///
/// A slice names objects (users, groups, memberships, permission sets,
/// accounts, assignments) and, for removals, "whole" principals and sets: a
/// whole user or group brings every membership and assignment it has, a whole
/// set every assignment of the set, live ones included, so deleting the
/// object deletes what hangs on it. Pure: no I/O. JSON form: plan_json.h.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/model.h"

namespace gatehouse {

struct Scope {
  std::set<std::string> users;            ///< by user_name
  std::set<std::string> groups;           ///< by name
  std::set<std::string> permission_sets;  ///< by name
  std::set<std::string> accounts;         ///< by id
  std::set<Membership> memberships;
  std::set<Assignment> assignments;
  std::set<std::string> whole_users;   ///< + every membership and assignment of the user
  std::set<std::string> whole_groups;  ///< + every member and assignment of the group
  std::set<std::string> whole_sets;    ///< + every assignment of the set
  /// Where a target that cannot look a set up by name (AWS) finds its ARN: up
  /// to 2 of the config's assignments of the set outside the slice, those
  /// whose principal holds the fewest sets on the account first.
  std::map<std::string, std::vector<Assignment>> set_hints;
  std::string origin;  ///< "changed from origin/main", "--only group:DevOps"
  bool operator==(const Scope&) const = default;

  bool empty() const;
  bool HasMembership(const Membership& m) const;
  bool HasAssignment(const Assignment& a) const;
};

/// The objects that differ between two compiled desired states (after
/// selector expansion), removed ones included (whole), plus what they depend
/// on: a membership's user and group; an assignment's principal, set and
/// account; a set's accounts where it is assigned in the slice.
Scope ChangedScope(const DirectoryState& before, const DirectoryState& after);

/// Adds `KIND:NAME` (`--only`) to the slice: user:NAME, group:NAME and
/// permission_set:NAME (whole: with all their memberships and assignments),
/// membership:GROUP/USER, assignment:user:NAME/SET/ACCOUNT or
/// assignment:group:NAME/SET/ACCOUNT (account by id or name), account:ID|NAME
/// (the config's assignments on it). False with `err` on a malformed spec or a
/// name the config does not know (removals of whole objects are allowed).
bool AddOnly(const std::string& spec, const DirectoryState& desired, Scope* scope, std::string* err);

/// Adds the dependencies of the slice's memberships and assignments, and the
/// desired memberships and assignments of its whole objects (with theirs).
void AddDependencies(const DirectoryState& desired, Scope* scope);

/// Fills `set_hints` from the assignments of `known` (the config that matches
/// the live directory best: the base revision's) outside the slice.
void AddSetHints(const DirectoryState& known, Scope* scope);

/// The part of `state` inside the slice.
DirectoryState Restrict(const DirectoryState& state, const Scope& scope);
/// `outside` with the slice replaced by `inside` (the view of a live
/// directory that matches `outside` everywhere but the slice).
DirectoryState Overlay(const DirectoryState& outside, const DirectoryState& inside, const Scope& scope);
/// Users + groups + memberships + permission sets + assignments.
size_t CountObjects(const DirectoryState& state);

}  // namespace gatehouse
