#pragma once
/// One poller per kind of asynchronous sso-admin request (assignment creation,
/// assignment deletion): waiters register their RequestId, and whichever
/// waiter is free acts as the poller — one `List…Status` scan (MaxResults 100,
/// paged) resolves every registered request it shows SUCCEEDED. A request is
/// successful only when a call names its RequestId as SUCCEEDED; one listed
/// FAILED, or not listed for a few scans, is asked with `Describe…Status`
/// (which also gives the FailureReason), as is one listed IN_PROGRESS for
/// longer than `stale`.
///
/// Scans are due when the oldest waiting request is at least `initial` old,
/// no request registered in the last `quiet` (workers still issuing more
/// join the same scan), and `delay` has passed since the previous scan;
/// `delay` starts at `initial`, grows ×1.5 up to `max` while scans resolve
/// nothing, and falls back to `initial` when one does.
///
/// The list order is not documented. When it is oldest first (new requests
/// appended), the scan resumes from the page holding the oldest request still
/// waiting, so a scan costs one or two pages however long the history; when
/// it is newest first, scans start at the top and stop once every waiting
/// request was seen. Either way a request missed by scans gets a Describe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/aws/environment.h"
#include "runtime/aws/json_client.h"

namespace gatehouse::aws {

struct StatusPollerKind {
  std::string list_op;            ///< ListAccountAssignmentCreationStatus
  std::string list_key;           ///< AccountAssignmentsCreationStatus
  std::string describe_op;        ///< DescribeAccountAssignmentCreationStatus
  std::string describe_id_field;  ///< AccountAssignmentCreationRequestId
  std::string status_field;       ///< AccountAssignmentCreationStatus
};

struct StatusPollerTiming {
  std::chrono::milliseconds initial{200};
  std::chrono::milliseconds max{5'000};
  std::chrono::milliseconds quiet{30};
  std::chrono::seconds timeout{900};
  int misses_before_describe = 3;  ///< scans not showing a request before a Describe
  /// A request listed IN_PROGRESS this long (since registering or its last
  /// Describe) is asked directly too, in case the list lags behind.
  std::chrono::seconds stale{10};
  int max_pages_per_scan = 50;
};

class StatusPoller {
 public:
  StatusPoller(JsonClient* client, Environment env, StatusPollerKind kind, std::function<nlohmann::json()> instance,
               StatusPollerTiming timing);

  /// Blocks until the request `initial` (the IN_PROGRESS status the create or
  /// delete call answered) is SUCCEEDED or FAILED; `status` then holds the
  /// final status (with FailureReason when FAILED and the service gave one).
  /// False with `err` set when a call fails or the timeout passes.
  bool Wait(const nlohmann::json& initial, nlohmann::json* status, AwsError* err);

  size_t list_calls() const { return list_calls_.load(); }
  size_t describe_calls() const { return describe_calls_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point registered;
    Clock::time_point next_describe;  ///< when still IN_PROGRESS, Describe anyway
    nlohmann::json status;            ///< last known status (IN_PROGRESS, then the final one)
    bool done = false;
    bool describe = false;    ///< the owner should ask Describe (FAILED or missed)
    bool describing = false;  ///< the owner is asking; scans leave it alone
    int misses = 0;
  };

  /// The leader's turn: wait until a scan is due, scan, publish. Called and
  /// returns with `lock` held.
  void LeadOnce(std::unique_lock<std::mutex>& lock);
  /// One scan (no lock held): fills `seen` with RequestId → listed status.
  bool Scan(const std::map<std::string, bool>& wanted, std::map<std::string, std::string>* seen, bool* from_resume,
            AwsError* err);
  bool DescribeOne(const std::string& id, nlohmann::json* status, AwsError* err);

  JsonClient* client_;
  Environment env_;
  StatusPollerKind kind_;
  std::function<nlohmann::json()> instance_;
  StatusPollerTiming timing_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> pending_;
  bool leader_ = false;
  Clock::time_point last_register_{};
  Clock::time_point last_scan_{};
  std::chrono::milliseconds delay_;
  // Scan state (leader only).
  std::string resume_token_;
  int order_ = 0;  ///< 0 unknown, 1 oldest first, -1 newest first

  /// Set when a list call fails for good (e.g. the role may Describe but
  /// not List): every waiter then polls its own request with Describe.
  bool list_disabled_ = false;

  std::atomic<size_t> list_calls_{0};
  std::atomic<size_t> describe_calls_{0};
};

}  // namespace gatehouse::aws
