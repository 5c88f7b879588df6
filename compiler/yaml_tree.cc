#include "compiler/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <set>
#include <sstream>

namespace gatehouse {

YamlNode::YamlNode() = default;
YamlNode::~YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;

const YamlNode* YamlNode::Find(const std::string& key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries)
    if (k.IsScalar() && k.value == key) return &v;
  return nullptr;
}

std::string YamlNode::Describe() const {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kSequence: return "a list";
    case Kind::kMap: return "a map";
    case Kind::kScalar: break;
  }
  return plain && !value.empty() && value.find_first_not_of("0123456789.-+") == std::string::npos ? "a number"
                                                                                                  : "a string";
}

size_t FindInvalidUtf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size(), i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return i;
    for (size_t k = 1; k < len; ++k)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    if (len == 2 && c < 0xC2) return i;                       // overlong
    if (len == 3 && c == 0xE0 && s[i + 1] < 0xA0) return i;   // overlong
    if (len == 3 && c == 0xED && s[i + 1] >= 0xA0) return i;  // surrogate
    if (len == 4 && (c > 0xF4 || (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) return i;
    i += len;
  }
  return std::string::npos;
}

namespace {

/// Thrown by the builder to stop the parse at a limit; carries the diagnostic.
struct BuildError {
  SourceSpan span;
  std::string message;
  std::string help;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  /// `line_offset` is added to every line: a piece of a file starts at its line.
  TreeBuilder(std::string file, const YamlLimits& limits, int line_offset = 0)
      : file_(std::move(file)), limits_(limits), line_offset_(line_offset) {}

  YamlNode TakeRoot() { return std::move(root_); }
  bool has_root() const { return has_root_; }
  /// Whether the text used an anchor or an alias (a piece that does cannot stand alone).
  bool saw_anchor() const { return saw_anchor_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode n;
    n.span = Span(mark);
    Count(1, mark);
    Finish(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    saw_anchor_ = true;
    if (open_anchors_.count(anchor))
      throw BuildError{Span(mark), "alias refers to the node that contains it",
                       "a YAML anchor cannot be used inside its own value"};
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw BuildError{Span(mark), "alias to an unknown anchor", ""};
    Count(it->second.second, mark);
    CountExpanded(it->second.second, mark);
    YamlNode copy = it->second.first;
    Finish(std::move(copy), 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    CheckTag(tag, mark);
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.value = value;
    n.plain = tag == "?";
    n.span = Span(mark);
    n.span.length = static_cast<int>(value.size()) + (n.plain ? 0 : 2);
    // A plain `~`, `null` or empty scalar is YAML's null.
    if (n.plain && (value == "~" || value == "null" || value == "Null" || value == "NULL" || value.empty()))
      n.kind = YamlNode::Kind::kNull;
    Count(1, mark);
    Finish(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    CheckTag(tag, mark);
    Open(YamlNode::Kind::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    CheckTag(tag, mark);
    Open(YamlNode::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    size_t nodes_at_start = 0;
    bool has_pending_key = false;
    YamlNode pending_key;
    std::map<std::string, SourceSpan> keys;  // scalar keys seen, for duplicates
  };

  SourceSpan Span(const YAML::Mark& m) const { return SourceSpan{file_, m.line + 1 + line_offset_, m.column + 1, 1}; }

  void CheckTag(const std::string& tag, const YAML::Mark& mark) {
    if (tag.empty() || tag == "?" || tag == "!") return;
    // The core schema's own tags are harmless; anything else (e.g. !!python/object)
    // asks a loader to construct objects, which Gatehouse refuses.
    static const std::set<std::string> kCore = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                                                "tag:yaml.org,2002:seq"};
    if (kCore.count(tag)) return;
    throw BuildError{Span(mark), "unsupported YAML tag '" + tag + "'",
                     "remove the tag; Gatehouse configs use plain YAML values only"};
  }

  /// Every node of the tree, written or copied by an alias: an anchor's size.
  void Count(size_t n, const YAML::Mark&) { total_nodes_ += n; }

  /// The nodes an alias copies: only these are bounded, so a large file
  /// without aliases (50,000 users) is not mistaken for an alias bomb.
  void CountExpanded(size_t n, const YAML::Mark& mark) {
    expanded_nodes_ += n;
    if (expanded_nodes_ > limits_.max_alias_nodes)
      throw BuildError{Span(mark),
                       "alias expansion exceeds the limit of " + std::to_string(limits_.max_alias_nodes) + " nodes",
                       "anchors and aliases that expand exponentially (\"billion laughs\") are refused"};
  }

  void Open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      throw BuildError{Span(mark), "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                       "a Gatehouse config never needs this depth; check the file's structure"};
    Count(1, mark);
    Frame f;
    f.node.kind = kind;
    f.node.span = Span(mark);
    f.anchor = anchor;
    f.nodes_at_start = total_nodes_;
    if (anchor) {
      open_anchors_.insert(anchor);
      saw_anchor_ = true;
    }
    stack_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor) {
      open_anchors_.erase(f.anchor);
      anchors_[f.anchor] = {f.node, total_nodes_ - f.nodes_at_start + 1};
    }
    Attach(std::move(f.node));
  }

  void Finish(YamlNode n, YAML::anchor_t anchor) {
    if (anchor) {
      anchors_[anchor] = {n, 1};
      saw_anchor_ = true;
    }
    Attach(std::move(n));
  }

  void Attach(YamlNode n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == YamlNode::Kind::kSequence) {
      top.node.items.push_back(std::move(n));
      return;
    }
    if (!top.has_pending_key) {
      top.pending_key = std::move(n);
      top.has_pending_key = true;
      return;
    }
    top.has_pending_key = false;
    const YamlNode& key = top.pending_key;
    if (key.IsScalar()) {
      auto [it, inserted] = top.keys.emplace(key.value, key.span);
      if (!inserted) {
        SourceSpan at = key.span;
        at.length = static_cast<int>(key.value.size());
        duplicates_.push_back({at, "duplicate key '" + key.value + "'",
                               "first defined at line " + std::to_string(it->second.line) +
                                   "; YAML keeps only one of them, so remove or merge the other"});
      }
    } else if (!key.IsNull()) {
      duplicates_.push_back({key.span, "map keys must be plain strings", ""});
    }
    top.node.entries.emplace_back(std::move(top.pending_key), std::move(n));
  }

 public:
  std::vector<BuildError> duplicates_;  ///< reported after a successful parse

 private:
  std::string file_;
  YamlLimits limits_;
  int line_offset_ = 0;
  bool saw_anchor_ = false;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::pair<YamlNode, size_t>> anchors_;
  std::set<YAML::anchor_t> open_anchors_;
  size_t total_nodes_ = 0;
  size_t expanded_nodes_ = 0;
  YamlNode root_;
  bool has_root_ = false;
};

// yaml-cpp messages start with "yaml-cpp: error at line ..."; keep the text only.
std::string CleanParserMessage(const std::string& msg) {
  std::string m = msg;
  auto pos = m.find("): ");
  if (m.rfind("yaml-cpp:", 0) == 0 && pos != std::string::npos) m = m.substr(pos + 3);
  if (m.empty()) m = "malformed YAML";
  return "invalid YAML: " + m;
}

/// Where an invalid UTF-8 byte is: line, and column in characters.
SourceSpan SpanOfByte(const std::string& file, const std::string& text, size_t byte) {
  int line = 1, col = 1;
  for (size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      ++col;
  }
  return SourceSpan{file, line, col, 1};
}

/// The line of the `---` that starts a second document, or 1 when not found.
int SecondDocumentLine(const std::string& text) {
  int line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string l = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (l.rfind("---", 0) == 0 && line > 1) return line;
    if (end == std::string::npos) break;
    pos = end + 1;
    ++line;
  }
  return 1;
}

void ReportParserError(const std::string& file, const std::string& text, const YAML::Exception& e, Diagnostics* diags) {
  SourceSpan at{file, e.mark.line >= 0 ? e.mark.line + 1 : 1, e.mark.column >= 0 ? e.mark.column + 1 : 1, 1};
  // yaml-cpp says "illegal block entry" for tabs; say what is really wrong.
  std::string line_text;
  std::istringstream lines(text);
  for (int i = 0; i < at.line && std::getline(lines, line_text); ++i) {
  }
  size_t first = line_text.find_first_not_of(' ');
  if (first != std::string::npos && line_text[first] == '\t') {
    diags->Error(SourceSpan{file, at.line, static_cast<int>(first) + 1, 1}, "tab character used for indentation",
                 "YAML indents with spaces only");
    return;
  }
  diags->Error(at, CleanParserMessage(e.msg), "");
}

}  // namespace

bool ParseYaml(const std::string& file, const std::string& raw, const YamlLimits& limits, YamlNode* out,
               Diagnostics* diags) {
  std::string text = raw;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  if (size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
    diags->Error(SpanOfByte(file, text, bad), "invalid UTF-8 in file", "save the file as UTF-8");
    return false;
  }
  *out = YamlNode{};
  out->span = SourceSpan{file, 1, 1, 1};
  std::istringstream in(text);
  TreeBuilder builder(file, limits);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) return true;  // empty file: empty config
    TreeBuilder second(file, limits);
    if (parser.HandleNextDocument(second)) {
      diags->Error(SourceSpan{file, SecondDocumentLine(text), 1, 3}, "file holds more than one YAML document",
                   "split the documents into separate files");
      return false;
    }
  } catch (const BuildError& e) {
    diags->Error(e.span, e.message, e.help);
    return false;
  } catch (const YAML::Exception& e) {
    ReportParserError(file, text, e, diags);
    return false;
  }
  for (const auto& d : builder.duplicates_) diags->Error(d.span, d.message, d.help);
  if (!builder.duplicates_.empty()) return false;
  if (builder.has_root()) *out = builder.TakeRoot();
  return true;
}

bool ParseYamlPiece(const std::string& file, const std::string& text, int line_offset, const YamlLimits& limits,
                    YamlNode* out) {
  std::istringstream in(text);
  TreeBuilder builder(file, limits, line_offset);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) return false;
    TreeBuilder second(file, limits);
    if (parser.HandleNextDocument(second)) return false;
  } catch (const BuildError&) {
    return false;
  } catch (const YAML::Exception&) {
    return false;
  }
  if (!builder.duplicates_.empty() || builder.saw_anchor() || !builder.has_root()) return false;
  *out = builder.TakeRoot();
  return out->IsMap();
}

}  // namespace gatehouse
