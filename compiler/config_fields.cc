#include "compiler/config_fields.h"

#include "compiler/text.h"

namespace gatehouse {

namespace {

constexpr size_t kMaxTags = 50;

}  // namespace

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

bool GetString(const YamlNode* n, const std::string& what, std::string* out, Diagnostics* d, bool required,
               const SourceSpan* parent) {
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
    if (v == "true") {
      *out = true;
      return true;
    }
    if (v == "false") {
      *out = false;
      return true;
    }
  }
  d->Error(n->span, what + " must be true or false", "");
  return false;
}

bool GetStringList(const YamlNode* n, const std::string& what, std::vector<Located<std::string>>* out, Diagnostics* d) {
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

void GetPlainStringList(const YamlNode* n, const std::string& what, std::vector<std::string>* out, Diagnostics* d) {
  std::vector<Located<std::string>> l;
  GetStringList(n, what, &l, d);
  for (auto& x : l) out->push_back(x.value);
}

void CheckLength(const YamlNode& n, const std::string& what, const std::string& v, size_t min, size_t max,
                 Diagnostics* d) {
  if (v.size() < min)
    d->Error(n.span, what + " must not be empty", "");
  else if (v.size() > max)
    d->Error(n.span, what + " is " + std::to_string(v.size()) + " characters long; the limit is " + std::to_string(max),
             "shorten it");
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
      d->Error(KeySpanOf(k), "tag key is " + std::to_string(k.value.size()) + " characters long; the limit is 128", "");
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
      d->Error(v.span, "tag value is " + std::to_string(value.size()) + " characters long; the limit is 256", "");
    (*out)[k.value] = value;
  }
  return true;
}

}  // namespace gatehouse
