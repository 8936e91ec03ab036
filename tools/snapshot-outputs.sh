#!/usr/bin/env bash
# Writes the outputs of osa's commands on the embedded data and the shared data, in every format,
# into OUTDIR, so that two builds can be compared byte for byte (a refactor must change nothing):
#   tools/snapshot-outputs.sh OLD_OSA before && tools/snapshot-outputs.sh NEW_OSA after
#   diff -r before after     # only the "read N rows ... in X s" timing lines may differ
# XLSX workbooks are unzipped, without docProps/core.xml (it holds the creation time).
set -u
osa="$(realpath "$1")"; out="$2"
repo="$(cd "$(dirname "$0")/.." && pwd)"
S="$(realpath "${OSA_SHARED_DATA:-$repo/../shared/data}")"
rm -rf "$out"; mkdir -p "$out"; cd "$out"
run() { local name="$1"; shift; "$osa" "$@" > "$name" 2> "$name.err"; echo "rc=$?" >> "$name.err"; }
export COLUMNS=100
for f in table json csv md html; do
  run matrix.$f matrix --format $f
  run actors.$f actors --format $f
  run checklist.$f checklist --format $f
  for t in chip-design front-end-fabrication 6g v2x e-cny facial-recognition urban-ai blockchain 5g-standardization ai-ethics; do
    run assess-$t.$f assess $t --format $f
  done
  run metrics.$f metrics --format $f
  run stages.$f metrics --stages --format $f
  run choke.$f chokepoints --holder CHN --min-share 0.5 --format $f
  run lev.$f leverage "$S/eto/v2026_chip_explorer" --between EU27 CHN --format $f
  run sim.$f simulate --shock 'CHN:gallium=1.0' --format $f
  run simsc.$f simulate --scenario noble-gas-shortage --draws 200 --seed 7 --format $f
  run crm.$f crm Gallium --format $f
  run diff.$f diff "$S/eto/v2025_supply_chain" "$S/eto/v2026_chip_explorer" --format $f
  run io.$f iomodel "$repo/examples/three-sectors.csv" --shock 'manufacturing=0.1' --format $f
  run scen.$f scenario list --format $f
done
"$osa" trade ingest "$S/baci_sample/baci_2021_exporters_AFG_ZAF_from_R-IO-PS.csv" -o baci.parquet >/dev/null 2>&1
for f in table json csv md html; do
  run screen.$f screen --trade baci.parquet --importer EU27 --year 2021 --format $f
  run screeninp.$f screen --trade baci.parquet --ecosystem semiconductors --by input --format $f
  run geo.$f geopolrisk --trade baci.parquet --importer USA --year 2021 --commodity Nickel --format $f
done
for c in "matrix" "assess chip-design" "chokepoints --holder CHN --min-share 0.5" "screen --trade baci.parquet --importer EU27 --year 2021"; do
  n=$(echo $c | tr ' ' '_' | tr -d '.-')
  "$osa" $c --format xlsx -o x-$n.xlsx >/dev/null 2>&1
done
for x in x-*.xlsx; do mkdir -p "$x.d" && (cd "$x.d" && unzip -q ../"$x" && rm -f docProps/core.xml) && rm "$x"; done
"$osa" screen --trade baci.parquet --format parquet -o screen.parquet > /dev/null 2>&1
"$osa" report -o rep >/dev/null 2>&1
"$osa" report --format md -o repmd >/dev/null 2>&1
"$osa" report --format json -o repjson >/dev/null 2>&1
"$osa" toolkit export -o tk.toml >/dev/null 2>&1
"$osa" baseline export bl >/dev/null 2>&1
rm -f baci.parquet
