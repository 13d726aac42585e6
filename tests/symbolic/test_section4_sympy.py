"""Exact SymPy re-derivations for Sec. 4: Example 1, Remark 3, Figure 1 (b), (c)."""

import pytest
import sympy as sp

pytestmark = pytest.mark.symbolic

w, v = sp.symbols("w v", real=True)
eps, lam = sp.symbols("epsilon lambda", positive=True)
F = sp.Rational(1, 2) * (w * (1 + eps * v) - 1) ** 2


def test_example1_gradient_and_hessian_formulas():
    g = [sp.diff(F, w), sp.diff(F, v)]
    stated_g = [(w - 1 + eps * w * v) * (1 + eps * v), (w - 1 + eps * w * v) * eps * w]
    assert all(sp.expand(a - b) == 0 for a, b in zip(g, stated_g))
    H = sp.hessian(F, (w, v))
    off = eps * (2 * w + 2 * eps * w * v - 1)
    assert sp.simplify(H - sp.Matrix([[(1 + eps * v) ** 2, off], [off, eps ** 2 * w ** 2]])) == sp.zeros(2)


def test_example1_point_0_minus_1_over_eps():
    p = {w: 0, v: -1 / eps}
    assert [sp.simplify(sp.diff(F, x).subs(p)) for x in (w, v)] == [0, 0]
    assert sp.simplify(sp.hessian(F, (w, v)).subs(p)) == sp.Matrix([[0, -eps], [-eps, 0]])
    assert sp.simplify(F.subs(p)) == sp.Rational(1, 2)
    assert sp.Rational(1, 2) * (1 * 1 - 1) ** 2 == 0          # F_lin(1) with x = y = 1


def test_all_stationary_points_of_F__saddle_is_at_0_not_1():
    gw, gv = sp.diff(F, w), sp.diff(F, v)
    # ‖∇F‖² = 2F((1+εv)² + ε²w²): zero iff F = 0 (valley) or w = 0 and 1 + εv = 0
    assert sp.expand(gw ** 2 + gv ** 2 - 2 * F * ((1 + eps * v) ** 2 + eps ** 2 * w ** 2)) == 0
    sols = sp.solve([gw, gv], [w, v], dict=True)
    off_valley = [s for s in sols if sp.simplify((w * (1 + eps * v)).subs(s) - 1) != 0]
    assert off_valley == [{w: 0, v: -1 / eps}]
    # the stated saddle (1, −1/ε) is not stationary: ∇F = (0, −ε)
    assert [sp.simplify(g.subs({w: 1, v: -1 / eps})) for g in (gw, gv)] == [0, -eps]
    # strict saddle: eigenvalues ±ε
    assert set(sp.hessian(F, (w, v)).subs({w: 0, v: -1 / eps}).eigenvals()) == {eps, -eps}
    # two valleys: w = 1/(1 + εv) has one branch on each side of the pole v = −1/ε
    wv = 1 / (1 + eps * v)
    assert sp.limit(wv, v, -1 / eps, "+") == sp.oo and sp.limit(wv, v, -1 / eps, "-") == -sp.oo


def test_remark3_exact_constants_and_unboundedness():
    a, u = sp.symbols("a u", real=True)
    # Hessian in a = εw, u = 1 + εv; spectral norm maximal at u = 3, a = −2
    p, q, r = u ** 2, 2 * a * u - eps, a ** 2
    norm = (p + r) / 2 + sp.sqrt(((p - r) / 2) ** 2 + q ** 2)
    mu1 = sp.Rational(13, 2) + sp.sqrt(sp.Rational(25, 4) + (12 + eps) ** 2)
    assert sp.simplify(norm.subs({u: 3, a: -2}) - mu1) == 0
    assert sp.limit(mu1, eps, 0) == (13 + sp.sqrt(601)) / 2
    assert sp.limit(mu1 / eps, eps, sp.oo) == 1                 # μ₁ grows like ε: no numerical constant
    # third derivatives and κ
    T = [sp.diff(F, w, w, v), sp.diff(F, w, v, v), sp.diff(F, w, 3), sp.diff(F, v, 3)]
    assert [sp.expand(t) for t in T] == [sp.expand(2 * eps * (1 + eps * v)), 2 * eps ** 2 * w, 0, 0]
    s = sp.symbols("s", real=True)
    g = (3 * s + 2 * s ** 2) / (1 + s ** 2) ** sp.Rational(3, 2)
    crit = sp.Poly(sp.numer(sp.together(sp.diff(g, s))), s)
    assert sp.factor_list(crit.as_expr())[1][-1][0] in (2 * s ** 3 + 6 * s ** 2 - 4 * s - 3,
                                                         -(2 * s ** 3 + 6 * s ** 2 - 4 * s - 3))
    kappa = max(abs(g.subs(s, r_)).evalf(40) for r_ in sp.real_roots(2 * s ** 3 + 6 * s ** 2 - 4 * s - 3))
    from theorems.model.planar import kappa as kappa_num
    assert abs(kappa - sp.Float(kappa_num(), 40)) < 1e-14
    # over ℝ²: the Hessian entries (1+εv)², ε²w² and F_wvv = 2ε²w are unbounded
    assert sp.limit((eps * w) ** 2, w, sp.oo) == sp.oo and sp.limit(2 * eps ** 2 * w, w, sp.oo) == sp.oo


@pytest.mark.parametrize("c,n_real", [(sp.Rational(1, 2), 1), (1, 3)], ids=["text: c=1/2", "caption: c=1"])
def test_figure1b_stationary_points_resultant(c, n_real):
    G = c * (w * (1 + v) - 1) ** 2 + sp.Rational(1, 4) * (w ** 2 + v ** 2)
    gw, gv = sp.diff(G, w), sp.diff(G, v)
    res = sp.Poly(sp.resultant(gw, gv, w), v)
    P = sp.Poly(v * (2 * c * (1 + v) ** 2 + sp.Rational(1, 2)) ** 2 - 4 * c ** 2 * (1 + v), v)
    assert sp.div(res, P)[1].is_zero and sp.degree(res) == sp.degree(P)      # same roots
    assert P.count_roots() == n_real
    # ∂G/∂w is linear in w with a positive coefficient: one stationary point per real root of P
    assert sp.Poly(gw, w).degree() == 1


def test_figure1b_lambda_threshold_for_example1_F():
    P = sp.Poly(sp.expand(v * ((1 + v) ** 2 + lam) ** 2 - (1 + v)), v)
    D = sp.factor(sp.discriminant(P))
    crit = sp.Poly(256 * lam ** 6 + 768 * lam ** 5 + 3040 * lam ** 3 + 864 * lam ** 2 - 96 * lam - 283, lam)
    assert sp.div(sp.Poly(D, lam), crit)[1].is_zero
    roots = [r for r in sp.real_roots(crit) if r > 0]
    assert len(roots) == 1
    from theorems.model.figure1 import LAMBDA_STAR
    assert abs(roots[0].evalf(30) - sp.Float(LAMBDA_STAR, 30)) < 1e-15
    assert all(sp.Poly(P.as_expr().subs(lam, L_), v).count_roots() == n
               for L_, n in ((sp.Rational(1, 4), 3), (sp.Rational(1, 2), 1)))


def test_figure1c_boundary_kkt_points():
    R = 2
    Fc = (w * (1 + v) - 1) ** 2
    tangential = sp.expand(w * sp.diff(Fc, v) - v * sp.diff(Fc, w))
    # w ∂F/∂v − v ∂F/∂w = 2r(w² − v(1 + v)): the valley, or w² = v + v²
    assert sp.expand(tangential - 2 * (w * (1 + v) - 1) * (w ** 2 - v * (1 + v))) == 0
    vs = sp.solve(2 * v ** 2 + v - R ** 2, v)
    assert set(vs) == {(-1 + sp.sqrt(33)) / 4, (-1 - sp.sqrt(33)) / 4}
    v0 = (-1 - sp.sqrt(33)) / 4
    w0 = -sp.sqrt(R ** 2 - v0 ** 2)
    pt = {w: w0, v: v0}
    grad = sp.Matrix([sp.diff(Fc, w), sp.diff(Fc, v)]).subs(pt)
    mu = sp.nsimplify(-(grad[0] * w0 + grad[1] * v0) / R ** 2)
    H = sp.hessian(Fc, (w, v)).subs(pt)
    t = sp.Matrix([-v0, w0])
    f2 = (t.T * H * t)[0] - (grad[0] * w0 + grad[1] * v0)
    assert sp.N(mu, 30) > 0 and sp.N(f2, 30) > 0 and sp.N(Fc.subs(pt), 30) > 0   # spurious boundary minimum
    assert sp.N(w0) < 0 and sp.N(v0) < 0
