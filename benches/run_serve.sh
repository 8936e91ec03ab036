#!/usr/bin/env bash
# Benchmark of `osa serve` (release build, SQLite) with wrk, side by side with Datasette serving the
# same published matrix from a SQLite file as JSON, in one run on this machine:
#   GET /api/v1/matrix, GET /api/v1/technologies/6g (a dossier), POST a proposal (a new AI-app
#   assessment: proposal + audit row per request; at 64 and at 16 connections), and Datasette's
#   /matrix/cells.json.
# Reports requests/s and p99 latency for each, the ratios against Datasette, and the server's peak
# memory (VmHWM) under load.
#
# Rerun:   benches/run_serve.sh     (DUR=10s CONN=64 by default; files in bench-out/serve/)
# Needs:   cargo, wrk (Debian), python3 with datasette (pip), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}"
CONN="${CONN:-64}"
OUT=bench-out/serve
PORT=18180
DSPORT=18181
rm -rf "$OUT" && mkdir -p "$OUT"

cargo build --release -q -p osa-cli
OSA=target/release/osa
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
python3 -c "import datasette" 2>/dev/null || pip install -q datasette

printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin --data "$OUT/data"
"$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID $DSPID 2>/dev/null || true' EXIT
DSPID=""
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-long"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
TOKEN=$(curl -sf -b "$OUT/cj" -H 'content-type: application/json' -H 'sec-fetch-site: same-origin' \
  -d '{"label":"bench"}' "http://127.0.0.1:$PORT/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
curl -sf -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/matrix" > "$OUT/matrix.json"

# The same published matrix as a SQLite table, one row per cell, for Datasette.
python3 - "$OUT/matrix.json" "$OUT/matrix.db" <<'PY'
import json, sqlite3, sys
m = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
db.execute("create table cells (technology text, name text, kind text, seed_lines text, dimension text, level integer, label text, silent integer, rationale text, evidence text)")
for t in m["technologies"]:
    for d, c in t["dimensions"].items():
        db.execute("insert into cells values (?,?,?,?,?,?,?,?,?,?)", (t["id"], t["name"], t["kind"], t["seed_lines"], d,
                   c.get("level"), c.get("label"), int(c.get("silent", False)), c.get("rationale"), json.dumps(c.get("evidence", []))))
db.commit()
print("matrix.db:", db.execute("select count(*) from cells").fetchone()[0], "cells")
PY
datasette serve "$OUT/matrix.db" -p "$DSPORT" --setting max_returned_rows 1000 > "$OUT/datasette.log" 2>&1 &
DSPID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$DSPORT/matrix/cells.json?_shape=array&_size=max" >/dev/null && break; sleep 0.1; done

bench() { # name, extra wrk args..., url
  local name="$1"; shift
  wrk -t2 -c"$CONN" -d"$DUR" --latency "$@" > "$OUT/$name.txt"
  local rps p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")
  errs=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.txt"); errs=${errs:-0}
  echo "$name $rps $p99 $errs" >> "$OUT/summary.txt"
  printf '%-10s %10s req/s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p99" "$errs"
}
: > "$OUT/summary.txt"
bench matrix -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/matrix"
bench dossier -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/technologies/6g"
bench datasette "http://127.0.0.1:$DSPORT/matrix/cells.json?_shape=array&_size=max"
bench propose -s benches/serve_post.lua "http://127.0.0.1:$PORT" -- "$TOKEN" c64
CONN=16 bench propose16 -s benches/serve_post.lua "http://127.0.0.1:$PORT" -- "$TOKEN" c16
echo "osa serve peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
python3 - "$OUT/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
def ms(s):
    return float(s[:-2]) if s.endswith("ms") else float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-1]) * 1000
ds = rows["datasette"]
for k in ("matrix", "dossier"):
    r = rows[k]
    print(f"{k} vs datasette: throughput x{float(r[0]) / float(ds[0]):.1f}, p99 {ms(r[1]):.2f} ms vs {ms(ds[1]):.2f} ms")
PY
