#!/usr/bin/env bash
# Benchmark of data in by upload (issue 16): one synthetic BACI year of about 11 million rows
# (`osa trade synth`, ~0.5 GB CSV) sent to `osa serve` over HTTP with curl -T, two ways: streamed
# as the body of PUT /api/v1/trade-datasets/ID/csv (ingested while it arrives), and in two steps
# (POST /api/v1/uploads, then PUT /api/v1/trade-datasets/ID starts the job); each job polled at
# GET /api/v1/jobs/N until done. Against `osa trade ingest` of the same file at the terminal.
# Reports the wall time of each, their ratio, and peak memory: each server's VmHWM (a fresh
# process per path, from start to the end of its job) and `osa trade ingest`'s max RSS.
#
# Rerun:   benches/run_upload.sh      (files in bench-out/; the synthetic year is made once)
# Needs:   cargo, curl, python3, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
YEAR=2021
SYNTH="${SYNTH:-bench-out/synth}"
OUT=bench-out/upload
CSV="$SYNTH/baci_synth_$YEAR.csv"
COUNTRIES="$SYNTH/country_codes_synth.csv"
PORT=18190
rm -rf "$OUT" && mkdir -p "$OUT"

cargo build --release -q -p osa-cli
OSA="${CARGO_TARGET_DIR:-target}/release/osa"
if [ ! -f "$CSV" ]; then
  "$OSA" trade synth -o "$SYNTH" --rows 11000000 --products 5300 --countries 220 --year "$YEAR" --seed 1
fi
cat "$CSV" > /dev/null   # the page cache warm for both

echo "== osa trade ingest (terminal)"
/usr/bin/time -f "%e %M" -o "$OUT/ingest.time" "$OSA" trade ingest "$CSV" --countries "$COUNTRIES" -o "$OUT/terminal.parquet"
read -r T_CLI RSS_CLI < "$OUT/ingest.time"

# One server per path, so that each peak (VmHWM) is its own.
serve() {
  rm -rf "$OUT/data"
  printf 'bench-password-long\n' | "$OSA" user add bench --role reviewer --password-stdin --data "$OUT/data"
  "$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
  curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
    -d '{"name":"bench","password":"bench-password-long"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
  TOKEN=$(curl -sf -b "$OUT/cj" -H 'content-type: application/json' -H 'sec-fetch-site: same-origin' \
    -d '{"label":"bench"}' "http://127.0.0.1:$PORT/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  AUTH="Authorization: Bearer $TOKEN"
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; }
trap 'kill $PID 2>/dev/null || true' EXIT
sha() { python3 -c 'import json,sys; print(json.load(sys.stdin)["upload"])'; }
job_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
wait_job() {
  while :; do
    PHASE=$(curl -sf -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/jobs/$1" | tee "$OUT/job.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"])')
    [ "$PHASE" = done ] && break
    [ "$PHASE" = failed ] && { cat "$OUT/job.json"; exit 1; }
    sleep 0.1
  done
}
report() {  # label start uploaded end
  HWM=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  python3 - "$T_CLI" "$1" "$2" "$3" "$4" "$HWM" "$OUT/job.json" <<'PY'
import json, sys
t_cli, label, start, uploaded, end, hwm, job = sys.argv[1:8]
t_cli, start, uploaded, end = float(t_cli), float(start), float(uploaded), float(end)
rows = json.load(open(job))["result"]["rows"]
print(f"{label}: {end - start:6.1f} s (body sent {uploaded - start:.1f} s, then {end - uploaded:.1f} s), "
      f"{rows:,} rows, server peak {int(hwm) / 1024:.0f} MB (VmHWM); "
      f"{(end - start) / t_cli:.2f}x the terminal's ingest (bound 1.5x, 300 MB)")
PY
}

echo "== streamed: PUT /api/v1/trade-datasets/ID/csv, ingested while it arrives"
serve streamed
TABLE=$(curl -sf -H "$AUTH" -H 'content-type: application/octet-stream' -T "$COUNTRIES" -X POST "http://127.0.0.1:$PORT/api/v1/uploads" | sha)
START=$(date +%s.%N)
JOB=$(curl -sf -H "$AUTH" -H 'content-type: text/csv' -T "$CSV" -X PUT \
  "http://127.0.0.1:$PORT/api/v1/trade-datasets/synth-$YEAR/csv?countries=$TABLE&note=benchmark" | job_id)
UPLOADED=$(date +%s.%N)
wait_job "$JOB"
END=$(date +%s.%N)
STREAMED=$(report "streamed  " "$START" "$UPLOADED" "$END")
stop

echo "== two steps: POST /api/v1/uploads, then PUT /api/v1/trade-datasets/ID"
serve two-step
START=$(date +%s.%N)
UP=$(curl -sf -H "$AUTH" -H 'content-type: application/octet-stream' -T "$CSV" -X POST "http://127.0.0.1:$PORT/api/v1/uploads" | sha)
UPLOADED=$(date +%s.%N)
TABLE=$(curl -sf -H "$AUTH" -H 'content-type: application/octet-stream' -T "$COUNTRIES" -X POST "http://127.0.0.1:$PORT/api/v1/uploads" | sha)
JOB=$(curl -sf -H "$AUTH" -H 'content-type: application/json' -X PUT \
  -d "{\"upload\":\"$UP\",\"countries\":\"$TABLE\",\"note\":\"benchmark\"}" \
  "http://127.0.0.1:$PORT/api/v1/trade-datasets/synth-$YEAR" | job_id)
wait_job "$JOB"
END=$(date +%s.%N)
TWO=$(report "two steps " "$START" "$UPLOADED" "$END")
stop

echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB)"
echo "osa trade ingest:  $T_CLI s, max RSS $((RSS_CLI / 1024)) MB"
echo "$STREAMED"
echo "$TWO"
