# Gatehouse — the two commands:
#   make demo   install what is missing, build, plan + apply an example on the local directory
#   make test   install what is missing, build, run every test
# `make` alone installs what is missing and builds build/gatehouse.

BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
# Debian packages the build and the tests need.
DEB_BUILD  := g++ cmake make pkg-config libyaml-cpp-dev libboost-graph-dev libcurl4-openssl-dev \
              nlohmann-json3-dev libcli11-dev catch2
DEB_TEST   := python3 python3-botocore python3-jsonschema python3-yaml awscli chromium ca-certificates util-linux

.PHONY: all deps deps-test build test demo install clean update-iam-data bench

all: build

deps:
	@tools/ensure-debian-packages $(DEB_BUILD)

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

demo: build
	tools/demo $(BUILD)/gatehouse

install: build
	install -D -m 0755 $(BUILD)/gatehouse $(DESTDIR)$(PREFIX)/bin/gatehouse

update-iam-data:
	tools/update-iam-data

bench: build
	bench/run $(BUILD)/gatehouse

clean:
	rm -rf $(BUILD)
