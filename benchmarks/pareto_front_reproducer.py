"""Standalone reproducer (only hypothesis + numpy): examples per second of a ~40-choice strategy
with and without ``target()``, with and without a directory database.

With a database, Hypothesis keeps a Pareto front of the test cases' target observations (and of
their choice sequences) and saves it to the database; every example that calls ``target()`` is
then compared against the front and may be written to disk. Without a database there is no
front. The test function itself is trivial here (a sum), so the rates are Hypothesis's own cost.

    OMP_NUM_THREADS=1 python benchmarks/pareto_front_reproducer.py [--examples 500]

Measured (Hypothesis 6.170.17, CPython 3.11, a shared 2-core VM, CPU seconds of the process,
500 examples, --choices 40; two runs):

    | setting                  | examples per CPU second |
    |--------------------------|-------------------------|
    | no database              | 134 / 126               |
    | no database + target()   | 143 / 141               |
    | database                 | 146 / 157               |
    | database + target()      |  69 /  64               |

``target()`` alone costs nothing measurable and the database alone costs nothing measurable, but
together they halve the rate. cProfile of the database + target() run (400 examples): 36 of the
47 profiled seconds are in ``ParetoFront.add`` (hypothesis/internal/conjecture/pareto.py), almost
all of it in ``dominance`` (shortlex comparison of choice sequences against the front, per
example). Hypothesis's public API has no setting that keeps ``target()`` and a database but skips
the Pareto front; the project therefore amortises Hypothesis's per-example cost over a batch of
instances per example (strategies/batches.py) rather than avoiding the front.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings, target
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase


def instances(choices: int):
    """A composite of ``choices`` primitive choices: a few structural integers and floats, and
    arrays expanded from drawn seeds (like a property-based test of a numerical model)."""
    ints = max(1, choices // 4)
    floats = max(1, choices // 4)
    seeds = max(1, choices - ints - floats)

    @st.composite
    def draw_instance(draw):
        n = draw(st.integers(1, 6))
        params = [draw(st.integers(0, 10)) for _ in range(ints - 1)]
        xs = [draw(st.floats(-10, 10)) for _ in range(floats)]
        arrays = [np.random.default_rng(draw(st.integers(0, 2**32 - 1))).uniform(-1, 1, n) for _ in range(seeds)]
        return n, params, xs, arrays

    return draw_instance()


def rate(strategy, n, *, database, use_target):
    count = [0]

    def prop(inst):
        count[0] += 1
        n_, params, xs, arrays = inst
        score = float(sum(xs)) + float(sum(a.sum() for a in arrays))
        if use_target:
            target(score, label="score")

    test = settings(max_examples=n, deadline=None, database=database, derandomize=database is None,
                    phases=[Phase.generate, Phase.target], suppress_health_check=list(HealthCheck))(
        given(strategy)(prop))
    t0 = time.process_time()
    test()
    return count[0] / (time.process_time() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=500)
    ap.add_argument("--choices", type=int, default=40)
    args = ap.parse_args()
    strategy = instances(args.choices)
    print("| setting | examples per CPU second |\n|---|---|")
    for name, db, tg in (("no database", False, False), ("no database + target()", False, True),
                         ("database", True, False), ("database + target()", True, True)):
        with tempfile.TemporaryDirectory() as tmp:
            database = DirectoryBasedExampleDatabase(tmp) if db else None
            r = rate(strategy, args.examples, database=database, use_target=tg)
        print(f"| {name} | {r:.0f} |", flush=True)


if __name__ == "__main__":
    main()
