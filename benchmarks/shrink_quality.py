"""Shrink quality: the size (n, d, k) and the values of the shrunk witness of every negative
control and every refuted claim (errata), as ``refute`` reports them (full shrinking, then the
engine's post-shrink simplification), seed 0.

    python benchmarks/shrink_quality.py [--claims theorem1,lemma1] [--seed 0]

Instances without a sample (Section 4's points, matrices) are described by ``describe()``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from theorems import CLAIMS, search  # noqa: E402


def size(inst):
    s = getattr(inst, "sample", None)
    if s is not None and hasattr(s, "n"):
        return f"({s.n}, {s.d}, {s.k})"
    return inst.describe()[:60] if hasattr(inst, "describe") else type(inst).__name__


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", default="")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    ids = [i for i in args.claims.split(",") if i] or sorted(CLAIMS)
    print("| witness of | (n, d, k) or instance | examples needed | shrinks | seconds |")
    print("|---|---|---|---|---|")
    for cid in ids:
        c = CLAIMS[cid]
        jobs = [(f"{v.name}", v.check, v.strategy() if v.strategy else c.strategy(), v.max_examples)
                for v in c.controls]
        if getattr(c, "erratum", None):
            jobs.append((f"{cid} (erratum)", c.evaluate, c.strategy(), 200))
        for name, check, strat, budget in jobs:
            t0 = time.perf_counter()
            rep = search(check, strat, max_examples=budget, seed=args.seed)
            ce, dt = rep.counterexample, time.perf_counter() - t0
            if ce is None:
                print(f"| {name} | NOT REFUTED | – | – | {dt:.1f} |", flush=True)
                continue
            print(f"| {name} | {size(ce.instance)} | {rep.first_failure_at} | {ce.shrinks} | {dt:.1f} |", flush=True)


if __name__ == "__main__":
    main()
