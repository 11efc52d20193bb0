# ringkv — every target runs on the Node pinned in package.json (node_modules/.bin/node).
#
#   make test    set up if needed, then typecheck, lint and run every test
#   make serve   run ringkv-server on port 6379 (ARGS="--port 7000 --io-threads 2" to change)
#   make bench   the benchmark lab: the default suite (~5 min on 2 cores), ringkv single and threaded
#                vs redis-server; writes results/<run-id>/results.json and the report, prints a summary
#                (ARGS="--reps 5 --taskset" to change; see docs/bench.md)
#   make bench-quick  the quick suite (under a minute): a smoke run of every generator and scenario
#   make profile where each I/O mode spends its time: the cache scenario against ringkv single and
#                threaded (io-threads 3, forced) with CPU profiles of every thread → results/<run-id>/profile/
#                (ARGS="--duration 20 --io-threads 4"; CLINIC=doctor,flame adds clinic; see docs/profiling.md)
#   make bench-redis  the older redis-benchmark-only comparison and 1M-key memory check (scripts/bench-vs-redis.ts)
#   make bench-micro  micro-benchmarks of the threaded-I/O design (ARGS="--e2e" adds end to end)
#   make docs    regenerate docs/commands.md and docs/config.md from the command/config tables
#   make fuzz    coverage-guided fuzzing of the RESP parser (FUZZ_SECONDS=60); make fuzz-diff,
#                make fuzz-frames: the differential and frame fuzzers (ARGS="--seed 7 --count 25000")
#   make soak    a bounded soak run in both I/O modes (SOAK_SECONDS=600 total): RSS, fds and latency
#                over time with connection churn; fails on a growth trend (scripts/soak.ts)
#   make idle-connections  10,000 idle connections (IDLE_CONNECTIONS to change): memory per connection
#                and p99 with them vs without, both modes and redis-server (scripts/idle-connections.ts)

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE := $(CURDIR)/node_modules/.bin/node
ARGS ?=

.PHONY: setup test check serve bench bench-quick profile bench-redis bench-micro docs fuzz fuzz-diff fuzz-frames soak idle-connections clean

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Dependencies: npm packages, and redis-server/redis-tools (the differential reference and
# redis-benchmark) from Debian when missing and we are root.
setup: node_modules/.stamp
	@if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && apt-get install -y -qq redis-server redis-tools) >/dev/null; \
	  else \
	    echo "warning: redis-server/redis-tools missing; differential tests will be skipped (they fail under CI)"; \
	  fi; \
	fi

test: setup
	@mkdir -p test-results; rm -f test-results/vitest.json
	@status=0; vitest run || status=$$?; \
	  $(NODE) scripts/test-summary.ts test-results/vitest.json || status=1; \
	  exit $$status

check: setup
	tsc --noEmit -p .
	depcruise src --config .dependency-cruiser.cjs

serve: setup
	bin/ringkv-server $(ARGS)

# The report step runs when `ringkv report` exists (src/lab/report); results/latest is the run just made.
bench: setup
	bin/ringkv bench --suite default $(ARGS)
	@if [ -f src/lab/report/index.ts ]; then bin/ringkv report "$$(readlink -f results/latest)"; fi

bench-quick: setup
	bin/ringkv bench --suite quick $(ARGS)
	@if [ -f src/lab/report/index.ts ]; then bin/ringkv report "$$(readlink -f results/latest)"; fi

CLINIC ?=
profile: setup
	bin/ringkv profile $(if $(CLINIC),--clinic $(CLINIC) --clinic-install) $(ARGS) < /dev/null

bench-redis: setup
	$(NODE) scripts/bench-vs-redis.ts $(ARGS)

bench-micro: setup
	$(NODE) bench/micro/run.ts $(ARGS)

docs: setup
	$(NODE) src/commands/docs.ts

FUZZ_SECONDS ?= 60
fuzz: setup
	$(NODE) scripts/fuzz-parser.ts --seconds $(FUZZ_SECONDS) $(ARGS)

fuzz-diff: setup
	$(NODE) scripts/fuzz-diff.ts $(ARGS)

fuzz-frames: setup
	$(NODE) scripts/fuzz-frames.ts $(ARGS)

SOAK_SECONDS ?= 600
soak: setup
	ulimit -n 20000 2>/dev/null || true; SOAK_SECONDS=$(SOAK_SECONDS) $(NODE) scripts/soak.ts $(ARGS)

IDLE_CONNECTIONS ?= 10000
idle-connections: setup
	ulimit -n $$(( $(IDLE_CONNECTIONS) * 2 + 1000 )) 2>/dev/null || ulimit -n $$(ulimit -Hn); \
	  $(NODE) scripts/idle-connections.ts $(IDLE_CONNECTIONS)

clean:
	rm -rf node_modules test-results
