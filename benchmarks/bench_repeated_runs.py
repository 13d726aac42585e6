"""CPU seconds of the repeated-runs claims' inner loop: exact F over the support at every SGD iterate.

    python benchmarks/bench_repeated_runs.py

For Iris (n = 150 support points, 32 runs, T = 232) and the 8-point synthetic distribution, with the
vector network (softmax cross-entropy, ½‖p − y‖²) and the scalar one (logistic), depth 0 and 1: the
CPU seconds (best of 3) of ``repeated_runs.run_objectives`` (SGD with backpropagation, then F at
all R·T iterates) and of one full claim evaluation in float64, and the rate in (run, step, support
point) triples per CPU-microsecond. A measurement, not a timed test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # run from a clone without installing

from theorems.model.repeated_runs import run_objectives, sample_indices
from theorems.model.skip_sgd import experiment_constants
from theorems.theorem4 import evaluate_theorem4, example_theorem4
from theorems.theorem4_vector import evaluate_high_probability, example_high_probability


def _cpu(f, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        f()
        best = min(best, time.process_time() - t)
    return best


def _measure(ex, ev):
    b, l, _ = experiment_constants(ex)
    eta = ex.c * b / (l * np.sqrt(ex.T))
    idx = sample_indices(ex.seed, ex.p, ex.runs, ex.T)
    t_F = _cpu(lambda: run_objectives(ex.net, ex.loss, ex.M1, ex.M2, ex.X, ex.targets, ex.p, idx, ex.wv1,
                                      ex.theta1, eta))
    return t_F, _cpu(lambda: ev(ex))


def main():
    rows = []
    for data in ("iris", "synthetic"):
        for depth in (0, 1):
            cases = [(f"vector {loss}", example_high_probability(data, T=232, depth=depth, loss=loss),
                      evaluate_high_probability) for loss in ("softmax_ce", "squared")]
            cases.append(("scalar logistic", example_theorem4(data, T=232, depth=depth), evaluate_theorem4))
            for name, ex, ev in cases:
                t_F, t_ev = _measure(ex, ev)
                triples = ex.runs * ex.T * ex.X.shape[0]
                rows.append((data, depth, name, ex.runs, ex.T, ex.X.shape[0], t_F, t_ev, triples / t_F / 1e6))
    print(f"{'data':10s} {'depth':>5s} {'network':22s} {'R':>4s} {'T':>4s} {'n':>4s} {'F CPU-s':>8s} "
          f"{'eval CPU-s':>10s} {'triples/µs':>10s}")
    for r in rows:
        print(f"{r[0]:10s} {r[1]:5d} {r[2]:22s} {r[3]:4d} {r[4]:4d} {r[5]:4d} {r[6]:8.3f} {r[7]:10.3f} {r[8]:10.2f}")


if __name__ == "__main__":
    main()
