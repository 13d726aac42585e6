"""Search power: how fast ``refute`` finds a confirmed counterexample to each negative control
(the project's catalogue of false variants), against plain uniform random sampling of the same
kind of instances; and the tightness ``search`` reaches against its budget.

Both columns count instances evaluated until the first violation confirmed at 60 digits and the
wall time to it (median over seeds, milliseconds). ``refute`` searches as the audit does: batched
where the claim marks its strategy (``strategies.batches``; one Hypothesis example = a batch of
instances), so its instance count can exceed its Hypothesis examples; the time includes
Hypothesis's start-up (building and validating the strategy, the engine).

    python benchmarks/search_power.py [--budget 3000] [--seeds 3] [--markdown]

Uniform sampling draws n, d ∈ 1..6, a ReLU net f_θ of depth 0..3 and width 1..6, a catalogue loss,
and every entry of X, y, w, V, w* (and the claim's extra arrays) uniformly in [−1, 1]; p uniform on
the simplex. It is only defined for Section 3 point instances (``Point``); other claims show "n/a".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from theorems import CLAIMS, search
from theorems.audit.engine import confirm
from theorems.model import Point, Sample
from theorems.model import features as FM
from theorems.model import losses as L


def uniform_point(rng, like: Point) -> Point:
    n, d = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    f = FM.network("relu", d, depth=int(rng.integers(0, 4)), width=int(rng.integers(1, 7)),
                   seed=int(rng.integers(2**31)))
    X = rng.uniform(-1, 1, (n, d))
    Phi = f(X)
    k = Phi.shape[1]
    loss = L.by_name(str(rng.choice(L.names())))
    y = rng.choice([-1.0, 1.0], n) if loss.y_domain == "pm1" else rng.uniform(-1, 1, n)
    p = rng.dirichlet(np.ones(n))
    ex = {}
    for name, a in like.extras.items():
        shape = (d, k) if a.ndim == 2 else ((1,) if a.size == 1 else (d,))
        ex[name] = rng.uniform(-1, 1, shape)
    # keep the claim's structural hypothesis on w (Theorem 2 is stated at w = 0)
    w = rng.uniform(-1, 1, d) if np.any(like.w) else np.zeros(d)
    return Point(Sample(X, y, p, Phi), loss, w, rng.uniform(-1, 1, (d, k)), rng.uniform(-1, 1, d), ex,
                 {"feature_map": f.describe(), "corner": "uniform"})


def uniform_refute(check, like, budget, seed):
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for i in range(1, budget + 1):
        inst = uniform_point(rng, like)
        try:
            ev = check(inst)
        except ValueError:
            continue
        if not ev.holds and not confirm(check, inst).holds:
            return i, time.perf_counter() - t0
    return None, time.perf_counter() - t0


def hypothesis_refute(check, strategy, budget, seed):
    """Instances and seconds until the first confirmed violation (before shrinking)."""
    first = {}
    t0 = time.perf_counter()
    count = [0]

    def counted(inst):
        count[0] += 1
        ev = check(inst)
        if not ev.holds and "n" not in first and not getattr(inst, "is_mp", False):
            if not confirm(check, inst).holds:
                first["n"], first["t"] = count[0], time.perf_counter() - t0
        return ev

    search(counted, strategy, max_examples=budget, seed=seed, shrink=False)
    return first.get("n"), first.get("t", time.perf_counter() - t0)


def _ms(seconds):
    return f"{1e3 * np.median(seconds):.0f}"


def _fmt(vals):
    found = [v for v in vals if v is not None]
    if not found:
        return "not found"
    miss = len(vals) - len(found)
    return f"{np.median(found):.0f}" + (f" ({miss} misses)" if miss else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=3000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--claims", default="")
    args = ap.parse_args()
    ids = [i for i in args.claims.split(",") if i] or sorted(CLAIMS)
    rows = []
    for cid in ids:
        c = CLAIMS[cid]
        like = c.example()
        for v in c.controls:
            strat = v.strategy() if v.strategy else c.strategy()
            h = [hypothesis_refute(v.check, strat, args.budget, s) for s in range(args.seeds)]
            if isinstance(like, Point) and v.strategy is None:
                u = [uniform_refute(v.check, like, args.budget, s) for s in range(args.seeds)]
                u_ex, u_t = _fmt([x[0] for x in u]), _ms([x[1] for x in u])
            else:
                u_ex, u_t = "n/a", "n/a"
            rows.append((v.name, _fmt([x[0] for x in h]), _ms([x[1] for x in h]), u_ex, u_t))
            print(rows[-1], flush=True)
    # harder false variants, violated only near the tight corners: where targeting should pay
    from theorems import theorem1 as T1
    hard = [("theorem1 sharpened by 1.1 (hard)", lambda i: T1.evaluate(i, factor=1.1), "theorem1"),
            ("eq6 sharpened by 1.02 (hard)", lambda i: T1.evaluate_eq6(i, factor=1.02), "theorem1.eq6")]
    for name, check, cid in hard:
        if ids != sorted(CLAIMS) and cid not in ids:
            continue
        c = CLAIMS[cid]
        h = [hypothesis_refute(check, c.strategy(), args.budget, s) for s in range(args.seeds)]
        u = [uniform_refute(check, c.example(), args.budget, s) for s in range(args.seeds)]
        rows.append((name, _fmt([x[0] for x in h]), _ms([x[1] for x in h]),
                     _fmt([x[0] for x in u]), _ms([x[1] for x in u])))
        print(rows[-1], flush=True)
    # the floor: a check false on every instance, so both searches stop at their first instance
    # (start-up plus one instance plus its 60-digit confirmation)
    if ids == sorted(CLAIMS) or "lemma1" in ids:
        from theorems.contract import Evaluation

        def always_false(inst):
            return Evaluation.compare(1.0, "<=", 0.0, quantities={"n": inst.sample.n})

        c = CLAIMS["lemma1"]
        h = [hypothesis_refute(always_false, c.strategy(), args.budget, s) for s in range(max(args.seeds, 5))]
        u = [uniform_refute(always_false, c.example(), args.budget, s) for s in range(max(args.seeds, 5))]
        rows.append(("floor: false on every instance (lemma1's strategy)", _fmt([x[0] for x in h]),
                     _ms([x[1] for x in h]), _fmt([x[0] for x in u]), _ms([x[1] for x in u])))
        print(rows[-1], flush=True)
    print("\n| negative control | refute: instances | refute: ms | uniform: draws | uniform: ms |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nmedian over {args.seeds} seeds, budget {args.budget} per run; 'misses' = runs that found nothing")

    print("\n| claim | budget | tightest ratio (search) |")
    print("|---|---|---|")
    for cid in ("theorem1", "theorem1.eq6", "lemma1"):
        if cid in CLAIMS:
            for budget in (50, 200, 1000):
                rep = search(CLAIMS[cid].evaluate, CLAIMS[cid].strategy(), max_examples=budget, seed=0)
                print(f"| {cid} | {budget} | {rep.best[0][0]:.4f} |")


if __name__ == "__main__":
    main()
