#include "runtime/executor.h"

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

bool Execute(const Plan& plan, Target& target, const ExecutorOptions& options, ApplyReport* report, std::string* err) {
  const auto& ops = plan.operations;
  std::vector<size_t> order;
  if (!TopologicalOrder(ops, &order, err)) {
    *err = "internal error: the plan's dependencies form a cycle: " + *err;
    return false;
  }
  size_t n = ops.size();
  std::vector<std::vector<size_t>> dependents(n);
  std::vector<size_t> waiting(n, 0);
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = ops[i].depends_on.size();
    for (size_t d : ops[i].depends_on) dependents[d].push_back(i);
  }
  // Ready operations are taken in topological order so the run is deterministic
  // with one worker.
  std::vector<size_t> rank(n);
  for (size_t k = 0; k < n; ++k) rank[order[k]] = k;
  std::deque<size_t> ready;
  for (size_t k = 0; k < n; ++k)
    if (waiting[order[k]] == 0) ready.push_back(order[k]);

  std::mutex mu;
  std::condition_variable cv;
  size_t finished = 0;
  std::vector<bool> done(n, false);
  *report = ApplyReport{};

  // Marks everything downstream of a failure as skipped. Called with mu held.
  std::function<void(size_t)> skip_dependents = [&](size_t i) {
    for (size_t d : dependents[i]) {
      if (done[d]) continue;
      done[d] = true;
      ++finished;
      ++report->skipped;
      OperationReport r{d, Outcome::kSkipped,
                        "skipped: " + std::string(ActionName(ops[i].action)) + " " + ObjectKindName(ops[i].kind) + " " +
                            ops[i].name + " did not succeed"};
      report->operations.push_back(r);
      if (options.on_done) options.on_done(ops[d], r);
      skip_dependents(d);
    }
  };

  auto worker = [&]() {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      cv.wait(lock, [&] { return !ready.empty() || finished == n; });
      if (finished == n) return;
      size_t i = ready.front();
      ready.pop_front();
      if (done[i]) continue;
      lock.unlock();
      OpResult r = target.Apply(ops[i]);
      lock.lock();
      done[i] = true;
      ++finished;
      OperationReport rep{i, r.ok ? Outcome::kSucceeded : Outcome::kFailed, r.error};
      report->operations.push_back(rep);
      if (options.on_done) options.on_done(ops[i], rep);
      if (r.ok) {
        ++report->succeeded;
        std::vector<size_t> now_ready;
        for (size_t d : dependents[i])
          if (--waiting[d] == 0 && !done[d]) now_ready.push_back(d);
        std::sort(now_ready.begin(), now_ready.end(), [&](size_t a, size_t b) { return rank[a] < rank[b]; });
        for (size_t d : now_ready) ready.push_back(d);
      } else {
        ++report->failed;
        skip_dependents(i);
      }
      cv.notify_all();
    }
  };
  int workers = std::max(1, std::min<int>(options.parallelism, static_cast<int>(std::max<size_t>(n, 1))));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return true;
}

}  // namespace gatehouse
