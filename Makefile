# Tillit: the two commands are `make run` and `make test`; the rest are their parts.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
UI := ui
TAURI := $(UI)/node_modules/.bin/tauri
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: bench help run test deps-run deps-test deps-bench ui fmt clippy core-tests cargo-tests ts-check \
        bindings check-bindings ui-tests e2e dev bundle clean

help:
	@echo "make run     install what is missing, build the UI and the app, start it on the default database"
	@echo "make test    install what is missing and run every check: lints, cargo tests, UI tests, e2e tests"
	@echo "make bundle  build the .deb package"
	@echo "make bench   benchmarks at scale: the core, and the window's start-up and memory"
	@echo "make dev     the window with hot reload of the UI (Vite dev server)"
	@echo "make bindings  regenerate ui/src/lib/bindings.ts from the Rust types"

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

# The built UI (ui/dist) is compiled into the desktop binary.
ui: deps-run
	npm --prefix $(UI) run build --silent

run: ui
	$(CARGO) run --release --bin tillit

test: deps-test ui fmt clippy core-tests cargo-tests check-bindings ts-check ui-tests e2e
	@echo "make test: every check passed"

fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --all-targets -- -D warnings

# The core without Tauri: proves no core module depends on the desktop shell.
core-tests:
	$(CARGO) test --no-default-features

cargo-tests: ui
	$(CARGO) test

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
	$(CARGO) bench --no-default-features --bench register --bench report --bench audit
	$(CARGO) build --release -p tillit -p minimal-window --bins
	xvfb-run -a -s "-screen 0 1280x860x24" e2e/.venv/bin/python e2e/bench_window.py

# The window with hot reload of the UI from the Vite dev server.
dev: deps-run
	$(TAURI) dev -- --no-default-features --features desktop

bundle: ui
	$(TAURI) build --bundles deb

clean:
	$(CARGO) clean
	rm -rf $(UI)/dist $(UI)/node_modules e2e/.venv gen
