"""SGD steps per second for Section 5's skip-to-output network (θ by backpropagation).

    python benchmarks/bench_sgd.py

Prints one row per configuration: runs batched together (R), steps, wall seconds and
steps per second (R·T / seconds), in float64 and at 60 digits (mpmath object arrays), plus the
cost of one full Theorem 4 evaluation (runs, exact F over the support at every iterate, the
binomial test). A measurement, not a timed test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from theorems.core import backend as B
from theorems.model import losses as L
from theorems.model.convex_sets import Ball, Product
from theorems.model.residual_net import ResidualNet
from theorems.model.training import sgd_runs
from theorems.theorem4 import evaluate_theorem4, example_theorem4


def _setup(d, k, depth, n=32, seed=0):
    rng = np.random.default_rng(seed)
    net = ResidualNet(d, k, depth)
    X = rng.normal(size=(n, d))
    y = np.where(X[:, 0] > 0, 1.0, -1.0)
    M1 = Product((Ball(np.zeros(d), 3.0), Ball(np.zeros(k), 2.0)))
    M2 = Product(tuple(Ball(np.zeros(int(np.prod(s))), 2.0) for s in net.shapes))
    return net, X, y, M1, M2, M2.project(net.init(seed))


def bench(d, k, depth, R, T, mp=False):
    net, X, y, M1, M2, th = _setup(d, k, depth)
    idx = np.random.default_rng(1).integers(0, X.shape[0], size=(R, T))
    wv1 = np.zeros(d + k)
    args = (X, y, wv1, th)
    if mp:
        M1, M2 = M1.to_mp(), M2.to_mp()
        args = tuple(B.to_mp(a) for a in args)
    X_, y_, wv_, th_ = args
    t0 = time.perf_counter()
    with B.workdps(60):
        sgd_runs(net, L.logistic(), M1, M2, X_, y_, idx, wv_, th_, 0.05)
    dt = time.perf_counter() - t0
    return dt, R * T / dt


def main():
    rows = []
    for (d, k, depth, R, T, mp) in [(2, 4, 1, 1, 200, False), (2, 4, 1, 50, 200, False), (4, 8, 2, 1, 200, False),
                                    (4, 8, 2, 50, 200, False), (2, 4, 1, 1, 20, True), (4, 8, 2, 1, 10, True)]:
        dt, sps = bench(d, k, depth, R, T, mp)
        rows.append((f"d={d} k={k} depth={depth}", str(R), str(T), "mp60" if mp else "float64", f"{dt:.3f}",
                     f"{sps:,.0f}"))
    for ds in ("synthetic", "iris"):
        ex = example_theorem4(ds, runs=20, T=32)
        t0 = time.perf_counter()
        evaluate_theorem4(ex)
        dt = time.perf_counter() - t0
        rows.append((f"theorem4 evaluation ({ds}, n={ex.X.shape[0]})", "20", "32", "float64", f"{dt:.3f}",
                     f"{20 * 32 / dt:,.0f}"))
    head = ("configuration", "runs R", "steps T", "arithmetic", "seconds", "SGD steps/s")
    w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print("  ".join(h.ljust(x) for h, x in zip(head, w)))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print("  ".join(c.ljust(x) for c, x in zip(r, w)))


if __name__ == "__main__":
    main()
