"""The gradient checker for a user's own model (theorems/core/gradcheck.py): a correct gradient passes;
a dropped term, a wrong sign, a factor 2 and an off-by-one coordinate each fail, confirmed at 60
digits and by SymPy's exact derivative; a gradient correct only up to rounding on a badly conditioned
function is not a false alarm; a float64 disagreement that cannot be re-checked is never a pass."""

import numpy as np
import pytest
import sympy

from theorems.core import backend as B
from theorems.core.gradcheck import GradientCheck, check_gradient

X = np.array([0.3, -1.2, 2.0, 0.7])


def f(x):
    """Σ softplus(x_i) + x_0 x_1 x_2 + Σ x_i² (float64 and mpmath, through the backend)."""
    return B.asum(B.softplus(x)) + x[0] * x[1] * x[2] + B.asum(x * x)


def _parts(x):
    sig, quad = B.sigmoid(x), 2 * x
    prod = np.zeros_like(x) if not B.is_mp(x) else B.to_mp(np.zeros(x.shape))
    prod[0], prod[1], prod[2] = x[1] * x[2], x[0] * x[2], x[0] * x[1]
    return sig, quad, prod


def grad(x):
    sig, quad, prod = _parts(x)
    return sig + quad + prod


WRONG = {
    "dropped term": lambda x: (lambda s, q, p: s + q)(*_parts(x)),
    "wrong sign": lambda x: (lambda s, q, p: s - q + p)(*_parts(x)),
    "factor 2": lambda x: (lambda s, q, p: s + 2 * q + p)(*_parts(x)),
    "off-by-one coordinate": lambda x: np.roll(grad(x), 1),
}

_s = sympy.symbols("x0:4")
SYMPY_F = (sum(sympy.log(1 + sympy.exp(v)) for v in _s) + _s[0] * _s[1] * _s[2] + sum(v ** 2 for v in _s), _s)


def test_a_correct_gradient_passes_three_ways():
    res = check_gradient(f, grad, X, sympy_f=SYMPY_F)
    assert isinstance(res, GradientCheck) and res.ok and res.status == "passed" and res.failed == ()
    assert res.directions == 4 + 3 + 4, "every coordinate, 3 random directions, 4 SymPy partials"
    assert res.max_error <= res.tolerance and "passed" in res.message()


@pytest.mark.parametrize("bug", list(WRONG))
def test_a_wrong_gradient_fails_confirmed_at_60_digits_and_by_sympy(bug):
    res = check_gradient(f, WRONG[bug], X, sympy_f=SYMPY_F)
    assert not res.ok and res.status == "mismatch", f"{bug}: {res.message()}"
    assert res.failed == ("central differences", "sympy") and res.precision == "mp60"
    assert res.max_error > res.tolerance and res.direction.shape == X.shape
    # the failing direction is reported, and along it the two values differ as printed
    msg = res.message()
    assert "numerical:" in msg and "analytical:" in msg and repr(res.numerical) in msg and repr(res.analytical) in msg
    assert abs(res.numerical - res.analytical) == pytest.approx(res.max_error, rel=1e-12)


def test_the_off_by_one_gradient_is_reported_on_a_coordinate():
    res = check_gradient(f, WRONG["off-by-one coordinate"], X)
    assert res.where.startswith("coordinate") and np.count_nonzero(res.direction) == 1


def _bad_f(x):
    """1 + Σ_{i≥1} x_i², computed through terms of size 1e16 that cancel (float64 loses every digit of
    the x_0 part, whose derivative is 0)."""
    return (1e8 * x[0] + 1) ** 2 - 1e16 * x[0] ** 2 - 2e8 * x[0] + B.asum(x[1:] * x[1:])


def _bad_grad(x):
    """(0, 2x_1, …), with the same cancellation in its first entry: correct only up to rounding."""
    out = (2 * x).copy()
    out[0] = 2e8 * (1e8 * x[0] + 1) - 2e16 * x[0] - 2e8
    return out


_a = sympy.symbols("a0:3")
BAD_SYMPY = ((10**8 * _a[0] + 1) ** 2 - 10**16 * _a[0] ** 2 - 2 * 10**8 * _a[0] + _a[1] ** 2 + _a[2] ** 2, _a)


@pytest.mark.parametrize("x", [[0.37, -1.1, 2.5], [0.37, 0.0, 0.0]], ids=["generic", "stationary point"])
def test_a_gradient_correct_up_to_rounding_on_a_badly_conditioned_function_is_not_a_false_alarm(x):
    x = np.array(x)
    res = check_gradient(_bad_f, _bad_grad, x, sympy_f=BAD_SYMPY)
    assert res.ok, res.message()
    # float64 did disagree, and the 60-digit re-check is what cleared it
    assert res.candidates >= 1 and res.rounding_artifacts == res.candidates
    # and the same function with a slightly wrong gradient is still caught (the re-check is no blanket pass)
    wrong = check_gradient(_bad_f, lambda x: _bad_grad(x) + np.array([0.0, 0.0, 1e-6]), x, sympy_f=BAD_SYMPY)
    assert wrong.status == "mismatch" and wrong.precision == "mp60", wrong.message()
    assert wrong.failed == ("central differences", "sympy")


def _float_only_f(x):
    return float(np.sum(np.exp(np.asarray(x, dtype=np.float64))))


def test_a_float64_disagreement_that_cannot_be_rechecked_is_unconfirmed_never_a_pass():
    ok = check_gradient(_float_only_f, lambda x: np.exp(x), X)
    assert ok.ok and ok.candidates == 0
    res = check_gradient(_float_only_f, lambda x: 2 * np.exp(x), X)
    assert not res.ok and res.status == "unconfirmed", res.message()
    assert "unconfirmed" in res.message() and "mpmath" in res.reason


@pytest.mark.parametrize("call,match", [
    (lambda: check_gradient(f, grad, np.array([1.0, np.nan, 0, 0])), "argument 'x'"),
    (lambda: check_gradient(f, grad, np.array([])), "argument 'x'"),
    (lambda: check_gradient(f, lambda x: grad(x)[:3], X), "argument 'grad'"),
    (lambda: check_gradient(f, 3.0, X), "argument 'grad'"),
    (lambda: check_gradient(lambda x: x, grad, X), "argument 'f'"),
    (lambda: check_gradient(f, grad, X, sympy_f=(SYMPY_F[0], _s[:3])), "argument 'sympy_f'"),
    (lambda: check_gradient(f, grad, X, dps=10), "argument 'dps'"),
    (lambda: check_gradient(f, grad, X, directions=[np.zeros(4)]), "argument 'directions'"),
], ids=["nan x", "empty x", "grad shape", "grad not callable", "f not scalar", "sympy symbols", "dps",
        "zero direction"])
def test_bad_arguments_are_one_line_value_errors_naming_them(call, match):
    with pytest.raises(ValueError, match=match):
        call()
