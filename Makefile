# The two commands the README promises on a fresh Debian 12 machine: `make demo`, `make test`.
# Everything else here is a building block of those two.

JOBS ?= $(shell nproc)
BUILD_DIR ?= build
ASAN_DIR ?= build-asan

.PHONY: all deps configure build test test-unit test-asan demo bench format format-check clean

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

# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@./scripts/test-setup.sh
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) --timeout 600 -LE nosan

demo: build
	@./scripts/demo.sh

bench: build
	@./bench/run-all.sh

# New files count before they are added: git ls-files without --others skipped them.
SOURCES_CMD = git ls-files --cached --others --exclude-standard '*.h' '*.cpp'

format:
	@$(SOURCES_CMD) | xargs clang-format -i

format-check:
	@$(SOURCES_CMD) | xargs clang-format --dry-run --Werror

clean:
	@rm -rf $(BUILD_DIR) $(ASAN_DIR)
