#include "runtime/aws/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace gatehouse::aws {
namespace {

std::once_flag g_curl_init;  // libcurl's global init must run once per process

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string value = line.substr(colon + 1);
  auto first = value.find_first_not_of(" \t");
  auto last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  (*headers)[name] = value;
  return size * n;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

CurlHttpClient::CurlHttpClient(HttpOptions options) : options_(options) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHttpClient::~CurlHttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* CurlHttpClient::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void CurlHttpClient::Release(void* handle) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

bool CurlHttpClient::Send(const HttpRequest& req, HttpResponse* resp, std::string* err) {
  if (!ValidateEndpointUrl(req.url, err)) return false;
  CURL* curl = static_cast<CURL*>(Acquire());
  if (curl == nullptr) {
    *err = "cannot initialise libcurl";
    return false;
  }
  curl_easy_reset(curl);  // keeps the connection cache, clears the previous options
  *resp = HttpResponse{};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp->body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &resp->headers);
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    // PUT and PATCH (SCIM) carry a body like POST.
    if (req.method == "POST")
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
    else
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.c_str());
  } else if (req.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : req.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  // Unsigned requests suppress "Expect: 100-continue" (a round trip per large
  // body). Signed ones must not: libcurl 7.88's signer would sign that empty
  // header although it is never sent, breaking the signature.
  if (!req.sign) headers = curl_slist_append(headers, "Expect:");
  std::string sigv4;
  if (req.sign) {
    // INVARIANT: credentials go only into libcurl's signer, never into a header
    // we build or a message we return; the session token is a header AWS requires.
    sigv4 = "aws:amz:" + req.sign->region + ":" + req.sign->service;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, req.sign->credentials.access_key_id.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, req.sign->credentials.secret_access_key.c_str());
    if (!req.sign->credentials.session_token.empty()) {
      headers = curl_slist_append(headers, ("X-Amz-Security-Token: " + req.sign->credentials.session_token).c_str());
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_USERNAME, "");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "");
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    *err = std::string(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc)) + " (" + UrlHost(req.url) + ")";
    curl_easy_cleanup(curl);  // a failed handle may hold a broken connection
    return false;
  }
  Release(curl);
  return true;
}

std::string UrlHost(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  auto start = scheme_end + 3;
  auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (authority.find('@') != std::string::npos) return "";  // userinfo is not allowed
  return authority;
}

bool ValidateEndpointUrl(const std::string& url, std::string* err) {
  std::string lower = Lower(url);
  std::string host = UrlHost(lower);
  if (host.empty()) {
    *err = "endpoint `" + url + "` is not an http(s) URL";
    return false;
  }
  if (lower.rfind("https://", 0) == 0) return true;
  if (lower.rfind("http://", 0) != 0) {
    *err = "endpoint `" + url + "` must use https://";
    return false;
  }
  std::string name = host;
  if (name.front() == '[') {
    name = name.substr(1, name.find(']') - 1);
  } else if (auto colon = name.rfind(':'); colon != std::string::npos) {
    name = name.substr(0, colon);
  }
  if (name == "127.0.0.1" || name == "localhost" || name == "::1") return true;
  *err = "endpoint `" + url +
         "` uses http://, which is allowed only for loopback (127.0.0.1, localhost, ::1); use https://";
  return false;
}

std::string FormEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace gatehouse::aws
