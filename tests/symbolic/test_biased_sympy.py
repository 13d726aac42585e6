"""SymPy re-derives the Hessian of Remark 1's biased objective F_b(w, V, a, a₀) in (w, a₀, vec[V a]).

Exact at w = 0 with an undefined loss ℓ: the Hessian is [[A, C], [Cᵀ, 0]] with C = [I ⊗ r̃ᵀ; 0ᵀ],
r̃ = E[ℓ'(a₀; y)(f_θ(x); 1)] (Sec. 6.2's structure, Ṽ's bottom row absent). Numeric: SymPy's Hessian
of the closed-form F_b at a point with w ≠ 0 (squared loss, exact rationals) against ``biased_hessian``.
"""

import numpy as np
import pytest
import sympy as sp

from theorems.model import Point, Sample, losses
from theorems.model.biased import augment_point
from theorems.model.biased_second_order import biased_hessian

pytestmark = pytest.mark.symbolic

n, d, k = 2, 2, 2


def _symbols():
    X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    Phi = sp.Matrix(n, k, lambda i, j: sp.Symbol(f"f{i}{j}", real=True))
    w = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"w{i}", real=True))
    V = sp.Matrix(d, k, lambda i, j: sp.Symbol(f"V{i}{j}", real=True))
    a = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"bias{i}", real=True))
    a0 = sp.Symbol("bias_out", real=True)
    Va = V.row_join(a)                                             # [V a], vec row-major
    params = list(w) + [a0] + list(Va)
    return X, Phi, w, V, a, a0, params


def test_biased_hessian_at_w_zero_has_the_arrow_structure_without_the_bottom_row():
    X, Phi, w, V, a, a0, params = _symbols()
    Y = [sp.Symbol(f"y{i}", real=True) for i in range(n)]
    P = [sp.Symbol(f"p{i}", positive=True) for i in range(n)]
    ell = sp.Function("ell")
    q = [(w.T * (X[i, :].T + V * Phi[i, :].T + a))[0, 0] + a0 for i in range(n)]
    F = sum(P[i] * ell(q[i], Y[i]) for i in range(n))
    at0 = {wi: 0 for wi in w}
    t = sp.Symbol("t")
    d1 = [sp.Subs(sp.Derivative(ell(t, Y[i]), t), t, a0).doit() for i in range(n)]
    d2 = [sp.Subs(sp.Derivative(ell(t, Y[i]), t, 2), t, a0).doit() for i in range(n)]
    H = sp.hessian(F, params).subs(at0).doit()
    m = d + 1
    r = [sum(P[i] * d1[i] * (Phi[i, j] if j < k else 1) for i in range(n)) for j in range(k + 1)]
    for i_ in range(m):
        for j_ in range(m):                                       # A = Σ p ℓ''(a₀) z̃ z̃ᵀ
            zi = [X[s, i_] + (V * Phi[s, :].T)[i_, 0] + a[i_] if i_ < d else 1 for s in range(n)]
            zj = [X[s, j_] + (V * Phi[s, :].T)[j_, 0] + a[j_] if j_ < d else 1 for s in range(n)]
            want = sum(P[s] * d2[s] * zi[s] * zj[s] for s in range(n))
            assert sp.expand(H[i_, j_] - want) == 0, (i_, j_)
        for c in range(d * (k + 1)):                              # C = [I ⊗ r̃ᵀ; 0ᵀ]
            row, col = divmod(c, k + 1)
            want = r[col] if i_ == row else 0
            assert sp.expand(H[i_, m + c] - want) == 0, (i_, c)
    for c1 in range(d * (k + 1)):                                 # the [V a] block is 0 at w = 0
        for c2 in range(d * (k + 1)):
            assert sp.expand(H[m + c1, m + c2]) == 0


def test_closed_form_biased_hessian_equals_sympy_at_a_point_with_w_nonzero():
    # squared loss: F_b is a polynomial, so SymPy's Hessian is exact in rationals (both the ℓ''·JJᵀ
    # part and the ℓ'·C part are non-zero at this point); other losses: tests/test_remark1.py
    # checks ``biased_hessian`` against the augmented Hessian restricted to the biased coordinates
    X, Phi, w, V, a, a0, params = _symbols()
    rng = np.random.default_rng(3)
    Xn, Phin = rng.integers(-3, 4, (n, d)) / 2, rng.integers(-3, 4, (n, k)) / 4
    y, p = np.array([1.0, -0.5]), np.array([0.25, 0.75])
    w0, V0 = rng.integers(-3, 4, d) / 4 + 0.125, rng.integers(-3, 4, (d, k)) / 4
    a_0, a00 = rng.integers(-3, 4, d) / 4, 0.375
    R = sp.Rational
    F = 0
    for i in range(n):
        q = (w.T * (sp.Matrix([R(v) for v in Xn[i]]) + V * sp.Matrix([R(v) for v in Phin[i]]) + a))[0, 0] + a0
        F += R(p[i]) * (q - R(y[i])) ** 2 / 2
    vals = list(w0) + [a00] + list(np.concatenate([V0, a_0[:, None]], axis=1).reshape(-1))
    Hs = sp.hessian(sp.expand(F), params).subs(dict(zip(params, [R(v) for v in vals])))
    Hnum = np.array(Hs.tolist(), dtype=float)
    inst = Point(Sample(Xn, y, p, Phin), losses.squared(), w0, V0, np.zeros(d),
                 {"a": a_0, "a0": np.array([a00]), "a0_star": np.array([0.0])}, {})
    aug, _ = augment_point(inst)
    H = biased_hessian(aug)
    assert np.any(H[:d, d + 1:] != 0) and np.any(H[d + 1:, d + 1:] != 0)
    assert np.allclose(H, Hnum, rtol=1e-14, atol=1e-15), f"closed form\n{H}\nSymPy\n{Hnum}"
