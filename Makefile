# Sabak: two commands do everything on a fresh machine.
#   make run   installs what is missing, builds (release), starts Sabak on SQLite with the demo school
#   make test  installs what is missing, runs every test (lint, unit, integration on SQLite and
#              PostgreSQL, Playwright end-to-end in Chromium)
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# Outside the clone, so a fresh clone (CI) reuses the previous build.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/sabak-target
# cargo-leptos prints an empty "Error:" with backtraces on; keep its messages readable.
export RUST_BACKTRACE ?= 0
# CI builds each fresh clone once: incremental caches would only fill the disk.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

.PHONY: help setup setup-test build run dev test lint unit e2e bench clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: node_modules/.package-lock.json ## build tools: wasm target, cargo-leptos, wasm-bindgen, wasm-opt
	@bash scripts/install-tools.sh

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund

# Lighthouse for `make bench` only (not needed by `make test`).
tools/lighthouse/node_modules/.package-lock.json: tools/lighthouse/package.json
	cd tools/lighthouse && npm install --no-audit --no-fund

setup-test: setup ## test tools: Chromium, PostgreSQL, Playwright, axe-core
	@bash scripts/install-test-deps.sh

build: setup ## release build of the server and the WASM
	cargo leptos build --release

run: setup ## build and start Sabak on http://127.0.0.1:3000 (SQLite in ./data, demo school)
	SABAK_DEMO=$${SABAK_DEMO:-true} cargo leptos serve --release

dev: setup ## rebuild and reload on every change
	SABAK_DEMO=$${SABAK_DEMO:-true} cargo leptos watch

test: setup-test lint unit e2e ## every test
	@echo "make test: all suites passed"

lint: setup ## rustfmt and clippy, for the server and for the WASM
	cargo fmt --all --check
	bash scripts/pg-migrations.sh --check
	cargo clippy -p app -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

unit: setup-test ## unit, property and integration tests on SQLite and PostgreSQL
	bash scripts/with-postgres.sh cargo test -p app -p server

e2e: setup-test build ## Playwright: phone and desktop, hydrated and without JavaScript
	python3 scripts/byte_budget.py
	cd end2end && npx playwright test

bench: build tools/lighthouse/node_modules/.package-lock.json ## benchmarks on loopback: prints a table, writes target/bench/report.json
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx-light || apt-get install -y -qq nginx)
	@# The examples' dev-dependencies change the features of crates the server shares with them, so
	@# in the server's target directory each `cargo leptos build` and each example build would
	@# rebuild the other's half (~14 min each time). A directory of their own keeps both built.
	cargo build --release --target-dir $(CARGO_TARGET_DIR)/bench -p server --example fanout --example ranking --example load --example driver
	SABAK_PG_FSYNC=on bash scripts/with-postgres.sh python3 scripts/bench.py

clean:
	rm -rf target data end2end/test-results end2end/playwright-report
