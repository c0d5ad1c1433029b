#!/usr/bin/env bash
# Measures sesame's own cost per request against a fast local server, and the
# floor: the same requests from wrk on one connection. Writes the figures to
# stdout in the table format of docs/benchmarks.md.
#
#   bash bench/run.sh [N]        (N requests after the login; default 5000)
#
# Installs nginx, wrk, hyperfine and GNU time from Debian if missing. Talks
# only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
PORT=${BENCH_PORT:-18090}

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release -q --bin sesame --example reqwest_floor
SESAME=$PWD/target/release/sesame
REQWEST_FLOOR=$PWD/target/release/examples/reqwest_floor

work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 256; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$PORT;
    default_type application/json;
    location = /login { return 200 '{"token":"bench-token","expires_in":3600}'; }
    location ~ ^/items/([0-9]+)\$ {
      if (\$http_authorization != "Bearer bench-token") { return 401; }
      return 200 '{"id":\$1,"name":"item \$1"}';
    }
  }
}
CONF
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$PORT/login" >/dev/null 2>&1 && break; sleep 0.1; done

make_project() { # $1 = folder, $2 = number of requests
  mkdir -p "$1/requests" "$1/profiles"
  cat > "$1/profiles/bench.yaml" <<YAML
login:
  - method: POST
    url: "http://127.0.0.1:$PORT/login"
    expect: { status: 200 }
    capture: { token: \$.token }
apply:
  headers: { Authorization: "Bearer {{ token }}" }
cache: false
YAML
  {
    echo "profile: bench"
    echo "requests:"
    for i in $(seq 1 "$2"); do
      printf '  - url: "http://127.0.0.1:%s/items/%s"\n    expect: { status: 200, json: { $.id: %s } }\n' "$PORT" "$i" "$i"
    done
  } > "$1/requests/items.yaml"
}

measure() { # $1 = project folder -> "wall_s user_s sys_s maxrss_kib"
  (cd "$1" && /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$SESAME" run --jobs 1 >/dev/null)
  cat "$work/time.txt"
}

make_project "$work/big" "$N"
make_project "$work/small" 1000
make_project "$work/one" 1

read -r wall user sys rss < <(measure "$work/big")
read -r _ _ _ rss_small < <(measure "$work/small")

cat > "$work/floor.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/items/" .. counter, {["Authorization"] = "Bearer bench-token"})
end
LUA
floor_rps=$(wrk -t1 -c1 -d5s -s "$work/floor.lua" "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')

reqwest_rps=$("$REQWEST_FLOOR" "http://127.0.0.1:$PORT" "$N")

startup=$(cd "$work/one" && hyperfine -N --warmup 5 --runs 50 --export-json "$work/h.json" "$SESAME run --jobs 1" >/dev/null && \
  python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print(f\"{r['median']*1000:.1f}\")")
validate=$(cd "$work/big" && hyperfine -N --warmup 1 --runs 5 --export-json "$work/v.json" "$SESAME validate" >/dev/null && \
  python3 -c "import json;r=json.load(open('$work/v.json'))['results'][0];print(f\"{r['median']*1000:.0f}\")")

python3 - "$N" "$wall" "$user" "$sys" "$rss" "$rss_small" "$floor_rps" "$startup" "$validate" "$reqwest_rps" <<'PY'
import sys
n, wall, user, sys_, rss, rss_small, floor, startup, validate, reqwest_rps = sys.argv[1:]
n = int(n); wall = float(wall); cpu = float(user) + float(sys_); floor = float(floor); reqwest_rps = float(reqwest_rps)
rps = (n + 1) / wall
per_req_us = wall / (n + 1) * 1e6
floor_us = 1e6 / floor
print(f"| requests (1 login + N) | {n + 1} |")
print(f"| wall time | {wall:.2f} s |")
print(f"| requests per second | {rps:,.0f} |")
print(f"| wall time per request | {per_req_us:.0f} µs |")
print(f"| CPU time per request (user+sys) | {cpu / (n + 1) * 1e6:.0f} µs |")
print(f"| floor: wrk, 1 connection | {floor:,.0f} req/s = {floor_us:.0f} µs per request |")
print(f"| per-request cost vs floor | {per_req_us / floor_us:.2f}x (target ≤ 1.5x) |")
steady_us = (wall - float(validate) / 1000) / (n + 1) * 1e6
print(f"| per request, load and compile excluded | {steady_us:.0f} µs = {steady_us / floor_us:.2f}x the floor |")
print(f"| bare reqwest loop, same requests, 1 connection | {reqwest_rps:,.0f} req/s = {1e6 / reqwest_rps:.0f} µs per request |")
print(f"| peak memory, N={n} | {int(rss) / 1024:.1f} MiB (target < 15 MiB) |")
print(f"| peak memory, N=1000 | {int(rss_small) / 1024:.1f} MiB |")
print(f"| start-up, one-request file (median of 50) | {startup} ms (target < 10 ms) |")
print(f"| `validate` of the N-request file (median of 5) | {validate} ms |")
PY
