#include "compiler/config_sections.h"

#include <regex>

#include "compiler/config_fields.h"

namespace gatehouse {

namespace {

/// `settings:` — identity source, mode, ignore lists, discovery, guards.
class SettingsParser {
 public:
  explicit SettingsParser(const SectionContext& cx) : c_(cx.config), d_(cx.diags) {}

  void SettingsSection(const YamlNode& key, const YamlNode& v) {
    if (!ClaimSingleton(key, "settings", &c_->settings.span, d_)) return;
    c_->has_settings = true;
    if (v.IsNull() || !ExpectMap(v, "'settings'", d_)) return;
    Settings& s = c_->settings;
    Fields f(v, "settings",
             {"identity_source", "mode", "ignore", "discover_accounts", "delegated_admin", "environment_tag", "guards",
              "evidence"},
             d_);
    std::string str;
    if (const YamlNode* n = f.Get("identity_source"); GetString(n, "identity_source", &str, d_)) {
      if (str == "internal" || str == "external")
        s.external_identity = str == "external";
      else
        d_->Error(n->span, "identity_source must be 'internal' or 'external', not '" + str + "'",
                  "internal: Gatehouse creates users and groups; external: an identity provider does");
    }
    if (const YamlNode* n = f.Get("mode"); GetString(n, "mode", &str, d_)) {
      if (str == "authoritative" || str == "additive")
        s.additive = str == "additive";
      else
        d_->Error(n->span, "mode must be 'authoritative' or 'additive', not '" + str + "'", "");
    }
    if (const YamlNode* n = f.Get("ignore"); n && !n->IsNull() && ExpectMap(*n, "'ignore'", d_)) {
      Fields fi(*n, "ignore", {"permission_sets", "groups", "users"}, d_);
      GetPlainStringList(fi.Get("permission_sets"), "'ignore.permission_sets'", &s.ignore_permission_sets, d_);
      GetPlainStringList(fi.Get("groups"), "'ignore.groups'", &s.ignore_groups, d_);
      GetPlainStringList(fi.Get("users"), "'ignore.users'", &s.ignore_users, d_);
    }
    Evidence(f.Get("evidence"), &s);
    GetBool(f.Get("discover_accounts"), "discover_accounts", &s.discover_accounts, d_);
    GetBool(f.Get("delegated_admin"), "delegated_admin", &s.delegated_admin, d_);
    GetString(f.Get("environment_tag"), "environment_tag", &s.environment_tag, d_);
    if (const YamlNode* g = f.Get("guards"); g && !g->IsNull() && ExpectMap(*g, "'guards'", d_)) {
      Fields fg(*g, "guards", {"max_deletes"}, d_);
      if (const YamlNode* n = fg.Get("max_deletes")) {
        static const std::regex re(R"(\d{1,9})");
        if (n->IsScalar() && n->plain && std::regex_match(n->value, re))
          s.max_deletes = std::stol(n->value);
        else
          d_->Error(n->span, "max_deletes must be a whole number of 0 or more, not '" + n->value + "'", "");
      }
    }
  }

 private:
  /// `evidence: {cloudtrail: [lookup | none | PATH, ...]}` (EVIDENCE.md).
  void Evidence(const YamlNode* e, Settings* s) {
    if (!e || e->IsNull() || !ExpectMap(*e, "'evidence'", d_)) return;
    Fields fe(*e, "evidence", {"cloudtrail"}, d_);
    const YamlNode* n = fe.Get("cloudtrail");
    if (!n) return;
    s->has_evidence_cloudtrail = true;
    if (n->IsScalar() && !n->IsNull()) {
      s->evidence_cloudtrail.push_back({n->value, n->span});
    } else if (GetStringList(n, "'evidence.cloudtrail'", &s->evidence_cloudtrail, d_)) {
      for (const auto& v : s->evidence_cloudtrail)
        if (v.value.empty())
          d_->Error(v.span, "an evidence source cannot be empty",
                    "'lookup' (CloudTrail LookupEvents), 'none', or a trail file or directory");
    }
  }

  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParseSettings(const YamlNode& key, const YamlNode& value, const SectionContext& cx) {
  SettingsParser(cx).SettingsSection(key, value);
}

}  // namespace gatehouse
