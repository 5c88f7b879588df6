#include "compiler/iam/action_set.h"

#include <algorithm>
#include <bit>

namespace gatehouse::iam {

ActionSet::ActionSet(std::size_t universe) : universe_(universe), words_((universe + 63) / 64, 0) {}

ActionSet ActionSet::All(std::size_t universe) {
  ActionSet set(universe);
  std::fill(set.words_.begin(), set.words_.end(), ~std::uint64_t{0});
  if (universe % 64 != 0 && !set.words_.empty()) {
    set.words_.back() = (std::uint64_t{1} << (universe % 64)) - 1;
  }
  return set;
}

void ActionSet::Insert(ActionId id) {
  if (id < universe_) words_[id / 64] |= std::uint64_t{1} << (id % 64);
}

void ActionSet::Erase(ActionId id) {
  if (id < universe_) words_[id / 64] &= ~(std::uint64_t{1} << (id % 64));
}

bool ActionSet::Contains(ActionId id) const { return id < universe_ && (words_[id / 64] >> (id % 64) & 1) != 0; }

bool ActionSet::Empty() const {
  return std::all_of(words_.begin(), words_.end(), [](std::uint64_t w) { return w == 0; });
}

std::size_t ActionSet::Count() const {
  std::size_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
  return n;
}

void ActionSet::UnionWith(const ActionSet& other) {
  std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) words_[i] |= other.words_[i];
}

void ActionSet::IntersectWith(const ActionSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    words_[i] &= i < other.words_.size() ? other.words_[i] : 0;
  }
}

void ActionSet::Subtract(const ActionSet& other) {
  std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) words_[i] &= ~other.words_[i];
}

ActionSet ActionSet::Complement() const {
  ActionSet result = All(universe_);
  result.Subtract(*this);
  return result;
}

bool ActionSet::ContainsAll(const ActionSet& other) const {
  for (std::size_t i = 0; i < other.words_.size(); ++i) {
    std::uint64_t mine = i < words_.size() ? words_[i] : 0;
    if ((other.words_[i] & ~mine) != 0) return false;
  }
  return true;
}

std::vector<ActionId> ActionSet::Ids() const {
  std::vector<ActionId> ids;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    std::uint64_t w = words_[i];
    while (w != 0) {
      ids.push_back(static_cast<ActionId>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
      w &= w - 1;
    }
  }
  return ids;
}

}  // namespace gatehouse::iam
