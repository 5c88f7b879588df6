#pragma once
/// HTTPS for the SCIM target, on libcurl. SCIM needs bodies on PUT and PATCH
/// and mixes methods on one connection, so every request starts from a reset
/// handle (curl_easy_reset keeps the connection cache). Implements the AWS
/// client's HttpTransport seam so tests can swap in a fake.

#include <mutex>
#include <vector>

#include "runtime/aws/http_client.h"

namespace gatehouse::scim {

class CurlScimTransport : public aws::HttpTransport {
 public:
  explicit CurlScimTransport(aws::HttpOptions options = {});
  ~CurlScimTransport() override;
  CurlScimTransport(const CurlScimTransport&) = delete;
  CurlScimTransport& operator=(const CurlScimTransport&) = delete;

  /// Thread-safe. Any HTTP status is a successful exchange; false only for
  /// transport failures. The error names the host, never a header value.
  bool Send(const aws::HttpRequest& req, aws::HttpResponse* resp, std::string* err) override;

 private:
  void* Acquire();
  void Release(void* handle);

  aws::HttpOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  ///< CURL* handles, kept for their connections
};

}  // namespace gatehouse::scim
