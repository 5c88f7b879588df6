#include "runtime/aws/credentials.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace gatehouse::aws {
namespace {

using Clock = std::chrono::system_clock;
constexpr auto kRefreshMargin = std::chrono::minutes(5);

std::string Trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string XmlUnescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    static const std::pair<const char*, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool done = false;
    for (const auto& [name, c] : kEntities) {
      if (s.compare(i, std::strlen(name), name) == 0) {
        out += c;
        i += std::strlen(name) - 1;
        done = true;
        break;
      }
    }
    if (!done) out += '&';
  }
  return out;
}

std::string XmlElement(const std::string& xml, const std::string& tag) {
  auto open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return "";
  auto start = open + tag.size() + 2;
  auto close = xml.find("</" + tag + ">", start);
  if (close == std::string::npos) return "";
  return XmlUnescape(Trim(xml.substr(start, close - start)));
}

/// The shared files, loaded once per resolution.
struct SharedFiles {
  std::string credentials_path;
  std::string config_path;
  IniFile credentials;
  IniFile config;

  /// Merged keys of one profile; credentials-file keys win. Empty = not found.
  std::map<std::string, std::string> Profile(const std::string& name) const {
    std::map<std::string, std::string> keys;
    auto add = [&keys](const IniFile& file, const std::string& section) {
      auto it = file.find(section);
      if (it == file.end()) return;
      for (const auto& [k, v] : it->second) keys[k] = v;
    };
    if (name == "default") add(config, "default");
    add(config, "profile " + name);
    add(credentials, name);
    return keys;
  }
  std::string Where() const { return credentials_path + " or " + config_path; }
};

class Resolver {
 public:
  Resolver(const Environment& env, HttpTransport* http, const StsOptions& sts) : env_(env), http_(http), sts_(sts) {}

  bool Resolve(const std::string& explicit_profile, Credentials* out, std::string* err) {
    if (explicit_profile.empty()) {
      auto key = GetEnv(env_, "AWS_ACCESS_KEY_ID");
      auto secret = GetEnv(env_, "AWS_SECRET_ACCESS_KEY");
      if (key && secret) {
        out->access_key_id = *key;
        out->secret_access_key = *secret;
        out->session_token = GetEnv(env_, "AWS_SESSION_TOKEN").value_or("");
        out->expiration.reset();
        out->source = "environment";
        return true;
      }
      if (key || secret) {
        *err = std::string(key ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                               : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
        return false;
      }
      auto role = GetEnv(env_, "AWS_ROLE_ARN");
      auto token_file = GetEnv(env_, "AWS_WEB_IDENTITY_TOKEN_FILE");
      if (role && token_file) {
        return AssumeRoleWithWebIdentity(*role, *token_file, GetEnv(env_, "AWS_ROLE_SESSION_NAME").value_or(""),
                                         "environment (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE)", out, err);
      }
    }
    LoadFiles();
    std::string name = explicit_profile;
    bool chosen = !name.empty();
    if (name.empty()) {
      auto p = GetEnv(env_, "AWS_PROFILE");
      if (!p) p = GetEnv(env_, "AWS_DEFAULT_PROFILE");
      chosen = p.has_value();
      name = p.value_or("default");
    }
    if (!chosen && files_.Profile(name).empty()) {
      *err =
          "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
          "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or configure a profile in " +
          files_.Where();
      return false;
    }
    std::set<std::string> visiting;
    return ResolveProfile(name, &visiting, out, err);
  }

 private:
  void LoadFiles() {
    std::string aws_dir = env_.home + "/.aws/";
    files_.credentials_path = GetEnv(env_, "AWS_SHARED_CREDENTIALS_FILE").value_or(aws_dir + "credentials");
    files_.config_path = GetEnv(env_, "AWS_CONFIG_FILE").value_or(aws_dir + "config");
    std::string text;
    if (ReadFile(files_.credentials_path, &text)) files_.credentials = ParseIni(text);
    text.clear();
    if (ReadFile(files_.config_path, &text)) files_.config = ParseIni(text);
  }

  bool ResolveProfile(const std::string& name, std::set<std::string>* visiting, Credentials* out, std::string* err) {
    auto keys = files_.Profile(name);
    if (keys.empty()) {
      *err = "AWS profile `" + name + "` not found in " + files_.Where();
      return false;
    }
    if (!visiting->insert(name).second) {
      *err = "AWS profile `" + name + "` has a source_profile cycle";
      return false;
    }
    auto get = [&keys](const std::string& k) {
      auto it = keys.find(k);
      return it == keys.end() ? std::string() : it->second;
    };
    std::string where = "profile `" + name + "`";
    if (!get("role_arn").empty()) return ResolveRoleProfile(name, keys, visiting, out, err);
    if (!get("aws_access_key_id").empty() || !get("aws_secret_access_key").empty()) {
      return StaticKeys(name, keys, out, err);
    }
    if (!get("credential_process").empty()) {
      return RunCredentialProcess(name, get("credential_process"), out, err);
    }
    if (!get("sso_session").empty() || !get("sso_start_url").empty()) {
      *err = "AWS " + where +
             " uses IAM Identity Center sign-in (sso_session), which gatehouse does not "
             "support; use a credential_process or export temporary credentials";
      return false;
    }
    *err = "AWS " + where + " in " + files_.Where() + " has no aws_access_key_id, role_arn or credential_process";
    return false;
  }

  bool StaticKeys(const std::string& name, const std::map<std::string, std::string>& keys, Credentials* out,
                  std::string* err) {
    auto key = keys.find("aws_access_key_id");
    auto secret = keys.find("aws_secret_access_key");
    if (key == keys.end() || secret == keys.end() || key->second.empty() || secret->second.empty()) {
      *err = "AWS profile `" + name + "` needs both aws_access_key_id and aws_secret_access_key";
      return false;
    }
    out->access_key_id = key->second;
    out->secret_access_key = secret->second;
    auto token = keys.find("aws_session_token");
    out->session_token = token == keys.end() ? "" : token->second;
    out->expiration.reset();
    out->source = "profile `" + name + "`";
    return true;
  }

  bool ResolveRoleProfile(const std::string& name, const std::map<std::string, std::string>& keys,
                          std::set<std::string>* visiting, Credentials* out, std::string* err) {
    auto get = [&keys](const std::string& k) {
      auto it = keys.find(k);
      return it == keys.end() ? std::string() : it->second;
    };
    std::string role = get("role_arn");
    std::string session = get("role_session_name");
    if (!get("mfa_serial").empty()) {
      *err = "AWS profile `" + name + "` needs an MFA code (mfa_serial), which gatehouse cannot prompt for";
      return false;
    }
    if (!get("web_identity_token_file").empty()) {
      return AssumeRoleWithWebIdentity(role, get("web_identity_token_file"), session, "profile `" + name + "`", out,
                                       err);
    }
    Credentials source;
    std::string source_profile = get("source_profile");
    std::string credential_source = get("credential_source");
    if (!source_profile.empty()) {
      bool ok = source_profile == name ? StaticKeys(name, keys, &source, err)
                                       : ResolveProfile(source_profile, visiting, &source, err);
      if (!ok) return false;
    } else if (credential_source == "Environment") {
      auto k = GetEnv(env_, "AWS_ACCESS_KEY_ID");
      auto s = GetEnv(env_, "AWS_SECRET_ACCESS_KEY");
      if (!k || !s) {
        *err = "AWS profile `" + name +
               "` has credential_source = Environment but AWS_ACCESS_KEY_ID / "
               "AWS_SECRET_ACCESS_KEY are not set";
        return false;
      }
      source.access_key_id = *k;
      source.secret_access_key = *s;
      source.session_token = GetEnv(env_, "AWS_SESSION_TOKEN").value_or("");
    } else if (!credential_source.empty()) {
      *err = "AWS profile `" + name + "` has credential_source = " + credential_source +
             ", which gatehouse does not support (only Environment)";
      return false;
    } else {
      *err =
          "AWS profile `" + name + "` has role_arn but no source_profile, credential_source or web_identity_token_file";
      return false;
    }
    std::string body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + FormEncode(role) +
                       "&RoleSessionName=" + FormEncode(SessionName(session));
    if (!get("external_id").empty()) body += "&ExternalId=" + FormEncode(get("external_id"));
    if (!get("duration_seconds").empty()) {
      body += "&DurationSeconds=" + FormEncode(get("duration_seconds"));
    }
    return CallSts(body, &source, "profile `" + name + "` (AssumeRole)", out, err);
  }

  bool AssumeRoleWithWebIdentity(const std::string& role, const std::string& token_file, const std::string& session,
                                 const std::string& where, Credentials* out, std::string* err) {
    std::string token;
    if (!ReadFile(token_file, &token)) {
      *err = "cannot read the web identity token file " + token_file + " (" + where + ")";
      return false;
    }
    token = Trim(token);
    std::string body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + FormEncode(role) +
                       "&RoleSessionName=" + FormEncode(SessionName(session)) +
                       "&WebIdentityToken=" + FormEncode(token);
    return CallSts(body, nullptr, where + " (AssumeRoleWithWebIdentity)", out, err);
  }

  std::string SessionName(const std::string& configured) const {
    if (!configured.empty()) return configured;
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(env_.now().time_since_epoch());
    return "gatehouse-" + std::to_string(secs.count());
  }

  bool CallSts(const std::string& body, const Credentials* signer, const std::string& where, Credentials* out,
               std::string* err) {
    if (http_ == nullptr) {
      *err = "no HTTP client for STS (" + where + ")";
      return false;
    }
    HttpRequest req;
    req.url = sts_.endpoint_url.empty() ? "https://sts." + sts_.region + ".amazonaws.com/" : sts_.endpoint_url;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Accept", "text/xml"}};
    req.body = body;
    if (signer != nullptr) req.sign = SigV4Params{sts_.region, "sts", *signer};
    std::string last_err;
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (attempt > 0) env_.sleep(std::chrono::milliseconds(200 << attempt));
      HttpResponse resp;
      if (!http_->Send(req, &resp, &last_err)) continue;
      if (resp.status >= 500 || resp.status == 429 || resp.body.find("<Code>Throttling</Code>") != std::string::npos) {
        last_err = "HTTP " + std::to_string(resp.status);
        continue;
      }
      std::string sts_err;
      if (!ParseStsResponse(resp.body, resp.status, out, &sts_err)) {
        *err = "STS refused the credentials of " + where + ": " + sts_err;
        return false;
      }
      out->source = where;
      return true;
    }
    *err = "cannot reach STS for " + where + ": " + last_err;
    return false;
  }

  bool RunCredentialProcess(const std::string& name, const std::string& command, Credentials* out, std::string* err) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
      *err = "cannot run the credential_process of AWS profile `" + name + "`";
      return false;
    }
    std::string output;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
    int status = pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      *err = "the credential_process of AWS profile `" + name + "` failed (exit status " +
             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
      return false;
    }
    std::string parse_err;
    if (!ParseCredentialProcessOutput(output, out, &parse_err)) {
      *err = "the credential_process of AWS profile `" + name + "` printed " + parse_err;
      return false;
    }
    out->source = "profile `" + name + "` (credential_process)";
    return true;
  }

  const Environment& env_;
  HttpTransport* http_;
  StsOptions sts_;
  SharedFiles files_;
};

class CachingProvider : public CredentialProvider {
 public:
  CachingProvider(std::string profile, const Environment& env, HttpTransport* http, StsOptions sts)
      : profile_(std::move(profile)), env_(env), http_(http), sts_(std::move(sts)) {}

  bool Get(Credentials* out, std::string* err) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = env_.now();
    if (have_ && (!cached_.expiration || now + kRefreshMargin < *cached_.expiration)) {
      *out = cached_;
      return true;
    }
    Credentials fresh;
    if (!ResolveCredentials(profile_, env_, http_, sts_, &fresh, err)) {
      if (have_ && cached_.expiration && now < *cached_.expiration) {
        *out = cached_;  // still valid for a while; try again on the next call
        return true;
      }
      return false;
    }
    cached_ = fresh;
    have_ = true;
    *out = cached_;
    return true;
  }

 private:
  std::string profile_;
  Environment env_;
  HttpTransport* http_;
  StsOptions sts_;
  std::mutex mu_;
  bool have_ = false;
  Credentials cached_;
};

}  // namespace

IniFile ParseIni(const std::string& text) {
  IniFile ini;
  std::istringstream in(text);
  std::string line;
  std::string section;
  bool have_section = false;
  std::string nested_key;  // "s3 =" opens an indented block we skip
  while (std::getline(in, line)) {
    bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = Trim(t.substr(1, t.size() - 2));
      // "profile   dev" → "profile dev"
      if (section.rfind("profile", 0) == 0 && section.size() > 7 && (section[7] == ' ' || section[7] == '\t')) {
        section = "profile " + Trim(section.substr(7));
      }
      have_section = true;
      ini[section];
      nested_key.clear();
      continue;
    }
    if (!have_section) continue;
    if (indented && !nested_key.empty()) continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string key = Trim(t.substr(0, eq));
    std::string value = Trim(t.substr(eq + 1));
    if (value.empty()) {
      nested_key = key;
      continue;
    }
    nested_key.clear();
    ini[section][key] = value;
  }
  return ini;
}

bool ParseIso8601(const std::string& s, Clock::time_point* out) {
  std::tm tm{};
  int year, mon, day, hour, min, sec;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &mon, &day, &hour, &min, &sec) != 6) {
    return false;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  time_t t = timegm(&tm);
  // An explicit offset (+hh:mm / -hh:mm) after the seconds and optional fraction.
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) >= 1) {
      long offset = oh * 3600L + om * 60L;
      t += s[pos] == '+' ? -offset : offset;
    }
  }
  *out = Clock::from_time_t(t);
  return true;
}

bool ParseCredentialProcessOutput(const std::string& json_text, Credentials* out, std::string* err) {
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    *err = "output that is not a JSON object";
    return false;
  }
  if (!doc.contains("Version") || doc["Version"] != 1) {
    *err = "an unsupported Version (expected 1)";
    return false;
  }
  auto str = [&doc](const char* k) {
    return doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : std::string();
  };
  out->access_key_id = str("AccessKeyId");
  out->secret_access_key = str("SecretAccessKey");
  out->session_token = str("SessionToken");
  if (out->access_key_id.empty() || out->secret_access_key.empty()) {
    *err = "no AccessKeyId or SecretAccessKey";
    return false;
  }
  out->expiration.reset();
  if (!str("Expiration").empty()) {
    Clock::time_point t;
    if (!ParseIso8601(str("Expiration"), &t)) {
      *err = "an Expiration that is not an ISO-8601 time";
      return false;
    }
    out->expiration = t;
  }
  return true;
}

bool ParseStsResponse(const std::string& xml, long status, Credentials* out, std::string* err) {
  if (status != 200 || xml.find("<ErrorResponse") != std::string::npos) {
    std::string code = XmlElement(xml, "Code");
    std::string message = XmlElement(xml, "Message");
    *err = (code.empty() ? "HTTP " + std::to_string(status) : code) + (message.empty() ? "" : ": " + message);
    return false;
  }
  out->access_key_id = XmlElement(xml, "AccessKeyId");
  out->secret_access_key = XmlElement(xml, "SecretAccessKey");
  out->session_token = XmlElement(xml, "SessionToken");
  if (out->access_key_id.empty() || out->secret_access_key.empty()) {
    *err = "an answer without credentials";
    return false;
  }
  out->expiration.reset();
  std::string exp = XmlElement(xml, "Expiration");
  Clock::time_point t;
  if (!exp.empty() && ParseIso8601(exp, &t)) out->expiration = t;
  return true;
}

bool ResolveCredentials(const std::string& profile, const Environment& env, HttpTransport* http, const StsOptions& sts,
                        Credentials* out, std::string* err) {
  Resolver r(env, http, sts);
  return r.Resolve(profile, out, err);
}

std::unique_ptr<CredentialProvider> MakeDefaultCredentialProvider(const std::string& profile, const Environment& env,
                                                                  HttpTransport* http, const StsOptions& sts,
                                                                  std::string* err) {
  auto p = std::make_unique<CachingProvider>(profile, env, http, sts);
  Credentials probe;
  if (!p->Get(&probe, err)) return nullptr;
  return p;
}

}  // namespace gatehouse::aws
