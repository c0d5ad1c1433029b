#!/usr/bin/env bash
# Fuzzes the loader and the template compiler for a bounded time (default
# 300 s) with cargo fuzz (nightly). Crashes land in fuzz/artifacts/; each
# one fixed is kept as a case of the malformed-input corpus (tests/malformed/).
# Leak detection is off: compiled templates are leaked on purpose (they
# live for the whole run), and every input compiles some.
#
#   bash fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-300}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p corpus/load_and_compile
# Seed with the project's own files: real shapes mutate into near misses.
cp ../requests/*.yaml ../profiles/*.yaml corpus/load_and_compile/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 cargo +nightly fuzz run load_and_compile corpus/load_and_compile -- \
  -max_total_time="$SECS" -max_len=4096 -rss_limit_mb=4096 -timeout=10 -detect_leaks=0
