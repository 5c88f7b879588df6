#include "runtime/scim/scim_client.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace gatehouse::scim {
namespace {

using json = nlohmann::json;

bool Retryable(long status) { return status == 429 || status >= 500; }

/// Retry-After in whole seconds (RFC 9110 also allows a date; those fall back to backoff).
std::optional<std::chrono::milliseconds> RetryAfter(const aws::HttpResponse& resp) {
  auto it = resp.headers.find("retry-after");
  if (it == resp.headers.end() || it->second.empty()) return std::nullopt;
  if (!std::all_of(it->second.begin(), it->second.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  long seconds = std::min(std::stol(it->second.substr(0, 6)), 120L);
  return std::chrono::milliseconds(seconds * 1000);
}

const char* StatusText(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string Detail(const json& body) {
  if (!body.is_object()) return "";
  std::string detail;
  if (auto it = body.find("detail"); it != body.end() && it->is_string()) detail = it->get<std::string>();
  if (auto it = body.find("scimType"); it != body.end() && it->is_string() && !it->get<std::string>().empty())
    detail = detail.empty() ? it->get<std::string>() : it->get<std::string>() + ": " + detail;
  while (!detail.empty() && (detail.back() == '.' || std::isspace(static_cast<unsigned char>(detail.back()))))
    detail.pop_back();
  return detail;
}

std::string StripSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

std::string QueryEscape(const std::string& s) { return aws::FormEncode(s); }

std::string EqFilter(const std::string& attribute, const std::string& value) {
  std::string quoted;
  for (char c : value) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return attribute + " eq \"" + quoted + "\"";
}

std::string ErrorMessage(long status, const json& body, const std::string& request, const std::string& token_env) {
  std::string code = std::to_string(status);
  if (const char* text = StatusText(status); *text) code += std::string(" ") + text;
  std::string detail = Detail(body);
  std::string tail = detail.empty() ? "" : ": " + detail;
  switch (status) {
    case 400: return "the SCIM service rejected " + request + " (" + code + ")" + tail;
    case 401:
      return "the SCIM service did not accept the bearer token from `" + token_env + "` (" + code + ")" + tail +
             "; check the token, and for Identity Center that the URL's tenant is the token's";
    case 403: return "the SCIM service forbids " + request + " (" + code + ")" + tail;
    case 404: return "the SCIM service has no such resource for " + request + " (" + code + ")" + tail;
    case 409: return "the SCIM service already has this resource, " + request + " (" + code + ")" + tail;
    case 429: return "the SCIM service kept throttling " + request + " (" + code + ")" + tail;
    default:
      if (status >= 500) return "the SCIM service failed on " + request + " (" + code + ")" + tail;
      return "unexpected answer to " + request + " (" + code + ")" + tail;
  }
}

ScimClient::ScimClient(ScimOptions options, aws::HttpTransport* transport, aws::Environment env)
    : options_(std::move(options)), transport_(transport), env_(env.WithDefaults()) {
  options_.base_url = StripSlash(options_.base_url);
}

ScimResponse ScimClient::Call(const std::string& method, const std::string& path_and_query, const json* body) const {
  aws::HttpRequest req;
  req.method = method;
  req.url = options_.base_url + path_and_query;
  req.headers.emplace_back("Authorization", "Bearer " + options_.token);
  req.headers.emplace_back("Accept", "application/scim+json, application/json");
  if (body) {
    req.headers.emplace_back("Content-Type", "application/scim+json");
    req.body = body->dump();
  }
  std::string what = method + " " + path_and_query.substr(0, path_and_query.find('?'));
  ScimResponse out;
  for (int attempt = 0;; ++attempt) {
    aws::HttpResponse resp;
    std::string transport_err;
    bool sent = transport_->Send(req, &resp, &transport_err);
    bool last = attempt + 1 >= options_.max_attempts;
    if (sent && !Retryable(resp.status)) {
      out.status = resp.status;
      out.body = resp.body.empty() ? json() : json::parse(resp.body, nullptr, false);
      if (out.body.is_discarded()) out.body = json();
      if (!out.ok()) out.error = ErrorMessage(out.status, out.body, what, options_.token_env);
      return out;
    }
    if (last) {
      if (!sent) {
        out.status = 0;
        out.error = "cannot reach the SCIM service for " + what + ": " + transport_err;
      } else {
        out.status = resp.status;
        out.body = json::parse(resp.body, nullptr, false);
        if (out.body.is_discarded()) out.body = json();
        out.error = ErrorMessage(out.status, out.body, what, options_.token_env) + " (gave up after " +
                    std::to_string(attempt + 1) + " attempts)";
      }
      return out;
    }
    std::optional<std::chrono::milliseconds> wait;
    if (sent) wait = RetryAfter(resp);
    if (!wait) {
      long cap = std::min(10'000L, 200L << std::min(attempt, 10));
      wait = std::chrono::milliseconds(static_cast<long>(env_.random() * static_cast<double>(cap)) + 1);
    }
    env_.sleep(*wait);
  }
}

bool ScimClient::List(const std::string& resource, const std::string& filter, std::vector<json>* out,
                      std::string* err) const {
  std::string base = "/" + resource + "?count=" + std::to_string(options_.page_size);
  if (!filter.empty()) base += "&filter=" + QueryEscape(filter);
  // An empty `cursor` asks for cursor paging (RFC 9865; Identity Center pages
  // only so). A provider that rejects it gets index paging instead.
  ScimResponse page = Call("GET", base + "&cursor=");
  if (page.status == 400) page = Call("GET", base + "&startIndex=1");
  std::set<std::string> cursors_seen;
  size_t next_index = 1;
  for (size_t pages = 1;; ++pages) {
    if (!page.ok()) {
      *err = page.error;
      return false;
    }
    if (!page.body.is_object()) {
      *err = "the SCIM service answered GET /" + resource + " with something that is not a SCIM list response";
      return false;
    }
    size_t count = 0;
    if (auto it = page.body.find("Resources"); it != page.body.end() && it->is_array()) {
      for (auto& r : *it) out->push_back(std::move(r));
      count = it->size();
    }
    if (pages > 100'000) {
      *err = "the SCIM service kept paging GET /" + resource + " (more than 100000 pages)";
      return false;
    }
    if (auto it = page.body.find("nextCursor");
        it != page.body.end() && it->is_string() && !it->get<std::string>().empty()) {
      std::string cursor = it->get<std::string>();
      if (!cursors_seen.insert(cursor).second) {
        *err = "the SCIM service returned the same nextCursor twice for GET /" + resource;
        return false;
      }
      page = Call("GET", base + "&cursor=" + QueryEscape(cursor));
      continue;
    }
    auto total = page.body.find("totalResults");
    if (total == page.body.end() || !total->is_number_integer() || count == 0) return true;
    if (auto si = page.body.find("startIndex");
        si != page.body.end() && si->is_number_integer() && si->get<long>() != static_cast<long>(next_index)) {
      // Without this check a provider that ignores startIndex would be paged forever.
      *err = "the SCIM service answered GET /" + resource + " with startIndex " + si->dump() + " when asked for " +
             std::to_string(next_index) + "; it does not page by index";
      return false;
    }
    next_index += count;
    if (next_index > total->get<size_t>()) return true;
    page = Call("GET", base + "&startIndex=" + std::to_string(next_index));
  }
}

}  // namespace gatehouse::scim
