#!/usr/bin/env bash
# Drives every login flow of the vendors' own public clients (py42,
# code42cli, incydr, beyondtrust-bips-library and its ps-cli) against
# `sesame sandbox --root code42`, unmodified and configured only. One line
# per flow; exits non-zero if any flow fails (issue 14).
#
#   sandbox/clients/run.sh
#
# Environment:
#   SESAME_BIN            sesame binary (default: build it with cargo)
#   SESAME_CLIENTS_VENV   virtual environment to (re)use
#                         (default: target/sandbox-clients-venv)
#   SESAME_CLIENTS_PYTHON Python >= 3.12 to make it with (default: the first
#                         python3.13 / python3.12 / pyenv 3.12+ / python3 found)
#   SESAME_CLIENTS_TRACE  set to print a traceback for each failed flow
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${SESAME_CLIENTS_VENV:-$root/target/sandbox-clients-venv}"

find_python() {
    local candidates=()
    [ -n "${SESAME_CLIENTS_PYTHON:-}" ] && candidates+=("$SESAME_CLIENTS_PYTHON")
    candidates+=(python3.13 python3.12)
    if command -v pyenv >/dev/null 2>&1; then
        candidates+=("$(pyenv root)"/versions/3.1[2-9]*/bin/python3)
    fi
    candidates+=(python3)
    local py
    for py in "${candidates[@]}"; do
        if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            echo "$py"
            return 0
        fi
    done
    echo "no Python >= 3.12 found (beyondtrust-bips-library 3.5 needs it); set SESAME_CLIENTS_PYTHON" >&2
    return 1
}

# The venv is made once and reused while the pins are unchanged.
make_venv() {
    local stamp="$venv/.pins" pins
    pins="$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ]; then
        return 0
    fi
    local python
    python="$(find_python)"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$here/requirements.txt" -c "$here/constraints.txt" >&2
    echo "$pins" >"$stamp"
}

free_port() {
    "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start=$(date +%s)
make_venv
if [ -n "${SESAME_BIN:-}" ]; then
    sesame="$SESAME_BIN"
else
    cargo build --quiet --manifest-path "$root/Cargo.toml" --bin sesame
    sesame="$root/target/debug/sesame"
fi

port="$(free_port)"
base="http://127.0.0.1:$port"
log="$(mktemp)"
"$sesame" sandbox --port "$port" --root code42 >"$log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
    if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('$base/_sandbox/stats', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
        echo "sesame sandbox exited:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done

echo "sesame sandbox --root code42 on $base"
status=0
# The clients' own deprecation warnings are noise here.
PYTHONWARNINGS=ignore "$venv/bin/python" "$here/drive.py" --base "$base" || status=$?
echo "took $(($(date +%s) - start)) s"
exit "$status"
