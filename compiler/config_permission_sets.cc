#include "compiler/config_sections.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

#include "compiler/config_fields.h"
#include "compiler/iam/policy_validator.h"

namespace gatehouse {

namespace {

constexpr size_t kMaxInlinePolicyChars = 32768;
constexpr size_t kMaxInlinePolicyNonSpace = 10240;
constexpr size_t kMaxPoliciesPerSet = 20;

const std::regex& NameCharsRegex() {
  static const std::regex re(R"([\w+=,.@-]+)");
  return re;
}

/// `permission_sets:` items: limits, policies (managed, customer, inline or from a file), boundary.
class PermissionSetParser {
 public:
  explicit PermissionSetParser(const SectionContext& cx) : cx_(cx), c_(cx.config), d_(cx.diags) {}

  void PermissionSetItem(const YamlNode& n) {
    Fields f(n, "a permission set",
             {"name", "description", "session_duration", "relay_state", "managed_policies", "customer_managed_policies",
              "inline_policy", "inline_policy_file", "permissions_boundary", "tags", "privileged"},
             d_);
    PermissionSetDecl p;
    p.span = n.span;
    const YamlNode* nm = f.Get("name");
    if (!GetString(nm, "permission set name", &p.ps.name, d_, true, &n.span)) return;
    p.name_span = nm->span;
    p.name_span.length = static_cast<int>(p.ps.name.size());
    CheckPermissionSetName(*nm, p.ps.name);
    if (const YamlNode* ds = f.Get("description"); GetString(ds, "description", &p.ps.description, d_)) {
      CheckLength(*ds, "permission set description", p.ps.description, 1, 700, d_);
    }
    if (const YamlNode* sd = f.Get("session_duration"); GetString(sd, "session_duration", &p.ps.session_duration, d_)) {
      p.session_span = sd->span;
      CheckSessionDuration(*sd, p.ps.session_duration);
    }
    if (const YamlNode* rs = f.Get("relay_state"); GetString(rs, "relay_state", &p.ps.relay_state, d_))
      CheckLength(*rs, "relay_state", p.ps.relay_state, 1, 240, d_);
    if (const YamlNode* mp = f.Get("managed_policies")) ManagedPolicies(*mp, &p);
    if (const YamlNode* cm = f.Get("customer_managed_policies");
        cm && !cm->IsNull() && ExpectList(*cm, "'customer_managed_policies'", d_))
      CustomerPolicies(*cm, &p);
    size_t npol = p.ps.managed_policies.size() + p.ps.customer_managed_policies.size();
    if (npol > kMaxPoliciesPerSet)
      d_->Error(f.Get("managed_policies") ? f.Get("managed_policies")->span : n.span,
                "permission set attaches " + std::to_string(npol) + " policies; the limit is 20", "");
    InlinePolicy(f, &p);
    if (const YamlNode* b = f.Get("permissions_boundary");
        b && !b->IsNull() && ExpectMap(*b, "permissions_boundary", d_)) {
      p.boundary_span = KeySpanOf(*f.KeyNode("permissions_boundary"));
      Boundary(*b, &p);
    }
    ParseTags(f.Get("tags"), "permission set tags", &p.ps.tags, d_);
    if (const YamlNode* pv = f.Get("privileged")) {
      p.privileged_span = pv->span;
      GetBool(pv, "privileged", &p.privileged, d_);
    }
    c_->permission_sets.push_back(std::move(p));
  }

  void CheckPermissionSetName(const YamlNode& nm, const std::string& name) {
    if (name.empty())
      d_->Error(nm.span, "permission set name is empty", "give it a name of 1 to 32 characters");
    else if (name.size() > 32)
      d_->Error(nm.span,
                "permission set name '" + name + "' is " + std::to_string(name.size()) +
                    " characters long; it must be 1 to 32",
                "AWS limits permission set names to 32 characters");
    else if (!std::regex_match(name, NameCharsRegex()))
      d_->Error(nm.span, "permission set name '" + name + "' contains a character AWS does not allow",
                "use letters, digits and + = , . @ _ -");
  }

  void CheckSessionDuration(const YamlNode& sd, const std::string& duration) {
    long secs = ParseIsoDuration(duration);
    if (secs < 0)
      d_->Error(sd.span, "session_duration '" + duration + "' is not an ISO-8601 duration",
                "write hours as PT<n>H, e.g. PT4H (from PT1H to PT12H)");
    else if (secs < 3600 || secs > 43200)
      d_->Error(sd.span, "session_duration '" + duration + "' is outside PT1H..PT12H",
                "Identity Center allows sessions from 1 to 12 hours");
  }

  void ManagedPolicies(const YamlNode& mp, PermissionSetDecl* p) {
    GetStringList(&mp, "'managed_policies'", &p->managed_policy_refs, d_);
    static const std::regex arn_re(R"(arn:aws(-[a-z]+)*:iam::aws:policy/([\w+=,.@-]+/)*[\w+=,.@-]+)");
    for (const auto& ref : p->managed_policy_refs) {
      std::string arn = ManagedPolicyArn(ref.value);
      if (arn.size() > 2048 || !std::regex_match(arn, arn_re)) {  // IAM's ARN limit; bounds the regex's recursion
        d_->Error(ref.span, "'" + ref.value + "' is not an AWS managed policy name or ARN",
                  "write a name such as PowerUserAccess or job-function/ViewOnlyAccess; "
                  "customer policies go under customer_managed_policies");
        continue;
      }
      if (!p->ps.managed_policies.insert(arn).second)
        d_->Error(ref.span, "managed policy '" + ref.value + "' is listed twice", "");
    }
  }

  void CustomerPolicies(const YamlNode& cm, PermissionSetDecl* p) {
    for (const auto& item : cm.items) {
      CustomerManagedPolicy c;
      std::optional<PolicySource> doc;
      if (!ParseCustomerPolicy(item, &c, &doc)) continue;
      if (!p->ps.customer_managed_policies.insert(c).second)
        d_->Error(item.span, "customer managed policy '" + c.path + c.name + "' is listed twice", "");
      else if (doc)
        p->customer_policy_documents.emplace(c, std::move(*doc));
    }
  }

  /// inline_policy (a YAML map) or inline_policy_file (a path), not both.
  void InlinePolicy(const Fields& f, PermissionSetDecl* p) {
    const YamlNode* ip = f.Get("inline_policy");
    const YamlNode* ipf = f.Get("inline_policy_file");
    if (ip && ipf) {
      d_->Error(f.KeyNode("inline_policy_file")->span, "set either inline_policy or inline_policy_file, not both", "");
    } else if (ip && !ip->IsNull()) {
      p->inline_span = KeySpanOf(*f.KeyNode("inline_policy"));
      if (ExpectMap(*ip, "inline_policy", d_)) SetInlinePolicy(*ip, p->inline_span, p);
    } else if (ipf) {
      p->inline_span = ipf->span;
      std::string rel;
      if (GetString(ipf, "inline_policy_file", &rel, d_)) {
        if (std::optional<YamlNode> doc = ReadPolicyFile(*ipf, "inline_policy_file", rel))
          SetInlinePolicy(*doc, ipf->span, p);
      }
    }
  }

  void Boundary(const YamlNode& b, PermissionSetDecl* p) {
    PermissionSet* ps = &p->ps;
    Fields fb(b, "permissions_boundary", {"managed_policy", "customer_managed_policy"}, d_);
    PermissionsBoundary pb;
    const YamlNode* m = fb.Get("managed_policy");
    const YamlNode* c = fb.Get("customer_managed_policy");
    if ((m != nullptr) == (c != nullptr)) {
      d_->Error(b.span, "permissions_boundary takes exactly one of managed_policy or customer_managed_policy", "");
    } else if (m) {
      std::string ref;
      if (GetString(m, "boundary managed_policy", &ref, d_)) {
        pb.managed_policy_arn = ManagedPolicyArn(ref);
        ps->permissions_boundary = pb;
      }
    } else {
      CustomerManagedPolicy cp;
      if (ParseCustomerPolicy(*c, &cp, &p->boundary_document)) {
        pb.customer_managed_policy = cp;
        ps->permissions_boundary = pb;
      }
    }
  }

  /// A name, or {name, path, document_file}; the document (only for analysis) into *doc.
  bool ParseCustomerPolicy(const YamlNode& item, CustomerManagedPolicy* c, std::optional<PolicySource>* doc) {
    if (item.IsScalar()) {
      c->name = item.value;
    } else {
      if (!ExpectMap(item, "a customer managed policy", d_)) return false;
      Fields f(item, "a customer managed policy", {"name", "path", "document_file"}, d_);
      std::string rel;
      if (const YamlNode* df = f.Get("document_file"); GetString(df, "document_file", &rel, d_)) {
        if (std::optional<YamlNode> node = ReadPolicyFile(*df, "document_file", rel))
          *doc = PolicySource{YamlToCanonicalJson(*node), std::move(*node)};
      }
      if (!GetString(f.Get("name"), "customer managed policy name", &c->name, d_, true, &item.span)) return false;
      if (const YamlNode* pth = f.Get("path"); GetString(pth, "policy path", &c->path, d_)) {
        if (c->path.empty() || c->path.front() != '/' || c->path.back() != '/' || c->path.size() > 512)
          d_->Error(pth->span, "policy path '" + c->path + "' must start and end with '/'", "e.g. path: /teams/");
      }
    }
    if (c->name.empty() || c->name.size() > 128 || !std::regex_match(c->name, NameCharsRegex())) {
      d_->Error(item.span, "'" + c->name + "' is not a valid IAM policy name",
                "1 to 128 of letters, digits and + = , . @ _ -");
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
      d_->Error(at, "inline policy is " + std::to_string(src.json.size()) + " characters long; the limit is 32768",
                "move statements to a customer managed policy");
    else if (nonspace > kMaxInlinePolicyNonSpace)
      d_->Error(
          at, "inline policy has " + std::to_string(nonspace) + " non-whitespace characters; IAM's size limit is 10240",
          "move statements to a customer managed policy");
    p->ps.inline_policy = src.json;
    p->inline_policy = std::move(src);
  }

  /// Reads the policy document file `rel` named by `key` (inline_policy_file,
  /// document_file): inside the config dir, strict JSON when it is .json, a map.
  std::optional<YamlNode> ReadPolicyFile(const YamlNode& ref, const std::string& key, const std::string& rel) {
    std::string norm;
    if (!ResolveInDir(rel, &norm)) {
      d_->Error(ref.span, key + " '" + rel + "' is outside the config directory",
                "policy files must live inside the config directory");
      return std::nullopt;
    }
    std::string text, err;
    if (!cx_.reader.Read(norm, &text, &err)) {
      // The reader refuses a path that a symlink leads out of the directory.
      bool outside = err.find("outside") != std::string::npos;
      d_->Error(ref.span, "cannot read " + key + " '" + rel + "': " + err,
                outside ? "policy files must live inside the config directory; a symlink may not lead out of it" : "");
      return std::nullopt;
    }
    cx_.sources->Add(norm, text);
    bool is_json = norm.size() > 5 && norm.compare(norm.size() - 5, 5, ".json") == 0;
    if (is_json && !CheckStrictJson(norm, text)) return std::nullopt;
    YamlNode doc;
    Diagnostics local;
    // JSON is read with the YAML parser so that statements keep their line numbers.
    if (!ParseYaml(norm, text, YamlLimits{}, &doc, &local)) {
      for (auto& dg : local.items()) {
        dg.message = "invalid JSON policy: " + dg.message;
        d_->Add(dg);
      }
      return std::nullopt;
    }
    if (!doc.IsMap()) {
      d_->Error(doc.span, "a policy document must be a JSON object", "");
      return std::nullopt;
    }
    return doc;
  }

  /// Resolves `rel` against the referencing file's folder (or the config dir when it
  /// starts with '/') into a normalized path. False when it leads outside the config dir.
  bool ResolveInDir(const std::string& rel, std::string* norm) const {
    std::string base = cx_.file.find('/') == std::string::npos ? "" : cx_.file.substr(0, cx_.file.rfind('/') + 1);
    std::string path = rel.rfind("/", 0) == 0 ? rel : base + rel;
    std::vector<std::string> parts;
    bool escapes = rel.rfind("/", 0) == 0;
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      std::string seg = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (seg == "..") {
        if (parts.empty())
          escapes = true;
        else
          parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    for (const auto& s : parts) *norm += (norm->empty() ? "" : "/") + s;
    return !escapes;
  }

  /// A `.json` policy file must be strict JSON, which the YAML parser would not insist on.
  bool CheckStrictJson(const std::string& norm, const std::string& text) {
    try {
      nlohmann::json strict = nlohmann::json::parse(text);
      (void)strict;
      return true;
    } catch (const nlohmann::json::parse_error& e) {
      int line = 1, col = 1;
      for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
          ++line;
          col = 1;
        } else
          ++col;
      }
      std::string what = e.what();
      auto pos = what.find("syntax error");
      d_->Error(SourceSpan{norm, line, col, 1},
                "invalid JSON policy: " + (pos == std::string::npos ? what : what.substr(pos)),
                "the file must be a JSON policy document");
      return false;
    } catch (const nlohmann::json::exception&) {
      // e.g. a number too large for a double: the policy check reports it at its place.
      nlohmann::json ignored;
      iam::JsonTextError where;
      iam::ParsePolicyJson(text, &ignored, &where);
      d_->Error(SourceSpan{norm, static_cast<int>(where.line), static_cast<int>(where.column), 1},
                "invalid JSON policy: " + where.message.substr(where.message.find(": ") + 2),
                "the file must be a JSON policy document");
      return false;
    }
  }

 private:
  const SectionContext& cx_;
  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParsePermissionSet(const YamlNode& item, const SectionContext& cx) {
  PermissionSetParser(cx).PermissionSetItem(item);
}

}  // namespace gatehouse
