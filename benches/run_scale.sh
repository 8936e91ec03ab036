#!/usr/bin/env bash
# Benchmark of scale out (issue 17 item 8): read throughput of two `osa serve` processes on one
# PostgreSQL database against one process. One run: a throwaway PostgreSQL cluster, the seeded
# record, an API token; wrk reads GET /api/v1/matrix and GET /api/v1/technologies/6g (a dossier) at
# CONN connections from one process, then from two (two wrk at once, CONN/2 connections each, one
# per process; the figure is their sum). Reads are not under the per-user write budget, so one
# token is enough. Every process, wrk and PostgreSQL share this machine's cores: on 2 cores two
# processes cannot double anything (see BENCHMARKS.md).
#
# Rerun:   benches/run_scale.sh     (DUR=10s CONN=64 PROFILE=release by default; PROFILE=debug
#          uses the debug build; files in bench-out/scale/)
# Needs:   cargo, wrk (Debian), curl, python3, PostgreSQL's initdb/pg_ctl/createdb.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}"
CONN="${CONN:-64}"
PROFILE="${PROFILE:-release}"
OUT="$PWD/bench-out/scale"
PORTS=(18380 18381)
PGPORT=18390
rm -rf "$OUT" && mkdir -p "$OUT"
if [ "$PROFILE" = release ]; then cargo build --release -q -p osa-cli; else cargo build -q -p osa-cli; fi
OSA="${CARGO_TARGET_DIR:-target}/$PROFILE/osa"
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
PIDS=()
PGUSER_OPT=()
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
trap 'kill "${PIDS[@]}" 2>/dev/null || true; "${PGUSER_OPT[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg" stop -m fast >/dev/null 2>&1 || true' EXIT
[ "$(id -u)" = 0 ] && PGUSER_OPT=(runuser -u nobody --) && chmod 777 "$OUT"
"${PGUSER_OPT[@]}" "$PGBIN/initdb" -D "$OUT/pg" -U postgres --auth=trust >/dev/null
"${PGUSER_OPT[@]}" "$PGBIN/pg_ctl" -D "$OUT/pg" -o "-p $PGPORT -k $OUT -c listen_addresses=127.0.0.1" -l "$OUT/pg.log" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres osa
DB=(--database "postgres://postgres@127.0.0.1:$PGPORT/osa" --data "$OUT/data")
printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin "${DB[@]}" >/dev/null

start() { # port
  "$OSA" serve "${DB[@]}" --bind "127.0.0.1:$1" > "$OUT/serve-$1.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$1/api/v1/health" >/dev/null && return; sleep 0.1; done
  echo "osa serve on $1 did not start"; exit 1
}
start "${PORTS[0]}"
curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-long"}' "http://127.0.0.1:${PORTS[0]}/api/v1/session" >/dev/null
TOKEN=$(curl -sf -b "$OUT/cj" -H 'content-type: application/json' -H 'sec-fetch-site: same-origin' \
  -d '{"label":"bench"}' "http://127.0.0.1:${PORTS[0]}/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
non2xx() { local e; e=$(awk '/Non-2xx/ {print $5}' "$1"); echo "${e:-0}"; }
one() { # name, path
  curl -sf -H "$AUTH" "http://127.0.0.1:${PORTS[0]}$2" >/dev/null   # warm the caches
  wrk -t2 -c"$CONN" -d"$DUR" --latency -H "$AUTH" "http://127.0.0.1:${PORTS[0]}$2" > "$OUT/$1-one.txt"
  printf '%-8s one process:   %9s req/s   p99 %8s   non-2xx %s\n' "$1" "$(rps "$OUT/$1-one.txt")" \
    "$(p99 "$OUT/$1-one.txt")" "$(non2xx "$OUT/$1-one.txt")"
}
two() { # name, path
  for p in "${PORTS[@]}"; do curl -sf -H "$AUTH" "http://127.0.0.1:$p$2" >/dev/null; done
  wrk -t1 -c$((CONN / 2)) -d"$DUR" --latency -H "$AUTH" "http://127.0.0.1:${PORTS[0]}$2" > "$OUT/$1-two-a.txt" &
  local first=$!
  wrk -t1 -c$((CONN / 2)) -d"$DUR" --latency -H "$AUTH" "http://127.0.0.1:${PORTS[1]}$2" > "$OUT/$1-two-b.txt"
  wait "$first"
  local a b
  a=$(rps "$OUT/$1-two-a.txt"); b=$(rps "$OUT/$1-two-b.txt")
  printf '%-8s two processes: %9s req/s   (%s + %s; p99 %s and %s; non-2xx %s and %s)\n' "$1" \
    "$(python3 -c "print(f'{$a + $b:.2f}')")" "$a" "$b" "$(p99 "$OUT/$1-two-a.txt")" "$(p99 "$OUT/$1-two-b.txt")" \
    "$(non2xx "$OUT/$1-two-a.txt")" "$(non2xx "$OUT/$1-two-b.txt")"
  python3 -c "print(f'{\"$1\":<8} two / one: x{($a + $b) / $(rps "$OUT/$1-one.txt"):.2f}')"
}
echo "cores: $(nproc); profile: $PROFILE; $DUR at $CONN connections"
one matrix /api/v1/matrix
one dossier /api/v1/technologies/6g
start "${PORTS[1]}"
two matrix /api/v1/matrix
two dossier /api/v1/technologies/6g
