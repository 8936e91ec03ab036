#!/usr/bin/env bash
# Benchmark of data in by upload (issue 16): one synthetic BACI year of about 11 million rows
# (`osa trade synth`, ~0.5 GB CSV) uploaded to `osa serve` over HTTP (POST /api/v1/uploads, the CSV
# and its country table streamed with curl -T), registered (PUT /api/v1/trade-datasets/ID) and
# ingested by the server's job into a Parquet cache, polled at GET /api/v1/jobs/N until done;
# against `osa trade ingest` of the same file at the terminal. Reports the wall time of each, their
# ratio, and peak memory: the server's VmHWM (whole process, from start to the end of the job) and
# `osa trade ingest`'s max RSS.
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

echo "== upload and ingest through osa serve"
printf 'bench-password-long\n' | "$OSA" user add bench --role reviewer --password-stdin --data "$OUT/data"
"$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-long"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
TOKEN=$(curl -sf -b "$OUT/cj" -H 'content-type: application/json' -H 'sec-fetch-site: same-origin' \
  -d '{"label":"bench"}' "http://127.0.0.1:$PORT/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
sha() { python3 -c 'import json,sys; print(json.load(sys.stdin)["upload"])'; }
START=$(date +%s.%N)
UP=$(curl -sf -H "$AUTH" -H 'content-type: application/octet-stream' -T "$CSV" -X POST "http://127.0.0.1:$PORT/api/v1/uploads" | sha)
UPLOADED=$(date +%s.%N)
TABLE=$(curl -sf -H "$AUTH" -H 'content-type: application/octet-stream' -T "$COUNTRIES" -X POST "http://127.0.0.1:$PORT/api/v1/uploads" | sha)
JOB=$(curl -sf -H "$AUTH" -H 'content-type: application/json' -X PUT \
  -d "{\"upload\":\"$UP\",\"countries\":\"$TABLE\",\"note\":\"benchmark\"}" \
  "http://127.0.0.1:$PORT/api/v1/trade-datasets/synth-$YEAR" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
while :; do
  PHASE=$(curl -sf -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB" | tee "$OUT/job.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["phase"])')
  [ "$PHASE" = done ] && break
  [ "$PHASE" = failed ] && { cat "$OUT/job.json"; exit 1; }
  sleep 0.2
done
END=$(date +%s.%N)
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
python3 - "$T_CLI" "$RSS_CLI" "$START" "$UPLOADED" "$END" "$HWM" "$CSV" "$OUT/job.json" <<'PY'
import json, os, sys
t_cli, rss_cli, start, uploaded, end, hwm, csv, job = sys.argv[1:9]
t_cli, start, uploaded, end = float(t_cli), float(start), float(uploaded), float(end)
j = json.load(open(job))
rows = j["result"]["rows"]
print(f"file: {csv} ({os.path.getsize(csv) / 1e6:.0f} MB, {rows:,} rows)")
print(f"osa trade ingest:          {t_cli:6.1f} s, max RSS {int(rss_cli) / 1024:.0f} MB")
print(f"upload + ingest over HTTP: {end - start:6.1f} s (upload {uploaded - start:.1f} s, job {end - uploaded:.1f} s), "
      f"server peak {int(hwm) / 1024:.0f} MB (VmHWM)")
print(f"ratio: {(end - start) / t_cli:.2f}x the terminal's ingest (bound 1.5x); peak bound 300 MB")
PY
