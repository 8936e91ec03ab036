#!/usr/bin/env python3
"""The peer of `osa screen --importer countries --method geodep2024` for the benchmark: CEPII GeoDep's
four criteria for every importing country, HS6 product and year, as one DuckDB SQL query written from
the definitions (Policy Brief 47, 2024) over osa's yearly Parquet caches (columns t,i,j,k,v,q).
With `--method swd2021` the Commission's criteria for a country instead (1 and 3; a country's
extra-share is 1, so its criterion always holds), without persistence: dependent = meets.

  1. import_hhi       = sum over suppliers of (M_c / M)^2                 > 0.4
  2. world_export_hhi = sum over exporters of (W_e / W)^2                 > 0.4
  3. ratio            = M / X (X = the importer's exports; 9999 if none)  > 1
  4. persistence      : 1-3 hold in t and in at least one of t-1, t-2

Country rules as osa's: BACI codes -> ISO3 (490 is Taiwan); flows between two codes of one country
are ignored. Writes (importer, year, product, import_hhi, world_export_hhi, ratio, meets, dependent)
as Parquet and prints the query time.

Usage: panel_duckdb.py --files A.parquet,B.parquet --countries FILE --years FROM-TO --out FILE
                       [--method geodep2024|swd2021]
       panel_duckdb.py --compare OSA.parquet DUCK.parquet
"""
import argparse
import csv
import io
import sys
import time


def country_table(con, path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    table = list(csv.DictReader(io.StringIO(text)))
    iso_col = "iso_3digit_alpha" if "iso_3digit_alpha" in table[0] else "country_iso3"
    rows = []
    for r in table:
        code, iso = int(r["country_code"]), (r[iso_col] or "").strip()
        if code == 490:
            iso = "TWN"
        elif iso in ("", "N/A") or len(iso) != 3:
            iso = f"baci:{code}"
        rows.append([code, iso])
    con.execute("CREATE TEMP TABLE c(code INTEGER, iso VARCHAR)")
    con.executemany("INSERT INTO c VALUES (?, ?)", rows)


def screen(args):
    import duckdb

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads TO {int(args.threads)}")
    country_table(con, args.countries)
    lo, hi = (int(x) for x in args.years.split("-"))
    swd = args.method == "swd2021"
    back = 0 if swd else 2
    meets = "hhi > 0.4 AND ratio > 1" if swd else "hhi > 0.4 AND whhi > 0.4 AND ratio > 1"
    persist = "g.meets" if swd else """g.meets AND EXISTS (
             SELECT 1 FROM g p WHERE p.imp = g.imp AND p.k = g.k AND p.meets
               AND p.t IN (g.t - 1, g.t - 2))"""
    files = ", ".join(f"'{f}'" for f in args.files.split(","))
    sql = f"""
    WITH f AS (
      SELECT b.t, ci.iso AS exp, cj.iso AS imp, b.k, b.v
      FROM read_parquet([{files}]) b
      JOIN c ci ON b.i = ci.code JOIN c cj ON b.j = cj.code
      WHERE ci.iso <> cj.iso AND b.t BETWEEN {lo - back} AND {hi}
    ),
    s AS (SELECT t, imp, k, exp, SUM(v) AS v FROM f GROUP BY ALL),
    m AS (SELECT t, imp, k, SUM(v) AS m, SUM(v * v) AS sq FROM s GROUP BY ALL),
    w AS (SELECT t, exp, k, SUM(v) AS w FROM f GROUP BY ALL),
    wh AS (SELECT t, k, SUM(w * w) / (SUM(w) * SUM(w)) AS whhi FROM w GROUP BY ALL),
    r AS (
      SELECT m.t, m.imp, m.k, m.sq / (m.m * m.m) AS hhi, wh.whhi,
             CASE WHEN x.w > 0 THEN m.m / x.w ELSE 9999 END AS ratio
      FROM m JOIN wh ON wh.t = m.t AND wh.k = m.k
      LEFT JOIN w x ON x.t = m.t AND x.exp = m.imp AND x.k = m.k
    ),
    g AS (SELECT *, {meets} AS meets FROM r)
    SELECT g.imp AS importer, g.t AS year, lpad(CAST(g.k AS VARCHAR), 6, '0') AS product,
           g.hhi AS import_hhi, g.whhi AS world_export_hhi, g.ratio, g.meets,
           {persist} AS dependent
    FROM g WHERE g.t BETWEEN {lo} AND {hi}
    """
    start = time.perf_counter()
    con.execute(f"COPY ({sql}) TO '{args.out}' (FORMAT parquet)")
    print(f"query {time.perf_counter() - start:.3f}", file=sys.stderr)


def compare(osa_path, duck_path):
    import duckdb

    con = duckdb.connect()
    q = f"""
    SELECT count(*) AS n,
           count(*) FILTER (WHERE o.importer IS NULL OR d.importer IS NULL) AS missing,
           count(*) FILTER (WHERE o.dependent <> d.dependent) AS verdicts,
           count(*) FILTER (WHERE abs(o.import_hhi - d.import_hhi) > 1e-6
                              OR abs(o.world_export_hhi - d.world_export_hhi) > 1e-6) AS values,
           count(*) FILTER (WHERE d.dependent) AS dependent
    FROM read_parquet('{osa_path}') o
    FULL JOIN read_parquet('{duck_path}') d
      ON o.importer = d.importer AND o.year = d.year AND o.product = d.product
    """
    n, missing, verdicts, values, dependent = con.execute(q).fetchone()
    print(f"{n} rows, {dependent} dependent (DuckDB); {missing} rows in one engine only, "
          f"{verdicts} verdicts and {values} indicator values differing")
    if missing or verdicts or values:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files")
    ap.add_argument("--countries")
    ap.add_argument("--years")
    ap.add_argument("--out")
    ap.add_argument("--threads")
    ap.add_argument("--method", default="geodep2024", choices=["geodep2024", "swd2021"])
    ap.add_argument("--compare", nargs=2)
    args = ap.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        screen(args)


if __name__ == "__main__":
    main()
