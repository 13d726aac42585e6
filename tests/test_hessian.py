"""The closed-form Hessian ∇²F_θ(w, V) (theorems.model.hessian) against central differences of the
closed-form gradient (Eq. 7); the unchecked paths (second_order.gradient_fast / hessian_fast,
quantities.first_order, second_order.at_zero) and the structured λ_min against the one gradient
and the one Hessian."""

import numpy as np
import pytest
from hypothesis import given, settings

from strategies import section3_points
from tests.support import scaled
from theorems.core import backend as B
from theorems.model import gradient, hessian
from theorems.model.second_order import at_zero, gradient_fast, hessian_fast, hessian_lambda_min

POINTS = section3_points(max_d=4, max_width=4, max_n=5)


def _numerical_hessian(inst):
    """Column j = central difference of ∇F_θ along coordinate j, Richardson-extrapolated, with
    the step scaled so each prediction moves by ~1e-4; plus a truncation/rounding error estimate."""
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    d, k = s.d, s.k
    x0 = np.concatenate([w, V.reshape(-1)])

    def g(x):
        gw, gV = gradient(s, loss, x[:d], x[d:].reshape(d, k))
        return np.concatenate([gw, gV.reshape(-1)])

    Z = s.X + s.Phi @ V.T
    pred_rate = np.concatenate([np.max(np.abs(Z), axis=0),
                                (np.abs(w)[:, None] * np.max(np.abs(s.Phi), axis=0)[None, :]).reshape(-1)])
    N = np.empty((x0.size, x0.size))
    err = np.empty(x0.size)
    for j in range(x0.size):
        h = 1e-4 / pred_rate[j] if pred_rate[j] > 0 else 1.0
        e = np.zeros_like(x0)
        e[j] = 1.0
        c1 = (g(x0 + h * e) - g(x0 - h * e)) / (2 * h)
        c2 = (g(x0 + h / 2 * e) - g(x0 - h / 2 * e)) / h
        N[:, j] = (4 * c2 - c1) / 3
        gmag = np.abs(g(x0 + h * e)).max() + np.abs(g(x0 - h * e)).max()
        err[j] = 4 * np.abs(c2 - c1).max() + 1e3 * 2.0 ** -53 * gmag / h
    return N, err


def _scale(inst):
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    Z = s.X + s.Phi @ V.T
    q = Z @ w
    J2 = (np.linalg.norm(Z, axis=1) + np.linalg.norm(w) * np.linalg.norm(s.Phi, axis=1)) ** 2
    return float(np.sum(s.p * (np.abs(loss.d2(q, s.y)) * J2 + np.abs(loss.d1(q, s.y)) * np.linalg.norm(s.Phi, axis=1))))


@settings(max_examples=scaled(30))
@given(inst=POINTS)
def test_closed_form_hessian_matches_central_differences_of_the_gradient(inst):
    H = hessian(inst.sample, inst.loss, inst.w, inst.V)
    N, err = _numerical_hessian(inst)
    tol = err[None, :] + 1e3 * 2.0 ** -53 * _scale(inst)
    bad = np.abs(H - N) > tol
    assert not bad.any(), (f"closed-form Hessian entry {tuple(np.argwhere(bad)[0])} = "
                           f"{H[tuple(np.argwhere(bad)[0])]!r}, but central differences give "
                           f"{N[tuple(np.argwhere(bad)[0])]!r} [Sec. 6.2 Hessian]\nclosed form:\n{H}\nnumerical:\n{N}")
    assert np.array_equal(H, H.T), "the closed-form Hessian should be exactly symmetric"


@settings(max_examples=scaled(30))
@given(inst=POINTS)
def test_fast_hessian_and_structured_lambda_min_match_the_reference(inst):
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    H = hessian(s, loss, w, V)
    Hf = hessian_fast(s, loss, w, V)
    sc = _scale(inst) + 1e-300
    assert np.abs(H - Hf).max() <= 64 * 2.0 ** -53 * sc * H.shape[0], "hessian_fast differs from hessian"
    lam = np.linalg.eigvalsh(H)[0]
    lc = hessian_lambda_min(s, loss, w, V)
    assert abs(lc - lam) <= 1e3 * 2.0 ** -53 * sc * H.shape[0], \
        f"λ_min of the structured (2d+k−1)-matrix = {lc!r}, but eigvalsh of the full Hessian gives {lam!r}"


def _corner(inst, corner):
    from dataclasses import replace
    if corner == "w = 0":
        return replace(inst, w=0 * inst.w)
    return inst


def _check_one_gradient_and_hessian(inst):
    from theorems.model.quantities import first_order
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    g_w, g_V = gradient(s, loss, w, V)
    H = hessian(s, loss, w, V)
    fw, fV = gradient_fast(s, loss, w, V)
    assert np.array_equal(fw, g_w) and np.array_equal(fV, g_V), "gradient_fast differs from model.gradient"
    assert np.array_equal(hessian_fast(s, loss, w, V), H), "hessian_fast differs from model.hessian"
    fo = first_order(inst)
    assert np.array_equal(fo.g_w, g_w) and np.array_equal(fo.g_V, g_V), "first_order's gradient differs"
    # vec row-major: the V-block of the gradient flattens as the Hessian's coordinates d + i·k + j
    assert g_V.shape == (s.d, s.k) and H.shape == (s.d + s.d * s.k,) * 2
    if not np.any(w):
        z = at_zero(inst)
        assert np.array_equal(z.g_w, g_w) and z.grad_norm == B.norm(g_w, g_V), "at_zero's gradient differs"


@settings(max_examples=scaled(30))
@given(inst=POINTS)
def test_one_gradient_and_one_hessian__fast_paths_and_first_order_are_the_reference(inst):
    _check_one_gradient_and_hessian(inst)
    _check_one_gradient_and_hessian(_corner(inst, "w = 0"))


@pytest.mark.parametrize("d,k", [(1, 1), (1, 3), (3, 1), (2, 2)])
@pytest.mark.parametrize("corner", ["generic", "w = 0"])
def test_one_gradient_and_one_hessian_in_the_corners(d, k, corner):
    from theorems.model.instance import random_point
    inst = _corner(random_point(d * 7 + k, n=3, d=d, k=k, feature="tanh", loss="logistic"), corner)
    _check_one_gradient_and_hessian(inst)
    with B.workdps(50):
        m = inst.to_mp()
        g_w, g_V = gradient(m.sample, m.loss, m.w, m.V)
        fw, fV = gradient_fast(m.sample, m.loss, m.w, m.V)
        assert all(a == b for a, b in zip(np.concatenate([fw, fV.reshape(-1)]),
                                          np.concatenate([g_w, g_V.reshape(-1)])))
        H = hessian(m.sample, m.loss, m.w, m.V)
        assert all(a == b for a, b in zip(hessian_fast(m.sample, m.loss, m.w, m.V).reshape(-1), H.reshape(-1)))
        assert all(a == b for a, b in zip(H.reshape(-1), H.T.reshape(-1))), "mpmath Hessian not symmetric"


def test_mpmath_hessian_and_lambda_min_agree_with_float64():
    from theorems.model.instance import random_point
    inst = random_point(11, n=4, d=3, k=2, feature="tanh", loss="logistic")
    lam = hessian_lambda_min(inst.sample, inst.loss, inst.w, inst.V)
    with B.workdps(50):
        m = inst.to_mp()
        Hm = hessian(m.sample, m.loss, m.w, m.V)
        lm = hessian_lambda_min(m.sample, m.loss, m.w, m.V)
        lfull = B.eigvalsh(Hm)[0]
        assert abs(lm - lfull) < 1e-40 * (1 + abs(lfull))
    assert abs(float(lm) - lam) <= 1e-13 * (1 + abs(lam))
    assert np.allclose(B.to_float(Hm), hessian(inst.sample, inst.loss, inst.w, inst.V), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("d,k", [(1, 1), (1, 3), (3, 1), (2, 5), (6, 6)])
@pytest.mark.parametrize("corner", ["generic", "w = 0", "r_w = 0"])
def test_structured_lambda_min_in_the_corners_of_its_derivation(d, k, corner):
    # the (2d+k−1)-matrix counts the kernel as (d−1)(k−1) zeros; d = 1 or k = 1 leaves no room for
    # them, w = 0 makes u arbitrary and r_w = 0 empties the β-block (f_θ ≡ 0 here)
    from dataclasses import replace

    from theorems.model.instance import random_point
    inst = random_point(d * 10 + k, n=4, d=d, k=k, feature="tanh", loss="logistic")
    if corner == "w = 0":
        inst = replace(inst, w=0 * inst.w)
    if corner == "r_w = 0":
        inst = replace(inst, sample=replace(inst.sample, Phi=0 * inst.sample.Phi))
    s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
    full = np.linalg.eigvalsh(hessian_fast(s, loss, w, V))[0]
    lam = hessian_lambda_min(s, loss, w, V)
    assert abs(lam - full) <= 1e-13 * (1 + abs(full)), \
        f"{corner}, d={d}, k={k}: structured λ_min = {lam!r}, eigvalsh of the full Hessian = {full!r}"
