"""SymPy derivations behind the families where the parts of Theorem 3's Eq. (15) bite (Sec. 6.3):
``second_order_constructions.linear_box_point`` attains Eq. (6) at the ball minimiser, and at
‖w‖ = ‖V‖ → b each constant of Eq. (15) that the necessity analysis sharpens is needed."""

import numpy as np
import pytest
import sympy as sp

from theorems.model.objective import gradient, objective
from theorems.model.second_order_constructions import linear_box_point

pytestmark = pytest.mark.symbolic


def test_linear_box_point_attains_eq6_with_w_star_the_ball_minimiser():
    t, r, sig, c = sp.symbols("t r sigma c", positive=True)
    beta = -r * sig / t ** 2
    alpha = t + r + r * sig ** 2 / t ** 2
    s = alpha + beta * sig                                   # ∂F/∂w = c·s·û
    gap = c * (t * s + r * alpha)                            # F(w) − F_lin(−r·û) = c·t·s + c·r·α
    grad2 = c ** 2 * (s ** 2 + t ** 2 * beta ** 2)           # ‖∂F/∂w‖² + ‖w φᵀ‖²
    assert sp.simplify(s - (t + r)) == 0
    assert sp.simplify(gap ** 2 / grad2 - ((t + r) ** 2 + r ** 2 * sig ** 2 / t ** 2)) == 0
    assert sp.simplify(alpha).is_positive                    # x ∝ +û, so the ball minimiser is −r·û


def test_linear_box_point_numbers_match_the_derivation():
    inst = linear_box_point(np.array([1.0, 2.0]), np.array([3.0]), 0.9, 0.8, 0.7, 1.0, 2.0)
    s = inst.sample
    g = np.concatenate([a.ravel() for a in gradient(s, inst.loss, inst.w, inst.V)])
    gap = objective(s, inst.loss, inst.w, inst.V) + 0.7 * np.linalg.norm(s.X[0])    # F_lin(−r·x̂) = −r‖x‖
    assert abs(np.linalg.norm(g) - 2.0) <= 1e-12
    assert abs(gap / 2.0 - np.sqrt(1.6 ** 2 + 0.49 * 0.64 / 0.81)) <= 1e-12


def test_each_sharpened_constant_of_eq15_fails_at_w_and_V_on_the_box_edge_for_r_over_b_in_half_one():
    b, r = sp.symbols("b r", positive=True)
    attained = (b + r) ** 2 + r ** 2                         # gap²/‖∇F‖² at t = σ = δ = b
    eq15 = 2 * b ** 2 + r ** 2 * (2 + 1)
    assert sp.expand(eq15 - attained - (b - r) ** 2) == 0       # Eq. (15) holds, equality only at r = b
    variants = {"2b² → b²": b ** 2 + 3 * r ** 2, "2 + b²/δ² → b²/δ²": 2 * b ** 2 + r ** 2,
                "2 + b²/δ² → 1 + b²/δ²": 2 * b ** 2 + 2 * r ** 2}
    excess = {k: sp.expand(attained - v) for k, v in variants.items()}
    assert sp.expand(excess["2b² → b²"] - r * (2 * b - r)) == 0          # > 0 iff r < 2b
    assert sp.expand(excess["2 + b²/δ² → 1 + b²/δ²"] - b * (2 * r - b)) == 0   # > 0 iff r > b/2
    assert sp.expand(excess["2 + b²/δ² → b²/δ²"] - (2 * b * r + r ** 2 - b ** 2)) == 0   # > 0 iff r > (√2 − 1)b
    for ratio in (sp.Rational(6, 10), sp.Rational(3, 4), sp.Rational(9, 10)):          # the family's grid
        for k, e in excess.items():
            assert sp.simplify(e.subs(r, ratio * b) / b ** 2) > 0, (k, ratio)
