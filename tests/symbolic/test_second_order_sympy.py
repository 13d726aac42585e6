"""SymPy derivations for Sec. 6.2–6.3: the Hessian, Eq. (8)–(9), Lemma 2, and the δ = √ε step."""

import numpy as np
import pytest
import sympy as sp

from theorems.model import Sample, hessian, losses

pytestmark = pytest.mark.symbolic


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_lemma2_characteristic_polynomial_and_exactly_when_the_identity_holds(k):
    lam, b = sp.symbols("lambda b", real=True)
    u = sp.symbols(f"u1:{k + 1}", real=True)
    M = sp.zeros(k + 1, k + 1)
    M[0, 0] = b
    for j, uj in enumerate(u, 1):
        M[0, j] = M[j, 0] = uj
    s = sum(uj ** 2 for uj in u)
    charpoly = (lam * sp.eye(k + 1) - M).det()
    assert sp.expand(charpoly - lam ** (k - 1) * (lam ** 2 - b * lam - s)) == 0
    lam_min = (b - sp.sqrt(b ** 2 + 4 * s)) / 2           # the smaller root; the others are 0 or larger
    assert sp.simplify(lam_min ** 2 - b * lam_min - s) == 0   # ‖u‖² = λ² − bλ for every real b
    # non-positive: √(b² + 4s) ≥ |b| ≥ b
    assert sp.simplify(sp.sqrt(b ** 2 + 4 * s) - sp.Abs(b)).is_nonnegative is not False
    # exactly when: write λ_min = −m (m ≥ 0); then ‖u‖² = m² + bm and
    # |bλ_min| + λ_min² − ‖u‖² = m(|b| − b): 0 iff b ≥ 0 (or m = 0, which forces b ≥ 0)
    m = sp.symbols("m", nonnegative=True)
    bp, bn = sp.symbols("b_p", nonnegative=True), sp.symbols("b_n", negative=True)
    for bb, expect_zero in ((bp, True), (bn, False)):
        resid = sp.simplify(sp.Abs(bb * (-m)) + m ** 2 - (m ** 2 + bb * m))
        assert (resid == 0) is expect_zero, resid
        if not expect_zero:
            assert sp.simplify(resid - (-2 * bb * m)) == 0     # = 2|b|m > 0 for m > 0
    assert lam_min.subs({b: -1, **{uj: 0 for uj in u}}) == -1      # the pinned counterexample


def test_eq8_eq9_symbolically_for_a_generic_loss():
    d, k = 2, 3
    w = sp.Matrix(sp.symbols(f"w1:{d + 1}", real=True))
    V = sp.Matrix(d, k, sp.symbols(f"V1:{d * k + 1}", real=True))
    x = sp.Matrix(sp.symbols(f"x1:{d + 1}", real=True))
    phi = sp.Matrix(sp.symbols(f"phi1:{k + 1}", real=True))
    ell = sp.Function("ell")
    q = (w.T * (x + V * phi))[0]
    F = ell(q)
    vecV = list(V)                                    # SymPy's Matrix iterates row-major: vec V row-major
    at0 = {wi: 0 for wi in w}
    dl0 = sp.Subs(sp.Derivative(ell(sp.Symbol("t")), sp.Symbol("t")), sp.Symbol("t"), 0).doit()
    for a in vecV:
        for c in vecV:                                # Eq. (8): ∂²F/∂V² = 0 at w = 0
            assert sp.simplify(sp.diff(F, a, c).subs(at0)) == 0
    for i in range(d):                                # Eq. (9): ∂²F/∂w_i∂V_{jl} = δ_ij ℓ'(0) φ_l
        for j in range(d):
            for l in range(k):
                got = sp.diff(F, w[i], V[j, l]).subs(at0).doit()
                want = (1 if i == j else 0) * phi[l] * dl0
                assert sp.simplify(got - want) == 0, (i, j, l, got)


def test_closed_form_hessian_equals_sympy_hessian_on_a_small_logistic_instance():
    n, d, k = 2, 2, 2
    rng = np.random.default_rng(5)
    X, Phi = rng.integers(-3, 4, (n, d)) / 2, rng.integers(-3, 4, (n, k)) / 4
    y, p = np.array([1.0, -1.0]), np.array([0.25, 0.75])
    w0, V0 = rng.integers(-3, 4, d) / 4, rng.integers(-3, 4, (d, k)) / 4
    w = sp.Matrix(sp.symbols(f"w1:{d + 1}"))
    V = sp.Matrix(d, k, sp.symbols(f"V1:{d * k + 1}"))
    F = 0
    for i in range(n):
        q = (w.T * (sp.Matrix(X[i]) + V * sp.Matrix(Phi[i])))[0]
        F += sp.Rational(p[i]) * sp.log(1 + sp.exp(-sp.Rational(y[i]) * q))
    vars_ = list(w) + list(V)
    Hs = sp.hessian(F, vars_)
    subs = dict(zip(vars_, [sp.Rational(v) for v in list(w0) + list(V0.reshape(-1))]))
    Hnum = np.array(Hs.subs(subs).evalf(30).tolist(), dtype=float)
    H = hessian(Sample(X, y, p, Phi), losses.logistic(), w0, V0)
    assert np.allclose(H, Hnum, rtol=1e-13, atol=1e-14), f"closed form\n{H}\nSymPy\n{Hnum}"


def test_delta_sqrt_eps_substitution_gives_sqrt2_times_b_not_sqrt_2b():
    eps, b, r, m0, m1, m2 = sp.symbols("epsilon b r mu0 mu1 mu2", positive=True)
    delta = sp.sqrt(eps)
    general = m0 * delta + r * (eps + delta * m1 + sp.sqrt(2) * b * sp.sqrt(m1 * (sp.sqrt(m2 * eps) + delta * m2)))
    tail = sp.sqrt(m1 * sp.sqrt(eps) * (sp.sqrt(m2) + m2))
    derived = m0 * sp.sqrt(eps) + r * (eps + m1 * sp.sqrt(eps) + sp.sqrt(2) * b * tail)
    printed = m0 * sp.sqrt(eps) + r * (eps + m1 * sp.sqrt(eps) + sp.sqrt(2 * b) * tail)
    assert sp.simplify(general - derived) == 0
    diff = sp.simplify(general - printed)
    assert diff != 0 and sp.simplify(diff.subs(b, 1)) == 0 and diff.subs({b: 8, eps: 1, r: 1, m1: 1, m2: 1}) > 0
    assert diff.subs({b: sp.Rational(1, 2), eps: 1, r: 1, m1: 1, m2: 1}) < 0   # b < 1: printed is larger
    second_general = eps * sp.sqrt(2 * b ** 2 + r ** 2 * (2 + b ** 2 / delta ** 2))
    second_printed = sp.sqrt(2 * b ** 2 * eps ** 2 + r ** 2 * (2 * eps ** 2 + b ** 2 * eps))
    assert sp.simplify(second_general - second_printed) == 0
