"""Examples per second through Hypothesis for the Section 3 point properties (issue 14).

For each claim (``theorem1``, ``theorem2``, ``lemma1``) a property draws from the claim's
strategy, as the engine searches it — batched (``strategies.batches``: one Hypothesis example is a
batch of up to ``--batch`` instances sharing their structure) where the claim marks its strategy
``batch_searched``, else one instance per example — and evaluates the claim on every instance, in
three settings: no database; a directory database; a directory database and ``target()`` of the
tightest informative member's ratio (the nightly profile's configuration). One process, BLAS
pinned to one thread. Rates are per CPU second of this process (``time.process_time``), so that
other load on a shared machine does not skew before/after comparisons; on an idle core they equal
wall-clock rates. Each cell reads "instances/s (Hypothesis examples/s)": an instance is a valid
instance evaluated (not-tested ones are not counted); ``--batch 1`` measures the unbatched search.

    OMP_NUM_THREADS=1 python benchmarks/bench_hypothesis_rate.py [--examples 500] [--claims theorem1] [--batch 32]

Measured (shared 2-core VM, 500 examples; instances per CPU second, Hypothesis examples in
parentheses):

    | property | no database | database  | database + target() |
    |----------|-------------|-----------|---------------------|
    | issue 14's baseline, theorem1 / theorem2 / lemma1 | 72 / 60 / 73 | 75 / 60 / 76 | 26 / 29 / 30 |
    | --batch 1: theorem1 | 118 | 112 | 70 |
    | --batch 1: theorem2 | 106 | 103 | 71 |
    | --batch 1: lemma1   | 119 | 99  | 64 |
    | batched (32): theorem1 | 1010 (37) | 928 (39) | 949 (32) |
    | batched (32): theorem2 | 736 (34)  | 738 (31) | 478 (17) |
    | batched (32): lemma1   | 891 (38)  | 851 (38) | 735 (25) |

A batched example costs about 3-4 unbatched ones (building and evaluating ~25-32 members), which
is why the engine counts it as ``BATCH_COST`` = 4 toward a search's ``max_examples``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from hypothesis import HealthCheck, Phase, given, settings, target  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from strategies.batches import BATCH_SIZE, Batch, batched, marked  # noqa: E402
from theorems import CLAIMS  # noqa: E402
from theorems.contract import HypothesisNotMet  # noqa: E402


def rate(claim, n, *, database, use_target, batch):
    count, examples = [0], [0]

    def prop(drawn):
        examples[0] += 1
        scores = []
        for inst in drawn.members if isinstance(drawn, Batch) else (drawn,):
            if inst is None:    # (a constructed family's draw that did not construct: not an instance)
                continue
            try:
                ev = claim.evaluate(inst)
            except HypothesisNotMet:
                continue
            count[0] += 1
            if ev.ratio is not None and ev.informative is not False:
                scores.append(min(float(ev.ratio), 1e6))
        if use_target and scores:
            target(max(scores), label="tightness ratio")

    strategy = claim.strategy()
    expanded = batched(strategy, batch) if batch > 1 and marked(strategy) else None
    strategy = strategy if expanded is None else expanded
    test = settings(max_examples=n, deadline=None, database=database, derandomize=database is None,
                    phases=[Phase.generate, Phase.target], suppress_health_check=list(HealthCheck))(
        given(strategy)(prop))
    t0 = time.process_time()
    test()
    dt = time.process_time() - t0
    return count[0] / dt, examples[0] / dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=500)
    ap.add_argument("--claims", default="theorem1,theorem2,lemma1")
    ap.add_argument("--batch", type=int, default=BATCH_SIZE)
    args = ap.parse_args()
    print(f"| property | no database | database | database + target() |  ({args.examples} Hypothesis examples, "
          f"batch {args.batch}; instances/s (examples/s) per CPU second)")
    print("|---|---|---|---|")
    for cid in args.claims.split(","):
        row = []
        for db, tg in ((False, False), (True, False), (True, True)):
            with tempfile.TemporaryDirectory() as tmp:
                database = DirectoryBasedExampleDatabase(tmp) if db else None
                row.append(rate(CLAIMS[cid], args.examples, database=database, use_target=tg, batch=args.batch))
        print(f"| {cid} | " + " | ".join(f"{r:.0f} ({e:.0f})" for r, e in row) + " |", flush=True)


if __name__ == "__main__":
    main()
