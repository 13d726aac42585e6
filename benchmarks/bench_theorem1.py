"""Throughput of Theorem 1: claim evaluations per second (model only) and examples per second
through Hypothesis (generation + evaluation + targeting), for small and d, k = 6 instances.

    python benchmarks/bench_theorem1.py

Numbers are machine-dependent; compare ratios (e.g. Hypothesis overhead = model rate / search rate).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing
from theorems import CLAIMS, search
from theorems.model.instance import random_point


def rate(fn, min_seconds=1.0):
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - t0)


def main():
    claim = CLAIMS["theorem1"]
    rows = []
    for n, d, k in ((4, 3, 2), (8, 6, 6)):
        inst = random_point(0, loss="logistic", n=n, d=d, k=k, depth=2)
        rows.append((f"theorem1.evaluate, float64, n={n} d={d} k={inst.sample.k}",
                     rate(lambda inst=inst: claim.evaluate(inst))))
        rows.append((f"theorem1.evaluate, 60 digits, n={n} d={d} k={inst.sample.k}",
                     rate(lambda inst=inst: claim.evaluate(inst, dps=60), 2.0)))
    t0 = time.perf_counter()
    rep = search(claim.evaluate, claim.strategy(), max_examples=300, seed=0)
    rows.append(("theorem1 through Hypothesis (examples/s, generation + evaluation)",
                 rep.examples / (time.perf_counter() - t0)))
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement'.ljust(width)}  per second")
    print(f"{'-' * width}  ----------")
    for name, r in rows:
        print(f"{name.ljust(width)}  {r:10.0f}")
    print(f"\nHypothesis overhead (model rate / search rate, small instance): {rows[0][1] / rows[-1][1]:.0f}x")


if __name__ == "__main__":
    main()
