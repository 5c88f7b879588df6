#pragma once
/// A set of catalog actions as a bitset over action ids: the unit the effective
/// permission computation works in (the catalog has ~22k actions, so a set is
/// ~3 KB and union/intersection/difference are a few hundred word operations).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gatehouse::iam {

/// Dense index of an action in an ActionCatalog.
using ActionId = std::uint32_t;

class ActionSet {
 public:
  ActionSet() = default;
  /// An empty set able to hold ids below `universe`.
  explicit ActionSet(std::size_t universe);
  /// Every id below `universe`.
  static ActionSet All(std::size_t universe);

  std::size_t universe() const { return universe_; }
  void Insert(ActionId id);
  void Erase(ActionId id);
  bool Contains(ActionId id) const;
  bool Empty() const;
  std::size_t Count() const;

  void UnionWith(const ActionSet& other);
  void IntersectWith(const ActionSet& other);
  void Subtract(const ActionSet& other);
  /// The ids below universe() not in this set.
  ActionSet Complement() const;
  /// True when every id of `other` is in this set.
  bool ContainsAll(const ActionSet& other) const;

  /// The ids in ascending order.
  std::vector<ActionId> Ids() const;

  bool operator==(const ActionSet& other) const = default;

 private:
  std::size_t universe_ = 0;
  // INVARIANT: bits at or above universe_ are zero.
  std::vector<std::uint64_t> words_;
};

}  // namespace gatehouse::iam
