"""SymPy re-derives the gradient formulas of the proof of Lemma 3 (Appendix A), Eq. (21)–(22),
and checks the closed-form gradient and Hessian of ``theorems.model.vector`` numerically.

Exact: with an undefined loss ℓ(p₁, p₂) (a SymPy Function of the m = 2 outputs),
∂F/∂W = E[d_ℓ(x + V f)ᵀ] and ∂F/∂V = E[Wᵀd_ℓ fᵀ] hold as algebraic identities (n = 2, d = 2, k = 2),
and so do Eq. (21) and Eq. (22) (W of size 2 × 3, the inverse of WWᵀ symbolic). Numeric: SymPy's
derivatives of softmax cross-entropy and ½‖p − y‖² agree with ``vector.gradient`` / ``vector.hessian``
at Hypothesis-drawn points.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from theorems.model import vector as VM

pytestmark = pytest.mark.symbolic


def _instance(n, m, d, k):
    X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    Phi = sp.Matrix(n, k, lambda i, j: sp.Symbol(f"f{i}{j}", real=True))
    W = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"W{i}{j}", real=True))
    Ws = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"U{i}{j}", real=True))
    V = sp.Matrix(d, k, lambda i, j: sp.Symbol(f"V{i}{j}", real=True))
    pi = [sp.Symbol(f"pi{i}", positive=True) for i in range(n)]
    return X, Phi, W, Ws, V, pi


def _z(X, Phi, V, i):
    return X[i, :].T + V * Phi[i, :].T


ell = sp.Function("ell")
t1, t2 = sp.symbols("t1 t2", real=True)


def _dl(p):
    """d_ℓ at the point p (a 2-vector): the gradient of the undefined ℓ(t1, t2)."""
    return sp.Matrix([sp.diff(ell(t1, t2), t).subs({t1: p[0], t2: p[1]}, simultaneous=True) for t in (t1, t2)])


def _is_zero(e):
    e = sp.expand(e)
    return e == 0 or sp.simplify(e) == 0


def test_gradient_formulas_of_lemma3_hold_symbolically():
    n, m, d, k = 2, 2, 2, 2
    X, Phi, W, _, V, pi = _instance(n, m, d, k)
    preds = [W * _z(X, Phi, V, i) for i in range(n)]
    F = sum(pi[i] * ell(preds[i][0], preds[i][1]) for i in range(n))
    dls = [_dl(p) for p in preds]
    gW = sum((pi[i] * dls[i] * _z(X, Phi, V, i).T for i in range(n)), sp.zeros(m, d))
    gV = sum((pi[i] * W.T * dls[i] * Phi[i, :] for i in range(n)), sp.zeros(d, k))
    for a in range(m):
        for b in range(d):
            assert _is_zero(sp.diff(F, W[a, b]) - gW[a, b]), \
                f"∂F/∂W_{a}{b} ≠ E[d_ℓ (x + Vf)ᵀ]_{a}{b}  [proof of Lemma 3]"
    for i in range(d):
        for j in range(k):
            assert _is_zero(sp.diff(F, V[i, j]) - gV[i, j]), \
                f"∂F/∂V_{i}{j} ≠ E[Wᵀ d_ℓ fᵀ]_{i}{j}  [proof of Lemma 3]"


def test_eq21_and_eq22_hold_as_algebraic_identities():
    n, m, d, k = 1, 2, 3, 1
    X, Phi, W, Ws, V, pi = _instance(n, m, d, k)
    z = _z(X, Phi, V, 0)
    dl = sp.Matrix(m, 1, lambda i, _: sp.Symbol(f"g{i}", real=True))   # d_ℓ as free symbols
    gW, gV = pi[0] * dl * z.T, pi[0] * W.T * dl * Phi[0, :]
    inner21 = ((W - Ws).T * gW).trace()
    assert sp.expand(inner21 - pi[0] * (dl.T * (W - Ws) * z)[0, 0]) == 0, "Eq. (21) fails symbolically"
    M = W.T * (W * W.T).inv() * Ws * V
    inner22 = (M.T * gV).trace()
    assert sp.simplify(inner22 - pi[0] * (dl.T * Ws * V * Phi[0, :].T)[0, 0]) == 0, "Eq. (22) fails symbolically"


def _sym_loss(name, p, y):
    if name == "squared":
        return sum((p[a] - y[a]) ** 2 for a in range(len(p))) / 2
    return sp.log(sum(sp.exp(p[a]) for a in range(len(p)))) - sum(y[a] * p[a] for a in range(len(p)))


_num = st.floats(-2, 2, allow_nan=False, allow_subnormal=False)


_CACHE = {}


def _compiled(name):
    """(symbols, gradient fn, Hessian fn) for F = ℓ(W(x + V f); y), n = 1, m = d = k = 2; derived once."""
    if name not in _CACHE:
        X, Phi, W, _, V, _ = _instance(1, 2, 2, 2)
        Y = list(sp.symbols("y0 y1", real=True))
        F = _sym_loss(name, W * _z(X, Phi, V, 0), Y)
        params = list(W) + list(V)                             # row-major vec, as in vector.hessian
        args = list(X) + list(Phi) + params + Y
        grad = [sp.diff(F, s_) for s_ in params]
        hess = [[sp.diff(g_, t) for t in params] for g_ in grad]
        _CACHE[name] = (sp.lambdify(args, grad, "math"), sp.lambdify(args, hess, "math"))
    return _CACHE[name]


@settings(max_examples=10, deadline=None)
@given(name=st.sampled_from(["softmax_ce", "squared"]), vals=st.lists(_num, min_size=18, max_size=18),
       label=st.integers(0, 1))
def test_closed_form_gradient_and_hessian_match_sympy(name, vals, label):
    gfun, hfun = _compiled(name)
    X, Phi = np.array(vals[0:2]).reshape(1, 2), np.array(vals[2:4]).reshape(1, 2)
    W, V = np.array(vals[4:8]).reshape(2, 2), np.array(vals[8:12]).reshape(2, 2)
    Y = np.array([[1.0 - label, float(label)]]) if name == "softmax_ce" else np.array([vals[12:14]])
    args = list(X.ravel()) + list(Phi.ravel()) + list(W.ravel()) + list(V.ravel()) + list(Y.ravel())
    g_sym, H_sym = np.array(gfun(*args)), np.array(hfun(*args))
    s = VM.VectorSample(X, Y, np.ones(1), Phi)
    loss = VM.by_name(name)
    gW, gV = VM.gradient(s, loss, W, V)
    g = np.concatenate([gW.ravel(), gV.ravel()])
    H = VM.hessian(s, loss, W, V)
    assert np.max(np.abs(g - g_sym)) <= 1e-10 * (1 + np.max(np.abs(g_sym))), \
        f"closed-form gradient {g}, but SymPy gives {g_sym} [proof of Lemma 3]"
    assert np.max(np.abs(H - H_sym)) <= 1e-10 * (1 + np.max(np.abs(H_sym))), \
        f"closed-form Hessian differs from SymPy by {np.max(np.abs(H - H_sym)):.3g} [vector.hessian]"
