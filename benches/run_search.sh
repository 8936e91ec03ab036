#!/usr/bin/env bash
# Benchmark of search (issue 18): p99 latency at 16 concurrent users of `osa serve` (release
# build), on SQLite and on PostgreSQL, with the report's text loaded. wrk runs 16 connections over
# 16 queries (benches/search.lua); the first request of each backend builds the index (timed apart).
#
# Rerun:   benches/run_search.sh        (DUR=10s CONN=16 by default; files in bench-out/search/)
# Needs:   cargo, wrk (Debian), curl, PostgreSQL's initdb/pg_ctl (the PostgreSQL part is skipped
#          without them), and the report's text at ../shared/seed (or OSA_SEED).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}"
CONN="${CONN:-16}"
OUT="$PWD/bench-out/search"
PORT=18280
PGPORT=18290
SEED="${OSA_SEED:-../shared/seed/000_0bfe460a9d94b6ca.compact.txt}"
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release -q -p osa-cli
OSA=target/release/osa
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
PIDS=()
PGUSER_OPT=()
PGBIN=""
trap 'kill "${PIDS[@]}" 2>/dev/null || true; if [ -d "$OUT/pg" ]; then "${PGUSER_OPT[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg" stop -m fast >/dev/null 2>&1 || true; fi' EXIT

run() { # label, database args...
  local label="$1"; shift
  printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin "$@" >/dev/null
  "$OSA" serve "$@" --seed "$SEED" --bind "127.0.0.1:$PORT" > "$OUT/$label-serve.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
  curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
    -d '{"name":"bench","password":"bench-password-long"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
  local token
  token=$(curl -sf -b "$OUT/cj" -H 'content-type: application/json' -H 'sec-fetch-site: same-origin' \
    -d '{"label":"bench"}' "http://127.0.0.1:$PORT/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  local first
  first=$(curl -s -o "$OUT/$label-first.json" -w '%{time_total}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/api/v1/search?q=gallium")
  wrk -t2 -c"$CONN" -d"$DUR" --latency -s benches/search.lua "http://127.0.0.1:$PORT" -- "$token" > "$OUT/$label.txt"
  local rps p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$label.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$label.txt")
  errs=$(awk '/Non-2xx/ {print $5}' "$OUT/$label.txt"); errs=${errs:-0}
  printf '%-10s first request (builds the index) %ss   %s req/s   p99 %s   non-2xx %s   peak memory %s\n' \
    "$label" "$first" "$rps" "$p99" "$errs" "$(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run sqlite --data "$OUT/data"

PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
if [ -x "$PGBIN/initdb" ]; then
  [ "$(id -u)" = 0 ] && PGUSER_OPT=(runuser -u nobody --) && chmod 777 "$OUT"
  "${PGUSER_OPT[@]}" "$PGBIN/initdb" -D "$OUT/pg" -U postgres --auth=trust >/dev/null
  "${PGUSER_OPT[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg" -o "-p $PGPORT -k $OUT -c listen_addresses=127.0.0.1" -l "$OUT/pg.log" start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres osa
  run postgres --database "postgres://postgres@127.0.0.1:$PGPORT/osa"
else
  echo "SKIP postgres: no initdb found"
fi
