"""Strategies for Remark 1's biased predictor x ↦ wᵀ(x + V f_θ(x) + a) + a₀ trained in (w, V, a, a₀):
biased points with a comparison bias a₀* (``biased_star_points``), and the constructed stationary
points with w = 0 (``biased_stationary_points``, ``theorems.model.biased``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from theorems.model.biased import biased_stationary_point

from .core import forwards_filters, scaled_arrays
from .instances import biased_points

__all__ = ["biased_star_points", "biased_stationary_points", "biased_nonzero_w_points"]


def _with_a0_star(inst, a0s):
    return replace(inst, extras=dict(inst.extras, a0_star=a0s))


@forwards_filters(biased_points, fixed=())
def biased_star_points(**filters):
    """Biased points (extras a, a0) with w* and a comparison bias a0_star (1,)."""
    return st.builds(_with_a0_star, biased_points(**filters).filter(lambda i: i.w_star is not None),
                     scaled_arrays((1,)))


def _stationary(inst):
    s = inst.sample
    d1 = inst.extras["a0"] * 0 + (s.p @ s.y) - s.y
    if not np.any(np.abs((s.p * d1) @ s.Phi) > 1e-8 * (np.abs(s.Phi).max() * np.abs(d1).max() + 1e-300)):
        return None                                      # E[ℓ'φ] = 0: V cannot cancel E[ℓ'x]
    # compare with the best biased linear predictor (weighted least squares on x̃ = (x; 1))
    Xt = np.concatenate([s.X, np.ones((s.n, 1))], axis=1)
    r = np.sqrt(s.p)
    wt = np.linalg.lstsq(Xt * r[:, None], s.y * r, rcond=None)[0]
    return biased_stationary_point(s.X, s.y, s.Phi, s.p, inst.extras["a"], wt[:-1], wt[-1])


def biased_stationary_points():
    """Stationary points of the biased objective with w = 0, a₀ = E[y] ≠ 0 (squared loss)."""
    return biased_star_points(losses=["squared"]).map(_stationary).filter(
        lambda i: i is not None and i.extras["a0"][0] != 0 and np.all(np.isfinite(i.V)))


@forwards_filters(biased_points, fixed=())
def biased_nonzero_w_points(**filters):
    """``biased_star_points`` with w ≠ 0 (the corrected biased Theorem 1's hypothesis)."""
    return biased_star_points(**filters).filter(lambda i: bool(np.any(i.w)))
