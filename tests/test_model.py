"""The model (Sec. 2): losses, the objective, its closed-form derivatives, and the mpmath twin."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import losses as loss_strategy
from theorems.core import backend as B
from theorems.model import gradient, hessian, linear_objective, losses, objective, random_point


def _flat(inst):
    return np.concatenate([inst.w, inst.V.ravel()])


@pytest.mark.parametrize("name", losses.names())
def test_catalogue_loss_derivatives_match_difference_quotients(name):
    loss = losses.by_name(name)
    p = np.linspace(-4, 4, 41)
    for y in ([-1.0, 1.0] if loss.y_domain == "pm1" else [-1.5, 0.0, 2.0]):
        yy = np.full_like(p, y)
        h = 1e-5
        for f, df, what in ((loss.value, loss.d1, "ℓ'"), (loss.d1, loss.d2, "ℓ''"), (loss.d2, loss.d3, "ℓ'''")):
            num = (f(p + h, yy) - f(p - h, yy)) / (2 * h)
            err = np.max(np.abs(num - df(p, yy)) / (1 + np.abs(num)))
            assert err < 1e-6, f"{name}: {what} differs from the difference quotient by {err:.2g}, but should agree"


@pytest.mark.parametrize("name", losses.names())
def test_catalogue_loss_bounds_hold_on_a_grid(name):
    loss = losses.by_name(name)
    p = np.concatenate([np.linspace(-30, 30, 601), [-1e3, 1e3]])
    for y in ([-1.0, 1.0] if loss.y_domain == "pm1" else [-3.0, 0.0, 3.0]):
        with np.errstate(over="ignore"):
            d2, d3 = loss.d2(p, np.full_like(p, y)), loss.d3(p, np.full_like(p, y))
        ok = np.isfinite(d2)
        assert np.all(d2[ok] >= 0), f"{name}: ℓ'' < 0 somewhere, but Assumption 1 requires convexity"
        if loss.d2_sup is not None:
            assert np.all(d2 <= loss.d2_sup * (1 + 1e-12)), f"{name}: ℓ'' exceeds its documented sup {loss.d2_sup}"
        if loss.d3_sup is not None:
            assert np.all(np.abs(d3) <= loss.d3_sup * (1 + 1e-12) + 1e-300), \
                f"{name}: |ℓ'''| = {np.max(np.abs(d3)):.6g}, but its documented sup is {loss.d3_sup:.6g}"
            # the sup is attained (up to the grid): not a loose bound
            assert np.max(np.abs(d3)) >= 0.99 * loss.d3_sup or loss.d3_sup == 0


def test_logistic_second_derivative_is_finite_at_huge_margins():
    # the naive e^{yp}/(1+e^{yp})² overflows to NaN there (inf/inf); the σ(yp)·σ(−yp) form does not
    loss = losses.logistic()
    p = np.array([-1e4, -800.0, 800.0, 1e4])
    for y in (-1.0, 1.0):
        v = loss.d2(p, np.full_like(p, y))
        assert np.all(np.isfinite(v)) and np.all(v >= 0)


@given(loss=loss_strategy(), p=st.floats(-20, 20), y=st.sampled_from([-1.0, 1.0]))
def test_every_loss_agrees_with_its_60_digit_twin(loss, p, y):
    with B.workdps(60):
        for f in (loss.value, loss.d1, loss.d2, loss.d3):
            exact = f(mpmath.mpf(p), mpmath.mpf(y))
            approx = f(np.array([p]), np.array([y]))[0]
            assert abs(float(exact) - approx) <= 1e-12 * (1 + abs(float(exact))), \
                f"{loss.name}: float {approx!r} vs 60 digits {float(exact)!r}"


@pytest.mark.parametrize("name", losses.names())
def test_objective_gradient_hessian_agree_with_their_mpmath_twins(name):
    for seed in range(3):
        inst = random_point(seed, loss=name, n=4, d=3, k=2)
        s, loss, w, V = inst.sample, inst.loss, inst.w, inst.V
        m = inst.to_mp()
        with B.workdps(60):
            exact = [objective(m.sample, loss, m.w, m.V), *gradient(m.sample, loss, m.w, m.V),
                     hessian(m.sample, loss, m.w, m.V)]
        approx = [objective(s, loss, w, V), *gradient(s, loss, w, V), hessian(s, loss, w, V)]
        H = approx[-1]
        assert np.array_equal(H, H.T), "∇²F must be exactly symmetric"
        for what, a, b in zip(("F", "∂F/∂w", "∂F/∂V", "∇²F"), approx, exact):
            bf = np.asarray(B.to_float(b), dtype=float)
            err = np.max(np.abs(np.asarray(a) - bf)) / (1 + np.max(np.abs(bf)))
            assert err < 1e-12, f"{name}: {what} float64 vs 60 digits differ by {err:.2g}, but should agree"


def test_hessian_matches_difference_quotients_of_the_gradient_vec_row_major():
    for name in ("squared", "logistic", "logcosh", "pseudo_huber"):
        inst = random_point(7, loss=name, n=5, d=3, k=2)
        s, loss = inst.sample, inst.loss
        d, k = s.d, s.k
        x0, h = _flat(inst), 1e-6

        def g(x, s=s, loss=loss, d=d, k=k):
            gw, gV = gradient(s, loss, x[:d], x[d:].reshape(d, k))
            return np.concatenate([gw, gV.ravel()])   # vec row-major, as documented

        num = np.array([(g(x0 + h * e) - g(x0 - h * e)) / (2 * h) for e in np.eye(d + d * k)]).T
        H = hessian(s, loss, inst.w, inst.V)
        assert np.max(np.abs(num - H)) < 1e-5 * (1 + np.max(np.abs(H))), f"{name}: Hessian ≠ d(gradient)"


def test_linear_objective_is_objective_at_V_zero():
    inst = random_point(8)
    s = inst.sample
    assert linear_objective(s, inst.loss, inst.w) == objective(s, inst.loss, inst.w, 0 * inst.V)


def test_constructions_keep_convexity_and_combine_derivatives():
    sq, lg = losses.squared(), losses.logistic()
    c = losses.combination([(2.0, sq), (0.5, lg)])
    p, y = np.linspace(-3, 3, 7), np.ones(7)
    assert np.allclose(c.d2(p, y), 2 * sq.d2(p, y) + 0.5 * lg.d2(p, y))
    assert c.y_domain == "pm1" and math.isclose(c.d2_sup, 2 + 0.125)
    a = losses.affine(lg, -2.0, 0.5)
    assert np.allclose(a.d1(p, y), -2 * lg.d1(-2 * p + 0.5, y))
    assert np.allclose(a.d2(p, y), 4 * lg.d2(-2 * p + 0.5, y))
    with pytest.raises(losses.NonConvexLossError, match=r"terms\[0\].*≥ 0"):
        losses.combination([(-1.0, sq)])


def test_user_expression_loss_derives_its_derivatives_with_sympy():
    l = losses.from_expression("log(1 + exp(-y*p))", y_domain="pm1")
    ref = losses.logistic()
    p, y = np.linspace(-5, 5, 11), np.sign(np.linspace(-1, 1, 11)) + (np.linspace(-1, 1, 11) == 0)
    for attr in ("value", "d1", "d2", "d3"):
        assert np.allclose(getattr(l, attr)(p, y), getattr(ref, attr)(p, y), rtol=1e-10, atol=1e-12)
    assert losses.from_spec(l.spec).spec == l.spec


def test_instance_json_round_trip_is_exact():
    inst = random_point(9, loss="logistic", extras={"a": (3,)})
    import json

    from theorems.model import Point
    again = Point.from_json(json.loads(json.dumps(inst.to_json())))
    assert np.array_equal(again.w, inst.w) and np.array_equal(again.sample.Phi, inst.sample.Phi)
    assert np.array_equal(again.extras["a"], inst.extras["a"]) and again.loss.spec == inst.loss.spec
