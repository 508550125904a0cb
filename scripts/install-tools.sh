#!/usr/bin/env bash
# Installs the build tools Sabak needs, skipping whatever is already there.
# Idempotent; safe to run on every `make run` / `make test`.
# Facts behind each step: shared/TOOLCHAIN.md (this machine has no internet but package registries).
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
CARGO_LEPTOS_VERSION=0.3.11
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[install-tools] %s\n' "$*"; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (patched for this rustc; ~15 min once)"
  src=$(ls -d "$HOME"/.cargo/registry/src/*/cargo-leptos-$CARGO_LEPTOS_VERSION 2>/dev/null | head -1 || true)
  if [ -z "$src" ]; then
    # The stock install fails on this rustc but unpacks the source, which is all we need.
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked >/dev/null 2>&1 || true
    src=$(ls -d "$HOME"/.cargo/registry/src/*/cargo-leptos-$CARGO_LEPTOS_VERSION | head -1)
  fi
  work=$(mktemp -d)
  cp -r "$src" "$work/cargo-leptos"
  (cd "$work/cargo-leptos" \
    && cargo update -p cargo-util-schemas --precise 0.14.1 \
    && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
       cargo install --path . --locked)
  rm -rf "$work"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
log "tools ready"
