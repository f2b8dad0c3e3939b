# The two commands the README promises on a fresh Debian 12 machine: `make demo`, `make test`.
# Everything else here is a building block of those two.

JOBS ?= $(shell nproc)
BUILD_DIR ?= build
ASAN_DIR ?= build-asan

.PHONY: all deps configure build test test-unit test-asan demo serve screenshots bench format format-check clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake --preset release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Unit, integration (emulator, loopback servers, real SDK clients) and end-to-end tests.
test: build
	@./scripts/test-setup.sh
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 300

test-unit: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer (clang; the tree also
# holds the fuzz targets, so CI compiles everything once for test-asan and fuzz-ci).
test-asan: fuzz-deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@./scripts/test-setup.sh
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) --timeout 600 -LE nosan

demo: build
	@BUILD_DIR=$(BUILD_DIR) ./scripts/demo.sh

# The web page against the emulator: prints its address; Ctrl-C stops the server and the emulator.
serve: build
	@BUILD_DIR=$(BUILD_DIR) ./scripts/serve.sh

# docs/screenshots/*.png, regenerated in headless chromium.
screenshots: build
	@./scripts/screenshots.sh

bench: build
	@./bench/run-all.sh

# New files count before they are added: git ls-files without --others skipped them.
SOURCES_CMD = git ls-files --cached --others --exclude-standard '*.h' '*.cpp'

format:
	@$(SOURCES_CMD) | xargs clang-format -i

format-check:
	@$(SOURCES_CMD) | xargs clang-format --dry-run --Werror

clean:
	@rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR)

# ---- Fuzzing (fuzz/, clang + libFuzzer) and ThreadSanitizer ----
.PHONY: fuzz-deps fuzz-build fuzz fuzz-ci test-tsan

FUZZ_DIR = $(ASAN_DIR)
TSAN_DIR ?= build-tsan
FUZZ_SECONDS ?= 60

fuzz-deps: deps
	@./scripts/install-fuzz-deps.sh

fuzz-build: fuzz-deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all

# Every target for FUZZ_SECONDS (default 60): executions, exec/s and coverage per target.
fuzz: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz-run.sh

# CI's short run: every target briefly, two at a time.
fuzz-ci: fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$${FUZZ_SECONDS:-10} FUZZ_JOBS=$${FUZZ_JOBS:-2} FUZZ_RUNS=$${FUZZ_RUNS:-20000} \
	  FUZZ_SEED=$${FUZZ_SEED:-1} ./scripts/fuzz-run.sh

# The concurrent suites (http, net, runtime, emulator, jobs, server) under ThreadSanitizer. Only those
# suites and the binaries they start are built.
TSAN_TARGETS = http_unit_tests http_integration_tests net_unit_tests net_integration_tests \
  runtime_unit_tests runtime_integration_tests \
  emulator_unit_tests emulator_integration_tests bedrock-emulator \
  jobs_unit_test jobs_store_integration_test \
  server_unit_tests server_integration_tests server_api_integration_tests \
  server_openai_integration_tests \
  bedrock-content-server
test-tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TARGETS)
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir $(TSAN_DIR) --output-on-failure -j $(JOBS) --timeout 600 \
	  -L 'unit|integration' -LE nosan -E '^(fuzz_replay|conformance|e2e)\.'
