#include "compiler/iam/policy_validator.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace gatehouse::iam {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 3> kTopLevelKeys = {"Version", "Id", "Statement"};
constexpr std::array<std::string_view, 7> kStatementKeys = {"Sid",      "Effect",      "Action",   "NotAction",
                                                            "Resource", "NotResource", "Condition"};

/// The value type a condition operator compares.
enum class OperatorType { kString, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull };

struct OperatorSpec {
  std::string_view name;
  OperatorType type;
};

constexpr std::array<OperatorSpec, 27> kOperators = {{
    {"StringEquals", OperatorType::kString},
    {"StringNotEquals", OperatorType::kString},
    {"StringEqualsIgnoreCase", OperatorType::kString},
    {"StringNotEqualsIgnoreCase", OperatorType::kString},
    {"StringLike", OperatorType::kString},
    {"StringNotLike", OperatorType::kString},
    {"NumericEquals", OperatorType::kNumeric},
    {"NumericNotEquals", OperatorType::kNumeric},
    {"NumericLessThan", OperatorType::kNumeric},
    {"NumericLessThanEquals", OperatorType::kNumeric},
    {"NumericGreaterThan", OperatorType::kNumeric},
    {"NumericGreaterThanEquals", OperatorType::kNumeric},
    {"DateEquals", OperatorType::kDate},
    {"DateNotEquals", OperatorType::kDate},
    {"DateLessThan", OperatorType::kDate},
    {"DateLessThanEquals", OperatorType::kDate},
    {"DateGreaterThan", OperatorType::kDate},
    {"DateGreaterThanEquals", OperatorType::kDate},
    {"Bool", OperatorType::kBool},
    {"BinaryEquals", OperatorType::kBinary},
    {"IpAddress", OperatorType::kIp},
    {"NotIpAddress", OperatorType::kIp},
    {"ArnEquals", OperatorType::kArn},
    {"ArnLike", OperatorType::kArn},
    {"ArnNotEquals", OperatorType::kArn},
    {"ArnNotLike", OperatorType::kArn},
    {"Null", OperatorType::kNull},
}};

std::string Quote(std::string_view s) {
  // Appended piecewise: g++ 12 -Wrestrict misfires on `"`" + std::string(s)`.
  std::string out;
  out.reserve(s.size() + 2);
  out += '`';
  out += s;
  out += '`';
  return out;
}

std::string QuoteJson(const json& value) {
  return value.is_string() ? Quote(value.get<std::string>()) : Quote(value.dump());
}

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

JsonPath Append(JsonPath path, PathSegment segment) {
  path.push_back(std::move(segment));
  return path;
}

/// Walks one policy document, collecting issues.
class Validator {
 public:
  explicit Validator(const ActionCatalog& catalog) : catalog_(catalog) {}

  std::vector<PolicyIssue> Run(const json& doc) {
    if (!doc.is_object()) {
      Error("invalid-policy", {}, "policy must be a JSON object, not " + TypeName(doc));
      return std::move(issues_);
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), it.key()) == kTopLevelKeys.end()) {
        UnknownKey({it.key()}, it.key(), "top-level", {"Version", "Id", "Statement"});
      }
    }
    CheckVersion(doc);
    if (doc.contains("Id") && !doc["Id"].is_string()) {
      Error("invalid-id", {"Id"}, "`Id` must be a string");
    }
    CheckStatements(doc);
    return std::move(issues_);
  }

 private:
  void Add(IssueSeverity severity, bool refused, std::string code, JsonPath path, std::string message,
           std::string help) {
    issues_.push_back({severity, std::move(code), std::move(message), std::move(help), std::move(path), refused});
  }
  /// What AWS refuses: the document is not a valid IAM identity policy.
  void Error(std::string code, JsonPath path, std::string message, std::string help = "") {
    Add(IssueSeverity::kError, true, std::move(code), std::move(path), std::move(message), std::move(help));
  }
  /// An error AWS accepts: the element can never match (unknown action...).
  void Unmatchable(std::string code, JsonPath path, std::string message, std::string help = "") {
    Add(IssueSeverity::kError, false, std::move(code), std::move(path), std::move(message), std::move(help));
  }
  void Warning(std::string code, JsonPath path, std::string message, std::string help = "") {
    Add(IssueSeverity::kWarning, false, std::move(code), std::move(path), std::move(message), std::move(help));
  }

  static std::string TypeName(const json& value) {
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    return "null";
  }

  static std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best = ClosestMatch(word, candidates);
    return best.empty() ? "" : "did you mean " + Quote(best) + "?";
  }

  void UnknownKey(JsonPath path, const std::string& key, const std::string& where,
                  const std::vector<std::string>& allowed) {
    std::string help = DidYouMean(key, allowed);
    if (help.empty()) {
      help = "allowed keys are ";
      for (std::size_t i = 0; i < allowed.size(); ++i) {
        help += (i == 0 ? "" : i + 1 == allowed.size() ? " and " : ", ") + Quote(allowed[i]);
      }
    }
    Error("unknown-key", std::move(path), "unknown " + where + " key " + Quote(key), help);
  }

  void CheckVersion(const json& doc) {
    if (!doc.contains("Version")) {
      // IAM would read it as 2008-10-17; Identity Center's inline policies need it spelled out.
      Error("missing-version", {}, "policy has no `Version`", "add \"Version\": \"2012-10-17\"");
      return;
    }
    const json& version = doc["Version"];
    if (version == "2012-10-17") return;
    if (version == "2008-10-17") {
      Warning("old-version", {"Version"}, "policy version `2008-10-17` does not support policy variables",
              "use \"Version\": \"2012-10-17\"");
      return;
    }
    Error("invalid-version", {"Version"}, "invalid policy version " + QuoteJson(version),
          "use \"Version\": \"2012-10-17\"");
  }

  void CheckStatements(const json& doc) {
    if (!doc.contains("Statement")) {
      Error("missing-statement", {}, "policy has no `Statement`");
      return;
    }
    const json& statements = doc["Statement"];
    if (statements.is_object()) {
      CheckStatement(statements, {"Statement"});
      return;
    }
    if (!statements.is_array()) {
      Error("invalid-statement", {"Statement"},
            "`Statement` must be an object or an array of objects, not " + TypeName(statements));
      return;
    }
    if (statements.empty()) Warning("empty-statement", {"Statement"}, "policy has no statements");
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (!statements[i].is_object()) {
        Error("invalid-statement", {"Statement", i}, "a statement must be an object, not " + TypeName(statements[i]));
        continue;
      }
      CheckStatement(statements[i], {"Statement", i});
    }
  }

  void CheckStatement(const json& st, const JsonPath& at) {
    for (auto it = st.begin(); it != st.end(); ++it) {
      const std::string& key = it.key();
      if (key == "Principal" || key == "NotPrincipal") {
        Error("principal-in-identity-policy", Append(at, key), Quote(key) + " is not allowed in an identity policy",
              "a permission set policy applies to whoever holds it; remove " + Quote(key));
      } else if (std::find(kStatementKeys.begin(), kStatementKeys.end(), key) == kStatementKeys.end()) {
        UnknownKey(Append(at, key), key, "statement",
                   {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"});
      }
    }
    CheckSid(st, at);
    CheckEffect(st, at);
    CheckActions(st, at);
    CheckResources(st, at);
    if (st.contains("Condition")) CheckCondition(st["Condition"], Append(at, "Condition"));
  }

  void CheckSid(const json& st, const JsonPath& at) {
    if (!st.contains("Sid")) return;
    const json& sid = st["Sid"];
    JsonPath path = Append(at, "Sid");
    if (!sid.is_string()) {
      Error("invalid-sid", path, "`Sid` must be a string, not " + TypeName(sid));
      return;
    }
    const std::string& text = sid.get_ref<const std::string&>();
    if (!std::all_of(text.begin(), text.end(), IsAsciiAlnum)) {
      Error("invalid-sid", path, "sid " + Quote(text) + " may contain only letters and digits");
    }
    if (!text.empty() && !sids_.emplace(text, path).second) {
      Error("duplicate-sid", path, "sid " + Quote(text) + " is used by more than one statement",
            "first used at " + Quote(JsonPathToString(sids_[text])));
    }
  }

  void CheckEffect(const json& st, const JsonPath& at) {
    if (!st.contains("Effect")) {
      Error("missing-effect", at, "statement has no `Effect`", "add \"Effect\": \"Allow\" or \"Deny\"");
      return;
    }
    const json& effect = st["Effect"];
    if (effect == "Allow" || effect == "Deny") return;
    std::string help = effect.is_string() ? DidYouMean(effect.get<std::string>(), {"Allow", "Deny"}) : "";
    Error("invalid-effect", Append(at, "Effect"), "effect must be `Allow` or `Deny`, not " + QuoteJson(effect),
          help.empty() ? "use \"Allow\" or \"Deny\"" : help);
  }

  /// Calls check(value, path) for each string of a string-or-array member;
  /// reports wrong types and empty arrays with `what` ("action", "resource").
  template <typename Check>
  void ForEachString(const json& value, const JsonPath& path, const std::string& what, const std::string& code,
                     Check check) {
    if (value.is_string()) {
      check(value.get<std::string>(), path);
      return;
    }
    if (!value.is_array()) {
      Error(code, path,
            Quote(std::get<std::string>(path.back())) + " must be a string or an array of strings, not " +
                TypeName(value));
      return;
    }
    if (value.empty()) Error("empty-" + what, path, "empty " + what + " list");
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        Error(code, Append(path, i), what + " must be a string, not " + TypeName(value[i]));
        continue;
      }
      check(value[i].get<std::string>(), Append(path, i));
    }
  }

  void CheckActions(const json& st, const JsonPath& at) {
    bool has_action = st.contains("Action"), has_not_action = st.contains("NotAction");
    if (has_action && has_not_action) {
      Error("action-and-notaction", Append(at, "NotAction"), "statement has both `Action` and `NotAction`",
            "keep only one of them");
    } else if (!has_action && !has_not_action) {
      Error("missing-action", at, "statement has neither `Action` nor `NotAction`");
    }
    for (const char* key : {"Action", "NotAction"}) {
      if (!st.contains(key)) continue;
      ForEachString(st[key], Append(at, key), "action", "invalid-action",
                    [&](const std::string& action, const JsonPath& path) { CheckAction(action, path); });
    }
  }

  std::vector<std::string> ServicePrefixes() const {
    std::vector<std::string> prefixes;
    for (const ServiceInfo& s : catalog_.services()) prefixes.push_back(s.prefix);
    return prefixes;
  }

  void CheckAction(const std::string& action, const JsonPath& path) {
    if (action == "*") return;
    std::size_t colon = action.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == action.size()) {
      Error("invalid-action", path, "action " + Quote(action) + " must have the form `service:action`",
            "e.g. `s3:GetObject`, `s3:Get*` or `*`");
      return;
    }
    std::string service = action.substr(0, colon);
    std::string name = action.substr(colon + 1);
    bool service_wild = service.find_first_of("*?") != std::string::npos;
    if (!service_wild && catalog_.FindService(service) == nullptr) {
      Unmatchable("unknown-service", path, "unknown service prefix " + Quote(service) + " in action " + Quote(action),
                  DidYouMean(service, ServicePrefixes()));
      return;
    }
    if (!catalog_.Expand(action).empty()) return;
    std::string help;
    if (!service_wild && name.find_first_of("*?") == std::string::npos) {
      const ServiceInfo* info = catalog_.FindService(service);
      std::vector<std::string> names;
      for (ActionId id = info->first; id < info->end; ++id) names.push_back(catalog_.action(id).name);
      std::string best = ClosestMatch(name, names);
      if (!best.empty()) help = "did you mean " + Quote(info->prefix + ":" + best) + "?";
    }
    Unmatchable("unknown-action", path,
                (action.find_first_of("*?") == std::string::npos ? "unknown action " : "action pattern ") +
                    Quote(action) + (action.find_first_of("*?") == std::string::npos ? "" : " matches no action"),
                help);
  }

  void CheckResources(const json& st, const JsonPath& at) {
    bool has_resource = st.contains("Resource"), has_not_resource = st.contains("NotResource");
    if (has_resource && has_not_resource) {
      Error("resource-and-notresource", Append(at, "NotResource"), "statement has both `Resource` and `NotResource`",
            "keep only one of them");
    } else if (!has_resource && !has_not_resource) {
      Error("missing-resource", at, "statement has neither `Resource` nor `NotResource`",
            "add \"Resource\": \"*\" or the ARNs the statement applies to");
    }
    for (const char* key : {"Resource", "NotResource"}) {
      if (!st.contains(key)) continue;
      ForEachString(st[key], Append(at, key), "resource", "invalid-resource",
                    [&](const std::string& arn, const JsonPath& path) { CheckArn(arn, path); });
    }
  }

  void CheckArn(const std::string& arn, const JsonPath& path) {
    if (arn == "*") return;
    std::vector<std::string_view> fields;
    std::string_view rest(arn);
    while (fields.size() < 5) {
      std::size_t colon = rest.find(':');
      if (colon == std::string_view::npos) break;
      fields.push_back(rest.substr(0, colon));
      rest = rest.substr(colon + 1);
    }
    fields.push_back(rest);
    const char* help = "an ARN has the form `arn:partition:service:region:account:resource`";
    if (fields.size() < 6 || fields[0] != "arn") {
      Error("invalid-arn", path, "resource " + Quote(arn) + " is not `*` or an ARN", help);
    } else if (fields[1].empty() || fields[2].empty()) {
      Unmatchable("invalid-arn", path, "ARN " + Quote(arn) + " has an empty partition or service", help);
    }
  }

  void CheckCondition(const json& condition, const JsonPath& at) {
    if (!condition.is_object()) {
      Error("invalid-condition", at, "`Condition` must be an object, not " + TypeName(condition));
      return;
    }
    for (auto op = condition.begin(); op != condition.end(); ++op) {
      JsonPath op_path = Append(at, op.key());
      const OperatorSpec* spec = nullptr;
      bool set_operator = false;
      if (!ParseOperator(op.key(), op_path, &spec, &set_operator)) continue;
      if (!op.value().is_object()) {
        Error("invalid-condition", op_path,
              "condition operator " + Quote(op.key()) + " must map keys to values, not " + TypeName(op.value()));
        continue;
      }
      for (auto key = op.value().begin(); key != op.value().end(); ++key) {
        CheckConditionEntry(*spec, set_operator, key.key(), key.value(), Append(op_path, key.key()));
      }
    }
  }

  bool ParseOperator(const std::string& full, const JsonPath& path, const OperatorSpec** spec, bool* set_operator) {
    std::string_view name(full);
    for (std::string_view qualifier : {"ForAllValues:", "ForAnyValue:"}) {
      if (name.rfind(qualifier, 0) == 0) {
        name.remove_prefix(qualifier.size());
        *set_operator = true;
      }
    }
    bool if_exists = false;
    constexpr std::string_view kIfExists = "IfExists";
    if (name.size() > kIfExists.size() && name.substr(name.size() - kIfExists.size()) == kIfExists) {
      name.remove_suffix(kIfExists.size());
      if_exists = true;
    }
    for (const OperatorSpec& candidate : kOperators) {
      if (candidate.name == name) *spec = &candidate;
    }
    if (*spec == nullptr) {
      std::vector<std::string> names;
      for (const OperatorSpec& candidate : kOperators) {
        names.emplace_back(candidate.name);
      }
      Error("unknown-condition-operator", path, "unknown condition operator " + Quote(full), DidYouMean(name, names));
      return false;
    }
    if (if_exists && (*spec)->type == OperatorType::kNull) {
      Error("invalid-condition-operator", path, "`Null` cannot take the `IfExists` suffix",
            "use `Null` alone: it already tests whether the key exists");
      return false;
    }
    return true;
  }

  static bool IsScalar(const json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

  static bool IsBoolText(const json& v) { return v.is_boolean() || v == "true" || v == "false"; }

  void CheckConditionEntry(const OperatorSpec& spec, bool set_operator, const std::string& key, const json& value,
                           const JsonPath& path) {
    bool ok =
        IsScalar(value) || (value.is_array() && !value.empty() && std::all_of(value.begin(), value.end(), IsScalar));
    if (!ok) {
      Error("invalid-condition-value", path,
            "condition key " + Quote(key) + " must have a value or a non-empty array of values");
      return;
    }
    if (spec.type == OperatorType::kNull || spec.type == OperatorType::kBool) {
      bool all_bool = value.is_array() ? std::all_of(value.begin(), value.end(), IsBoolText) : IsBoolText(value);
      if (!all_bool) {
        Unmatchable("invalid-condition-value", path, Quote(spec.name) + " takes `true` or `false` for " + Quote(key));
      }
    }
    if (key.find(':') == std::string::npos) {
      Unmatchable("invalid-condition-key", path, "condition key " + Quote(key) + " must have the form `prefix:name`");
      return;
    }
    const ConditionKeyInfo* info = catalog_.FindConditionKey(key);
    if (info == nullptr) {
      std::string prefix = key.substr(0, key.find(':'));
      if (catalog_.FindService(prefix) != nullptr) {
        std::vector<std::string> known;
        for (const ConditionKeyInfo& k : catalog_.FindService(prefix)->condition_keys) known.push_back(k.key);
        Warning("unknown-condition-key", path, "service " + Quote(prefix) + " has no condition key " + Quote(key),
                DidYouMean(key, known));
      }
      return;
    }
    if (info->type.empty() || spec.type == OperatorType::kNull) return;
    if (set_operator && !info->multivalued()) {
      Warning("set-operator-on-single-valued-key", path,
              "`ForAllValues:`/`ForAnyValue:` used with single-valued key " + Quote(key),
              "drop the qualifier; with `ForAllValues:` a missing key matches every request");
    } else if (!set_operator && info->multivalued()) {
      Warning("multivalued-key-without-set-operator", path,
              "multivalued key " + Quote(key) + " used without `ForAllValues:` or `ForAnyValue:`");
    }
    CheckOperatorType(spec, key, *info, path);
  }

  void CheckOperatorType(const OperatorSpec& spec, const std::string& key, const ConditionKeyInfo& info,
                         const JsonPath& path) {
    std::string type = info.type.rfind("ArrayOf", 0) == 0 ? info.type.substr(7) : info.type;
    bool fits = true;
    switch (spec.type) {
      case OperatorType::kString: fits = type == "String" || type == "ARN"; break;
      case OperatorType::kNumeric: fits = type == "Numeric"; break;
      case OperatorType::kDate: fits = type == "Date" || type == "Numeric"; break;
      case OperatorType::kBool: fits = type == "Bool"; break;
      case OperatorType::kIp: fits = type == "IPAddress"; break;
      case OperatorType::kArn: fits = type == "ARN" || type == "String"; break;
      case OperatorType::kBinary:
      case OperatorType::kNull: break;
    }
    if (!fits) {
      Warning("mismatched-condition-type", path,
              "operator " + Quote(spec.name) + " does not fit key " + Quote(key) + " of type " + Quote(info.type));
    }
  }

  const ActionCatalog& catalog_;
  std::vector<PolicyIssue> issues_;
  std::map<std::string, JsonPath> sids_;
};

}  // namespace

std::string JsonPathToString(const JsonPath& path) {
  std::string out;
  for (const PathSegment& segment : path) {
    if (const std::string* key = std::get_if<std::string>(&segment)) {
      if (!out.empty()) out += '.';
      out += *key;
    } else {
      out += '[';
      out += std::to_string(std::get<std::size_t>(segment));
      out += ']';
    }
  }
  return out;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string lower = ToLower(word);
  std::size_t limit = std::max<std::size_t>(2, lower.size() / 4);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    std::size_t length_gap =
        candidate.size() > lower.size() ? candidate.size() - lower.size() : lower.size() - candidate.size();
    if (length_gap >= best_distance) continue;
    std::size_t d = EditDistance(lower, ToLower(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

namespace {

/// Line and column (1-based) of byte `offset` of `text`.
void LineColumn(std::string_view text, std::size_t offset, JsonTextError* error) {
  error->line = 1;
  error->column = 1;
  for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
    if (text[i] == '\n') {
      ++error->line;
      error->column = 1;
    } else {
      ++error->column;
    }
  }
}

/// nlohmann's text after its "[json.exception....] ... : " prefix.
std::string Detail(const std::string& what) {
  std::size_t detail = what.find(": ");
  return detail == std::string::npos ? "malformed input" : what.substr(detail + 2);
}

}  // namespace

bool ParsePolicyJson(std::string_view text, nlohmann::json* out, JsonTextError* error) {
  try {
    *out = json::parse(text);
    return true;
  } catch (const json::parse_error& e) {
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1,
    // column 2: syntax error while parsing value - invalid literal; ..."
    LineColumn(text, e.byte == 0 ? 0 : e.byte - 1, error);
    error->message = "invalid JSON: " + Detail(e.what());
    return false;
  } catch (const json::exception& e) {
    // A number too large for a double: "[json.exception.out_of_range.406] number
    // overflow parsing '1e999999'" (no position; the literal is found in the text).
    std::string what = e.what();
    std::size_t open = what.find('\''), close = what.rfind('\'');
    std::size_t at = open != std::string::npos && close > open ? text.find(what.substr(open + 1, close - open - 1))
                                                               : std::string_view::npos;
    LineColumn(text, at == std::string_view::npos ? 0 : at, error);
    std::string detail = what.substr(what.find(']') == std::string::npos ? 0 : what.find(']') + 2);
    error->message = "invalid JSON: " + detail;
    return false;
  }
}

std::vector<PolicyIssue> ValidatePolicy(const nlohmann::json& doc, const ActionCatalog& catalog) {
  return Validator(catalog).Run(doc);
}

}  // namespace gatehouse::iam
