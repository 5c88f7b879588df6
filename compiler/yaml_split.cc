// Parsing a large YAML file on several cores: cut it at the items of its
// top-level lists, parse the pieces on their own, join the trees. yaml-cpp parses
// one stream on one thread, and a config's users.yaml (as `gatehouse import`
// writes it) is most of a large config.
#include <algorithm>
#include <set>
#include <string_view>

#include "compiler/parallel.h"
#include "compiler/yaml_tree.h"

namespace gatehouse {

namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/// A top-level line `key:` (value on the next lines) or `key: value`.
enum class TopLine { kBlockKey, kInlineKey, kOther };

TopLine ClassifyTopLine(std::string_view line, std::string* key) {
  size_t n = 0;
  if (line.empty() || !((line[0] >= 'a' && line[0] <= 'z') || (line[0] >= 'A' && line[0] <= 'Z') || line[0] == '_'))
    return TopLine::kOther;
  while (n < line.size() && IsKeyChar(line[n])) ++n;
  if (n == line.size() || line[n] != ':') return TopLine::kOther;
  *key = std::string(line.substr(0, n));
  std::string_view rest = line.substr(n + 1);
  if (rest.empty()) return TopLine::kBlockKey;
  if (rest[0] != ' ') return TopLine::kOther;  // `key:value` is not a key
  size_t v = rest.find_first_not_of(" \t");
  return v == std::string_view::npos || rest[v] == '#' ? TopLine::kBlockKey : TopLine::kInlineKey;
}

/// `- item` or a lone `-` at `indent`.
bool IsItemAt(std::string_view line, size_t indent) {
  return line.size() > indent && line[indent] == '-' && (line.size() == indent + 1 || line[indent + 1] == ' ');
}

/// The scan of SplitYaml: top-level keys, and the item lines of their block lists.
class Splitter {
 public:
  explicit Splitter(size_t piece_bytes) : piece_bytes_(piece_bytes) {}

  /// False when the file is not of the simple shape (then it is not cut).
  bool Line(std::string_view line, size_t offset, int line_no) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // YAML's blank and comment lines may hold tabs; its indentation is spaces only.
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') return true;  // blank or comment
    size_t indent = line.find_first_not_of(' ');
    const bool after_empty = prev_may_end_empty_;
    prev_may_end_empty_ = MayEndEmpty(line);
    if (indent == 0 && !IsItemAt(line, 0)) return TopLevel(line);
    if (list_key_.empty()) return true;
    if (list_indent_ < 0) {  // the first line of the key's value
      if (IsItemAt(line, indent))
        list_indent_ = static_cast<int>(indent);
      else
        list_key_.clear();  // a map or a scalar: nothing to cut
      return true;
    }
    if (static_cast<int>(indent) == list_indent_ && IsItemAt(line, indent)) {
      if (offset - last_cut_ >= piece_bytes_ && !after_empty) {
        cuts_.push_back({offset, 0, line_no, list_key_});
        last_cut_ = offset;
      }
    } else if (static_cast<int>(indent) < list_indent_) {
      list_key_.clear();
    }
    return true;
  }

  std::vector<YamlPiece> Pieces(size_t size) {
    if (cuts_.empty()) return {};
    std::vector<YamlPiece> out;
    out.push_back({0, cuts_[0].begin, 1, ""});
    for (size_t i = 0; i < cuts_.size(); ++i) {
      out.push_back(cuts_[i]);
      out.back().end = i + 1 < cuts_.size() ? cuts_[i + 1].begin : size;
    }
    return out;
  }

 private:
  bool TopLevel(std::string_view line) {
    if (line.rfind("---", 0) == 0 || line.rfind("...", 0) == 0) return false;  // documents
    std::string key;
    TopLine kind = ClassifyTopLine(line, &key);
    if (kind == TopLine::kOther || !keys_.insert(key).second) return false;  // odd, or a duplicate key
    list_key_ = kind == TopLine::kBlockKey ? key : "";
    list_indent_ = -1;
    return true;
  }

  /// Whether a line may end with an empty value (`key:`, `-`, `|`, or a comment,
  /// conservatively): YAML places such a null at the next token, so a cut there
  /// would move it. No cut follows such a line.
  static bool MayEndEmpty(std::string_view line) {
    if (line.find('#') != std::string_view::npos) return true;
    size_t last = line.find_last_not_of(" \t");
    return last == std::string_view::npos || std::string_view(":-|>+?").find(line[last]) != std::string_view::npos;
  }

  size_t piece_bytes_;
  size_t last_cut_ = 0;
  bool prev_may_end_empty_ = false;
  std::set<std::string> keys_;
  std::string list_key_;  ///< the top-level key whose list is being read ("" when none)
  int list_indent_ = -1;  ///< its items' indent, -1 before the first
  std::vector<YamlPiece> cuts_;
};

/// Appends piece `p` (a map whose first entry continues the list that `whole`
/// ends with) to `whole`; false when it does not fit.
bool Join(YamlNode* whole, YamlNode p, const std::string& key) {
  if (whole->entries.empty() || p.entries.empty()) return false;
  auto& [last_key, list] = whole->entries.back();
  auto& [first_key, more] = p.entries.front();
  if (last_key.value != key || first_key.value != key || !list.IsSequence() || !more.IsSequence()) return false;
  list.items.insert(list.items.end(), std::make_move_iterator(more.items.begin()),
                    std::make_move_iterator(more.items.end()));
  whole->entries.insert(whole->entries.end(), std::make_move_iterator(p.entries.begin() + 1),
                        std::make_move_iterator(p.entries.end()));
  return true;
}

/// One file's text as ParseYaml reads it (no BOM), and its pieces when it is cut.
struct Prepared {
  std::string stripped;  ///< set only when the file starts with a BOM
  const std::string* text = nullptr;
  std::vector<YamlPiece> pieces;
  std::vector<YamlNode> trees;
  std::vector<char> clean;
};

void Prepare(const YamlSource& f, size_t piece_bytes, Prepared* p) {
  p->text = f.text;
  if (f.text->rfind("\xEF\xBB\xBF", 0) == 0) {
    p->stripped = f.text->substr(3);
    p->text = &p->stripped;
  }
  if (p->text->size() < 2 * piece_bytes || FindInvalidUtf8(*p->text) != std::string::npos) return;
  p->pieces = SplitYaml(*p->text, piece_bytes);
  p->trees.resize(p->pieces.size());
  p->clean.assign(p->pieces.size(), 0);
}

// Appended to every piece but the last as a top-level key. The cuts are made
// from a line scan that does not know YAML's quoting: when a piece ends inside a
// multi-line quoted scalar or flow collection (which yaml-cpp may accept at the
// end of its input), this line is swallowed by it and the piece is not clean.
// Found as the piece's last key, it shows the piece ended in block context, so
// the next one may start at its cut.
constexpr const char* kPieceEnd = "__gatehouse_piece_end__";

void ParsePiece(const YamlSource& f, const YamlLimits& limits, Prepared* p, size_t i) {
  const YamlPiece& piece = p->pieces[i];
  const bool last = i + 1 == p->pieces.size();
  std::string text = piece.key.empty() ? std::string() : piece.key + ":\n";
  text.append(*p->text, piece.begin, piece.end - piece.begin);
  if (!last) text += std::string(kPieceEnd) + ": 1\n";
  int offset = piece.key.empty() ? 0 : piece.first_line - 2;  // the key on the line before the piece
  YamlNode& tree = p->trees[i];
  bool clean = ParseYamlPiece(*f.name, text, offset, limits, &tree);
  if (clean && !last) {
    auto& e = tree.entries;
    clean = !e.empty() && e.back().first.plain && e.back().first.value == kPieceEnd && e.back().second.IsScalar() &&
            e.back().second.value == "1";
    if (clean) e.pop_back();
  }
  p->clean[i] = clean;
}

/// The joined tree of a cut file, or false when a piece did not parse cleanly.
bool JoinPieces(Prepared* p, YamlNode* out) {
  for (char c : p->clean)
    if (!c) return false;
  YamlNode whole = std::move(p->trees[0]);
  for (size_t i = 1; i < p->trees.size(); ++i)
    if (!Join(&whole, std::move(p->trees[i]), p->pieces[i].key)) return false;
  *out = std::move(whole);
  return true;
}

}  // namespace

bool SameYaml(const YamlNode& a, const YamlNode& b) {
  auto same_span = [](const SourceSpan& x, const SourceSpan& y) {
    return x.file == y.file && x.line == y.line && x.column == y.column && x.length == y.length;
  };
  if (a.kind != b.kind || a.value != b.value || a.plain != b.plain || !same_span(a.span, b.span) ||
      a.items.size() != b.items.size() || a.entries.size() != b.entries.size())
    return false;
  for (size_t i = 0; i < a.items.size(); ++i)
    if (!SameYaml(a.items[i], b.items[i])) return false;
  for (size_t i = 0; i < a.entries.size(); ++i)
    if (!SameYaml(a.entries[i].first, b.entries[i].first) || !SameYaml(a.entries[i].second, b.entries[i].second))
      return false;
  return true;
}

std::vector<YamlPiece> SplitYaml(const std::string& text, size_t piece_bytes) {
  if (piece_bytes == 0 || text.size() < 2 * piece_bytes) return {};
  Splitter splitter(piece_bytes);
  size_t pos = 0;
  for (int line_no = 1; pos < text.size(); ++line_no) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (!splitter.Line(std::string_view(text).substr(pos, end - pos), pos, line_no)) return {};
    pos = end + 1;
  }
  return splitter.Pieces(text.size());
}

std::vector<YamlParse> ParseYamlFiles(const std::vector<YamlSource>& files, const YamlLimits& limits,
                                      size_t piece_bytes) {
  std::vector<Prepared> prepared(files.size());
  ParallelFor(files.size(), [&](size_t i) { Prepare(files[i], piece_bytes, &prepared[i]); });
  // Work: every piece of a cut file, every other file whole; largest first.
  struct Work {
    size_t file, piece, bytes;
  };
  std::vector<Work> work;
  for (size_t f = 0; f < files.size(); ++f) {
    for (size_t i = 0; i < prepared[f].pieces.size(); ++i)
      work.push_back({f, i, prepared[f].pieces[i].end - prepared[f].pieces[i].begin});
    if (prepared[f].pieces.empty()) work.push_back({f, SIZE_MAX, files[f].text->size()});
  }
  std::stable_sort(work.begin(), work.end(), [](const Work& a, const Work& b) { return a.bytes > b.bytes; });
  std::vector<YamlParse> out(files.size());
  auto whole = [&](size_t f) {
    out[f].ok = ParseYaml(*files[f].name, *files[f].text, limits, &out[f].root, &out[f].diags);
  };
  ParallelFor(work.size(), [&](size_t w) {
    if (work[w].piece == SIZE_MAX)
      whole(work[w].file);
    else
      ParsePiece(files[work[w].file], limits, &prepared[work[w].file], work[w].piece);
  });
  std::vector<size_t> again;  // cut files a piece of which did not parse cleanly
  for (size_t f = 0; f < files.size(); ++f) {
    if (prepared[f].pieces.empty()) continue;
    if (JoinPieces(&prepared[f], &out[f].root))
      out[f].ok = true;
    else
      again.push_back(f);
    prepared[f] = Prepared{};
  }
  ParallelFor(again.size(), [&](size_t i) { whole(again[i]); });
  return out;
}

}  // namespace gatehouse
