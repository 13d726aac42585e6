"""Directional derivatives by difference quotients, the same in float64 and at high precision.

Used wherever a closed form is checked against a numerical derivative along a direction D
(Eq. 7, Eq. 8–9, Lemma 3's gradients), in the jax ``check_grads`` manner.
"""

from __future__ import annotations

import mpmath
import numpy as np

from theorems.core import backend as B

__all__ = ["richardson_derivative", "prediction_path"]


def _mag(v):
    return B.asum(B.abs_(v)) if isinstance(v, np.ndarray) else abs(v)


def _size(v):
    return B.norm(v) if isinstance(v, np.ndarray) else abs(v)


def prediction_path(Z, Phi, W, D_W, D_V):
    """(rate, curvature) of the predictions along a direction: q(t) = W(t)(x + V(t)φ) with
    W(t) = W + tD_W, V(t) = V + tD_V (W a vector w or a matrix) is q + t·(D_W z + W D_V φ) + t²·D_W D_V φ;
    returns the largest |t-coefficient| and the largest |t²-coefficient| over the sample (Z rows z_i)."""
    PD = Phi @ D_V.T
    rate = B.abs_(Z @ D_W.T + PD @ W.T).reshape(-1)
    curv = B.abs_(PD @ D_W.T).reshape(-1)
    return (max(rate.tolist()) if rate.size else 0), (max(curv.tolist()) if curv.size else 0)


def richardson_derivative(f, rate, *, mp: bool, scale=0, curvature=0):
    """(d/dt f(t) at t = 0, an error allowance) for scalar- or array-valued f.

    The step h makes the predictions move by ``move`` per step, ``rate`` being the largest
    |dq_i/dt|: 10⁻³ in float64 and 10^(−dps/4) at high precision (the losses' curvature scales are
    O(1) in p, so truncation is controlled whatever the magnitudes of θ and x). Where both factors
    of a prediction wᵀ(x + Vφ) move, q_i(t) is quadratic in t; ``curvature`` (the largest |t²
    coefficient|) then also caps h so that h²·curvature ≤ move — with the rate alone, a tiny first
    order coefficient gave h ~ 500 and predictions ~ 10³, where e^(−yp) overflowed to a NaN. The derivative is
    the Richardson extrapolation (4·D(h/2) − D(h))/3 of central differences D; the allowance is
    the truncation estimate 4|D(h/2) − D(h)| plus the rounding of the quotients, 10³·u·(largest
    |f(±h)|, |f(±h/2)| + ``scale``)/h — the values differenced set it, not f(0), which may be far
    smaller.
    """
    move = mpmath.mpf(10) ** (-(mpmath.mp.dps // 4)) if mp else 1e-3
    h = move / rate if rate > 0 else move
    if curvature > 0:
        h = min(h, B.sqrt(move / curvature))
    fp, fm, fp2, fm2 = f(h), f(-h), f(h / 2), f(-h / 2)
    c1, c2 = (fp - fm) / (2 * h), (fp2 - fm2) / h
    derivative = (4 * c2 - c1) / 3
    magnitude = max(_mag(fp), _mag(fm), _mag(fp2), _mag(fm2)) + scale
    return derivative, 4 * _size(c2 - c1) + 1e3 * B.eps(h) * magnitude / h
