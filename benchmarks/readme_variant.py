"""The README's variant (Theorem 1 without its factors 2, linear loss, 1,000 examples): the size
(n, d, k) of the refuted witness at seeds 0–4, and how many examples the first violation took.

    python benchmarks/readme_variant.py [--seeds 5]

It already fails at n = d = k = 1 (w = 1, w* = −1, V = 1, x = 3, φ = −1, y = −1 attains Theorem 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from theorems import CLAIMS, search  # noqa: E402
from theorems.audit.variants import variant_from_expression  # noqa: E402

TEXT = "grad_norm >= gap/sqrt(w_norm**2 + w_star_norm**2*(1 + V_norm**2/w_norm**2))"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    thm1 = CLAIMS["theorem1"]
    v = variant_from_expression(thm1, TEXT)
    print("| seed | first violation at | (n, d, k) | shrinks | simplifications | seconds | witness |")
    print("|---|---|---|---|---|---|---|")
    for seed in range(args.seeds):
        t0 = time.perf_counter()
        rep = search(v, thm1.strategy(losses=["linear"]), max_examples=1000, seed=seed)
        ce, dt = rep.counterexample, time.perf_counter() - t0
        if ce is None:
            print(f"| {seed} | not refuted | | | | {dt:.1f} | |")
            continue
        i = ce.instance
        s = i.sample
        w = (f"x={s.X.ravel().tolist()} y={s.y.tolist()} φ={s.Phi.ravel().tolist()} w={i.w.tolist()} "
             f"V={i.V.ravel().tolist()} w*={i.w_star.tolist()}")
        print(f"| {seed} | {rep.first_failure_at} | ({s.n}, {s.d}, {s.k}) | {ce.shrinks} | {ce.simplified} | "
              f"{dt:.1f} | {w} |", flush=True)


if __name__ == "__main__":
    main()
