// Parsing large YAML files in pieces (compiler/yaml_split.cc): whatever the
// cut, the tree and the diagnostics must be exactly ParseYaml's of the whole file.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/yaml_tree.h"

using namespace gatehouse;

namespace {

std::string Messages(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.items())
    out +=
        x.span.file + ":" + std::to_string(x.span.line) + ":" + std::to_string(x.span.column) + " " + x.message + "\n";
  return out;
}

/// ParseYamlFiles of `text` with pieces of every size from 1 byte up agrees with
/// ParseYaml; returns how many of those sizes actually cut the file.
int CheckAllCuts(const std::string& text) {
  YamlNode whole;
  Diagnostics whole_diags;
  bool ok = ParseYaml("f.yaml", text, YamlLimits{}, &whole, &whole_diags);
  const std::string name = "f.yaml";
  int cut = 0;
  for (size_t piece = 1; piece <= text.size(); ++piece) {
    INFO("piece bytes " << piece << " of: " << text);
    auto parsed = ParseYamlFiles({{&name, &text}}, YamlLimits{}, piece);
    REQUIRE(parsed.size() == 1);
    CHECK(parsed[0].ok == ok);
    CHECK(Messages(parsed[0].diags) == Messages(whole_diags));
    CHECK(SameYaml(parsed[0].root, whole));
    std::string no_bom = text.rfind("\xEF\xBB\xBF", 0) == 0 ? text.substr(3) : text;
    if (SplitYaml(no_bom, piece).size() > 1) ++cut;
  }
  return cut;
}

}  // namespace

TEST_CASE("yaml pieces: lists under several top-level keys join into the whole file's tree", "[yaml][split]") {
  std::string text =
      "# users\n"
      "users:\n"
      "  - {user_name: a, email: a@x}\n"
      "  - user_name: b\n"
      "    email: \"b@x\"\n"
      "\n"
      "  # a comment between items\n"
      "  - user_name: c\n"
      "    description: |\n"
      "      - not an item\n"
      "      also text\n"
      "  - 'd'\n"
      "version: 1\n"
      "groups:\n"
      "- name: g1\n"
      "  members: [a, b]\n"
      "- name: g2\n"
      "  members:\n"
      "    - c\n"
      "    - d\n"
      "- name: g3\n"
      "settings:\n"
      "  guards: {max_deletes: 5}\n";
  CHECK(CheckAllCuts(text) > 0);
}

TEST_CASE("yaml pieces: CRLF, a BOM and a last item without a newline", "[yaml][split]") {
  std::string text = "\xEF\xBB\xBFusers:\r\n  - a\r\n  - b\r\n  - c\r\n  - d";
  CHECK(CheckAllCuts(text) > 0);
}

TEST_CASE("yaml pieces: a cut inside a multi-line quoted scalar falls back to the whole file", "[yaml][split]") {
  std::string text =
      "users:\n"
      "  - name: \"first line\n"
      "  - not an item\"\n"
      "  - name: 'single\n"
      "  - quoted'\n"
      "  - plain\n";
  CHECK(CheckAllCuts(text) > 0);
}

TEST_CASE("yaml pieces: anchors, aliases and errors give ParseYaml's result and messages", "[yaml][split]") {
  CheckAllCuts("defaults: &d\n  x: 1\nusers:\n  - *d\n  - *d\n  - y\n");
  CheckAllCuts("users:\n  - &a one\n  - two\n  - *a\n");
  CheckAllCuts("users:\n  - a\n  - b\n  - !!python/object x\n  - c\n");      // a tag, in a later piece
  CheckAllCuts("users:\n  - {a: 1, a: 2}\n  - b\n  - c\n");                  // a duplicate key
  CheckAllCuts("users:\n  - a\n  - b: [1, 2\n  - c\n");                      // malformed
  CheckAllCuts("users:\n  - a\n\t- b\n  - c\n");                             // a tab
  CheckAllCuts("users:\n  - a\n  - b\nusers:\n  - c\n");                     // a duplicate top-level key
  CheckAllCuts("users:\n  - a\n  - b\n---\nusers:\n  - c\n");                // two documents
  CheckAllCuts("- a\n- b\n- c\n- d\n");                                      // a list at the top
  CheckAllCuts("\"users\":\n  - a\n  - b\n  - c\n");                         // a quoted key
  CheckAllCuts("users:\n  - a\n  - b\n  - \xff\n");                          // invalid UTF-8
  CheckAllCuts("users:\n    - a\n    - b\n  - c\n  - d\n");                  // an item out of line
  CheckAllCuts("users: [a,\n  b]\ngroups:\n  - a\n  - b\n  - c\n");          // a flow list
  CheckAllCuts("users:\n  -\n  - b\n  -   c\n  - - d\n    - e\n  - f\n");    // empty and nested items
  CheckAllCuts("notes: |\n  - x\n  - y\nusers:\n  - a\n  - b\n");            // a block scalar at the top
  CheckAllCuts("users:\n  - [a,\n  - b]\n  - c\n  - {d: 1,\n  - e: 2}\n");   // flow collections across lines
  CheckAllCuts("a: \"x\nusers:\n  - b\n  - c\"\nd: 1\n");                    // a key line inside a quoted scalar
  CheckAllCuts("users:\n  - a\n  - b\n__gatehouse_piece_end__: 1\n");        // the piece end marker itself
  CheckAllCuts("users:\n  - a:\n  - b: # c\n  - c: |\n  - d: >-\n  - e\n");  // empty values before a cut
}

// Found by review: tabs are whitespace to YAML, so a line of spaces and a tab is
// blank and `a:<tab>` ends in an empty value, whose null takes the next token's place.
TEST_CASE("yaml pieces: tabs in blank lines and after an empty value", "[yaml][split]") {
  CheckAllCuts("users:\n  - a:\t\n  - b\n  - c\n");
  CheckAllCuts("users:\n  - a:\n   \t\n  - b\n  - c\n");
  CheckAllCuts("users:\n  - a:\n  \t  \n  - b\n");
  CheckAllCuts("users:\n  -\n   \t\n  - b\n  - c\n");
  CheckAllCuts("users:\n  - ? a\n    :\t\n  - b\n  - c\n");
  CheckAllCuts("users:\n  - x: 1\n    a:\t\n  - b\n  - c\n");
  CheckAllCuts("x: 1\nusers:\n  - a:   \t \n  - b\n  - c\n");
  CheckAllCuts("users:\t\n  - a\n  - b\n  - c\n");
  CheckAllCuts("users:\n  - a\n\t# a comment after a tab\n  - b\n  - c\n");
}

TEST_CASE("yaml pieces: a large file is cut, and each piece's lines are the file's", "[yaml][split]") {
  std::string text = "users:\n";
  for (int i = 0; i < 2000; ++i) text += "  - user_name: u" + std::to_string(i) + "\n    email: 'u@x'\n";
  text += "groups:\n";
  for (int i = 0; i < 500; ++i) text += "  - {name: g" + std::to_string(i) + ", members: [u1]}\n";
  auto pieces = SplitYaml(text, 4096);
  REQUIRE(pieces.size() > 10);
  const std::string name = "big.yaml";
  auto parsed = ParseYamlFiles({{&name, &text}}, YamlLimits{}, 4096);
  YamlNode whole;
  Diagnostics d;
  REQUIRE(ParseYaml("big.yaml", text, YamlLimits{}, &whole, &d));
  REQUIRE(parsed[0].ok);
  CHECK(SameYaml(parsed[0].root, whole));
  const YamlNode* groups = parsed[0].root.Find("groups");
  REQUIRE(groups);
  REQUIRE(groups->items.size() == 500);
  CHECK(groups->items[499].span.line == 4502);  // users: + 4,000 user lines + groups: + 499
}
