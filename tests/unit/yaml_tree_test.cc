// Tests for the YAML front end (compiler/yaml_tree.h): what yaml-cpp's
// YAML::Node would hide or get wrong must be reported here.

#include <catch2/catch.hpp>

#include <string>

#include "compiler/yaml_tree.h"

using namespace gatehouse;

namespace {

struct Parsed {
  bool ok = false;
  YamlNode root;
  Diagnostics diags;
};

Parsed Parse(const std::string& text, YamlLimits limits = {}) {
  Parsed p;
  p.ok = ParseYaml("f.yaml", text, limits, &p.root, &p.diags);
  return p;
}

/// The single error of a failed parse.
const Diagnostic& OnlyError(const Parsed& p) {
  REQUIRE_FALSE(p.ok);
  REQUIRE(p.diags.ErrorCount() == 1);
  return p.diags.items().front();
}

}  // namespace

TEST_CASE("yaml: a map with scalars, lists and nesting keeps order and spans", "[yaml]") {
  Parsed p = Parse("a: 1\nb:\n  - x\n  - y\nc:\n  d: e\n");
  REQUIRE(p.ok);
  REQUIRE(p.root.IsMap());
  REQUIRE(p.root.entries.size() == 3);
  CHECK(p.root.entries[0].first.value == "a");
  CHECK(p.root.entries[1].first.value == "b");
  CHECK(p.root.entries[2].first.value == "c");
  const YamlNode* b = p.root.Find("b");
  REQUIRE(b);
  REQUIRE(b->IsSequence());
  REQUIRE(b->items.size() == 2);
  CHECK(b->items[1].value == "y");
  CHECK(b->items[1].span.line == 4);
  CHECK(b->items[1].span.column == 5);
  const YamlNode* d = p.root.Find("c")->Find("d");
  REQUIRE(d);
  CHECK(d->value == "e");
  CHECK(d->span.line == 6);
  CHECK(p.root.Find("missing") == nullptr);
}

TEST_CASE("yaml: duplicate keys are errors naming the second occurrence's line", "[yaml]") {
  Parsed p = Parse("name: a\nother: 1\nname: b\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message == "duplicate key 'name'");
  CHECK(d.span.file == "f.yaml");
  CHECK(d.span.line == 3);
  CHECK(d.span.column == 1);
  CHECK(d.help.find("first defined at line 1") != std::string::npos);
}

TEST_CASE("yaml: duplicate keys in a nested map and every duplicate reported", "[yaml]") {
  Parsed p = Parse("users:\n  - user_name: a\n    email: x@y.z\n    email: w@y.z\ngroups: []\ngroups: []\n");
  REQUIRE_FALSE(p.ok);
  REQUIRE(p.diags.ErrorCount() == 2);
  CHECK(p.diags.items()[0].message == "duplicate key 'email'");
  CHECK(p.diags.items()[0].span.line == 4);
  CHECK(p.diags.items()[0].span.column == 5);
  CHECK(p.diags.items()[1].message == "duplicate key 'groups'");
  CHECK(p.diags.items()[1].span.line == 6);
}

TEST_CASE("yaml: the same key in sibling maps is not a duplicate", "[yaml]") {
  Parsed p = Parse("- name: a\n- name: b\n");
  CHECK(p.ok);
  CHECK(p.diags.items().empty());
}

TEST_CASE("yaml: plain and quoted scalars are told apart", "[yaml]") {
  Parsed p = Parse("plain: 012345678901\nsingle: '012345678901'\ndouble: \"012345678901\"\nword: hello\n");
  REQUIRE(p.ok);
  CHECK(p.root.Find("plain")->plain);
  CHECK(p.root.Find("plain")->value == "012345678901");  // text kept, leading zero not lost
  CHECK(p.root.Find("plain")->Describe() == "a number");
  CHECK_FALSE(p.root.Find("single")->plain);
  CHECK_FALSE(p.root.Find("double")->plain);
  CHECK(p.root.Find("double")->Describe() == "a string");
  CHECK(p.root.Find("word")->plain);
  CHECK(p.root.Find("word")->Describe() == "a string");
}

TEST_CASE("yaml: plain null spellings are null, quoted ones are strings", "[yaml]") {
  Parsed p = Parse("a: ~\nb: null\nc:\nd: 'null'\ne: \"\"\n");
  REQUIRE(p.ok);
  CHECK(p.root.Find("a")->IsNull());
  CHECK(p.root.Find("b")->IsNull());
  CHECK(p.root.Find("c")->IsNull());
  REQUIRE(p.root.Find("d")->IsScalar());
  CHECK(p.root.Find("d")->value == "null");
  REQUIRE(p.root.Find("e")->IsScalar());
  CHECK(p.root.Find("e")->value.empty());
}

TEST_CASE("yaml: ordinary anchors and aliases expand", "[yaml]") {
  Parsed p = Parse("base: &b {x: 1, y: [a, b]}\ncopy: *b\n");
  REQUIRE(p.ok);
  const YamlNode* c = p.root.Find("copy");
  REQUIRE(c);
  REQUIRE(c->IsMap());
  CHECK(c->Find("x")->value == "1");
  REQUIRE(c->Find("y")->IsSequence());
  CHECK(c->Find("y")->items.size() == 2);
}

TEST_CASE("yaml: alias expansion is bounded (billion laughs)", "[yaml]") {
  std::string bomb =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
      "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
      "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
      "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
  Parsed p = Parse(bomb);
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message == "alias expansion exceeds the limit of 200000 nodes");
  CHECK(d.span.line >= 5);  // found while expanding, not at the first line
}

TEST_CASE("yaml: the expansion bound counts aliases of containers by their size", "[yaml]") {
  // 3 levels of 10x: 10 + 100 + 1000 scalars plus the containers; under a limit
  // of 2000 it passes, under 1000 it fails.
  std::string text =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
  YamlLimits big;
  big.max_nodes = 2000;
  CHECK(Parse(text, big).ok);
  YamlLimits small;
  small.max_nodes = 1000;
  Parsed p = Parse(text, small);
  CHECK(OnlyError(p).message == "alias expansion exceeds the limit of 1000 nodes");
}

TEST_CASE("yaml: an alias inside its own anchor is an error", "[yaml]") {
  Parsed p = Parse("a: &x\n  b: *x\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message == "alias refers to the node that contains it");
  CHECK(d.span.line == 2);
}

TEST_CASE("yaml: an alias to an unknown anchor is an error, not a crash", "[yaml]") {
  Parsed p = Parse("a: *nope\n");
  REQUIRE_FALSE(p.ok);
  CHECK(p.diags.ErrorCount() >= 1);
}

TEST_CASE("yaml: nesting deeper than the limit is refused", "[yaml]") {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  Parsed p = Parse(deep);
  CHECK(OnlyError(p).message == "nesting deeper than 64 levels");

  YamlLimits l;
  l.max_depth = 3;
  CHECK(Parse("a: {b: {c: 1}}\n", l).ok);
  Parsed q = Parse("a: {b: {c: {d: 1}}}\n", l);
  CHECK(OnlyError(q).message == "nesting deeper than 3 levels");
}

TEST_CASE("yaml: very deep nesting does not crash", "[yaml]") {
  std::string deep(100000, '[');
  Parsed p = Parse(deep);
  CHECK_FALSE(p.ok);
  CHECK(p.diags.HasErrors());
}

TEST_CASE("yaml: language tags are refused, core string tag is harmless", "[yaml]") {
  Parsed p = Parse("a: !!python/object:os.system ls\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message.find("unsupported YAML tag") == 0);
  CHECK(d.message.find("python/object") != std::string::npos);
  CHECK(d.span.line == 1);

  Parsed custom = Parse("a: !custom {b: 1}\n");
  CHECK(OnlyError(custom).message.find("unsupported YAML tag") == 0);

  Parsed s = Parse("a: !!str 123\n");
  REQUIRE(s.ok);
  CHECK(s.root.Find("a")->value == "123");
}

TEST_CASE("yaml: invalid UTF-8 is an error at its line and column", "[yaml]") {
  Parsed p = Parse("a: ok\nb: x\xff\xfey\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message == "invalid UTF-8 in file");
  CHECK(d.span.line == 2);
  CHECK(d.span.column == 5);
}

TEST_CASE("yaml: FindInvalidUtf8 accepts valid text and flags overlongs and surrogates", "[yaml]") {
  CHECK(FindInvalidUtf8("plain ascii") == std::string::npos);
  CHECK(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == std::string::npos);
  CHECK(FindInvalidUtf8("ab\xc0\xaf") == 2);        // overlong '/'
  CHECK(FindInvalidUtf8("\xed\xa0\x80") == 0);      // UTF-16 surrogate
  CHECK(FindInvalidUtf8("x\xe2\x82") == 1);         // truncated
  CHECK(FindInvalidUtf8("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
}

TEST_CASE("yaml: a BOM and CRLF line endings are fine", "[yaml]") {
  Parsed p = Parse("\xEF\xBB\xBFusers:\r\n  - user_name: alice\r\n");
  REQUIRE(p.ok);
  const YamlNode* users = p.root.Find("users");
  REQUIRE(users);
  REQUIRE(users->items.size() == 1);
  CHECK(users->items[0].Find("user_name")->value == "alice");
}

TEST_CASE("yaml: a second document is an error at its separator", "[yaml]") {
  Parsed p = Parse("a: 1\n---\nb: 2\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message == "file holds more than one YAML document");
  CHECK(d.span.line == 2);
}

TEST_CASE("yaml: an empty or comment-only file is null", "[yaml]") {
  for (const char* text : {"", "# just a comment\n", "\n\n   \n", "---\n"}) {
    INFO("text: " << text);
    Parsed p = Parse(text);
    REQUIRE(p.ok);
    CHECK(p.root.IsNull());
    CHECK(p.diags.items().empty());
  }
}

TEST_CASE("yaml: malformed YAML reports a position, tabs are named", "[yaml]") {
  Parsed p = Parse("a: [1, 2\n");
  const Diagnostic& d = OnlyError(p);
  CHECK(d.message.rfind("invalid YAML: ", 0) == 0);
  CHECK(d.span.line >= 1);

  Parsed t = Parse("a:\n\t- x\n");
  const Diagnostic& dt = OnlyError(t);
  CHECK(dt.message == "tab character used for indentation");
  CHECK(dt.span.line == 2);
}

TEST_CASE("yaml: non-scalar map keys are errors", "[yaml]") {
  Parsed p = Parse("? [a, b]\n: c\n");
  CHECK(OnlyError(p).message == "map keys must be plain strings");
}
