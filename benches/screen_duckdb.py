#!/usr/bin/env python3
"""The peer of `osa screen` for the benchmark: the Commission's three screening indicators per HS6
product for an importer bloc and year, as one DuckDB SQL query over a BACI CSV or osa's Parquet
cache (same columns t,i,j,k,v,q), with the same country rules as osa (BACI codes -> ISO3; 490 is
Taiwan; codes without an ISO3 are entities of their own; flows between two codes of one country are
ignored). Writes the per-product results as JSON and prints the query time.

Usage: screen_duckdb.py --trade FILE --countries FILE --year Y --members ISO3,ISO3,... --out FILE
       screen_duckdb.py --compare OSA.json DUCK.json
"""
import argparse
import csv
import io
import json
import sys
import time


def screen(args):
    import duckdb

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads TO {int(args.threads)}")
    members = [m.strip() for m in args.members.split(",") if m.strip()]
    con.execute("CREATE TEMP TABLE members(iso VARCHAR)")
    con.executemany("INSERT INTO members VALUES (?)", [[m] for m in members])
    # The BACI country table, either layout (latin-1 in older releases, UTF-8 in later ones).
    raw = open(args.countries, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    table = list(csv.DictReader(io.StringIO(text)))
    iso_col = "iso_3digit_alpha" if "iso_3digit_alpha" in table[0] else "country_iso3"
    con.execute("CREATE TEMP TABLE cc(code INTEGER, iso VARCHAR)")
    rows = []
    for r in table:
        code, iso = int(r["country_code"]), (r[iso_col] or "").strip()
        if code == 490:
            iso = "TWN"
        elif iso in ("", "N/A") or len(iso) != 3:
            iso = f"baci:{code}"
        rows.append([code, iso])
    con.executemany("INSERT INTO cc VALUES (?, ?)", rows)
    con.execute(
        "CREATE TEMP TABLE c AS SELECT code, iso, iso IN (SELECT iso FROM members) AS member FROM cc"
    )
    if args.trade.endswith(".parquet"):
        source = f"read_parquet('{args.trade}')"
    else:
        source = (
            f"read_csv('{args.trade}', header = true, "
            "columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', "
            "'v': 'DOUBLE', 'q': 'VARCHAR'})"
        )
    sql = f"""
    WITH f AS (
      SELECT b.k, ci.iso AS exp, cj.iso AS imp, ci.member AS ie, cj.member AS je, b.v
      FROM {source} b
      JOIN c ci ON b.i = ci.code
      JOIN c cj ON b.j = cj.code
      WHERE b.t = {int(args.year)} AND (ci.member OR cj.member) AND ci.iso <> cj.iso
    ),
    g AS (
      SELECT k, exp,
             SUM(v) FILTER (WHERE je AND NOT ie) AS m,
             SUM(v) FILTER (WHERE je AND ie) AS intra,
             SUM(v) FILTER (WHERE ie AND NOT je) AS x
      FROM f GROUP BY k, exp
    ),
    p AS (
      SELECT k,
             SUM(m) AS m_extra,
             SUM(m * m) AS sq,
             arg_max(exp, m) AS top_supplier,
             MAX(m) AS top_value,
             COALESCE(SUM(m) FILTER (WHERE exp = 'CHN'), 0) AS chn,
             COALESCE(SUM(intra), 0) AS m_intra,
             COALESCE(SUM(x), 0) AS x_extra
      FROM g GROUP BY k
      HAVING SUM(m) > 0
    )
    SELECT lpad(CAST(k AS VARCHAR), 6, '0') AS product,
           sq / (m_extra * m_extra) AS hhi,
           m_extra / (m_extra + m_intra) AS extra_share,
           CASE WHEN x_extra > 0 THEN m_extra / x_extra ELSE 9999 END AS import_export_ratio,
           top_supplier, top_value / m_extra AS top_share, chn / m_extra AS chn_share,
           m_extra AS import_value
    FROM p ORDER BY k
    """
    start = time.perf_counter()
    rows = con.execute(sql).fetchall()
    elapsed = time.perf_counter() - start
    out = []
    for r in rows:
        product, hhi, share, ratio, top, top_share, chn, value = r
        out.append(
            {
                "product": product,
                "hhi": hhi,
                "extra_share": share,
                "import_export_ratio": ratio,
                "dependent": hhi > 0.4 and share > 0.5 and ratio > 1,
                "top_supplier": top,
                "top_share": top_share,
                "chn_share": chn,
                "import_value": value,
            }
        )
    with open(args.out, "w") as f:
        json.dump(out, f)
    print(
        f"duckdb {duckdb.__version__}: {len(out)} products, "
        f"{sum(1 for o in out if o['dependent'])} dependent, query {elapsed:.3f} s",
        file=sys.stderr,
    )


def compare(osa_path, duck_path):
    """Checks that osa and DuckDB agree: same products, same verdicts, indicators within 1e-9."""
    osa = {r["product"]: r for r in json.load(open(osa_path))}
    duck = {r["product"]: r for r in json.load(open(duck_path))}
    problems = []
    if set(osa) != set(duck):
        problems.append(
            f"products differ: {len(set(osa) - set(duck))} only in osa, {len(set(duck) - set(osa))} only in DuckDB"
        )
    worst = 0.0
    for k in set(osa) & set(duck):
        a, b = osa[k], duck[k]
        for f in ("hhi", "extra_share", "import_export_ratio", "chn_share", "top_share"):
            d = abs(a[f] - b[f]) / max(1.0, abs(b[f]))
            worst = max(worst, d)
            if d > 1e-6:
                problems.append(f"{k} {f}: osa {a[f]} DuckDB {b[f]}")
        if a["dependent"] != b["dependent"]:
            problems.append(f"{k} dependent: osa {a['dependent']} DuckDB {b['dependent']}")
    n_dep = sum(1 for r in osa.values() if r["dependent"])
    if problems:
        print("MISMATCH\n  " + "\n  ".join(problems[:20]))
        return 1
    print(
        f"agree: {len(osa)} products, {n_dep} dependent, largest relative difference {worst:.1e}"
    )
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trade")
    p.add_argument("--countries")
    p.add_argument("--year", type=int)
    p.add_argument("--members")
    p.add_argument("--out")
    p.add_argument("--threads", type=int)
    p.add_argument("--compare", nargs=2, metavar=("OSA_JSON", "DUCK_JSON"))
    args = p.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    for need in ("trade", "countries", "year", "members", "out"):
        if getattr(args, need) is None:
            p.error(f"--{need} is required")
    screen(args)


if __name__ == "__main__":
    main()
