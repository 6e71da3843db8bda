# DockerNetPlugin — every entry point a user, a developer or CI needs.
# `make run` serves the plugin on this host; `make test` installs what the tests need and runs them all.
SHELL := /bin/bash
.DEFAULT_GOAL := build
CONFIG ?= Release
DOTNET ?= dotnet
DOTNET_FLAGS := --nologo -c $(CONFIG)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages the test suites drive for real (dockerd, etcd, firewall, a busybox image, traffic tools).
TEST_PACKAGES := docker.io etcd-server etcd-client iptables iproute2 busybox-static iperf3 tcpdump iputils-ping util-linux procps psmisc
# What the plugin itself needs at run time on a host (it speaks netlink itself; Docker is the user's).
RUN_PACKAGES := iproute2

.PHONY: build test run deps-test deps-run bench clean test-summary

build:
	$(DOTNET) publish src/DockerNetPlugin.Cli $(DOTNET_FLAGS) -o bin
	@echo "built bin/dnp"

# Installs missing Debian packages (CI and a new user start from a bare machine).
deps-test:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-run:
	@missing=$$(for p in $(RUN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

# Serve the plugin on this host with the embedded store (override any DNP_* variable on the command line).
run: deps-run build
	DNP_STORE=$${DNP_STORE:-file:///var/lib/dnp} bin/dnp serve

# The whole suite: unit, privileged netlink, store conformance (real etcd), and end-to-end with real dockerd.
test: deps-test build
	@rm -rf TestResults
	@set -o pipefail; $(DOTNET) test DockerNetPlugin.sln $(DOTNET_FLAGS) \
	    --logger "console;verbosity=normal" --logger trx --results-directory TestResults 2>&1 | tee TestResults.log; \
	  rc=$$?; $(MAKE) --no-print-directory test-summary; exit $$rc

# One plain closing line: "tests: N passed, N failed".
test-summary:
	@passed=0; failed=0; for f in TestResults/*.trx; do \
	  [ -f "$$f" ] || continue; \
	  c=$$(grep -o '<Counters [^>]*>' "$$f"); \
	  p=$$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$$c"); x=$$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$$c"); \
	  passed=$$((passed+p)); failed=$$((failed+x)); done; \
	echo "tests: $$passed passed, $$failed failed"

# The benchmark suite: rewrites its sections of BENCHMARKS.md (`make bench BENCH=netlink-peers` runs one).
# No --nologo here: `dotnet run` does not know it and would pass it to the program as a benchmark name.
bench: deps-test build
	$(DOTNET) run --project tests/DockerNetPlugin.Benchmarks -c $(CONFIG) -- $(BENCH)

clean:
	rm -rf bin TestResults TestResults.log plugin/rootfs
	find src tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
