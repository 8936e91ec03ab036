#!/usr/bin/env bash
# Benchmark of panel screening (issue 20): `osa screen --importer countries` against DuckDB running
# SQL written from the same definitions (benches/panel_duckdb.py) on the same yearly Parquet caches,
# one run each, wall time and peak memory (max RSS, GNU time):
#   1. appending a year to the panel (`osa trade ingest --panel` of one 11M-row CSV);
#   2. every importing country of one year from the cache: swd2021 (one file; DuckDB the same
#      criteria) and geodep2024 (persistence reads t-2..t: three files for both engines);
#   3. the whole panel of YEARS years with geodep2024 (DuckDB holds the panel's groups in memory,
#      about 4 GB for 5 years: with YEARS > DUCK_MAX_YEARS both engines also screen the first
#      DUCK_MAX_YEARS years, and DuckDB only those);
#   4. with ALL=1, every country and every bloc over the panel (osa only).
# Both engines' results are compared importer by importer, product by product.
#
# Rerun:   benches/run_panel.sh              (YEARS=5 ROWS=11000000 DUCK_MAX_YEARS=5; files in
#                                             bench-out/panel, deleted at the end unless KEEP=1;
#                                             REUSE=1 keeps an existing panel of the same YEARS)
#          YEARS=25 benches/run_panel.sh     (the issue's 25 x 11M rows: 4.6 GB of caches)
# Needs:   cargo, python3 with duckdb, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

YEARS="${YEARS:-5}"
ROWS="${ROWS:-11000000}"
DUCK_MAX_YEARS="${DUCK_MAX_YEARS:-5}"
FIRST=2015
LAST=$((FIRST + YEARS - 1))
OUT="${OUT:-bench-out/panel}"
SYNTH="$OUT/synth"
PANEL="$OUT/cache"
mkdir -p "$OUT"

[ -n "${OSA_BIN:-}" ] || cargo build --release -q -p osa-cli
OSA="${OSA_BIN:-${CARGO_TARGET_DIR:-target}/release/osa}"
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb

# The panel is made a year at a time (one CSV on disk at once): every year but the last.
have=$(ls "$PANEL"/baci_*.parquet 2>/dev/null | wc -l || true)
if [ "${REUSE:-0}" = 1 ] && [ "$have" -ge "$((YEARS - 1))" ]; then
  echo "== reusing $PANEL"
else
  rm -rf "$PANEL"
  echo "== synth and ingest $((YEARS - 1)) years of $ROWS rows"
  for y in $(seq "$FIRST" $((LAST - 1))); do
    "$OSA" trade synth -o "$SYNTH" --rows "$ROWS" --products 5300 --countries 220 --years "$y-$y" --seed 1
    "$OSA" trade ingest --panel "$SYNTH/baci_synth_$y.csv" -o "$PANEL"
    rm -f "$SYNTH/baci_synth_$y.csv"
  done
fi
echo "== append $LAST"
"$OSA" trade synth -o "$SYNTH" --rows "$ROWS" --products 5300 --countries 220 --years "$LAST-$LAST" --seed 1
cat "$SYNTH/baci_synth_$LAST.csv" > /dev/null   # page cache warm
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
names=(append)
echo "== one year, every importing country"
run osa_year "$OSA" screen --trade "$PANEL" --importer countries --years "$LAST" --method swd2021 --format parquet -o "$OUT/osa_year.parquet"
run duck_year python3 benches/panel_duckdb.py --method swd2021 --files "$last_pq" --countries "$COUNTRIES" --years "$LAST-$LAST" --out "$OUT/duck_year.parquet"
# GeoDep's persistence looks back two years: DuckDB reads the last three files, osa the same.
three=$(ls "$PANEL"/baci_*.parquet | tail -3 | paste -sd, -)
run osa_year_geodep "$OSA" screen --trade "$PANEL" --importer countries --years "$LAST" --method geodep2024 --format parquet -o "$OUT/osa_year_geodep.parquet"
run duck_year_geodep python3 benches/panel_duckdb.py --files "$three" --countries "$COUNTRIES" --years "$LAST-$LAST" --out "$OUT/duck_year_geodep.parquet"
names+=(osa_year duck_year osa_year_geodep duck_year_geodep)
echo "== the whole panel ($YEARS years)"
run osa_panel "$OSA" screen --trade "$PANEL" --importer countries --method geodep2024 --format parquet -o "$OUT/osa_panel.parquet"
names+=(osa_panel)
if [ "$YEARS" -le "$DUCK_MAX_YEARS" ]; then
  run duck_panel python3 benches/panel_duckdb.py --files "$pq" --countries "$COUNTRIES" --years "$FIRST-$LAST" --out "$OUT/duck_panel.parquet"
  names+=(duck_panel)
else
  # DuckDB on the first DUCK_MAX_YEARS years only; osa on the same years for the comparison.
  small_last=$((FIRST + DUCK_MAX_YEARS - 1))
  small=$(for y in $(seq "$FIRST" "$small_last"); do echo "$PANEL/baci_$y.parquet"; done | paste -sd, -)
  run osa_panel_small "$OSA" screen --trade "$PANEL" --importer countries --years "$FIRST-$small_last" --method geodep2024 --format parquet -o "$OUT/osa_panel_small.parquet"
  run duck_panel python3 benches/panel_duckdb.py --files "$small" --countries "$COUNTRIES" --years "$FIRST-$small_last" --out "$OUT/duck_panel.parquet"
  names+=(osa_panel_small duck_panel)
fi
if [ "${ALL:-0}" = 1 ]; then
  run osa_panel_all "$OSA" screen --trade "$PANEL" --importer all --method geodep2024 --format parquet -o "$OUT/osa_panel_all.parquet"
  names+=(osa_panel_all)
fi

echo "== agreement"
python3 benches/panel_duckdb.py --compare "$OUT/osa_year.parquet" "$OUT/duck_year.parquet"
python3 benches/panel_duckdb.py --compare "$OUT/osa_year_geodep.parquet" "$OUT/duck_year_geodep.parquet"
if [ -f "$OUT/osa_panel_small.parquet" ]; then
  python3 benches/panel_duckdb.py --compare "$OUT/osa_panel_small.parquet" "$OUT/duck_panel.parquet"
elif [ -f "$OUT/duck_panel.parquet" ]; then
  python3 benches/panel_duckdb.py --compare "$OUT/osa_panel.parquet" "$OUT/duck_panel.parquet"
fi

echo "== results ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
for n in "${names[@]}"; do
  read -r wall rss < "$OUT/$n.time"
  q=$(cat "$OUT/$n.query" 2>/dev/null || true)
  s=$(grep -o 'screened in [0-9.]* s' "$OUT/$n.err" 2>/dev/null | awk '{print $3}' || true)
  printf "%-18s wall %6.2f s  peak %6.0f MB  %s%s\n" "$n" "$wall" "$((rss / 1024))" "${q:+query $q s}" "${s:+screen $s s}"
done
du -sh "$PANEL"
[ "${KEEP:-0}" = 1 ] || rm -rf "$PANEL" "$SYNTH" "$OUT"/*.parquet
