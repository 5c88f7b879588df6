#!/bin/sh
# The broken and valid config corpus (tests/corpus): every broken config gives
# exit 1 at the right file:line, every valid one compiles to the expected assignments.
set -eu
exec "$GATEHOUSE_SOURCE_DIR/tests/corpus/run.sh" "$1"
