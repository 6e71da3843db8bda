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
TEST_PACKAGES := docker.io docker-registry etcd-server etcd-client iptables nftables iproute2 busybox-static iperf3 tcpdump iputils-ping util-linux procps psmisc bind9-dnsutils dnsperf dnsmasq-base python3
# Engines the end-to-end suite runs on (tests/DockerNetPlugin.Testbed, DNP_TEST_ENGINE): 20.10 is bookworm's docker.io;
# 26 (trixie) and 28 (sid) are Debian packages that deps-test downloads and unpacks into ENGINE_CACHE, never installs.
# `make test` runs every suite on the newest engine and the Category=Smoke end-to-end tests on the others.
ENGINE_CACHE ?= /var/cache/dnp-test/engines
TEST_ENGINE_NEWEST := 28
TEST_ENGINES_SMOKE := 20.10 26
# The previous release (the rolling-upgrade end-to-end test runs it beside this one): built from this clone's history
# into RELEASE_CACHE by `make prev-release` (deps-test runs it; nothing to do when it is there).
PREV_RELEASE := 3eb4a2b
RELEASE_CACHE ?= /var/cache/dnp-test/releases
# What the plugin itself needs at run time on a host (it speaks netlink itself; Docker is the user's).
RUN_PACKAGES := iproute2

.PHONY: build test coverage run deps-test deps-run prev-release bench demo clean test-summary publish-native publish-r2r plugin plugin-push plugin-install install install-files

build:
	$(DOTNET) publish src/DockerNetPlugin.Cli $(DOTNET_FLAGS) -o bin
	@echo "built bin/dnp"

# Installs missing Debian packages (CI and a new user start from a bare machine), then fetches the newer engines and
# Docker Compose into ENGINE_CACHE (nothing to do when they are there).
deps-test:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@tests/engines/fetch-engines.sh $(ENGINE_CACHE)
	@$(MAKE) --no-print-directory prev-release

# RELEASE_CACHE/PREV_RELEASE/bin/dnp: `git archive` of the commit, published like `make build`. A clone without the
# commit (a shallow one) cannot build it: say so.
prev-release:
	@dir=$(RELEASE_CACHE)/$(PREV_RELEASE); \
	if [ -x $$dir/bin/dnp ]; then exit 0; fi; \
	if ! git cat-file -e '$(PREV_RELEASE)^{commit}' 2>/dev/null; then \
	  echo "prev-release: commit $(PREV_RELEASE) (the previous release) is not in this clone's history; fetch it (git fetch --unshallow) to run the rolling-upgrade test" >&2; exit 1; \
	fi; \
	echo "building the previous release $(PREV_RELEASE) into $$dir"; \
	rm -rf $$dir.tmp && mkdir -p $$dir.tmp/src && git archive $(PREV_RELEASE) | tar -x -C $$dir.tmp/src && \
	$(DOTNET) publish $$dir.tmp/src/src/DockerNetPlugin.Cli $(DOTNET_FLAGS) -o $$dir.tmp/bin >$$dir.tmp/build.log 2>&1 || { tail -20 $$dir.tmp/build.log >&2; exit 1; }; \
	rm -rf $$dir.tmp/src $$dir && mv $$dir.tmp $$dir && echo "built $$dir/bin/dnp"

deps-run:
	@missing=$$(for p in $(RUN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

# Serve the plugin on this host with the embedded store (override any DNP_* variable on the command line).
run: deps-run build
	DNP_STORE=$${DNP_STORE:-file:///var/lib/dnp} bin/dnp serve

# The whole suite: unit, privileged netlink, store conformance (real etcd), and end-to-end with real dockerd
# (the packaging tests install plugin/ as a managed plugin, so it is built first). The multi-minute churn
# scenario (Category=Load) runs in `make reliability` instead.
# Engines: the whole suite with DNP_TEST_ENGINE=$(TEST_ENGINE_NEWEST), then the smoke subset (single-host ping, replication
# across hosts, the managed plugin; etcd only) on each of $(TEST_ENGINES_SMOKE). Every run writes its .trx into TestResults/.
test: deps-test build plugin
	@rm -rf TestResults
	@set -o pipefail; rc=0; start=$$SECONDS; \
	  DNP_TEST_ENGINE=$(TEST_ENGINE_NEWEST) $(DOTNET) test DockerNetPlugin.sln $(DOTNET_FLAGS) --filter "Category!=Load" \
	    --logger "console;verbosity=normal" --logger trx --results-directory TestResults 2>&1 | tee TestResults.log || rc=1; \
	  times="engine $(TEST_ENGINE_NEWEST) (all): $$((SECONDS-start)) s"; \
	  for engine in $(TEST_ENGINES_SMOKE); do start=$$SECONDS; \
	    DNP_TEST_ENGINE=$$engine $(DOTNET) test tests/DockerNetPlugin.Integration.Tests $(DOTNET_FLAGS) --no-build --filter "Category=Smoke&Store!=Consul" \
	      --logger "console;verbosity=normal" --logger "trx;LogFileName=smoke-engine-$$engine.trx" --results-directory TestResults 2>&1 | tee -a TestResults.log || rc=1; \
	    times="$$times, engine $$engine (smoke): $$((SECONDS-start)) s"; \
	  done; \
	  echo "$$times"; $(MAKE) --no-print-directory coverage-report; $(MAKE) --no-print-directory test-summary; exit $$rc

# One line: the driver's line coverage by its own unit tests (generated code not counted; see coverage.runsettings).
# Every run of tests/DockerNetPlugin.Driver.Tests collects it (its project file names the run settings), so `make test`
# reads what its own run left in TestResults/ and `make coverage` runs those tests alone.
.PHONY: coverage-report
coverage:
	@rm -rf TestResults/coverage
	@$(DOTNET) test tests/DockerNetPlugin.Driver.Tests $(DOTNET_FLAGS) --results-directory TestResults/coverage >/dev/null
	@$(MAKE) --no-print-directory coverage-report COVERAGE_DIR=TestResults/coverage

COVERAGE_DIR ?= TestResults
coverage-report:
	@rate=$$(find $(COVERAGE_DIR) -name coverage.cobertura.xml -exec grep -ho '<package name="DockerNetPlugin.Driver" line-rate="[0-9.]*"' {} + 2>/dev/null | head -1 | grep -o '[0-9.]*"$$' | tr -d '"'); \
	  if [ -z "$$rate" ]; then echo "driver line coverage (unit tests): no coverage file under $(COVERAGE_DIR)/"; \
	  else awk -v r="$$rate" 'BEGIN { printf "driver line coverage (unit tests): %.1f%%\n", r * 100 }'; fi

# The failed tests by name (CI shows only the end of the output), then one plain closing line: "tests: N passed, N failed".
test-summary:
	@passed=0; failed=0; for f in TestResults/*.trx; do \
	  [ -f "$$f" ] || continue; \
	  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$$f" | sed -E 's/.* testName="([^"]*)".*/failed: \1/' | sed "s|\$$| ($$(basename $$f))|"; \
	  c=$$(grep -o '<Counters [^>]*>' "$$f"); \
	  p=$$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$$c"); x=$$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$$c"); \
	  passed=$$((passed+p)); failed=$$((failed+x)); done; \
	echo "tests: $$passed passed, $$failed failed"

# The benchmark suite: rewrites its sections of BENCHMARKS.md (`make bench BENCH=netlink-peers` runs one).
# No --nologo here: `dotnet run` does not know it and would pass it to the program as a benchmark name.
# On the newest engine unless DNP_TEST_ENGINE says otherwise (the prose names the version the daemon reports).
bench: deps-test build plugin
	DNP_TEST_ENGINE=$${DNP_TEST_ENGINE:-$(TEST_ENGINE_NEWEST)} $(DOTNET) run --project tests/DockerNetPlugin.Benchmarks -c $(CONFIG) -- $(BENCH)

# Two simulated hosts with dockerd and etcd: a network created on one, a container on each, the cross-host ping
# and each overlay namespace's bridge fdb / ip neigh, then everything removed.
demo: deps-test build
	$(DOTNET) run --project tests/DockerNetPlugin.Demo -c $(CONFIG)

# Fuzz the plugin API on a throwaway socket and network namespace (`make fuzz COUNT=20000 SEED=7`):
# non-zero exit on a finding or on anything left behind (namespaces, devices, store records).
.PHONY: fuzz reliability
COUNT ?= 5000
SEED ?= 1
PARALLEL ?= 4
fuzz: build
	$(DOTNET) build tests/DockerNetPlugin.Fuzzer $(DOTNET_FLAGS) -v q
	tests/DockerNetPlugin.Fuzzer/fuzz-local.sh $(COUNT) $(SEED) $(PARALLEL)

# The hostile-store fuzzer's long run (`make fuzz-store COUNT=20000 SEED=7`): two simulated hosts whose containers ping
# each other while COUNT random, truncated and mutated records and keys go into their etcd (RELIABILITY.md). Without
# SEED a new seed is drawn and printed; the short run is part of `make test`.
.PHONY: fuzz-store
fuzz-store: deps-test build
	DNP_FUZZ_STORE_COUNT=$(COUNT) $(if $(filter command line,$(origin SEED)),DNP_FUZZ_STORE_SEED=$(SEED)) \
	  $(DOTNET) test tests/DockerNetPlugin.Integration.Tests $(DOTNET_FLAGS) --filter "FullyQualifiedName~HostileStoreFuzzTests.LongRun" \
	    --logger "console;verbosity=detailed"

# The scenarios of RELIABILITY.md, end to end on simulated hosts with real dockerd (the churn run takes ~10 min).
reliability: deps-test build
	$(DOTNET) test tests/DockerNetPlugin.Integration.Tests $(DOTNET_FLAGS) --filter "Category=Reliability|Category=Load" \
	    --logger "console;verbosity=detailed"

clean:
	rm -rf bin TestResults TestResults.log plugin/rootfs plugin/config.json
	find src tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +

# --- Shipping: a native dnp, the managed plugin, the legacy systemd service ---------------------------------
RID ?= linux-x64
NATIVE_DIR := bin/$(RID)
# Today's former shipping build (trimmed ReadyToRun single file), kept to compare against: `make bench BENCH=plugin-footprint`.
R2R_DIR := bin/$(RID)-r2r
PLUGIN_DIR := plugin
PLUGIN_NAME ?= dnp
# `make plugin-push PLUGIN_REF=registry.example:5000/dnp:1.2`
PLUGIN_REF ?=
DOCKER ?= docker
PREFIX ?= /usr/local
DESTDIR ?=
SYSTEMD_UNIT_DIR ?= /etc/systemd/system
ENV_FILE ?= /etc/default/dnp

# One NativeAOT executable (no .NET on the target host, links only libc, libm and the loader): what the plugin and
# `make install` ship. The ILCompiler packs restore from NuGet; gcc links. Trim and AOT warnings are errors.
publish-native:
	$(DOTNET) publish src/DockerNetPlugin.Cli $(DOTNET_FLAGS) -r $(RID) -p:PublishAot=true -o $(NATIVE_DIR)
	@echo "built $(NATIVE_DIR)/dnp ($$(du -h $(NATIVE_DIR)/dnp | cut -f1))"

publish-r2r:
	$(DOTNET) publish src/DockerNetPlugin.Cli $(DOTNET_FLAGS) -r $(RID) --self-contained \
	  -p:PublishTrimmed=true -p:PublishSingleFile=true -p:PublishReadyToRun=true -o $(R2R_DIR)
	@echo "built $(R2R_DIR)/dnp ($$(du -h $(R2R_DIR)/dnp | cut -f1))"

# plugin/ = config.json + rootfs/ (dnp, the libraries it loads, the loader), built by plugin/make-rootfs.sh:
# `docker plugin create NAME plugin/`.
plugin: publish-native
	$(PLUGIN_DIR)/make-rootfs.sh $(NATIVE_DIR)/dnp $(PLUGIN_DIR)/rootfs
	cp config.json $(PLUGIN_DIR)/config.json
	@# Proof the rootfs is complete: run dnp inside it, with only a /proc (as runc gives it), in a throwaway mount namespace.
	unshare --mount --propagation private sh -c 'mount -t proc proc $(PLUGIN_DIR)/rootfs/proc && chroot $(PLUGIN_DIR)/rootfs /usr/bin/dnp help >/dev/null'
	@echo "built $(PLUGIN_DIR)/ (rootfs $$(du -sh $(PLUGIN_DIR)/rootfs | cut -f1)); install: mkdir -p /run/netns; docker plugin create $(PLUGIN_NAME) $(PLUGIN_DIR) && docker plugin enable $(PLUGIN_NAME)"

# Creates the plugin from plugin/ under PLUGIN_REF on the local engine and pushes it to that registry; the local copy
# is removed again (it is never enabled here). Hosts then `docker plugin install PLUGIN_REF` (README).
plugin-push: plugin
	@if [ -z "$(PLUGIN_REF)" ]; then echo "usage: make plugin-push PLUGIN_REF=registry:port/name:tag" >&2; exit 2; fi
	@if $(DOCKER) plugin inspect $(PLUGIN_REF) >/dev/null 2>&1; then \
	  echo "$(PLUGIN_REF) is already installed on this engine: docker plugin rm $(PLUGIN_REF) first" >&2; exit 1; fi
	$(DOCKER) plugin create $(PLUGIN_REF) $(PLUGIN_DIR)
	$(DOCKER) plugin push $(PLUGIN_REF); rc=$$?; $(DOCKER) plugin rm $(PLUGIN_REF) >/dev/null; exit $$rc
	@echo "pushed $(PLUGIN_REF): docker plugin install --grant-all-permissions --alias $(PLUGIN_NAME) $(PLUGIN_REF) DNP_STORE=..."

# Creates and enables the managed plugin on the local engine (refuses to replace an installed one).
plugin-install: plugin
	@if $(DOCKER) plugin inspect $(PLUGIN_NAME) >/dev/null 2>&1; then \
	  echo "$(PLUGIN_NAME) is already installed: docker plugin disable $(PLUGIN_NAME) && docker plugin rm $(PLUGIN_NAME) first" >&2; exit 1; fi
	mkdir -p /run/netns
	$(DOCKER) plugin create $(PLUGIN_NAME) $(PLUGIN_DIR)
	$(DOCKER) plugin enable $(PLUGIN_NAME)
	@echo "use it: docker network create -d $(PLUGIN_NAME):latest --ipam-driver $(PLUGIN_NAME):latest --subnet 10.20.0.0/24 net1"

# Legacy mode: dnp as a systemd service on the host. DESTDIR installs into a staging root (no systemctl then).
install: publish-native install-files
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload && \
	  echo "installed: edit $(ENV_FILE), then systemctl enable --now dnp"; \
	else echo "installed into $(DESTDIR)/ (systemd not running: start $(PREFIX)/bin/dnp serve yourself)"; fi

install-files:
	install -D -m 0755 $(NATIVE_DIR)/dnp $(DESTDIR)$(PREFIX)/bin/dnp
	install -d $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	sed -e 's|/usr/local/bin/dnp|$(PREFIX)/bin/dnp|' -e 's|/etc/default/dnp|$(ENV_FILE)|' packaging/systemd/dnp.service \
	  > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/dnp.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/dnp.service
	@# An existing settings file is the operator's: keep it.
	@if [ ! -e $(DESTDIR)$(ENV_FILE) ]; then install -D -m 0600 packaging/systemd/dnp.env $(DESTDIR)$(ENV_FILE); fi
