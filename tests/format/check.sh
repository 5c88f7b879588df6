#!/bin/sh
# The format check of `make test`: every C++ file we own is as .clang-format says.
# Prints the files that differ and how to fix them; exits 1 if any does.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fmt=${CLANG_FORMAT:-clang-format}
command -v "$fmt" >/dev/null || { echo "format: $fmt is not installed (make deps-test installs it)" >&2; exit 1; }
files=$(find bench cli compiler fuzz operations runtime tests views -name '*.cc' -o -name '*.h' | grep -v node_modules | sort)
bad=""
for f in $files; do
  "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "format: these files are not formatted as .clang-format says:" >&2
  for f in $bad; do echo "  $f" >&2; done
  echo "fix: clang-format -i$bad" >&2
  exit 1
fi
echo "format: $(echo "$files" | wc -l) files formatted"
