"""Examples per second through Hypothesis for the Section 3 point properties (issue 14).

For each claim (``theorem1``, ``theorem2``, ``lemma1``) a property draws an instance from the
claim's strategy and evaluates the claim, in three settings: no database; a directory database;
a directory database and ``target()`` of the tightness ratio (the nightly profile's
configuration). One process, BLAS pinned to one thread, derandomized. Rates are per CPU second
of this process (``time.process_time``), so that other load on a shared machine does not skew
before/after comparisons; on an idle core they equal wall-clock rates.

    OMP_NUM_THREADS=1 python benchmarks/bench_hypothesis_rate.py [--examples 500] [--claims theorem1]
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

from theorems import CLAIMS  # noqa: E402


def rate(claim, n, *, database, use_target):
    count = [0]

    def prop(inst):
        ev = claim.evaluate(inst)
        count[0] += 1
        if use_target and ev.ratio is not None:
            target(min(float(ev.ratio), 1e6), label="tightness ratio")

    test = settings(max_examples=n, deadline=None, database=database, derandomize=database is None,
                    phases=[Phase.generate, Phase.target], suppress_health_check=list(HealthCheck))(
        given(claim.strategy())(prop))
    t0 = time.process_time()
    test()
    return count[0] / (time.process_time() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=500)
    ap.add_argument("--claims", default="theorem1,theorem2,lemma1")
    args = ap.parse_args()
    print(f"| property | no database | database | database + target() |  ({args.examples} examples)")
    print("|---|---|---|---|")
    for cid in args.claims.split(","):
        row = []
        for db, tg in ((False, False), (True, False), (True, True)):
            with tempfile.TemporaryDirectory() as tmp:
                database = DirectoryBasedExampleDatabase(tmp) if db else None
                row.append(rate(CLAIMS[cid], args.examples, database=database, use_target=tg))
        print(f"| {cid} | " + " | ".join(f"{r:.0f}" for r in row) + " |", flush=True)


if __name__ == "__main__":
    main()
