#pragma once
/// The apply lock, held for a scope: whichever way an apply ends, the lock is released.

#include <string>

#include "runtime/target.h"

namespace gatehouse {

class TargetLock {
 public:
  TargetLock() = default;
  TargetLock(const TargetLock&) = delete;
  TargetLock& operator=(const TargetLock&) = delete;
  ~TargetLock() { Release(); }

  /// Takes `target`'s lock; false with `err` when another apply holds it.
  bool Acquire(Target& target, std::string* err) {
    if (!target.Lock(err)) return false;
    target_ = &target;
    return true;
  }
  /// Releases the lock now (idempotent).
  void Release() {
    if (target_) target_->Unlock();
    target_ = nullptr;
  }

 private:
  Target* target_ = nullptr;
};

}  // namespace gatehouse
