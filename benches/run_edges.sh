#!/usr/bin/env bash
# Benchmark of connection hoarding (issue 17 item 7): other clients' latency while one client
# (127.0.0.2) holds HOARD half-open connections (half a request's headers each, reopened as soon
# as the server closes one: benches/hoard.py) against `osa serve` (release build, SQLite).
# wrk (from 127.0.0.1) measures GET /api/v1/health with CONN connections kept alive, then with a
# new connection per request (`Connection: close`, as clients arriving after the hoarder do);
# first without the hoarder, then with it.
#
# Rerun:   benches/run_edges.sh    (DUR=10s CONN=16 HOARD=1100; files in bench-out/edges/)
#          OSA=path/to/osa benches/run_edges.sh   measures another build (e.g. before the change)
# Needs:   cargo, wrk (Debian), python3, curl; Linux (127.0.0.2 is a loopback address).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}"
CONN="${CONN:-16}"
HOARD="${HOARD:-1100}"
OUT=bench-out/edges
PORT=18380
rm -rf "$OUT" && mkdir -p "$OUT"
if [ -z "${OSA:-}" ]; then
  cargo build --release -q -p osa-cli
  OSA=target/release/osa
fi
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
ulimit -n 20000

printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin --data "$OUT/data" >/dev/null
"$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
HPID=""
trap 'kill $PID $HPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done

bench() { # name, extra wrk args...
  local name="$1"; shift
  wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" "http://127.0.0.1:$PORT/api/v1/health" > "$OUT/$name.txt" 2>&1 || true
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")
  errs=$(awk '/Socket errors/ {print $3,$4,$5,$6,$7,$8,$9,$10}' "$OUT/$name.txt")
  printf '%-22s %10s req/s   p50 %9s   p99 %9s   %s\n' "$name" "$rps" "$p50" "$p99" "${errs:-no socket errors}"
}
bench alone-keepalive
bench alone-new-conn -H 'Connection: close'
python3 benches/hoard.py 127.0.0.1 "$PORT" "$HOARD" 127.0.0.2 > "$OUT/hoard.log" 2>&1 &
HPID=$!
sleep 3
echo "hoarder: $(tail -1 "$OUT/hoard.log")"
bench hoarded-keepalive
bench hoarded-new-conn -H 'Connection: close'
echo "hoarder: $(tail -1 "$OUT/hoard.log")"
