"""SymPy re-derives Eq. (3), (4), (5), (7) and the Hessian on small symbolic instances.

Exact: with an undefined loss ℓ (a SymPy Function), the identities of the proof of Lemma 1 hold
as algebraic identities for n = 2, d = 2, k = 2. Numeric: SymPy's derivatives of the closed-form
F agree with ``theorems.model.gradient`` / ``hessian`` at Hypothesis-drawn points.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from theorems.model import Sample, gradient, hessian, losses

pytestmark = pytest.mark.symbolic

n, d, k = 2, 2, 2
X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
Phi = sp.Matrix(n, k, lambda i, j: sp.Symbol(f"f{i}{j}", real=True))
Y = [sp.Symbol(f"y{i}", real=True) for i in range(n)]
P = [sp.Symbol(f"p{i}", positive=True) for i in range(n)]
w = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"w{i}", real=True))
ws = sp.Matrix(d, 1, lambda i, _: sp.Symbol(f"u{i}", real=True))      # w*
V = sp.Matrix(d, k, lambda i, j: sp.Symbol(f"V{i}{j}", real=True))
ell = sp.Function("ell")
params = list(w) + list(V)                                             # vec V row-major


def q(i, w_=w, V_=V):
    z = X[i, :].T + V_ * Phi[i, :].T
    return (w_.T * z)[0, 0]


F = sum(P[i] * ell(q(i), Y[i]) for i in range(n))
grad = [sp.diff(F, t) for t in params]
dl = [sp.Subs(sp.Derivative(ell(sp.Symbol("t"), Y[i]), sp.Symbol("t")), sp.Symbol("t"), q(i)).doit()
      for i in range(n)]


def test_eq7_gradient_formulas_hold_symbolically():
    for a in range(d):
        closed = sum(P[i] * dl[i] * (X[i, a] + (V * Phi[i, :].T)[a]) for i in range(n))
        assert sp.simplify(grad[a] - closed) == 0, f"∂F/∂w_{a} ≠ E[ℓ'·(x + Vf)]_{a}  [Eq. (7)]"
        for b in range(k):
            closed_V = sum(P[i] * dl[i] * w[a] * Phi[i, b] for i in range(n))
            assert sp.simplify(grad[d + a * k + b] - closed_V) == 0, f"∂F/∂V_{a}{b} ≠ E[ℓ' w fᵀ]  [Eq. (7)]"


def test_eq3_eq4_eq5_hold_as_algebraic_identities():
    gw = sp.Matrix(grad[:d])
    gV = sp.Matrix(d, k, grad[d:])
    eq3 = ((w - ws).T * gw)[0, 0] - sum(P[i] * dl[i] * ((w - ws).T * (X[i, :].T + V * Phi[i, :].T))[0, 0]
                                        for i in range(n))
    assert sp.simplify(eq3) == 0, "Eq. (3) is not an identity"
    wn2 = (w.T * w)[0, 0]
    GV = w * ws.T * V / wn2
    inner4 = sum(GV[a, b] * gV[a, b] for a in range(d) for b in range(k))
    eq4 = inner4 - sum(P[i] * dl[i] * (ws.T * V * Phi[i, :].T)[0, 0] for i in range(n))
    assert sp.simplify(eq4) == 0, "Eq. (4) is not an identity (for w ≠ 0)"
    eq5 = ((w - ws).T * gw)[0, 0] + inner4 - sum(P[i] * dl[i] * (q(i) - (ws.T * X[i, :].T)[0, 0])
                                                  for i in range(n))
    assert sp.simplify(eq5) == 0, "Eq. (5) is not an identity"


pp, yy = sp.symbols("pp yy", real=True)
SYMBOLIC_LOSSES = {"squared": (pp - yy) ** 2 / 2, "logistic": sp.log(1 + sp.exp(-yy * pp)),
                   "logcosh": sp.log(sp.cosh(pp - yy))}
_NUM = {}


def _numeric(name):
    if name not in _NUM:
        Fl = sum(P[i] * SYMBOLIC_LOSSES[name].subs({pp: q(i), yy: Y[i]}) for i in range(n))
        syms = list(X) + list(Phi) + Y + P + params
        g = [sp.diff(Fl, t) for t in params]
        H = [[sp.diff(gi, t) for t in params] for gi in g]
        _NUM[name] = (syms, sp.lambdify(syms, g, "mpmath"), sp.lambdify(syms, H, "mpmath"))
    return _NUM[name]


vals = st.floats(-2, 2, allow_subnormal=False)


@settings(max_examples=15)
@given(name=st.sampled_from(sorted(SYMBOLIC_LOSSES)), xs=st.lists(vals, min_size=20, max_size=20),
       y=st.lists(st.sampled_from([-1.0, 1.0]), min_size=2, max_size=2), p0=st.floats(0.05, 0.95))
def test_closed_form_gradient_and_hessian_match_sympy(name, xs, y, p0):
    syms, gfun, Hfun = _numeric(name)
    Xn, Phin = np.array(xs[:4]).reshape(n, d), np.array(xs[4:8]).reshape(n, k)
    wn, Vn = np.array(xs[8:10]), np.array(xs[10:14]).reshape(d, k)
    pn = np.array([p0, 1 - p0])
    args = list(Xn.ravel()) + list(Phin.ravel()) + list(y) + list(pn) + list(wn) + list(Vn.ravel())
    g_ref = np.array([float(v) for v in gfun(*args)])
    H_ref = np.array([[float(v) for v in row] for row in Hfun(*args)])
    s, loss = Sample(Xn, np.array(y), pn, Phin), losses.by_name(name)
    gw, gV = gradient(s, loss, wn, Vn)
    assert np.allclose(np.concatenate([gw, gV.ravel()]), g_ref, rtol=1e-10, atol=1e-12)
    assert np.allclose(hessian(s, loss, wn, Vn), H_ref, rtol=1e-10, atol=1e-12)
