#include "runtime/aws/status_poller.h"

#include <algorithm>

namespace gatehouse::aws {

using nlohmann::json;

namespace {

std::string StrOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Final(const std::string& status) { return status == "SUCCEEDED" || status == "FAILED"; }

}  // namespace

StatusPoller::StatusPoller(JsonClient* client, Environment env, StatusPollerKind kind, std::function<json()> instance,
                           StatusPollerTiming timing)
    : client_(client),
      env_(std::move(env)),
      kind_(std::move(kind)),
      instance_(std::move(instance)),
      timing_(timing),
      delay_(timing.initial) {}

bool StatusPoller::DescribeOne(const std::string& id, json* status, AwsError* err) {
  json body = instance_();
  body[kind_.describe_id_field] = id;
  json out;
  ++describe_calls_;
  if (!client_->Call(Service::kSsoAdmin, kind_.describe_op, body, &out, err)) return false;
  *status = out.contains(kind_.status_field) ? out[kind_.status_field] : json::object();
  return true;
}

bool StatusPoller::Wait(const json& initial, json* status, AwsError* err) {
  const std::string id = StrOf(initial, "RequestId");
  if (id.empty()) {
    *err = AwsError{"InvalidResponse", "no RequestId in an IN_PROGRESS status", 0, 0, "sso-admin " + kind_.describe_op};
    return false;
  }
  std::unique_lock<std::mutex> lock(mu_);
  const auto start = Clock::now();
  const auto deadline = start + timing_.timeout;
  {
    Entry& e = pending_[id];
    e.registered = start;
    e.next_describe = start + timing_.stale;
    e.status = initial;
  }
  last_register_ = start;
  auto own_delay = timing_.initial;  // Describe-only polling (list_disabled_)
  for (;;) {
    auto it = pending_.find(id);
    if (it->second.done) {
      *status = it->second.status;
      pending_.erase(it);
      return true;
    }
    if (list_disabled_ && !it->second.describe) {
      lock.unlock();
      env_.sleep(own_delay);
      own_delay = std::min(timing_.max, own_delay * 3 / 2);
      lock.lock();
      it = pending_.find(id);
      if (it->second.done) continue;
      it->second.describe = true;
    }
    if (it->second.describe) {
      it->second.describe = false;
      it->second.describing = true;
      lock.unlock();
      json described;
      AwsError describe_err;
      bool ok = DescribeOne(id, &described, &describe_err);
      lock.lock();
      it = pending_.find(id);
      it->second.describing = false;
      if (!ok) {
        pending_.erase(it);
        *err = describe_err;
        return false;
      }
      if (Final(StrOf(described, "Status"))) {
        *status = described;
        pending_.erase(it);
        return true;
      }
      it->second.misses = 0;  // still in progress: back to the scans
      it->second.next_describe = Clock::now() + timing_.stale;
    }
    if (Clock::now() > deadline) {
      pending_.erase(it);
      *err = AwsError{"Timeout", "request " + id + " still IN_PROGRESS", 0, 0, "sso-admin " + kind_.describe_op};
      return false;
    }
    if (list_disabled_) continue;
    if (!leader_) {
      leader_ = true;
      LeadOnce(lock);
      leader_ = false;
      cv_.notify_all();
      continue;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(250));
  }
}

void StatusPoller::LeadOnce(std::unique_lock<std::mutex>& lock) {
  // Wait until a scan is due. Bounded rounds: an injected sleep may not pass
  // real time.
  for (int round = 0; round < 8; ++round) {
    auto now = Clock::now();
    auto oldest = now;
    bool any = false;
    for (const auto& [id, e] : pending_) {
      if (e.done || e.describe || e.describing) continue;
      oldest = std::min(oldest, e.registered);
      any = true;
    }
    if (!any) return;
    auto due = std::max({last_scan_ + delay_, oldest + timing_.initial, last_register_ + timing_.quiet});
    if (due <= now) break;
    lock.unlock();
    env_.sleep(
        std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(due - now)));
    lock.lock();
  }
  std::map<std::string, bool> wanted;
  for (const auto& [id, e] : pending_) {
    if (!e.done && !e.describe && !e.describing) wanted[id] = true;
  }
  if (wanted.empty()) return;
  lock.unlock();
  std::map<std::string, std::string> seen;
  bool from_resume = false;
  AwsError scan_err;
  bool scanned = Scan(wanted, &seen, &from_resume, &scan_err);
  lock.lock();
  last_scan_ = Clock::now();
  if (!scanned && ClassifyForRetry(scan_err) == RetryClass::kNone) {
    // Not transient (access denied, validation): poll by Describe from now on.
    list_disabled_ = true;
  }
  bool resolved = false;
  for (const auto& [id, unused] : wanted) {
    (void)unused;
    auto it = pending_.find(id);
    if (it == pending_.end()) continue;
    Entry& e = it->second;
    if (e.done || e.describe || e.describing) continue;
    auto s = seen.find(id);
    if (!scanned || s == seen.end()) {
      if (!scanned || ++e.misses >= timing_.misses_before_describe) e.describe = true;
    } else if (s->second == "SUCCEEDED") {
      // Only a status naming this RequestId as SUCCEEDED counts as success.
      e.status["Status"] = "SUCCEEDED";
      e.done = true;
      resolved = true;
    } else if (s->second == "FAILED") {
      e.describe = true;  // for the FailureReason, which lists lack
      resolved = true;
    } else {
      e.misses = 0;
      if (last_scan_ >= e.next_describe) e.describe = true;  // listed IN_PROGRESS too long
    }
  }
  if (scanned && from_resume && seen.size() < wanted.size()) {
    resume_token_.clear();  // the resume point skipped some: start over next time
  }
  delay_ = resolved ? timing_.initial : std::min(timing_.max, delay_ * 3 / 2);
}

bool StatusPoller::Scan(const std::map<std::string, bool>& wanted, std::map<std::string, std::string>* seen,
                        bool* from_resume, AwsError* err) {
  std::string token = order_ >= 0 ? resume_token_ : std::string();
  *from_resume = !token.empty();
  std::string first_pending_token, last_token = token;
  bool have_pending = false;
  for (int page = 0; page < timing_.max_pages_per_scan; ++page) {
    json body = instance_();
    body["MaxResults"] = 100;
    if (!token.empty()) body["NextToken"] = token;
    json out;
    ++list_calls_;
    if (!client_->Call(Service::kSsoAdmin, kind_.list_op, body, &out, err)) {
      if (page == 0 && *from_resume && err->Is("ValidationException")) {
        // An expired or foreign resume token: scan from the top.
        resume_token_.clear();
        token.clear();
        last_token.clear();
        *from_resume = false;
        continue;
      }
      return false;
    }
    last_token = token;
    auto items = out.find(kind_.list_key);
    if (items != out.end() && items->is_array()) {
      if (items->size() >= 2) {
        const json& a = items->front();
        const json& b = items->back();
        if (a.contains("CreatedDate") && b.contains("CreatedDate") && a["CreatedDate"].is_number() &&
            b["CreatedDate"].is_number()) {
          double first = a["CreatedDate"].get<double>(), last = b["CreatedDate"].get<double>();
          if (last > first) order_ = 1;
          if (last < first) order_ = -1;
        }
      }
      for (const auto& item : *items) {
        std::string id = StrOf(item, "RequestId");
        if (wanted.count(id) == 0) continue;
        std::string st = StrOf(item, "Status");
        (*seen)[id] = st;
        if (!Final(st) && !have_pending) {
          first_pending_token = token;
          have_pending = true;
        }
      }
    }
    std::string next = StrOf(out, "NextToken");
    if (next.empty() || seen->size() >= wanted.size()) break;
    token = next;
  }
  if (order_ >= 0) {
    resume_token_ = have_pending ? first_pending_token : last_token;
  } else {
    resume_token_.clear();
  }
  return true;
}

}  // namespace gatehouse::aws
