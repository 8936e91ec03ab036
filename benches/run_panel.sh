#!/usr/bin/env bash
# Benchmark of panel screening (issue 20): `osa screen --importer countries --method geodep2024`
# against DuckDB running SQL written from GeoDep's definitions (benches/panel_duckdb.py) on the same
# yearly Parquet caches, one run each:
#   1. every importing country of one synthetic year of about 11 million rows, from the cache;
#   2. a panel of YEARS years (default 5; the issue's 25 x 11M rows do not fit the disk here: the
#      figures are extrapolated in BENCHMARKS.md), wall time and peak memory (max RSS);
#   3. appending a year to the panel (`osa trade ingest` of one CSV into the panel folder).
# Both engines' results are compared importer by importer, product by product.
#
# Rerun:   benches/run_panel.sh          (YEARS=5 ROWS=11000000; files in bench-out/panel, deleted
#                                         at the end unless KEEP=1)
# Needs:   cargo, python3 with duckdb, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

YEARS="${YEARS:-5}"
ROWS="${ROWS:-11000000}"
FIRST=2015
LAST=$((FIRST + YEARS - 1))
OUT="${OUT:-bench-out/panel}"
SYNTH="$OUT/synth"
PANEL="$OUT/cache"
mkdir -p "$OUT"

[ -n "${OSA_BIN:-}" ] || cargo build --release -q -p osa-cli
OSA="${OSA_BIN:-${CARGO_TARGET_DIR:-target}/release/osa}"
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb

echo "== synth $YEARS years of $ROWS rows, ingest all but the last"
"$OSA" trade synth -o "$SYNTH" --rows "$ROWS" --products 5300 --countries 220 --years "$FIRST-$LAST" --seed 1
files=()
for y in $(seq "$FIRST" $((LAST - 1))); do files+=("$SYNTH/baci_synth_$y.csv"); done
"$OSA" trade ingest "${files[@]}" -o "$PANEL"
echo "== append $LAST"
/usr/bin/time -f "%e %M" -o "$OUT/append.time" "$OSA" trade ingest --panel "$SYNTH/baci_synth_$LAST.csv" -o "$PANEL"
rm -f "$SYNTH"/baci_synth_*.csv
cat "$PANEL"/*.parquet > /dev/null   # page cache warm for both engines
COUNTRIES="$SYNTH/country_codes_synth.csv"
pq=$(ls "$PANEL"/baci_*.parquet | paste -sd, -)
last_pq="$PANEL/baci_$LAST.parquet"

run() { # name, command...
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" 2> "$OUT/$name.err" > /dev/null
  grep -o 'query [0-9.]*' "$OUT/$name.err" | awk '{print $2}' > "$OUT/$name.query" || true
}
echo "== one year, every importing country"
run osa_year "$OSA" screen --trade "$PANEL" --importer countries --years "$LAST" --method swd2021 --format parquet -o "$OUT/osa_year.parquet"
# GeoDep's persistence looks back two years: DuckDB reads the last three files, osa the same.
three=$(ls "$PANEL"/baci_*.parquet | tail -3 | paste -sd, -)
run osa_year_geodep "$OSA" screen --trade "$PANEL" --importer countries --years "$LAST" --method geodep2024 --format parquet -o "$OUT/osa_year_geodep.parquet"
run duck_year_geodep python3 benches/panel_duckdb.py --files "$three" --countries "$COUNTRIES" --years "$LAST-$LAST" --out "$OUT/duck_year_geodep.parquet"
echo "== the whole panel"
run osa_panel "$OSA" screen --trade "$PANEL" --importer countries --method geodep2024 --format parquet -o "$OUT/osa_panel.parquet"
run duck_panel python3 benches/panel_duckdb.py --files "$pq" --countries "$COUNTRIES" --years "$FIRST-$LAST" --out "$OUT/duck_panel.parquet"
run osa_panel_all "$OSA" screen --trade "$PANEL" --importer all --method geodep2024 --format parquet -o "$OUT/osa_panel_all.parquet"

echo "== agreement"
python3 benches/panel_duckdb.py --compare "$OUT/osa_year_geodep.parquet" "$OUT/duck_year_geodep.parquet"
python3 benches/panel_duckdb.py --compare "$OUT/osa_panel.parquet" "$OUT/duck_panel.parquet"

echo "== results ($(nproc) cores)"
for n in append osa_year osa_year_geodep duck_year_geodep osa_panel duck_panel osa_panel_all; do
  read -r wall rss < "$OUT/$n.time"
  q=$(cat "$OUT/$n.query" 2>/dev/null || true)
  printf "%-18s wall %6.2f s  peak %6.0f MB  %s\n" "$n" "$wall" "$((rss / 1024))" "${q:+query $q s}"
done
du -sh "$PANEL"
[ "${KEEP:-0}" = 1 ] || rm -rf "$PANEL" "$SYNTH" "$OUT"/*.parquet
