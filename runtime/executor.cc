#include "runtime/executor.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "compiler/plan_graph.h"

namespace gatehouse {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSucceeded: return "succeeded";
    case Outcome::kFailed: return "failed";
    case Outcome::kSkipped: return "skipped";
  }
  return "failed";
}

namespace {

/// One run of a plan: the dependency bookkeeping the workers share.
// INVARIANT: every member below `mu_` is read and written with `mu_` held.
class Run {
 public:
  Run(const std::vector<Operation>& ops, const std::vector<size_t>& order, Target& target,
      const ExecutorOptions& options, ApplyReport* report);
  /// Runs every operation on `workers` threads and returns when all ended.
  void RunAll(int workers);

 private:
  void Work();
  /// Records an ended operation and tells the callback and the observer.
  void Finish(const OperationReport& rep);
  /// Queues the dependents of `i` that now have nothing left to wait for.
  void ReleaseDependents(size_t i);
  /// Marks everything downstream of a failure as skipped.
  void SkipDependents(size_t i);

  const std::vector<Operation>& ops_;
  Target& target_;
  const ExecutorOptions& options_;
  ApplyReport* report_;
  std::vector<std::vector<size_t>> dependents_;
  std::vector<size_t> waiting_;
  std::vector<size_t> rank_;  ///< position in the topological order
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<size_t> ready_;
  std::vector<bool> done_;
  size_t finished_ = 0;
};

Run::Run(const std::vector<Operation>& ops, const std::vector<size_t>& order, Target& target,
         const ExecutorOptions& options, ApplyReport* report)
    : ops_(ops),
      target_(target),
      options_(options),
      report_(report),
      dependents_(ops.size()),
      waiting_(ops.size(), 0),
      rank_(ops.size()),
      done_(ops.size(), false) {
  for (size_t i = 0; i < ops.size(); ++i) {
    waiting_[i] = ops[i].depends_on.size();
    for (size_t d : ops[i].depends_on) dependents_[d].push_back(i);
  }
  // Ready operations are taken in topological order so the run is deterministic
  // with one worker.
  for (size_t k = 0; k < order.size(); ++k) rank_[order[k]] = k;
  for (size_t k = 0; k < order.size(); ++k)
    if (waiting_[order[k]] == 0) ready_.push_back(order[k]);
}

void Run::RunAll(int workers) {
  if (options_.progress) options_.progress->OnStart(ops_.size());
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) threads.emplace_back([this] { Work(); });
  for (auto& t : threads) t.join();
  if (options_.progress) options_.progress->OnFinish(finished_, ops_.size());
}

void Run::Finish(const OperationReport& rep) {
  done_[rep.index] = true;
  ++finished_;
  report_->operations.push_back(rep);
  if (options_.on_done) options_.on_done(ops_[rep.index], rep);
  if (options_.progress) options_.progress->OnProgress(finished_, ops_.size());
}

void Run::SkipDependents(size_t i) {
  const Operation& failed = ops_[i];
  for (size_t d : dependents_[i]) {
    if (done_[d]) continue;
    ++report_->skipped;
    Finish(OperationReport{d, Outcome::kSkipped,
                           "skipped: " + std::string(ActionName(failed.action)) + " " + ObjectKindName(failed.kind) +
                               " " + failed.name + " did not succeed"});
    SkipDependents(d);
  }
}

void Run::ReleaseDependents(size_t i) {
  std::vector<size_t> now_ready;
  for (size_t d : dependents_[i])
    if (--waiting_[d] == 0 && !done_[d]) now_ready.push_back(d);
  std::sort(now_ready.begin(), now_ready.end(), [&](size_t a, size_t b) { return rank_[a] < rank_[b]; });
  for (size_t d : now_ready) ready_.push_back(d);
}

void Run::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return !ready_.empty() || finished_ == ops_.size(); });
    if (finished_ == ops_.size()) return;
    size_t i = ready_.front();
    ready_.pop_front();
    if (done_[i]) continue;
    lock.unlock();
    OpResult r = target_.Apply(ops_[i]);
    lock.lock();
    Finish(OperationReport{i, r.ok ? Outcome::kSucceeded : Outcome::kFailed, r.error});
    if (r.ok) {
      ++report_->succeeded;
      ReleaseDependents(i);
    } else {
      ++report_->failed;
      SkipDependents(i);
    }
    cv_.notify_all();
  }
}

}  // namespace

bool Execute(const Plan& plan, Target& target, const ExecutorOptions& options, ApplyReport* report, std::string* err) {
  const auto& ops = plan.operations;
  std::vector<size_t> order;
  if (!TopologicalOrder(ops, &order, err)) {
    *err = "internal error: the plan's dependencies form a cycle: " + *err;
    return false;
  }
  *report = ApplyReport{};
  Run run(ops, order, target, options, report);
  size_t n = ops.size();
  run.RunAll(std::max(1, std::min<int>(options.parallelism, static_cast<int>(std::max<size_t>(n, 1)))));
  return true;
}

}  // namespace gatehouse
