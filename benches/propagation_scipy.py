#!/usr/bin/env python3
"""The osa propagation model (docs/scenarios.md) in numpy + scipy.sparse: the peer that
`osa`'s Rust engine is measured against. It reads the problems the Rust benchmark exports
(`cargo bench -p osa-disrupt --bench propagation -- --export DIR`), computes the same numbers,
checks them against osa's, times each step and prints both sides with the ratio.

It is written to be fast, not to be a strawman:
- the plan (orders, topological levels, per-level sparse matrices) is built once with
  scipy.sparse.csgraph (C) and vectorised numpy, and timed separately from the kernel;
- the kernel walks the levels and does each level with a few vectorised calls: a gather and
  `np.minimum.reduceat` for the min over inputs, a CSR mat-vec (or mat-mat) for the mean over
  kinds, elementwise arithmetic for spare capacity and substitution;
- the Monte Carlo is vectorised over draws: every level works on an (nodes x draws) array, and the
  percentiles come from one `np.percentile` call.

Usage: python3 benches/propagation_scipy.py DIR [--reps N]
"""

import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse import csgraph

WEEKS_PER_MONTH = 52.0 / 12.0


def load(d):
    with open(os.path.join(d, "manifest.json")) as f:
        man = json.load(f)
    out = {}
    for k, v in man.items():
        if isinstance(v, dict):
            out[k] = np.fromfile(os.path.join(d, k + ".bin"), dtype="<" + ("f8" if v["dtype"] == "float64" else "i4"))
        else:
            out[k] = v
    return out


def median_ms(reps, f):
    f()
    ts = []
    for _ in range(max(1, reps)):
        t = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t) * 1e3)
    ts.sort()
    return ts[len(ts) // 2]


class Plan:
    """Orders, levels and per-level sparse operators for the inputs the shock reaches."""

    def __init__(self, p, shocked):
        n = int(p["n"])
        src, dst, kind = p["src"].astype(np.int64), p["dst"].astype(np.int64), p["kind"]
        self.n = n
        ones = np.ones(len(src), dtype=np.float64)
        graph = sp.csr_matrix((ones, (src, dst)), shape=(n, n))
        # Order: breadth-first distance from the shocked inputs (unweighted shortest path).
        sources = np.flatnonzero(shocked)
        if len(sources):
            dist = csgraph.dijkstra(graph, directed=True, indices=sources, unweighted=True, min_only=True)
        else:
            dist = np.full(n, np.inf)
        reached = np.isfinite(dist)
        self.order = np.where(reached, dist, -1).astype(np.int64)
        self.reached = reached
        # Topological levels of the reached subgraph (Kahn in waves, vectorised).
        keep = reached[src]
        rs, rd = src[keep], dst[keep]
        indeg = np.bincount(rd, minlength=n)
        succ = sp.csr_matrix((np.ones(len(rs)), (rs, rd)), shape=(n, n))
        frontier = np.flatnonzero(reached & (indeg == 0))
        levels = []
        while len(frontier):
            levels.append(frontier)
            nxt = succ[frontier].indices
            dec = np.bincount(nxt, minlength=n)
            indeg = indeg - dec
            cand = np.unique(nxt)
            frontier = cand[indeg[cand] == 0]
        self.levels = levels
        # Per level: inputs that go into each node (CSR rows) and the kinds' averaging matrix.
        g = kind == 0
        preds = sp.csr_matrix((np.ones(g.sum()), (dst[g], src[g])), shape=(n, n))
        t = kind == 1
        n_kinds = np.bincount(dst[t], minlength=n).astype(np.float64)
        w = 1.0 / n_kinds[dst[t]]
        kinds = sp.csr_matrix((w, (dst[t], src[t])), shape=(n, n))
        self.ops = []
        for nodes in levels:
            pr = preds[nodes]
            has = np.diff(pr.indptr) > 0
            starts = pr.indptr[:-1][has]
            kn = kinds[nodes]
            hk = np.diff(kn.indptr) > 0
            self.ops.append((nodes, pr.indices, starts, has, kn, hk))


def static_kernel(plan, direct, sigma, spare):
    """Long-run availability of every input (1 where not reached)."""
    a = np.ones(plan.n)
    for nodes, pidx, starts, has, kn, hk in plan.ops:
        l = direct[nodes]
        p = np.where(l > 0, 1.0 - np.maximum(l - spare * (1.0 - l), 0.0), 1.0)
        if len(pidx):
            m = np.minimum.reduceat(a[pidx], starts)
            p[has] = np.minimum(p[has], m)
        if hk.any():
            p[hk] = np.minimum(p[hk], (kn @ a)[hk])
        a[nodes] = 1.0 - (1.0 - sigma[nodes]) * (1.0 - p)
    return a


def weekly_kernel(plan, direct, sigma, spare, stock_weeks, weeks):
    """Weekly availability (inputs x weeks) of a shock on all weeks, no ramp-ups."""
    a = np.ones((plan.n, weeks))
    for nodes, pidx, starts, has, kn, hk in plan.ops:
        l = direct[nodes]
        p1 = np.where(l > 0, 1.0 - np.maximum(l - spare * (1.0 - l), 0.0), 1.0)
        p = np.repeat(p1[:, None], weeks, axis=1)
        if len(pidx):
            m = np.minimum.reduceat(a[pidx], starts, axis=0)
            p[has] = np.minimum(p[has], m)
        if hk.any():
            p[hk] = np.minimum(p[hk], (kn @ a)[hk])
        gap = (1.0 - sigma[nodes])[:, None] * (1.0 - p)
        stock = stock_weeks[nodes].copy()
        out = np.empty_like(p)
        for w in range(weeks):
            cover = np.minimum(gap[:, w], stock)
            stock -= cover
            out[:, w] = 1.0 - (gap[:, w] - cover)
        a[nodes] = np.clip(out, 0.0, 1.0)
    return a


def mc_kernel(plan, shares, params, n_shocks):
    """Long-run availability for every draw at once: (inputs x draws)."""
    lost = params[:, :n_shocks]  # draws x shocks
    sigma = params[:, n_shocks]  # draws
    spare = params[:, n_shocks + 1]  # draws
    direct = np.minimum(shares @ lost.T, 1.0)  # inputs x draws
    a = np.ones((plan.n, params.shape[0]))
    for nodes, pidx, starts, has, kn, hk in plan.ops:
        l = direct[nodes]
        p = np.where(l > 0, 1.0 - np.maximum(l - spare[None, :] * (1.0 - l), 0.0), 1.0)
        if len(pidx):
            m = np.minimum.reduceat(a[pidx], starts, axis=0)
            p[has] = np.minimum(p[has], m)
        if hk.any():
            p[hk] = np.minimum(p[hk], (kn @ a)[hk])
        a[nodes] = 1.0 - (1.0 - sigma[None, :]) * (1.0 - p)
    return a


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    reps = 11
    if "--reps" in sys.argv:
        reps = int(sys.argv[sys.argv.index("--reps") + 1])
    res = {}
    lines = []

    def line(name, ms):
        res[name] = ms
        lines.append(f"  {name:<44} {ms:>10.2f} ms")

    # 1. Synthetic chain.
    p = load(os.path.join(root, "synthetic"))
    n = int(p["n"])
    direct = p["shares"] * p["lost"]
    sigma, spare = p["sigma"], float(p["spare"])
    t = time.perf_counter()
    plan = Plan(p, direct > 0)
    line("synthetic plan (orders, levels, operators)", (time.perf_counter() - t) * 1e3)
    a = static_kernel(plan, direct, sigma, spare)
    diff = np.max(np.abs(a - p["rust_static"]))
    assert diff < 1e-12, f"static availability differs from osa's by {diff}"
    line("synthetic static", median_ms(reps, lambda: static_kernel(plan, direct, sigma, spare)))
    weeks = int(p["weeks"])
    stock_weeks = p["stock_months"] * WEEKS_PER_MONTH
    aw = weekly_kernel(plan, direct, sigma, spare, stock_weeks, weeks)
    diff_w = np.max(np.abs(aw.ravel() - p["rust_weekly"]))
    assert diff_w < 1e-12, f"weekly availability differs from osa's by {diff_w}"
    line("synthetic 26 weeks",
         median_ms((reps + 1) // 2, lambda: weekly_kernel(plan, direct, sigma, spare, stock_weeks, weeks)))
    checks = [f"synthetic: {plan.reached.sum()} inputs reached, {len(plan.levels)} levels; "
              f"max difference from osa: static {diff:.1e}, weekly {diff_w:.1e}"]

    # 2. ETO Monte Carlo.
    eto_dir = os.path.join(root, "eto")
    if os.path.isdir(eto_dir):
        e = load(eto_dir)
        k = int(e["n_shocks"])
        draws = int(e["draws"])
        shares = e["shares"].reshape(int(e["n"]), k)
        params = e["draw_params"].reshape(draws, k + 2)
        eplan = Plan(e, shares.sum(axis=1) > 0)

        def mc():
            a = mc_kernel(eplan, shares, params, k)
            return np.percentile(a[eplan.reached], [5, 50, 95], axis=1).T

        q = mc()
        want = e["rust_percentiles"].reshape(int(e["n"]), 3)[eplan.reached]
        diff_q = np.max(np.abs(q - want))
        assert diff_q < 1e-12, f"percentiles differ from osa's by {diff_q}"
        line("ETO Monte Carlo 1000 draws", median_ms(reps, mc))
        checks.append(f"ETO: {eplan.reached.sum()} inputs reached; max difference of p5/p50/p95 from osa: {diff_q:.1e}")

    with open(os.path.join(root, "python.json"), "w") as f:
        json.dump(res, f, indent=2)
    print(f"scipy peer (Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__})")
    print("\n".join(lines))
    print("\n".join("  " + c for c in checks))

    # Side by side.
    rust_path = os.path.join(root, "rust.json")
    if os.path.exists(rust_path):
        with open(rust_path) as f:
            rust = json.load(f)
        threaded = {k.split(",")[0]: v for k, v in rust.items() if "thread" in k and "1 thread" not in k}
        single = {k.split(",")[0]: v for k, v in rust.items() if "1 thread" in k}
        rows = [
            ("propagation, 1,000,000 edges, long run", "synthetic static"),
            ("propagation, 1,000,000 edges, 26 weeks", "synthetic 26 weeks"),
            ("Monte Carlo, 1,000 draws, ETO 2026", "ETO Monte Carlo 1000 draws"),
        ]
        print("\nside by side (median ms; ratio = scipy / osa)")
        print(f"  {'':<42} {'osa 1 thread':>13} {'osa threads':>12} {'scipy':>10} {'x (1 thr)':>10} {'x (thr)':>9}")
        for label, key in rows:
            if key in single and key in res:
                s1, st, py = single[key], threaded.get(key, float('nan')), res[key]
                print(f"  {label:<42} {s1:>13.2f} {st:>12.2f} {py:>10.2f} {py / s1:>10.1f} {py / st:>9.1f}")


if __name__ == "__main__":
    main()
