#include "compiler/config_loader.h"

#include "compiler/text.h"

#include "compiler/rule_ids.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

namespace gatehouse {

namespace {

constexpr size_t kMaxInlinePolicyChars = 32768;
constexpr size_t kMaxInlinePolicyNonSpace = 10240;
constexpr size_t kMaxTags = 50;
constexpr size_t kMaxPoliciesPerSet = 20;

SourceSpan KeySpanOf(const YamlNode& key) {
  SourceSpan s = key.span;
  s.length = std::max<int>(1, static_cast<int>(key.value.size()));
  return s;
}

/// Reads one YAML map against a fixed set of field names.
class Fields {
 public:
  Fields(const YamlNode& node, const std::string& what, std::vector<std::string> allowed,
         Diagnostics* diags)
      : node_(node) {
    for (const auto& [k, v] : node.entries) {
      if (!k.IsScalar()) continue;
      if (std::find(allowed.begin(), allowed.end(), k.value) == allowed.end()) {
        std::string suggestion = DidYouMean(k.value, allowed);
        std::string help = "allowed fields: ";
        for (size_t i = 0; i < allowed.size(); ++i) help += (i ? ", " : "") + allowed[i];
        diags->Error(KeySpanOf(k),
                     "unknown field '" + k.value + "' in " + what + (suggestion.empty() ? "" : "; " + suggestion),
                     help);
      }
    }
  }
  const YamlNode* Get(const std::string& key) const { return node_.Find(key); }
  const YamlNode* KeyNode(const std::string& key) const {
    for (const auto& [k, v] : node_.entries)
      if (k.IsScalar() && k.value == key) return &k;
    return nullptr;
  }

 private:
  const YamlNode& node_;
};

/// The helpers below report a type error and return false when a value has the
/// wrong shape, so callers can skip it and go on.
bool ExpectMap(const YamlNode& n, const std::string& what, Diagnostics* d) {
  if (n.IsMap()) return true;
  d->Error(n.span, what + " must be a map, not " + n.Describe(), "write it as `key: value` lines");
  return false;
}

bool ExpectList(const YamlNode& n, const std::string& what, Diagnostics* d) {
  if (n.IsSequence()) return true;
  d->Error(n.span, what + " must be a list, not " + n.Describe(), "write each item on a `- ` line");
  return false;
}

bool GetString(const YamlNode* n, const std::string& what, std::string* out, Diagnostics* d,
               bool required = false, const SourceSpan* parent = nullptr) {
  if (!n) {
    if (required && parent) d->Error(*parent, what + " is required", "");
    return false;
  }
  if (n->IsNull() && !required) return false;
  if (!n->IsScalar()) {
    d->Error(n->span, what + " must be a string, not " + n->Describe(), "");
    return false;
  }
  *out = n->value;
  return true;
}

bool GetBool(const YamlNode* n, const std::string& what, bool* out, Diagnostics* d) {
  if (!n) return false;
  if (n->IsScalar() && n->plain) {
    std::string v = AsciiLower(n->value);
    if (v == "true") { *out = true; return true; }
    if (v == "false") { *out = false; return true; }
  }
  d->Error(n->span, what + " must be true or false", "");
  return false;
}

bool GetStringList(const YamlNode* n, const std::string& what, std::vector<Located<std::string>>* out,
                   Diagnostics* d) {
  if (!n || n->IsNull()) return false;
  if (!ExpectList(*n, what, d)) return false;
  for (const auto& item : n->items) {
    if (!item.IsScalar()) {
      d->Error(item.span, "each item of " + what + " must be a string, not " + item.Describe(), "");
      continue;
    }
    out->push_back({item.value, item.span});
  }
  return true;
}

void GetPlainStringList(const YamlNode* n, const std::string& what, std::vector<std::string>* out,
                        Diagnostics* d) {
  std::vector<Located<std::string>> l;
  GetStringList(n, what, &l, d);
  for (auto& x : l) out->push_back(x.value);
}

void CheckLength(const YamlNode& n, const std::string& what, const std::string& v, size_t min,
                 size_t max, Diagnostics* d) {
  if (v.size() < min)
    d->Error(n.span, what + " must not be empty", "");
  else if (v.size() > max)
    d->Error(n.span, what + " is " + std::to_string(v.size()) + " characters long; the limit is " +
                         std::to_string(max),
             "shorten it");
}

const std::regex& NameCharsRegex() {
  static const std::regex re(R"([\w+=,.@-]+)");
  return re;
}

bool ParseTags(const YamlNode* n, const std::string& what, Tags* out, Diagnostics* d) {
  if (!n || n->IsNull()) return false;
  if (!ExpectMap(*n, what, d)) return false;
  if (n->entries.size() > kMaxTags)
    d->Error(n->span, what + " has " + std::to_string(n->entries.size()) + " tags; the limit is 50",
             "AWS allows at most 50 tags on a resource");
  for (const auto& [k, v] : n->entries) {
    if (!k.IsScalar() || k.value.empty()) {
      d->Error(k.span, "tag keys must be non-empty strings", "");
      continue;
    }
    if (k.value.size() > 128)
      d->Error(KeySpanOf(k), "tag key is " + std::to_string(k.value.size()) +
                                 " characters long; the limit is 128", "");
    if (AsciiLower(k.value).rfind("aws:", 0) == 0)
      d->Error(KeySpanOf(k), "tag key '" + k.value + "' uses the reserved prefix 'aws:'", "");
    std::string value;
    if (v.IsNull()) {
      value = "";
    } else if (!v.IsScalar()) {
      d->Error(v.span, "tag value must be a string, not " + v.Describe(), "");
      continue;
    } else {
      value = v.value;
    }
    if (value.size() > 256)
      d->Error(v.span, "tag value is " + std::to_string(value.size()) +
                           " characters long; the limit is 256", "");
    (*out)[k.value] = value;
  }
  return true;
}

}  // namespace

long ParseIsoDuration(const std::string& s) {
  static const std::regex re(R"(P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)");
  std::smatch m;
  if (!std::regex_match(s, m, re) || s == "P" || s == "PT") return -1;
  auto num = [&](int i) -> long { return m[i].matched ? std::stol(m[i].str().substr(0, 9)) : 0; };
  return num(1) * 86400 + num(2) * 3600 + num(3) * 60 + num(4);
}

bool IsIsoDate(const std::string& s) {
  static const std::regex re(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  int y = std::stoi(m[1]), mo = std::stoi(m[2]), day = std::stoi(m[3]);
  if (mo < 1 || mo > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 1 : 0);
  return day <= max;
}

std::string ManagedPolicyArn(const std::string& ref) {
  if (ref.rfind("arn:", 0) == 0) return ref;
  return "arn:aws:iam::aws:policy/" + ref;
}

namespace {

nlohmann::json ToJson(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull: return nullptr;
    case YamlNode::Kind::kScalar: {
      if (n.plain) {
        if (n.value == "true") return true;
        if (n.value == "false") return false;
        static const std::regex int_re(R"(-?\d{1,15})");
        if (std::regex_match(n.value, int_re)) return std::stoll(n.value);
      }
      return n.value;
    }
    case YamlNode::Kind::kSequence: {
      auto a = nlohmann::json::array();
      for (const auto& i : n.items) a.push_back(ToJson(i));
      return a;
    }
    case YamlNode::Kind::kMap: {
      auto o = nlohmann::json::object();
      for (const auto& [k, v] : n.entries) o[k.value] = ToJson(v);
      return o;
    }
  }
  return nullptr;
}

}  // namespace

std::string YamlToCanonicalJson(const YamlNode& node) { return ToJson(node).dump(); }

namespace {

/// Parses the sections of one file. Holds what every section parser needs.
class FileParser {
 public:
  FileParser(const std::string& file, SourceReader& reader, Config* config, SourceFiles* sources,
             Diagnostics* diags)
      : file_(file), reader_(reader), c_(config), sources_(sources), d_(diags) {}

  void Parse(const YamlNode& root) {
    if (root.IsNull()) return;  // empty or comment-only file
    if (!root.IsMap()) {
      d_->Error(root.span, "a config file must be a map of sections, not " + root.Describe(),
                "start with one of: target, settings, accounts, users, groups, permission_sets, "
                "assignments, policy");
      return;
    }
    static const std::vector<std::string> kSections = {
        "target", "settings", "accounts", "users", "groups", "permission_sets", "assignments", "policy"};
    Fields f(root, "the config", kSections, d_);
    for (const auto& [k, v] : root.entries) {
      if (!k.IsScalar()) continue;
      const std::string& s = k.value;
      if (s == "target") Target(k, v);
      else if (s == "settings") SettingsSection(k, v);
      else if (s == "policy") Policy(k, v);
      else if (s == "accounts") EachItem(v, "accounts", [&](const YamlNode& i) { AccountItem(i); });
      else if (s == "users") EachItem(v, "users", [&](const YamlNode& i) { UserItem(i); });
      else if (s == "groups") EachItem(v, "groups", [&](const YamlNode& i) { GroupItem(i); });
      else if (s == "permission_sets")
        EachItem(v, "permission_sets", [&](const YamlNode& i) { PermissionSetItem(i); });
      else if (s == "assignments")
        EachItem(v, "assignments", [&](const YamlNode& i) { AssignmentItem(i); });
    }
  }

 private:
  template <class F>
  void EachItem(const YamlNode& v, const std::string& section, F f) {
    if (v.IsNull()) return;
    if (!ExpectList(v, "'" + section + "'", d_)) return;
    for (const auto& item : v.items) {
      if (!item.IsMap()) {
        d_->Error(item.span, "each item of '" + section + "' must be a map, not " + item.Describe(), "");
        continue;
      }
      f(item);
    }
  }

  /// target, settings and policy may be written in one file only.
  bool Singleton(const YamlNode& key, const std::string& name, SourceSpan* first) {
    if (first->known()) {
      Diagnostic dg;
      dg.message = "'" + name + "' is already declared in " + first->file + ":" +
                   std::to_string(first->line);
      dg.span = KeySpanOf(key);
      dg.help = "'" + name + "' may be written in one file only; merge the two";
      dg.notes.push_back("first declared at " + first->file + ":" + std::to_string(first->line) +
                         ":" + std::to_string(first->column));
      d_->Add(dg);
      return false;
    }
    *first = KeySpanOf(key);
    return true;
  }

  void Target(const YamlNode& key, const YamlNode& v) {
    SourceSpan first = c_->target ? c_->target->span : SourceSpan{};
    if (!Singleton(key, "target", &first)) return;
    TargetConfig t;
    t.span = first;
    c_->target = t;
    if (v.IsNull() || !ExpectMap(v, "'target'", d_)) return;
    Fields f(v, "target",
             {"type", "path", "region", "instance_arn", "identity_store_id", "endpoint_url",
              "users_and_groups"},
             d_);
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
      if (!std::regex_match(out.region, re))
        d_->Error(n->span, "'" + out.region + "' is not an AWS region name", "e.g. eu-west-1");
    }
    if (const YamlNode* n = f.Get("instance_arn"); GetString(n, "instance_arn", &out.instance_arn, d_)) {
      static const std::regex re(R"(arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16})");
      if (!std::regex_match(out.instance_arn, re))
        d_->Error(n->span, "'" + out.instance_arn + "' is not an Identity Center instance ARN",
                  "it looks like arn:aws:sso:::instance/ssoins-1234567890abcdef");
    }
    if (const YamlNode* n = f.Get("identity_store_id");
        GetString(n, "identity_store_id", &out.identity_store_id, d_)) {
      static const std::regex re(R"(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
      if (!std::regex_match(out.identity_store_id, re))
        d_->Error(n->span, "'" + out.identity_store_id + "' is not an identity store id",
                  "it looks like d-1234567890");
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

  void SettingsSection(const YamlNode& key, const YamlNode& v) {
    if (!Singleton(key, "settings", &c_->settings.span)) return;
    c_->has_settings = true;
    if (v.IsNull() || !ExpectMap(v, "'settings'", d_)) return;
    Settings& s = c_->settings;
    Fields f(v, "settings",
             {"identity_source", "mode", "ignore", "discover_accounts", "environment_tag", "guards"}, d_);
    std::string str;
    if (const YamlNode* n = f.Get("identity_source"); GetString(n, "identity_source", &str, d_)) {
      if (str == "internal" || str == "external") s.external_identity = str == "external";
      else d_->Error(n->span, "identity_source must be 'internal' or 'external', not '" + str + "'",
                     "internal: Gatehouse creates users and groups; external: an identity provider does");
    }
    if (const YamlNode* n = f.Get("mode"); GetString(n, "mode", &str, d_)) {
      if (str == "authoritative" || str == "additive") s.additive = str == "additive";
      else d_->Error(n->span, "mode must be 'authoritative' or 'additive', not '" + str + "'", "");
    }
    if (const YamlNode* n = f.Get("ignore"); n && !n->IsNull() && ExpectMap(*n, "'ignore'", d_)) {
      Fields fi(*n, "ignore", {"permission_sets", "groups", "users"}, d_);
      GetPlainStringList(fi.Get("permission_sets"), "'ignore.permission_sets'", &s.ignore_permission_sets, d_);
      GetPlainStringList(fi.Get("groups"), "'ignore.groups'", &s.ignore_groups, d_);
      GetPlainStringList(fi.Get("users"), "'ignore.users'", &s.ignore_users, d_);
    }
    GetBool(f.Get("discover_accounts"), "discover_accounts", &s.discover_accounts, d_);
    GetString(f.Get("environment_tag"), "environment_tag", &s.environment_tag, d_);
    if (const YamlNode* g = f.Get("guards"); g && !g->IsNull() && ExpectMap(*g, "'guards'", d_)) {
      Fields fg(*g, "guards", {"max_deletes"}, d_);
      if (const YamlNode* n = fg.Get("max_deletes")) {
        static const std::regex re(R"(\d{1,9})");
        if (n->IsScalar() && n->plain && std::regex_match(n->value, re)) s.max_deletes = std::stol(n->value);
        else d_->Error(n->span, "max_deletes must be a whole number of 0 or more, not '" + n->value + "'", "");
      }
    }
  }

  void AccountItem(const YamlNode& n) {
    Fields f(n, "an account", {"id", "name", "ou", "environment", "tags"}, d_);
    AccountDecl a;
    a.span = n.span;
    const YamlNode* id = f.Get("id");
    if (!id) {
      d_->Error(n.span, "account is missing 'id'", "add id: \"123456789012\" (12 digits, quoted)");
      return;
    }
    a.id_span = id->span;
    if (!id->IsScalar()) {
      d_->Error(id->span, "account id must be a string of 12 digits, not " + id->Describe(), "");
      return;
    }
    a.account.id = id->value;
    static const std::regex twelve(R"(\d{12})");
    if (id->plain && std::all_of(id->value.begin(), id->value.end(), ::isdigit)) {
      d_->Error(id->span, "account id " + id->value + " must be quoted",
                "write id: \"" + std::string(id->value.size() < 12 ? 12 - id->value.size() : 0, '0') +
                    id->value + "\"; YAML reads an unquoted id as a number and drops leading zeros");
    } else if (!std::regex_match(id->value, twelve)) {
      d_->Error(id->span, "account id '" + id->value + "' is not 12 digits", "AWS account ids are exactly 12 digits");
    }
    if (const YamlNode* nm = f.Get("name"); GetString(nm, "account name", &a.account.name, d_)) {
      a.name_span = nm->span;
      CheckLength(*nm, "account name", a.account.name, 1, 50, d_);
    } else {
      a.account.name = a.account.id;
      a.name_span = id->span;
    }
    if (const YamlNode* ou = f.Get("ou"); GetString(ou, "ou", &a.account.ou, d_)) {
      std::string& p = a.account.ou;
      if (p.rfind("Root/", 0) == 0) p = p.substr(5);
      else if (p == "Root" || p == "/") p = "";
      while (!p.empty() && p.back() == '/') p.pop_back();
      if (!p.empty() && p.front() == '/') p.erase(0, 1);
      if (p.find("//") != std::string::npos || p.find('*') != std::string::npos)
        d_->Error(ou->span, "ou must be a path of OU names such as Workloads/Prod", "");
    }
    GetString(f.Get("environment"), "environment", &a.account.environment, d_);
    ParseTags(f.Get("tags"), "account tags", &a.account.tags, d_);
    c_->accounts.push_back(a);
  }

  void UserItem(const YamlNode& n) {
    Fields f(n, "a user", {"user_name", "display_name", "given_name", "family_name", "email"}, d_);
    UserDecl u;
    u.span = n.span;
    const YamlNode* un = f.Get("user_name");
    if (!GetString(un, "user_name", &u.user.user_name, d_, true, &n.span)) {
      if (!un) d_->items().back().help = "add user_name: <login name>";
      return;
    }
    u.name_span = un->span;
    CheckLength(*un, "user_name", u.user.user_name, 1, 128, d_);
    if (u.user.user_name.find_first_of(" \t") != std::string::npos)
      d_->Error(un->span, "user_name '" + u.user.user_name + "' contains whitespace", "");
    auto str_field = [&](const char* key, std::string* out) {
      if (const YamlNode* x = f.Get(key); GetString(x, key, out, d_)) CheckLength(*x, key, *out, 1, 1024, d_);
    };
    str_field("display_name", &u.user.display_name);
    str_field("given_name", &u.user.given_name);
    str_field("family_name", &u.user.family_name);
    if (const YamlNode* e = f.Get("email"); GetString(e, "email", &u.user.email, d_)) {
      static const std::regex re(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
      if (!std::regex_match(u.user.email, re))
        d_->Error(e->span, "'" + u.user.email + "' is not an email address", "");
    }
    if (u.user.display_name.empty()) {
      std::string full = u.user.given_name;
      if (!u.user.family_name.empty()) full += (full.empty() ? "" : " ") + u.user.family_name;
      u.user.display_name = full.empty() ? u.user.user_name : full;
    }
    c_->users.push_back(u);
  }

  void GroupItem(const YamlNode& n) {
    Fields f(n, "a group", {"name", "description", "members"}, d_);
    GroupDecl g;
    g.span = n.span;
    const YamlNode* nm = f.Get("name");
    if (!GetString(nm, "group name", &g.group.name, d_, true, &n.span)) return;
    g.name_span = nm->span;
    CheckLength(*nm, "group name", g.group.name, 1, 1024, d_);
    if (AsciiLower(g.group.name) == "administrator" || AsciiLower(g.group.name) == "awsadministrators")
      d_->Error(nm->span, "group name '" + g.group.name + "' is reserved by Identity Store", "choose another name");
    if (const YamlNode* ds = f.Get("description"); GetString(ds, "description", &g.group.description, d_))
      CheckLength(*ds, "group description", g.group.description, 1, 1024, d_);
    if (const YamlNode* m = f.Get("members")) {
      g.has_members = !m->IsNull();
      GetStringList(m, "'members'", &g.members, d_);
    }
    c_->groups.push_back(g);
  }

  void PermissionSetItem(const YamlNode& n) {
    Fields f(n, "a permission set",
             {"name", "description", "session_duration", "relay_state", "managed_policies",
              "customer_managed_policies", "inline_policy", "inline_policy_file",
              "permissions_boundary", "tags", "privileged"},
             d_);
    PermissionSetDecl p;
    p.span = n.span;
    const YamlNode* nm = f.Get("name");
    if (!GetString(nm, "permission set name", &p.ps.name, d_, true, &n.span)) return;
    p.name_span = nm->span;
    p.name_span.length = static_cast<int>(p.ps.name.size());
    if (p.ps.name.empty())
      d_->Error(nm->span, "permission set name is empty", "give it a name of 1 to 32 characters");
    else if (p.ps.name.size() > 32)
      d_->Error(nm->span, "permission set name '" + p.ps.name + "' is " + std::to_string(p.ps.name.size()) +
                              " characters long; it must be 1 to 32",
                "AWS limits permission set names to 32 characters");
    else if (!std::regex_match(p.ps.name, NameCharsRegex()))
      d_->Error(nm->span, "permission set name '" + p.ps.name + "' contains a character AWS does not allow",
                "use letters, digits and + = , . @ _ -");
    if (const YamlNode* ds = f.Get("description"); GetString(ds, "description", &p.ps.description, d_)) {
      CheckLength(*ds, "permission set description", p.ps.description, 1, 700, d_);
    }
    if (const YamlNode* sd = f.Get("session_duration"); GetString(sd, "session_duration", &p.ps.session_duration, d_)) {
      p.session_span = sd->span;
      long secs = ParseIsoDuration(p.ps.session_duration);
      if (secs < 0)
        d_->Error(sd->span, "session_duration '" + p.ps.session_duration + "' is not an ISO-8601 duration",
                  "write hours as PT<n>H, e.g. PT4H (from PT1H to PT12H)");
      else if (secs < 3600 || secs > 43200)
        d_->Error(sd->span, "session_duration '" + p.ps.session_duration + "' is outside PT1H..PT12H",
                  "Identity Center allows sessions from 1 to 12 hours");
    }
    if (const YamlNode* rs = f.Get("relay_state"); GetString(rs, "relay_state", &p.ps.relay_state, d_))
      CheckLength(*rs, "relay_state", p.ps.relay_state, 1, 240, d_);
    if (const YamlNode* mp = f.Get("managed_policies")) {
      GetStringList(mp, "'managed_policies'", &p.managed_policy_refs, d_);
      static const std::regex arn_re(R"(arn:aws(-[a-z]+)*:iam::aws:policy/([\w+=,.@-]+/)*[\w+=,.@-]+)");
      for (const auto& ref : p.managed_policy_refs) {
        std::string arn = ManagedPolicyArn(ref.value);
        if (!std::regex_match(arn, arn_re)) {
          d_->Error(ref.span, "'" + ref.value + "' is not an AWS managed policy name or ARN",
                    "write a name such as PowerUserAccess or job-function/ViewOnlyAccess; "
                    "customer policies go under customer_managed_policies");
          continue;
        }
        if (!p.ps.managed_policies.insert(arn).second)
          d_->Error(ref.span, "managed policy '" + ref.value + "' is listed twice", "");
      }
    }
    if (const YamlNode* cm = f.Get("customer_managed_policies"); cm && !cm->IsNull() &&
                                                                 ExpectList(*cm, "'customer_managed_policies'", d_)) {
      for (const auto& item : cm->items) {
        CustomerManagedPolicy c;
        if (ParseCustomerPolicy(item, &c) && !p.ps.customer_managed_policies.insert(c).second)
          d_->Error(item.span, "customer managed policy '" + c.path + c.name + "' is listed twice", "");
      }
    }
    size_t npol = p.ps.managed_policies.size() + p.ps.customer_managed_policies.size();
    if (npol > kMaxPoliciesPerSet)
      d_->Error(f.Get("managed_policies") ? f.Get("managed_policies")->span : n.span,
                "permission set attaches " + std::to_string(npol) + " policies; the limit is 20", "");
    const YamlNode* ip = f.Get("inline_policy");
    const YamlNode* ipf = f.Get("inline_policy_file");
    if (ip && ipf) {
      d_->Error(f.KeyNode("inline_policy_file")->span, "set either inline_policy or inline_policy_file, not both", "");
    } else if (ip && !ip->IsNull()) {
      p.inline_span = KeySpanOf(*f.KeyNode("inline_policy"));
      if (ExpectMap(*ip, "inline_policy", d_)) SetInlinePolicy(*ip, p.inline_span, &p);
    } else if (ipf) {
      p.inline_span = ipf->span;
      std::string rel;
      if (GetString(ipf, "inline_policy_file", &rel, d_)) LoadPolicyFile(*ipf, rel, &p);
    }
    if (const YamlNode* b = f.Get("permissions_boundary"); b && !b->IsNull() && ExpectMap(*b, "permissions_boundary", d_)) {
      p.boundary_span = KeySpanOf(*f.KeyNode("permissions_boundary"));
      Fields fb(*b, "permissions_boundary", {"managed_policy", "customer_managed_policy"}, d_);
      PermissionsBoundary pb;
      const YamlNode* m = fb.Get("managed_policy");
      const YamlNode* c = fb.Get("customer_managed_policy");
      if ((m != nullptr) == (c != nullptr)) {
        d_->Error(b->span, "permissions_boundary takes exactly one of managed_policy or customer_managed_policy", "");
      } else if (m) {
        std::string ref;
        if (GetString(m, "boundary managed_policy", &ref, d_)) {
          pb.managed_policy_arn = ManagedPolicyArn(ref);
          p.ps.permissions_boundary = pb;
        }
      } else {
        CustomerManagedPolicy cp;
        if (ParseCustomerPolicy(*c, &cp)) {
          pb.customer_managed_policy = cp;
          p.ps.permissions_boundary = pb;
        }
      }
    }
    ParseTags(f.Get("tags"), "permission set tags", &p.ps.tags, d_);
    if (const YamlNode* pv = f.Get("privileged")) {
      p.privileged_span = pv->span;
      GetBool(pv, "privileged", &p.privileged, d_);
    }
    c_->permission_sets.push_back(std::move(p));
  }

  bool ParseCustomerPolicy(const YamlNode& item, CustomerManagedPolicy* c) {
    if (item.IsScalar()) {
      c->name = item.value;
    } else {
      if (!ExpectMap(item, "a customer managed policy", d_)) return false;
      Fields f(item, "a customer managed policy", {"name", "path"}, d_);
      if (!GetString(f.Get("name"), "customer managed policy name", &c->name, d_, true, &item.span)) return false;
      if (const YamlNode* pth = f.Get("path"); GetString(pth, "policy path", &c->path, d_)) {
        if (c->path.empty() || c->path.front() != '/' || c->path.back() != '/' || c->path.size() > 512)
          d_->Error(pth->span, "policy path '" + c->path + "' must start and end with '/'", "e.g. path: /teams/");
      }
    }
    if (c->name.empty() || c->name.size() > 128 || !std::regex_match(c->name, NameCharsRegex())) {
      d_->Error(item.span, "'" + c->name + "' is not a valid IAM policy name", "1 to 128 of letters, digits and + = , . @ _ -");
      return false;
    }
    return true;
  }

  void SetInlinePolicy(const YamlNode& doc, const SourceSpan& at, PermissionSetDecl* p) {
    PolicySource src;
    src.node = doc;
    src.json = YamlToCanonicalJson(doc);
    size_t nonspace = std::count_if(src.json.begin(), src.json.end(),
                                    [](char ch) { return !std::isspace(static_cast<unsigned char>(ch)); });
    if (src.json.size() > kMaxInlinePolicyChars)
      d_->Error(at, "inline policy is " + std::to_string(src.json.size()) +
                        " characters long; the limit is 32768",
                "move statements to a customer managed policy");
    else if (nonspace > kMaxInlinePolicyNonSpace)
      d_->Error(at, "inline policy has " + std::to_string(nonspace) +
                        " non-whitespace characters; IAM's size limit is 10240",
                "move statements to a customer managed policy");
    p->ps.inline_policy = src.json;
    p->inline_policy = std::move(src);
  }

  void LoadPolicyFile(const YamlNode& ref, const std::string& rel, PermissionSetDecl* p) {
    // Resolve relative to the referencing file's folder, confined to the config dir.
    std::string base = file_.find('/') == std::string::npos ? "" : file_.substr(0, file_.rfind('/') + 1);
    std::string path = rel.rfind("/", 0) == 0 ? rel : base + rel;
    std::vector<std::string> parts;
    bool escapes = rel.rfind("/", 0) == 0;
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      std::string seg = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (seg == "..") {
        if (parts.empty()) escapes = true;
        else parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (escapes) {
      d_->Error(ref.span, "inline_policy_file '" + rel + "' is outside the config directory",
                "policy files must live inside the config directory");
      return;
    }
    std::string norm;
    for (const auto& s : parts) norm += (norm.empty() ? "" : "/") + s;
    std::string text, err;
    if (!reader_.Read(norm, &text, &err)) {
      d_->Error(ref.span, "cannot read inline_policy_file '" + rel + "': " + err, "");
      return;
    }
    sources_->Add(norm, text);
    if (norm.size() > 5 && norm.compare(norm.size() - 5, 5, ".json") == 0) {
      try {
        nlohmann::json strict = nlohmann::json::parse(text);
        (void)strict;
      } catch (const nlohmann::json::parse_error& e) {
        int line = 1, col = 1;
        for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
          if (text[i] == '\n') { ++line; col = 1; } else ++col;
        }
        std::string what = e.what();
        auto pos = what.find("syntax error");
        d_->Error(SourceSpan{norm, line, col, 1},
                  "invalid JSON policy: " + (pos == std::string::npos ? what : what.substr(pos)),
                  "the file must be a JSON policy document");
        return;
      }
    }
    YamlNode doc;
    Diagnostics local;
    // JSON is read with the YAML parser so that statements keep their line numbers.
    if (!ParseYaml(norm, text, YamlLimits{}, &doc, &local)) {
      for (auto& dg : local.items()) {
        dg.message = "invalid JSON policy: " + dg.message;
        d_->Add(dg);
      }
      return;
    }
    if (!doc.IsMap()) {
      d_->Error(doc.span, "a policy document must be a JSON object", "");
      return;
    }
    SetInlinePolicy(doc, ref.span, p);
  }

  void AssignmentItem(const YamlNode& n) {
    Fields f(n, "an assignment", {"group", "user", "permission_set", "accounts", "expires", "reason"}, d_);
    AssignmentDecl a;
    a.span = n.span;
    const YamlNode* g = f.Get("group");
    const YamlNode* u = f.Get("user");
    if (g && u) {
      d_->Error(f.KeyNode("user")->span, "an assignment names either a group or a user, not both", "split it into two assignments");
      return;
    }
    if (!g && !u) {
      d_->Error(n.span, "assignment needs a 'group' or a 'user'", "add group: <name>");
      return;
    }
    a.principal_type = g ? PrincipalType::kGroup : PrincipalType::kUser;
    if (!GetString(g ? g : u, g ? "group" : "user", &a.principal.value, d_, true, &n.span)) return;
    a.principal.span = (g ? g : u)->span;
    const YamlNode* ps = f.Get("permission_set");
    if (!GetString(ps, "permission_set", &a.permission_set.value, d_, true, &n.span)) return;
    a.permission_set.span = ps->span;
    const YamlNode* acc = f.Get("accounts");
    if (!acc) {
      d_->Error(n.span, "assignment needs 'accounts'", "a list of account names or ids, or a selector such as {environment: production}");
      return;
    }
    if (!ParseSelector(*acc, &a.accounts)) return;
    if (const YamlNode* e = f.Get("expires")) {
      std::string v;
      if (GetString(e, "expires", &v, d_)) {
        if (!IsIsoDate(v)) d_->Error(e->span, "expires '" + v + "' is not a date", "write it as YYYY-MM-DD, e.g. 2027-01-31");
        else a.expires = Located<std::string>{v, e->span};
      }
    }
    GetString(f.Get("reason"), "reason", &a.reason, d_);
    c_->assignments.push_back(a);
  }

  bool ParseSelector(const YamlNode& n, AccountSelector* s) {
    s->span = n.span;
    if (n.IsSequence()) {
      s->is_list = true;
      GetStringList(&n, "'accounts'", &s->refs, d_);
      for (const auto& item : n.items)
        if (item.IsScalar() && item.plain && !item.value.empty() &&
            std::all_of(item.value.begin(), item.value.end(), ::isdigit))
          d_->Error(item.span, "account id " + item.value + " must be quoted",
                    "write \"" + item.value + "\"; YAML reads an unquoted id as a number and drops leading zeros");
      if (s->refs.empty()) d_->Error(n.span, "'accounts' is an empty list", "name at least one account");
      return true;
    }
    if (n.IsScalar()) {  // a single account written without brackets
      s->is_list = true;
      if (n.plain && std::all_of(n.value.begin(), n.value.end(), ::isdigit))
        d_->Error(n.span, "account id " + n.value + " must be quoted", "write \"" + n.value + "\"");
      s->refs.push_back({n.value, n.span});
      return true;
    }
    if (!n.IsMap()) {
      d_->Error(n.span, "'accounts' must be a list of accounts or a selector map, not " + n.Describe(), "");
      return false;
    }
    Fields f(n, "an account selector", {"environment", "ou", "tags", "name", "all"}, d_);
    if (n.entries.empty()) {
      d_->Error(n.span, "the account selector is empty", "use all: true to select every account");
      return false;
    }
    std::string v;
    if (GetString(f.Get("environment"), "environment", &v, d_)) s->environment = v;
    if (const YamlNode* ou = f.Get("ou"); GetString(ou, "ou", &v, d_)) {
      if (v.rfind("Root/", 0) == 0) v = v.substr(5);
      if (v.find("***") != std::string::npos || v.find("//") != std::string::npos)
        d_->Error(ou->span, "ou pattern '" + v + "' is not a valid glob", "use * for one level and ** for any depth, e.g. Workloads/**");
      s->ou = v;
    }
    ParseTags(f.Get("tags"), "selector tags", &s->tags, d_);
    if (GetString(f.Get("name"), "name", &v, d_)) s->name = v;
    if (const YamlNode* all = f.Get("all")) {
      GetBool(all, "all", &s->all, d_);
      if (!s->all) d_->Error(all->span, "all: false selects nothing", "remove it, or use all: true");
    }
    return true;
  }

  void Policy(const YamlNode& key, const YamlNode& v) {
    if (!Singleton(key, "policy", &c_->policy.span)) return;
    c_->has_policy = true;
    if (v.IsNull() || !ExpectMap(v, "'policy'", d_)) return;
    Fields f(v, "policy", {"break_glass_groups", "rules", "exceptions"}, d_);
    GetStringList(f.Get("break_glass_groups"), "'break_glass_groups'", &c_->policy.break_glass_groups, d_);
    if (const YamlNode* r = f.Get("rules"); r && !r->IsNull() && ExpectMap(*r, "'rules'", d_)) {
      for (const auto& [k, val] : r->entries) {
        const auto& ids = KnownRuleIds();
        if (std::find(ids.begin(), ids.end(), k.value) == ids.end()) {
          std::string suggestion = DidYouMean(k.value, ids);
          d_->Error(KeySpanOf(k), "unknown rule '" + k.value + "'" + (suggestion.empty() ? "" : "; " + suggestion),
                    "'gatehouse lint --explain RULE' describes a rule");
          continue;
        }
        RuleConfig rc;
        rc.span = KeySpanOf(k);
        rc.node = val;
        if (val.IsScalar()) {
          rc.level = val.value;
        } else if (val.IsMap()) {
          if (const YamlNode* lv = val.Find("level")) GetString(lv, "level", &rc.level, d_);
        } else {
          d_->Error(val.span, "a rule takes a level (error, warning, note, off) or a map with 'level' and parameters", "");
          continue;
        }
        if (!rc.level.empty() && rc.level != "error" && rc.level != "warning" && rc.level != "note" && rc.level != "off") {
          const YamlNode* at = val.IsScalar() ? &val : val.Find("level");
          d_->Error(at->span, "rule level must be error, warning, note or off, not '" + rc.level + "'",
                    DidYouMean(rc.level, {"error", "warning", "note", "off"}));
        }
        c_->policy.rules[k.value] = rc;
      }
    }
    if (const YamlNode* ex = f.Get("exceptions"); ex && !ex->IsNull() && ExpectList(*ex, "'exceptions'", d_)) {
      for (const auto& item : ex->items) {
        if (!ExpectMap(item, "an exception", d_)) continue;
        Fields fe(item, "an exception", {"rule", "target", "reason", "expires"}, d_);
        RuleException e;
        e.span = item.span;
        bool ok = GetString(fe.Get("rule"), "rule", &e.rule, d_, true, &item.span);
        if (ok) {
          e.rule_span = fe.Get("rule")->span;
          const auto& ids = KnownRuleIds();
          if (std::find(ids.begin(), ids.end(), e.rule) == ids.end()) {
            std::string suggestion = DidYouMean(e.rule, ids);
            d_->Error(e.rule_span, "unknown rule '" + e.rule + "'" + (suggestion.empty() ? "" : "; " + suggestion), "");
            ok = false;
          }
        }
        ok &= GetString(fe.Get("target"), "target", &e.target, d_, true, &item.span);
        if (!GetString(fe.Get("reason"), "reason", &e.reason, d_) || e.reason.empty()) {
          d_->Error(item.span, "an exception needs a 'reason'", "say why the finding is accepted and who approved it");
          ok = false;
        }
        const YamlNode* exp = fe.Get("expires");
        if (!GetString(exp, "expires", &e.expires, d_)) {
          d_->Error(item.span, "an exception needs an 'expires' date", "add expires: YYYY-MM-DD");
          ok = false;
        } else if (!IsIsoDate(e.expires)) {
          d_->Error(exp->span, "expires '" + e.expires + "' is not a date", "write it as YYYY-MM-DD");
          ok = false;
        } else {
          e.expires_span = exp->span;
        }
        if (ok) c_->policy.exceptions.push_back(e);
      }
    }
  }

  const std::string& file_;
  SourceReader& reader_;
  Config* c_;
  SourceFiles* sources_;
  Diagnostics* d_;
};

}  // namespace

void ParseConfigTree(const YamlNode& root, const std::string& file, SourceReader& reader,
                     Config* config, SourceFiles* sources, Diagnostics* diags) {
  FileParser(file, reader, config, sources, diags).Parse(root);
}

bool LoadConfig(SourceReader& reader, Config* config, SourceFiles* sources, Diagnostics* diags) {
  for (const auto& file : reader.ListYamlFiles(diags)) {
    std::string text, err;
    if (!reader.Read(file, &text, &err)) {
      diags->Error(SourceSpan{file, 1, 1, 1}, err, "");
      continue;
    }
    sources->Add(file, text);
    YamlNode root;
    if (!ParseYaml(file, text, YamlLimits{}, &root, diags)) continue;
    ParseConfigTree(root, file, reader, config, sources, diags);
  }
  return !diags->HasErrors();
}

}  // namespace gatehouse
