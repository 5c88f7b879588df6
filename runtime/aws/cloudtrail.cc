#include "runtime/aws/cloudtrail.h"

#include <algorithm>
#include <chrono>

#include "runtime/aws/aws_target.h"

namespace gatehouse::aws {

using nlohmann::json;

namespace {

/// Visits the events of one page; false when the page is not what LookupEvents answers.
bool VisitPage(const json& page, const EventVisitor& visit, size_t* records) {
  if (!page.contains("Events") || !page["Events"].is_array()) return false;
  for (const auto& event : page["Events"]) {
    if (!event.is_object() || !event.contains("CloudTrailEvent") || !event["CloudTrailEvent"].is_string()) continue;
    visit(event["CloudTrailEvent"].get<std::string>());
    ++*records;
  }
  return true;
}

/// Pages through the lookup of one event name.
bool LookupByName(JsonClient& client, const std::string& name, int64_t start, int64_t end, const EventVisitor& visit,
                  EventLookupResult* result, AwsError* err) {
  json body = {{"LookupAttributes", json::array({{{"AttributeKey", "EventName"}, {"AttributeValue", name}}})},
               {"StartTime", start},
               {"EndTime", end},
               {"MaxResults", 50}};
  for (;;) {
    json page;
    if (!client.Call(Service::kCloudTrail, "LookupEvents", body, &page, err)) return false;
    if (!VisitPage(page, visit, &result->records)) {
      *err = AwsError{"InvalidResponse", "LookupEvents answered without Events", 200, 0, "cloudtrail LookupEvents"};
      return false;
    }
    if (!page.contains("NextToken") || !page["NextToken"].is_string() || page["NextToken"].get<std::string>().empty())
      return true;
    body["NextToken"] = page["NextToken"];
  }
}

}  // namespace

EventLookupResult LookupEvents(JsonClient& client, const EventQuery& query, const EventVisitor& visit) {
  EventLookupResult result;
  size_t before = client.requests_sent();
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(client.env().now().time_since_epoch()).count();
  // A minute inside the 90 days, so the clocks of client and service may differ a little.
  int64_t start = std::max(query.start_time, now - kLookupRetentionSeconds + 60);
  int64_t end = std::max(start, query.end_time);
  for (const std::string& name : query.event_names) {
    AwsError err;
    if (LookupByName(client, name, start, end, visit, &result, &err)) continue;
    result.ok = false;
    result.denied = err.type.find("AccessDenied") != std::string::npos || err.http_status == 403;
    result.error = err.ToString();
    break;
  }
  result.requests = client.requests_sent() - before;
  return result;
}

EventLookupResult LookupEvents(const TargetSpec& spec, const net::Environment& env_in, const EventQuery& query,
                               const EventVisitor& visit) {
  net::Environment env = env_in.WithDefaults();
  AwsSession session;
  std::string err;
  if (!OpenAwsSession(spec, env, &session, &err)) {
    EventLookupResult result;
    result.ok = false;
    result.error = err;
    return result;
  }
  JsonClient client(session.client_options, session.http.get(), session.creds.get(), env);
  return LookupEvents(client, query, visit);
}

}  // namespace gatehouse::aws
