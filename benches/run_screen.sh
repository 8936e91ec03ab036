#!/usr/bin/env bash
# Benchmark of `osa screen` (EU27, one synthetic BACI year of about 11 million rows) against DuckDB
# running the equivalent SQL (benches/screen_duckdb.py) on the same CSV and the same Parquet cache.
# Reports wall time (median of RUNS, whole process), DuckDB's query time alone, the ratios and peak
# memory (max RSS), and checks that both engines agree product by product.
#
# Rerun:   benches/run_screen.sh            (RUNS=5 by default; generated files go to bench-out/)
# Needs:   cargo, python3 with duckdb (installed with pip when missing), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
YEAR=2021
SYNTH="${SYNTH:-bench-out/synth}"
OUT="${OUT:-bench-out/screen}"
CSV="$SYNTH/baci_synth_$YEAR.csv"
PQ="$SYNTH/baci_synth_$YEAR.parquet"
COUNTRIES="$SYNTH/country_codes_synth.csv"
# EU members as of 1 July 2021 (the United Kingdom left on 31 January 2020).
EU=AUT,BEL,BGR,HRV,CYP,CZE,DNK,EST,FIN,FRA,DEU,GRC,HUN,IRL,ITA,LVA,LTU,LUX,MLT,NLD,POL,PRT,ROU,SVK,SVN,ESP,SWE
mkdir -p "$OUT"

cargo build --release -q -p osa-cli
OSA=target/release/osa
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb

if [ ! -f "$CSV" ]; then
  "$OSA" trade synth -o "$SYNTH" --rows 11000000 --products 5300 --countries 220 --year "$YEAR" --seed 1
fi
echo "== ingest (CSV -> Parquet cache)"
/usr/bin/time -f "%e %M" -o "$OUT/ingest.time" "$OSA" trade ingest "$CSV" -o "$PQ"
cat "$OUT/ingest.time"
cat "$CSV" "$PQ" > /dev/null   # page cache warm for every engine

rm -f "$OUT"/*.times "$OUT"/*.query
run() { # name, command...
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$OUT/last.time" "$@" 2> "$OUT/$name.err" > /dev/null
  cat "$OUT/last.time" >> "$OUT/$name.times"
  grep -o 'query [0-9.]*' "$OUT/$name.err" | awk '{print $2}' >> "$OUT/$name.query" || true
}
for r in $(seq "$RUNS"); do
  echo "== round $r of $RUNS"
  run osa_csv "$OSA" screen --trade "$CSV" --importer EU27 --year "$YEAR" --format json -o "$OUT/osa_csv.json"
  run duckdb_csv python3 benches/screen_duckdb.py --trade "$CSV" --countries "$COUNTRIES" --year "$YEAR" --members "$EU" --out "$OUT/duckdb_csv.json"
  run osa_parquet "$OSA" screen --trade "$PQ" --importer EU27 --year "$YEAR" --format json -o "$OUT/osa_parquet.json"
  run duckdb_parquet python3 benches/screen_duckdb.py --trade "$PQ" --countries "$COUNTRIES" --year "$YEAR" --members "$EU" --out "$OUT/duckdb_parquet.json"
done

echo "== agreement"
python3 benches/screen_duckdb.py --compare "$OUT/osa_csv.json" "$OUT/duckdb_csv.json"
python3 benches/screen_duckdb.py --compare "$OUT/osa_parquet.json" "$OUT/duckdb_parquet.json"
cmp -s "$OUT/osa_csv.json" "$OUT/osa_parquet.json" && echo "osa: CSV and cache results are byte-identical"

echo "== results"
python3 - "$OUT" "$CSV" "$PQ" <<'EOF'
import os, statistics, sys, platform, subprocess
out, csv, pq = sys.argv[1:4]
def load(name):
    rows = [l.split() for l in open(f"{out}/{name}.times") if l.strip()]
    wall = statistics.median(float(r[0]) for r in rows)
    mem = max(int(r[1]) for r in rows) / 1024
    q = [float(x) for x in open(f"{out}/{name}.query")] if os.path.exists(f"{out}/{name}.query") and os.path.getsize(f"{out}/{name}.query") else []
    return wall, mem, (statistics.median(q) if q else None), len(rows)
res = {n: load(n) for n in ("osa_csv", "duckdb_csv", "osa_parquet", "duckdb_parquet")}
import duckdb
lines = []
lines.append(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}; duckdb {duckdb.__version__} (Python)")
lines.append(f"data: {csv} ({os.path.getsize(csv)/1e6:.0f} MB), {pq} ({os.path.getsize(pq)/1e6:.0f} MB); median of {res['osa_csv'][3]} runs, page cache warm")
lines.append("")
lines.append("| engine | input | wall s (whole process) | DuckDB query alone s | peak memory MB |")
lines.append("|---|---|---|---|---|")
for n, label in (("osa_csv", "osa screen | CSV"), ("duckdb_csv", "DuckDB SQL | CSV"), ("osa_parquet", "osa screen | Parquet cache"), ("duckdb_parquet", "DuckDB SQL | Parquet cache")):
    w, m, q, _ = res[n]
    lines.append(f"| {label} | {w:.2f} | {'' if q is None else f'{q:.2f}'} | {m:.0f} |")
lines.append("")
for fmt in ("csv", "parquet"):
    o, d = res[f"osa_{fmt}"], res[f"duckdb_{fmt}"]
    lines.append(f"{fmt}: DuckDB / osa = {d[0]/o[0]:.2f}x (whole process), {d[2]/o[0]:.2f}x (DuckDB query alone vs osa whole process)")
text = "\n".join(lines)
print(text)
open(f"{out}/results.md", "w").write(text + "\n")
EOF
