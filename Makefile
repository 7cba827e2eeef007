# Tillit: the two commands are `make run` and `make test`; the rest are their parts.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
UI := ui
TAURI := $(UI)/node_modules/.bin/tauri
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: bench help run test checks deps-run deps-test deps-bench deps-fuzz ui fmt clippy deny core-tests cargo-tests \
        ts-check bindings check-bindings ui-tests e2e crash-test fuzz dev bundle clean

help:
	@echo "make run     install what is missing, build the UI and the app, start it on the default database"
	@echo "make test    install what is missing and run every check: lints, cargo tests, UI tests, e2e tests"
	@echo "make bundle  build the .deb package"
	@echo "make bench   benchmarks at scale: the core, and the window's start-up and memory"
	@echo "make crash-test  kill a writing process 200 times at random moments and check the database each time"
	@echo "make fuzz    fuzz the CSV and JSON importers, FUZZ_SECONDS (600) each"
	@echo "make dev     the window with hot reload of the UI (Vite dev server)"
	@echo "make bindings  regenerate ui/src/lib/bindings.ts from the Rust types"

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

deps-fuzz:
	@scripts/install-deps.sh fuzz

# The built UI (ui/dist) is compiled into the desktop binary.
ui: deps-run
	npm --prefix $(UI) run build --silent

run: ui
	$(CARGO) run --release --bin tillit

# Every check runs beside a throwaway PostgreSQL cluster (a Unix socket in a
# temporary folder, removed afterwards) for the tests of the PostgreSQL store.
test: deps-test
	TILLIT_TEST_POSTGRES_REQUIRED=1 scripts/with-postgres.sh $(MAKE) --no-print-directory checks
	@echo "make test: every check passed"

checks: ui fmt clippy deny core-tests core-tests-postgres cargo-tests check-bindings ts-check ui-tests e2e

fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --all-targets -- -D warnings

# Licences of every dependency, no banned crates, crates.io as the only source (deny.toml).
deny: deps-test
	$(CARGO) deny check licenses bans sources

# The core without Tauri: proves no core module depends on the desktop shell.
core-tests:
	$(CARGO) test --no-default-features

# The integration tests that work on a database of their own (support::fresh)
# again, each on a new PostgreSQL database of the throwaway cluster.
core-tests-postgres: core-tests
	TILLIT_TEST_DB=postgres $(CARGO) test --no-default-features --test main

# With the desktop shell: the unit tests of the library (the shell's among
# them) and of the binary. The integration tests ran above, on SQLite and on
# PostgreSQL; here they are only built, which builds the binary the e2e tests
# drive (`cargo build` would compile dependencies again without the
# dev-dependencies' features).
cargo-tests: ui
	$(CARGO) test --no-run
	$(CARGO) test --lib --bins

check-bindings:
	$(CARGO) test --test main bindings::the_committed_

bindings:
	UPDATE_BINDINGS=1 $(CARGO) test --no-default-features --test main bindings::the_committed_

ts-check:
	npm --prefix $(UI) run check --silent

ui-tests:
	npm --prefix $(UI) test --silent

# The real app window, driven over WebDriver under Xvfb. It drives the debug
# binary that `cargo test` builds (a separate `cargo build` would compile the
# dependencies again with other features).
e2e: cargo-tests
	xvfb-run -a -s "-screen 0 1280x860x24" e2e/.venv/bin/pytest -v e2e

# Benchmarks at scale, on a generated register of 10,000 suppliers and a trail
# of 1,000,000 entries (made once, kept in target/bench-data): the core in
# release builds without a window, then the real window's start-up and idle
# memory next to a minimal Tauri 2 window (benches/minimal-window) under Xvfb.
# The app is built after the core benchmarks, whose build of the same binary
# has no window. docs/BENCHMARKS.md says what each figure measures.
bench: deps-bench ui
	scripts/with-postgres.sh $(CARGO) bench --no-default-features --bench register --bench report --bench audit --bench server
	$(CARGO) build --release -p tillit -p minimal-window --bins
	xvfb-run -a -s "-screen 0 1280x860x24" e2e/.venv/bin/python e2e/bench_window.py

# The crash test at length: TILLIT_CRASH_RUNS kills of a writing process
# (`make test` runs 12). Prints what it found; docs/SECURITY.md explains it.
CRASH_RUNS ?= 200
crash-test:
	TILLIT_CRASH_RUNS=$(CRASH_RUNS) $(CARGO) test --no-default-features --test main crash:: -- --nocapture --test-threads=1

# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the CSV and JSON
# importers, FUZZ_SECONDS each, from the seeds in fuzz/seeds and the corpus
# kept in fuzz/corpus. A crash is written to fuzz/artifacts/<target>/ and
# stops the run; `cargo fuzz run <target> <file>` replays it. Uses the nightly
# toolchain when rustup has it (libFuzzer's sanitizer flags are unstable).
FUZZ_SECONDS ?= 600
FUZZ_CARGO := $(shell rustup toolchain list 2>/dev/null | grep -q '^nightly' && echo '$(CARGO) +nightly' || echo 'RUSTC_BOOTSTRAP=1 $(CARGO)')
fuzz: deps-fuzz
	for target in csv_import json_import; do \
	  mkdir -p fuzz/corpus/$$target; \
	  $(FUZZ_CARGO) fuzz run --release $$target fuzz/corpus/$$target fuzz/seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 || exit 1; \
	done

# The window with hot reload of the UI from the Vite dev server.
dev: deps-run
	$(TAURI) dev -- --no-default-features --features desktop

bundle: ui
	$(TAURI) build --bundles deb

clean:
	$(CARGO) clean
	rm -rf $(UI)/dist $(UI)/node_modules e2e/.venv gen
