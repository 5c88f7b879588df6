// SourceFiles::Line: the source line a diagnostic shows, from an index of line
// starts built on first use (a lint run asks for tens of thousands of lines).
#include <catch2/catch.hpp>

#include <string>

#include "compiler/diagnostics.h"

using gatehouse::SourceFiles;

TEST_CASE("SourceFiles::Line returns each line without its ending", "[diagnostics]") {
  SourceFiles s;
  s.Add("a.yaml", "\xEF\xBB\xBFone\r\ntwo\n\nfour");
  CHECK(s.Line("a.yaml", 1) == "one");  // BOM and CR dropped
  CHECK(s.Line("a.yaml", 2) == "two");
  CHECK(s.Line("a.yaml", 3).empty());
  CHECK(s.Line("a.yaml", 4) == "four");
  CHECK(s.Line("a.yaml", 5).empty());  // past the end
  CHECK(s.Line("a.yaml", 0).empty());
  CHECK(s.Line("b.yaml", 1).empty());  // unknown file
}

TEST_CASE("SourceFiles::Line sees a file added again, and copies keep their text", "[diagnostics]") {
  SourceFiles s;
  s.Add("a.yaml", "x\ny\n");
  CHECK(s.Line("a.yaml", 2) == "y");  // indexes the first text
  s.Add("a.yaml", "p\nq\nr\n");
  CHECK(s.Line("a.yaml", 3) == "r");  // not the stale index of the first
  SourceFiles copy = s;
  SourceFiles moved = std::move(s);
  CHECK(copy.Line("a.yaml", 2) == "q");
  CHECK(moved.Line("a.yaml", 1) == "p");
  copy = moved;
  CHECK(copy.Line("a.yaml", 3) == "r");
}

TEST_CASE("SourceFiles::Line on a large file gives the right line at the end", "[diagnostics]") {
  std::string text;
  for (int i = 1; i <= 100000; ++i) text += "line " + std::to_string(i) + "\n";
  SourceFiles s;
  s.Add("big.yaml", text);
  CHECK(s.Line("big.yaml", 99999) == "line 99999");
  CHECK(s.Line("big.yaml", 100000) == "line 100000");
  CHECK(s.Line("big.yaml", 100001).empty());
  CHECK(s.Line("big.yaml", 1) == "line 1");
}
