#include "compiler/config_sections.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "compiler/config_fields.h"
#include "compiler/text.h"

namespace gatehouse {

namespace {

/// local@domain.tld: one '@', no whitespace, a dot inside the domain. By hand:
/// std::regex recurses once per character, so a long value overflowed the stack.
bool LooksLikeEmail(const std::string& s) {
  size_t at = s.find('@');
  if (at == 0 || at == std::string::npos || s.find('@', at + 1) != std::string::npos) return false;
  if (s.find_first_of(" \t\n\v\f\r") != std::string::npos) return false;
  size_t dot = s.find('.', at + 2);
  return dot != std::string::npos && dot + 1 < s.size();
}

/// A value as quoted in a message: at most 80 characters of it.
std::string Shorten(const std::string& s) { return s.size() <= 80 ? s : s.substr(0, 77) + "..."; }

/// `accounts:`, `users:` and `groups:` items.
class DirectoryParser {
 public:
  explicit DirectoryParser(const SectionContext& cx) : c_(cx.config), d_(cx.diags) {}

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
                "write id: \"" + std::string(id->value.size() < 12 ? 12 - id->value.size() : 0, '0') + id->value +
                    "\"; YAML reads an unquoted id as a number and drops leading zeros");
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
      if (p.rfind("Root/", 0) == 0)
        p = p.substr(5);
      else if (p == "Root" || p == "/")
        p = "";
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
      if (!LooksLikeEmail(u.user.email))
        d_->Error(e->span, "'" + Shorten(u.user.email) + "' is not an email address", "");
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

 private:
  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParseAccount(const YamlNode& item, const SectionContext& cx) { DirectoryParser(cx).AccountItem(item); }
void ParseUser(const YamlNode& item, const SectionContext& cx) { DirectoryParser(cx).UserItem(item); }
void ParseGroup(const YamlNode& item, const SectionContext& cx) { DirectoryParser(cx).GroupItem(item); }

}  // namespace gatehouse
