# Gatehouse — the two commands:
#   make demo   install what is missing, build, plan + apply an example on the local directory
#   make test   install what is missing, build, run every test
# `make` alone installs what is missing and builds build/gatehouse.

BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
# Debian packages the build and the tests need.
DEB_BUILD  := g++ cmake make pkg-config libyaml-cpp-dev libboost-graph-dev libcurl4-openssl-dev \
              nlohmann-json3-dev libcli11-dev catch2 \
              libsimdjson-dev libdeflate-dev libmimalloc-dev
DEB_TEST   := clang-format python3 python3-botocore python3-jsonschema python3-yaml awscli chromium ca-certificates util-linux
# Only `make fuzz` needs these: Debian's clang and its libFuzzer runtime.
DEB_FUZZ   := clang libfuzzer-14-dev

# `make test-asan`: a separate build with AddressSanitizer + UndefinedBehaviorSanitizer;
# any report (including a leak) fails the test that triggered it. GCC 12's
# -Wmaybe-uninitialized gives false positives under -fsanitize (std::variant in
# the IAM code), so it stays a warning there.
ASAN_BUILD ?= build-asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
              -Wno-error=maybe-uninitialized
# Reports go to files in ASAN_LOGS as well as failing the process, so a report from
# a process whose exit code or stderr a test does not look at still fails the run.
ASAN_LOGS   = $(abspath $(ASAN_BUILD))/sanitizer-reports
ASAN_ENV    = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$(ASAN_LOGS)/asan \
              UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(ASAN_LOGS)/ubsan
# `make fuzz`: libFuzzer targets (fuzz/) in their own clang build; FUZZ_SECONDS per target.
FUZZ_BUILD   ?= build-fuzz
# The sanitizer and fuzz builds recompile everything: use ccache when there is one.
CCACHE     := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
FUZZ_SECONDS ?= 60

.PHONY: all deps deps-test deps-fuzz build test test-asan fuzz demo install clean update-iam-data bench

all: build

deps:
	@tools/ensure-debian-packages $(DEB_BUILD)

deps-fuzz:
	@tools/ensure-debian-packages $(DEB_BUILD) $(DEB_FUZZ)

deps-test:
	@tools/ensure-debian-packages $(DEB_BUILD) $(DEB_TEST)
	@tools/ensure-npm-packages

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: deps-test $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole ctest suite under ASan+UBSan (docs/reliability.md). Sanitized code is
# slower, so test timeouts are scaled up.
# -O1 -g1 (line tables): what ASan recommends, and half the compile time of
# RelWithDebInfo's -O2 -g under the sanitizers (compiler/check.cc: 10.8 s vs 23.1 s).
ASAN_OPT   := -O1 -g1 -DNDEBUG
test-asan: deps-test
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CCACHE) \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(ASAN_OPT)" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(ASAN_OPT)" \
	  -DCMAKE_CXX_FLAGS="$(ASAN_FLAGS)" -DCMAKE_C_FLAGS="$(ASAN_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DGH_TEST_TIMEOUT_SCALE=4 -DGH_MIMALLOC=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	rm -rf $(ASAN_LOGS) && mkdir -p $(ASAN_LOGS)
	cd $(ASAN_BUILD) && $(ASAN_ENV) ctest --output-on-failure -j $(JOBS) --timeout 1800; rc=$$?; \
	  if [ -n "$$(ls -A $(ASAN_LOGS))" ]; then \
	    echo "sanitizer reports in $(ASAN_LOGS):"; head -n 30 $(ASAN_LOGS)/*; exit 1; fi; exit $$rc

# Builds the libFuzzer targets (fuzz/README.md), seeds their corpora from examples/
# and the tests, and runs each target FUZZ_SECONDS seconds. A crash fails the run and
# leaves crash-* in $(FUZZ_BUILD)/fuzz/artifacts/.
fuzz: deps-fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEHOUSE_FUZZ=ON $(CCACHE)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target gatehouse_fuzzers
	fuzz/seed.sh $(FUZZ_BUILD)
	@# registers the fuzz_smoke_* ctests of `make test` (fuzz/README.md)
	if [ -f $(BUILD)/CMakeCache.txt ]; then cmake $(BUILD) >/dev/null; fi
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

demo: build
	tools/demo $(BUILD)/gatehouse

install: build
	install -D -m 0755 $(BUILD)/gatehouse $(DESTDIR)$(PREFIX)/bin/gatehouse

update-iam-data:
	tools/update-iam-data

bench: build
	bench/run $(BUILD)/gatehouse
	bench/trail_run $(BUILD)/gatehouse

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
