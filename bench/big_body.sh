#!/usr/bin/env bash
# Peak memory of one request whose response body is 1 GiB, streamed by a
# tiny local server (python3, 127.0.0.1 only): once with a status
# expectation only, once with a failing `body: { contains: }`. Prints the
# figures in the table format of docs/benchmarks.md. Not a test: memory is
# measured here, never asserted in the suite.
#
#   bash bench/big_body.sh [SIZE_MIB]     (default 1024; MAX_BODY=16MiB to pass --max-body)
#
# Uses target/release/sesame when present (SESAME=path overrides), else
# the debug build; GNU time (/usr/bin/time) measures the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-1024}
if [ -z "${SESAME:-}" ]; then
  if [ -x target/release/sesame ]; then SESAME=$PWD/target/release/sesame
  else cargo build -q --bin sesame; SESAME=$PWD/target/debug/sesame; fi
fi
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/serve.py" <<'PY'
import http.server, socketserver, sys
MIB = int(sys.argv[1])
CHUNK = b"a" * (1 << 20)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(MIB << 20))
        self.end_headers()
        try:
            for _ in range(MIB):
                self.wfile.write(CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            pass
    def log_message(self, *a):
        pass
with socketserver.TCPServer(("127.0.0.1", 0), H) as s:
    print(s.server_address[1], flush=True)
    s.serve_forever()
PY
python3 "$work/serve.py" "$MIB" > "$work/port" &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(head -1 "$work/port")

mkdir -p "$work/p/requests"
touch "$work/p/sesame.yaml"
measure() { # name, expect-yaml
  cat > "$work/p/requests/big.yaml" <<Y
requests:
  - name: big
    url: http://127.0.0.1:$port/big
    timeout: 10m
    expect: $2
Y
  ( cd "$work/p" && /usr/bin/time -v "$SESAME" run ${MAX_BODY:+--max-body "$MAX_BODY"} --report json:"$work/report.json" \
      > "$work/out" 2> "$work/err" ) || true
  local kib secs report
  kib=$(grep "Maximum resident set size" "$work/err" | awk '{print $NF}')
  secs=$(grep "Elapsed (wall clock)" "$work/err" | awk '{print $NF}')
  report=$(stat -c %s "$work/report.json")
  printf '| %s | %s MiB | %d MiB | %s | %s bytes |\n' "$1" "$MIB" $((kib / 1024)) "$secs" "$report"
}
echo "| case | body | peak RSS | wall | JSON report |"
echo "|---|---:|---:|---:|---:|"
measure "status expectation only" "{ status: 200 }"
measure "failing body contains" "{ status: 200, body: { contains: needle } }"
