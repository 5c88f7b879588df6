#pragma once
/// The standard AWS credential chain, as the CLI and SDKs resolve it:
///   1. an explicit profile (--profile) wins;
///   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN);
///   3. AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (CI OIDC) → STS
///      AssumeRoleWithWebIdentity (unsigned);
///   4. the AWS_PROFILE (or `default`) profile of the shared files
///      (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, ~/.aws/...): static keys,
///      role_arn + source_profile / credential_source=Environment /
///      web_identity_token_file → STS, or credential_process.
/// Temporary credentials are refreshed when they come within 5 minutes of
/// their expiration. Errors name profiles and files, never values.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/aws/environment.h"
#include "runtime/aws/http_client.h"

namespace gatehouse::aws {

/// One INI file: section name → key → value. Config-file sections keep their
/// raw names ("profile dev", "default"); comments and nested blocks are dropped.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile ParseIni(const std::string& text);

/// Where STS lives for this target: an override URL (AWS_ENDPOINT_URL_STS or the
/// target's endpoint_url) or https://sts.{region}.amazonaws.com.
struct StsOptions {
  std::string endpoint_url;
  std::string region = "us-east-1";
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  /// Current credentials, refreshed when they are about to expire.
  virtual bool Get(Credentials* out, std::string* err) = 0;
};

/// Resolves the chain once now (so errors surface before any work) and keeps
/// refreshing it. `profile` is TargetSpec::profile ("" = not given).
std::unique_ptr<CredentialProvider> MakeDefaultCredentialProvider(const std::string& profile, const Environment& env,
                                                                  HttpTransport* http, const StsOptions& sts,
                                                                  std::string* err);

/// One resolution of the chain, no caching (exposed for tests).
bool ResolveCredentials(const std::string& profile, const Environment& env, HttpTransport* http, const StsOptions& sts,
                        Credentials* out, std::string* err);

/// Parses the JSON a credential_process prints (Version 1).
bool ParseCredentialProcessOutput(const std::string& json_text, Credentials* out, std::string* err);

/// "2026-01-02T03:04:05Z" (fractions and +00:00 accepted) → time point.
bool ParseIso8601(const std::string& s, std::chrono::system_clock::time_point* out);

/// Parses an STS AssumeRole* XML answer (credentials or <Error>).
bool ParseStsResponse(const std::string& xml, long status, Credentials* out, std::string* err);

}  // namespace gatehouse::aws
