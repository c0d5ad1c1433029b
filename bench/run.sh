#!/usr/bin/env bash
# sesame against Hurl 8.0.1 and the floor (oha on one connection, as issue 11
# measured it; wrk -t1 -c1 beside it), side by
# side in one run, on the workload of issue 11: one login (`POST /auth`,
# token captured) in a profile, then N x `GET {{ base_url }}/items/i` with the
# bearer header, each expecting status 200 and `$.ok: true`; sequential, one
# connection, templated URLs. For each N it measures:
#
#   - wall time, median of BENCH_RUNS runs (hyperfine --export-json);
#   - user+sys CPU, mean of the same runs (hyperfine's rusage figures);
#   - peak RSS, median of BENCH_TIME_RUNS runs (GNU time);
#   - start-up: a file of one request, median of BENCH_STARTUP_RUNS runs
#     (hyperfine -N), one figure per tool;
#   - per-request cost = (median wall(N) - start-up) / N;
#   - the floor: oha -c 1 for 5 s on GET /items/1 with the bearer header,
#     and wrk -t1 -c1 sending GET /items/<counter> for 5 s beside it;
#
# and, second part, 20 request files of 250 requests each: `run --jobs 1`
# against `--jobs 2` (median of 5 each), the speedup.
#
#   bash bench/run.sh [N...]                 N = 1000 5000 100000 by default
#   SESAME_BIN=path/to/sesame bash bench/run.sh 1000 5000
#
# Installs what it needs if missing: nginx-light, wrk, hyperfine and GNU time
# from Debian, Hurl 8.0.1 and oha 1.16.0 with `cargo install` into
# bench/.cache/. Builds
# sesame with `cargo build --release` unless SESAME_BIN is set (then the
# binary is copied first, so a rebuild during the run changes nothing).
# Talks only to 127.0.0.1 (nginx on BENCH_PORT, default 18090). Writes the
# raw output and table.md to bench/results/<date>-<short git rev>/ and
# prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PORT=${BENCH_PORT:-18090}
BASE="http://127.0.0.1:$PORT"
RUNS=${BENCH_RUNS:-5}
TIME_RUNS=${BENCH_TIME_RUNS:-3}
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-40}
PAR_FILES=20
PAR_REQUESTS=250
HURL_VERSION=8.0.1
HURL=$ROOT/bench/.cache/hurl/bin/hurl
OHA_VERSION=1.16.0
OHA=$ROOT/bench/.cache/oha/bin/oha
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 5000 100000); fi
for n in "${SIZES[@]}"; do
  [[ $n =~ ^[1-9][0-9]{0,6}$ ]] || { echo "run.sh: N must be 1..9999999, not '$n'" >&2; exit 2; }
done

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# --- tools -----------------------------------------------------------------

install_tools() {
  local need=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
  [ -x /usr/bin/time ] || need+=(time)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  local hurl_ok=0
  if [ -x "$HURL" ] && "$HURL" --version 2>/dev/null | grep -q "^hurl $HURL_VERSION "; then
    hurl_ok=1
  else
    need+=(libclang-dev libxml2-dev libcurl4-openssl-dev pkg-config)
  fi
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ $hurl_ok = 0 ]; then
    log "building Hurl $HURL_VERSION into bench/.cache/hurl (several minutes)"
    cargo install --locked "hurl@$HURL_VERSION" --root "$ROOT/bench/.cache/hurl"
  fi
  if ! [ -x "$OHA" ]; then
    log "building oha $OHA_VERSION into bench/.cache/oha (a few minutes)"
    cargo install --locked "oha@$OHA_VERSION" --root "$ROOT/bench/.cache/oha"
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

build_sesame() {
  REQWEST_FLOOR=
  SESAME_NOTE=
  if [ -n "${SESAME_BIN:-}" ]; then
    [ -x "$SESAME_BIN" ] || { echo "run.sh: SESAME_BIN=$SESAME_BIN is not an executable" >&2; exit 2; }
    SESAME_SRC=$SESAME_BIN
    # the rev of the repository the binary sits in (else of this one); a
    # binary older than that commit is said so in meta.txt
    local repo
    repo=$(dirname "$SESAME_BIN")
    git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || repo=$ROOT
    SESAME_REV=$(git -C "$repo" rev-parse --short HEAD)
    if [ "$(date -r "$SESAME_BIN" +%s)" -lt "$(git -C "$repo" log -1 --format=%ct)" ]; then
      SESAME_NOTE="built before commit $SESAME_REV of $repo: it may be from an earlier rev or a work tree"
    fi
  else
    log "cargo build --release"
    cargo build --release -q --bin sesame --example reqwest_floor
    SESAME_SRC=$ROOT/target/release/sesame
    SESAME_REV=$(git rev-parse --short HEAD)
    REQWEST_FLOOR=$ROOT/target/release/examples/reqwest_floor
  fi
  SESAME=$work/sesame
  cp "$SESAME_SRC" "$SESAME"
}

# --- server ----------------------------------------------------------------

start_nginx() {
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$PORT;
    default_type application/json;
    location = /auth {
      if (\$request_method != POST) { return 405; }
      return 200 '{"token":"bench-token","expires_in":3600}';
    }
    location ~ ^/items/([0-9]+)\$ {
      if (\$http_authorization != "Bearer bench-token") { return 401; }
      return 200 '{"id":\$1,"ok":true}';
    }
  }
}
CONF
  "$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx"
  local _
  for _ in $(seq 1 50); do
    curl -sf -X POST "$BASE/auth" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "run.sh: nginx did not answer on $BASE" >&2
  exit 1
}

cleanup() {
  local pidfile=$work/nginx/nginx.pid _
  if [ -s "$pidfile" ]; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}

# --- workloads -------------------------------------------------------------

# $1 = project folder, $2 = requests per file, $3 = number of files
make_sesame_project() {
  local dir=$1 n=$2 files=${3:-1} f
  mkdir -p "$dir/requests" "$dir/profiles"
  cat > "$dir/sesame.yaml" <<YAML
environments:
  bench:
    base_url: $BASE
YAML
  cat > "$dir/profiles/bench.yaml" <<'YAML'
login:
  - method: POST
    url: "{{ base_url }}/auth"
    expect: { status: 200 }
    capture: { token: $.token }
apply:
  headers: { Authorization: "Bearer {{ token }}" }
cache: false
YAML
  for f in $(seq 1 "$files"); do
    local out=$dir/requests/items.yaml
    [ "$files" = 1 ] || out=$(printf '%s/requests/items-%02d.yaml' "$dir" "$f")
    {
      echo "profile: bench"
      echo "requests:"
      seq 1 "$n" | awk '{ printf "  - url: \"{{ base_url }}/items/%d\"\n    expect: { status: 200, json: { $.ok: true } }\n", $1 }'
    } > "$out"
  done
}

# $1 = .hurl file, $2 = number of requests after the login
make_hurl_file() {
  {
    printf 'POST {{base_url}}/auth\nHTTP 200\n[Captures]\ntoken: jsonpath "$.token"\n\n'
    seq 1 "$2" | awk '{ printf "GET {{base_url}}/items/%d\nAuthorization: Bearer {{token}}\nHTTP 200\n[Asserts]\njsonpath \"$.ok\" == true\n\n", $1 }'
  } > "$1"
}

# --- measuring -------------------------------------------------------------

# $1 = label (tool-N), $2 = folder to run in, rest = the command.
# One checked run first (also the warm-up): if it fails, its output is kept
# in failed-<label>.txt and nothing else is measured for it. Then GNU time
# (peak RSS) and hyperfine (wall time; user+sys CPU from its rusage figures).
measure() {
  local label=$1 dir=$2 rc=0 _
  shift 2
  log "$label"
  (cd "$dir" && "$@") >"$work/$label.out" 2>&1 || rc=$?
  if [ $rc != 0 ]; then
    { echo "exit $rc: $*"; tail -n 20 "$work/$label.out"; } > "$OUT/failed-$label.txt"
    log "$label failed (exit $rc), see $OUT/failed-$label.txt"
    return 0
  fi
  for _ in $(seq 1 "$TIME_RUNS"); do
    (cd "$dir" && /usr/bin/time -f "%e %U %S %M" -a -o "$OUT/time-$label.txt" "$@" >/dev/null 2>&1)
  done
  (cd "$dir" && hyperfine -N --runs "$RUNS" --command-name "$label" \
    --export-json "$OUT/hyperfine-$label.json" "$*" >/dev/null)
}

measure_floor() {
  log "floor: wrk -t1 -c1 -d5s"
  cat > "$work/floor.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/items/" .. counter, {["Authorization"] = "Bearer bench-token"})
end
LUA
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time-wrk.txt" \
    wrk -t1 -c1 -d5s -s "$work/floor.lua" "$BASE" > "$OUT/wrk.txt"
  if [ -x "$OHA" ]; then
    log "floor: oha -c 1 -z 5s"
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time-oha.txt" \
      "$OHA" -c 1 -z 5s --no-tui --output-format json -H "Authorization: Bearer bench-token" "$BASE/items/1" \
      > "$OUT/oha.json" 2>/dev/null || rm -f "$OUT/oha.json" "$OUT/time-oha.txt"
  fi
  if [ -n "$REQWEST_FLOOR" ]; then
    log "floor: bare reqwest loop"
    "$REQWEST_FLOOR" "$BASE" 5000 > "$OUT/reqwest-floor.txt"
  fi
}

measure_startup() {
  make_sesame_project "$work/one" 1
  make_hurl_file "$work/one.hurl" 1
  (cd "$work/one" && "$SESAME" validate --env bench >/dev/null && "$SESAME" run --env bench --jobs 1 >/dev/null)
  "$HURL" --test --variable "base_url=$BASE" "$work/one.hurl" >/dev/null 2>&1
  log "start-up: one-request files, $STARTUP_RUNS runs each"
  (cd "$work/one" && hyperfine -N --warmup 3 --runs "$STARTUP_RUNS" --export-json "$OUT/hyperfine-startup.json" \
    --command-name sesame "$SESAME run --env bench --jobs 1" \
    --command-name hurl "$HURL --test --variable base_url=$BASE $work/one.hurl" >/dev/null)
}

measure_size() { # $1 = N
  local n=$1
  make_sesame_project "$work/s$n" "$n"
  make_hurl_file "$work/h$n.hurl" "$n"
  # validate alone, once: its wall time and peak RSS
  (cd "$work/s$n" && /usr/bin/time -f "%e %U %S %M" -o "$OUT/time-sesame-validate-$n.txt" \
    "$SESAME" validate --env bench) >"$work/validate-$n.out" 2>&1 \
    || { echo "validate failed:"; tail -n 20 "$work/validate-$n.out"; } > "$OUT/failed-sesame-validate-$n.txt"
  measure "hurl-$n" "$work" "$HURL" --test --variable "base_url=$BASE" "$work/h$n.hurl"
  measure "sesame-$n" "$work/s$n" "$SESAME" run --env bench --jobs 1
  rm -rf "$work/s$n" "$work/h$n.hurl"
}

measure_parallel() {
  make_sesame_project "$work/par" "$PAR_REQUESTS" "$PAR_FILES"
  log "parallel: $PAR_FILES files x $PAR_REQUESTS requests, --jobs 1 and 2"
  (cd "$work/par" && "$SESAME" validate --env bench >/dev/null && "$SESAME" run --env bench --jobs 2 >/dev/null)
  (cd "$work/par" && hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/hyperfine-parallel.json" \
    --command-name jobs-1 "$SESAME run --env bench --jobs 1" \
    --command-name jobs-2 "$SESAME run --env bench --jobs 2" >/dev/null)
}

# --- report ----------------------------------------------------------------

write_table() {
  python3 - "$OUT" "${SIZES[@]}" > "$OUT/table.md" <<'PY'
import json, os, re, statistics, sys

out, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
p = lambda name: os.path.join(out, name)
med = statistics.median

def hyper(name, command=None, cpu=False):
    """Median wall time (s) of a hyperfine export, or with cpu=True the mean
    user+sys (s): rusage in µs, finer than GNU time's 10 ms."""
    try:
        results = json.load(open(p(name)))["results"]
    except OSError:
        return None
    for r in results:
        if command is None or r["command"] == command:
            return r["user"] + r["system"] if cpu else med(r["times"])
    return None

def gnu_time(name):  # -> (median user+sys s, median peak RSS KiB) or None
    try:
        rows = [l.split() for l in open(p(name)) if re.match(r"^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$", l.strip())]
    except OSError:
        return None
    if not rows:
        return None
    return med(float(r[1]) + float(r[2]) for r in rows), med(int(r[3]) for r in rows)

def failed(label):
    try:
        return open(p(f"failed-{label}.txt")).readline().strip()
    except OSError:
        return None

meta = open(p("meta.txt")).read()
print("## sesame vs Hurl vs the floor\n")
print("```\n" + meta.strip() + "\n```\n")

wrk = open(p("wrk.txt")).read()
floor_rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", wrk).group(1))
floor_n = int(re.search(r"([0-9]+) requests in", wrk).group(1))
floor_us = 1e6 / floor_rps
wt = gnu_time("time-wrk.txt")
floor_cpu = wt[0] / floor_n * 1e6 if wt else None
floor_rss = wt[1] / 1024 if wt else None
floors = [("floor: wrk -t1 -c1", floor_us, floor_cpu, floor_rss)]
extra = []
# The issue's floor is oha on one connection; wrk is shown beside it.
if os.path.exists(p("oha.json")):
    try:
        oha = json.load(open(p("oha.json")))
        rps = oha["summary"]["requestsPerSec"]
        ot = gnu_time("time-oha.txt")
        n_oha = rps * 5
        floors.insert(0, ("floor: oha -c 1", 1e6 / rps, ot[0] / n_oha * 1e6 if ot else None, ot[1] / 1024 if ot else None))
        floor_us = 1e6 / rps
    except (OSError, KeyError, ValueError, TypeError):
        pass
if os.path.exists(p("reqwest-floor.txt")):
    rps = float(open(p("reqwest-floor.txt")).read().split()[0])
    extra.append(("bare reqwest loop", 1e6 / rps, None, None))

startup = {t: hyper("hyperfine-startup.json", t) for t in ("sesame", "hurl")}
fmt = lambda v, f: "—" if v is None else format(v, f)
ratio = lambda a, b: "—" if a is None or b is None or b <= 0 else f"{a / b:.2f}x"
targets = []

for n in sizes:
    rows = {}
    for tool in ("hurl", "sesame"):
        label = f"{tool}-{n}"
        wall = hyper(f"hyperfine-{label}.json")
        t = gnu_time(f"time-{label}.txt")
        cpu = hyper(f"hyperfine-{label}.json", cpu=True)
        su = startup[tool]
        per = (wall - su) / n * 1e6 if wall is not None and su is not None else None
        rows[tool] = dict(per=per, wall=wall, cpu=cpu / n * 1e6 if cpu is not None else None,
                          rss=t[1] / 1024 if t else None, su=su, failed=failed(label))
    h = rows["hurl"]["per"]
    print(f"### N = {n:,}\n")
    print("| tool | per request (µs) | vs floor | vs Hurl | CPU per request (µs) | peak RSS (MiB) | start-up (ms) | wall, median (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, us, cpu, rss in floors + extra:
        print(f"| {name} | {us:.1f} | {ratio(us, floor_us)} | {ratio(us, h)} | {fmt(cpu, '.1f')} | {fmt(rss, '.1f')} | — | — |")
    for tool, name in (("hurl", "Hurl 8.0.1"), ("sesame", "sesame")):
        r = rows[tool]
        if r["failed"]:
            print(f"| {name} | failed: {r['failed'][:80]} | | | | | | |")
            continue
        print(f"| {name} | {fmt(r['per'], '.1f')} | {ratio(r['per'], floor_us)} | {ratio(r['per'], h)} "
              f"| {fmt(r['cpu'], '.1f')} | {fmt(r['rss'], '.1f')} | {fmt(r['su'] * 1000 if r['su'] else None, '.1f')} "
              f"| {fmt(r['wall'], '.2f')} |")
    if h is not None:
        print(f"\n0.5x Hurl is {0.5 * h:.1f} µs a request, {0.5 * h / floor_us:.2f}x the floor ({floors[0][0][7:]}).")
    v = gnu_time(f"time-sesame-validate-{n}.txt")
    vf = failed(f"sesame-validate-{n}")
    if vf:
        print(f"\n`sesame validate` alone: {vf}")
    elif v:
        line = open(p(f"time-sesame-validate-{n}.txt")).read().split()
        print(f"\n`sesame validate` alone: {float(line[0]):.2f} s, {v[1] / 1024:.1f} MiB peak RSS (one run)")
    print()
    s = rows["sesame"]
    ok = lambda c: "met" if c else "**not met**"
    if s["per"] is not None:
        targets.append(f"| N = {n:,}: per request ≤ 1.5x the floor | {s['per'] / floor_us:.2f}x | {ok(s['per'] <= 1.5 * floor_us)} |")
        if h is not None:
            targets.append(f"| N = {n:,}: per request ≤ 0.5x Hurl | {s['per'] / h:.2f}x | {ok(s['per'] <= 0.5 * h)} |")
    else:
        targets.append(f"| N = {n:,}: per request | sesame failed | **not met** |")
    if n in (5000, 100000):
        targets.append(f"| N = {n:,}: peak RSS ≤ 15 MiB | {fmt(s['rss'], '.1f')} MiB | {ok(s['rss'] is not None and s['rss'] <= 15)} |")

su = startup["sesame"]
targets.append(f"| start-up ≤ 5 ms (one request) | {fmt(su * 1000 if su else None, '.1f')} ms | {'met' if su and su <= 0.005 else '**not met**'} |")

j1 = hyper("hyperfine-parallel.json", "jobs-1")
j2 = hyper("hyperfine-parallel.json", "jobs-2")
if j1 and j2:
    print("### Parallel files: 20 files × 250 requests, median of 5\n")
    print("| `sesame run` | wall (s) |\n|---|---:|")
    print(f"| `--jobs 1` | {j1:.3f} |\n| `--jobs 2` | {j2:.3f} |\n| speedup | {j1 / j2:.2f}x |\n")
    targets.append(f"| `--jobs 2` ≥ 1.7x faster than `--jobs 1` (20 files) | {j1 / j2:.2f}x | {'met' if j1 / j2 >= 1.7 else '**not met**'} |")

print("### Targets (issue 11)\n")
print("| target | measured | |\n|---|---:|---|")
print("\n".join(targets))
PY
  cat "$OUT/table.md"
}

# --- main ------------------------------------------------------------------

main() {
  work=$(mktemp -d)
  trap cleanup EXIT
  install_tools
  build_sesame
  local stamp
  stamp=$(date -u +%Y-%m-%d)-$SESAME_REV
  OUT=$ROOT/bench/results/$stamp
  local i
  for i in $(seq 2 99); do [ -e "$OUT" ] || break; OUT=$ROOT/bench/results/$stamp-$i; done
  mkdir -p "$OUT"
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(uname -sr), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "sesame: $SESAME_SRC ($("$SESAME" --version)), from rev $SESAME_REV, built $(date -u -r "$SESAME_SRC" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$SESAME" | cut -c1-16)"
    [ -z "$SESAME_NOTE" ] || echo "note: the sesame binary was $SESAME_NOTE"
    echo "hurl: $("$HURL" --version | head -n1 | cut -d' ' -f1-2)"
    echo "runs: wall median and CPU mean of $RUNS (hyperfine), peak RSS median of $TIME_RUNS (GNU time), start-up median of $STARTUP_RUNS"
    echo "N: ${SIZES[*]}"
  } > "$OUT/meta.txt"
  start_nginx
  measure_floor
  measure_startup
  local n
  for n in "${SIZES[@]}"; do measure_size "$n"; done
  measure_parallel
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"
  write_table
  log "raw output in ${OUT#"$ROOT"/}"
}

main
