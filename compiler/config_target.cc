#include "compiler/config_sections.h"

#include <regex>

#include "compiler/config_fields.h"

namespace gatehouse {

namespace {

/// `target:` — where the live directory is.
class TargetParser {
 public:
  explicit TargetParser(const SectionContext& cx) : c_(cx.config), d_(cx.diags) {}

  void Target(const YamlNode& key, const YamlNode& v) {
    SourceSpan first = c_->target ? c_->target->span : SourceSpan{};
    if (!ClaimSingleton(key, "target", &first, d_)) return;
    TargetConfig t;
    t.span = first;
    c_->target = t;
    if (v.IsNull() || !ExpectMap(v, "'target'", d_)) return;
    Fields f(v, "target",
             {"type", "path", "region", "instance_arn", "identity_store_id", "endpoint_url", "users_and_groups"}, d_);
    TargetConfig& out = *c_->target;
    GetString(f.Get("type"), "target type", &out.type, d_);
    if (out.type != "local" && out.type != "aws") {
      const YamlNode* n = f.Get("type");
      std::string suggestion = DidYouMean(out.type, {"local", "aws"});
      d_->Error(n ? n->span : v.span,
                "unknown target type '" + out.type + "'" + (suggestion.empty() ? "" : "; " + suggestion),
                "use 'local' or 'aws'");
    }
    GetString(f.Get("path"), "target path", &out.path, d_);
    if (const YamlNode* n = f.Get("region"); GetString(n, "region", &out.region, d_)) {
      static const std::regex re(R"([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d)");
      if (out.region.size() > 32 || !std::regex_match(out.region, re))
        d_->Error(n->span, "'" + out.region + "' is not an AWS region name", "e.g. eu-west-1");
    }
    if (const YamlNode* n = f.Get("instance_arn"); GetString(n, "instance_arn", &out.instance_arn, d_)) {
      static const std::regex re(
          R"(arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16})");
      if (!std::regex_match(out.instance_arn, re))
        d_->Error(n->span, "'" + out.instance_arn + "' is not an Identity Center instance ARN",
                  "it looks like arn:aws:sso:::instance/ssoins-1234567890abcdef");
    }
    if (const YamlNode* n = f.Get("identity_store_id"); GetString(n, "identity_store_id", &out.identity_store_id, d_)) {
      static const std::regex re(R"(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
      if (!std::regex_match(out.identity_store_id, re))
        d_->Error(n->span, "'" + out.identity_store_id + "' is not an identity store id", "it looks like d-1234567890");
    }
    GetString(f.Get("endpoint_url"), "endpoint_url", &out.endpoint_url, d_);
    if (out.type == "aws") {
      if (out.region.empty()) d_->Error(first, "target 'aws' needs 'region'", "e.g. region: eu-west-1");
    }
    if (const YamlNode* ug = f.Get("users_and_groups"); ug && ExpectMap(*ug, "'users_and_groups'", d_)) {
      Fields fu(*ug, "users_and_groups", {"scim"}, d_);
      if (const YamlNode* scim = fu.Get("scim"); scim && ExpectMap(*scim, "'scim'", d_)) {
        Fields fs(*scim, "scim", {"url", "token_env"}, d_);
        GetString(fs.Get("url"), "scim url", &out.scim_url, d_, true, &scim->span);
        GetString(fs.Get("token_env"), "scim token_env", &out.scim_token_env, d_, true, &scim->span);
        if (!out.scim_url.empty() && out.scim_url.rfind("https://", 0) != 0 &&
            out.scim_url.rfind("http://127.0.0.1", 0) != 0 && out.scim_url.rfind("http://localhost", 0) != 0)
          d_->Error(fs.Get("url")->span, "the SCIM url must use https://", "");
      }
    }
  }

 private:
  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParseTarget(const YamlNode& key, const YamlNode& value, const SectionContext& cx) {
  TargetParser(cx).Target(key, value);
}

}  // namespace gatehouse
