#!/usr/bin/env bash
# Benchmark of the workbench's pages as `osa serve` answers them (release build, SQLite, a fresh
# data folder with one signed-in user), in one run on this machine:
#   - wrk with CONN connections (default 32) against each page of PAGES: requests/s, p99 latency
#     (wrk --latency) and non-2xx answers;
#   - each page's transfer size: the HTML plus the assets it links (/assets/...), as curl counts
#     them (size_download; the server does not compress);
#   - first-contentful-paint in headless Chromium (the ignored `fcp` browser test over WebDriver:
#     each page loaded FCP_RUNS times after two warm-up loads, median and p95).
# A proposal is opened first, so the review queue and the proposal page have content.
#
# Rerun:   benches/run_pages.sh   (DUR=10s CONN=32 FCP_RUNS=20; PAGES="/ /tech/6g ..." to choose;
#          files in bench-out/pages/). Honours CARGO_TARGET_DIR.
# Needs:   cargo, wrk (Debian), curl, python3, chromium + chromium-driver (Debian) for the FCP part
#          (skipped with a note without them).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}"
CONN="${CONN:-32}"
FCP_RUNS="${FCP_RUNS:-20}"
PAGES_SET="${PAGES:-}"
PAGES="${PAGES:-/ /tech/6g /tech/chip-design /actors /checklist /sources /method /review /review/1 /tech/6g/national_security/history /tech/6g/national_security/propose /ecosystems /ecosystems/semiconductors /scenarios /scenarios/china-rare-earths /trade /events /watchlists /changes /apps /signin}"
OUT=bench-out/pages
PORT=18190
BASE="http://127.0.0.1:$PORT"
rm -rf "$OUT" && mkdir -p "$OUT"

TARGET="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p osa-cli
# A copy: a shared target folder's binary may be rebuilt by someone else during the run.
cp "$TARGET/release/osa" "$OUT/osa"
OSA="$OUT/osa"
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)

printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin --data "$OUT/data" >/dev/null
"$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-long"}' "$BASE/api/v1/session" >/dev/null
COOKIE=$(awk '$6 == "osa_session" {print $7}' "$OUT/cj")
[ -n "$COOKIE" ] || { echo "error: no session cookie" >&2; exit 1; }
H="Cookie: osa_session=$COOKIE"

# An open proposal (6G national security 4 -> 3) for /review and /review/1.
ETAG=$(curl -sf -D - -o /dev/null -H "$H" "$BASE/api/v1/technologies/6g" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
curl -sf -o /dev/null -H "$H" -H 'sec-fetch-site: same-origin' -H "if-match: $ETAG" -H 'content-type: application/json' \
  -d '{"level":3,"rationale":"The abstract ranks national security first within the chapter; across technologies 3 is tenable.","evidence":[{"text":"National security is still the greatest concern (within the chapter).","source":"seed L2062-2063"}],"note":"benchmark"}' \
  "$BASE/api/v1/technologies/6g/dimensions/national_security/proposals"

# The heavy pages need data: a stored scenario run, the real BACI sample screened, and the ETO 2026
# release registered (a reviewer registers; both from ../shared/data, skipped when it is absent).
SHARED="${OSA_SHARED_DATA:-../shared/data}"
printf 'benchrev-password-long\n' | "$OSA" user add benchrev --role reviewer --password-stdin --data "$OUT/data" >/dev/null 2>&1 || true
curl -sf -c "$OUT/cjr" -H 'content-type: application/json' \
  -d '{"name":"benchrev","password":"benchrev-password-long"}' "$BASE/api/v1/session" >/dev/null
HR="Cookie: osa_session=$(awk '$6 == "osa_session" {print $7}' "$OUT/cjr")"
post() { curl -sf -o /dev/null -X "$1" -H "$2" -H 'sec-fetch-site: same-origin' -H 'content-type: application/json' -d "$3" "$BASE$4"; }
post POST "$H" '{"draws":500}' /api/v1/scenarios/china-rare-earths/runs && EXTRA="/scenarios/china-rare-earths/runs/1"
if [ -d "$SHARED/baci_sample" ]; then
  post PUT "$HR" "{\"path\":\"$(cd "$SHARED" && pwd)/baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv\",\"note\":\"bench\"}" /api/v1/trade-datasets/baci &&
    post POST "$H" '{"importer":"EU27","year":2021}' /api/v1/trade-datasets/baci/screenings &&
    EXTRA="$EXTRA /trade/screenings/baci/1"
fi
if [ -d "$SHARED/eto/v2026_chip_explorer" ]; then
  post POST "$HR" "{\"ecosystem\":\"eto\",\"label\":\"2026\",\"note\":\"bench\",\"source\":\"$(cd "$SHARED" && pwd)/eto/v2026_chip_explorer\"}" /api/v1/releases &&
    EXTRA="$EXTRA /ecosystems/eto?holder=CHN"
fi
[ -n "${PAGES_SET:-}" ] || PAGES="$PAGES ${EXTRA:-}"
: > "$OUT/summary.txt"
printf '%-42s %10s %10s %8s %9s %9s %9s\n' page "req/s" p99 non-2xx html_B assets_B total_B
for p in $PAGES; do
  name=$(echo "$p" | tr '/?=&' '____' | sed 's/^_//; s/^$/overview/'); name=${name:-overview}
  status=$(curl -s -o "$OUT/$name.html" -w '%{http_code}' -H "$H" "$BASE$p")
  [ "$status" = 200 ] || echo "warning: $p answered $status" >&2
  html=$(curl -s -o /dev/null -w '%{size_download}' -H "$H" "$BASE$p")
  assets=0
  for a in $(grep -oE '(href|src)="/assets/[^"]+"' "$OUT/$name.html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u); do
    assets=$((assets + $(curl -s -o /dev/null -w '%{size_download}' -H "$H" "$BASE$a")))
  done
  wrk -t2 -c"$CONN" -d"$DUR" --latency -H "$H" "$BASE$p" > "$OUT/$name.wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.wrk.txt")
  errs=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.wrk.txt"); errs=${errs:-0}
  echo "$p $rps $p99 $errs $html $assets $((html + assets))" >> "$OUT/summary.txt"
  printf '%-42s %10s %10s %8s %9s %9s %9s\n' "$p" "$rps" "$p99" "$errs" "$html" "$assets" "$((html + assets))"
done
echo "osa serve peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"

# First-contentful-paint in headless Chromium, through the browser test harness (its debug build is
# enough: the browser does the work; FCP_PROFILE=release to build it optimized).
if [ -x /usr/bin/chromedriver ] || [ -n "${OSA_CHROMEDRIVER:-}" ]; then
  prof=()
  [ "${FCP_PROFILE:-debug}" = release ] && prof=(--release)
  OSA_FCP_BASE="$BASE" OSA_FCP_PATHS="$(echo $PAGES | tr ' ' ',')" OSA_FCP_USER=bench OSA_FCP_RUNS="$FCP_RUNS" \
    cargo test -q "${prof[@]}" -p osa-server --test browser -- --ignored --exact fcp::fcp --nocapture \
    > "$OUT/fcp.log" 2>&1 || { echo "error: the FCP run failed, see $OUT/fcp.log" >&2; exit 1; }
  grep '^FCP' "$OUT/fcp.log" | tee "$OUT/fcp.txt"
else
  echo "FCP skipped: chromedriver not found (apt-get install chromium-driver)"
fi
