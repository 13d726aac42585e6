"""Lemma 2.4, Eq. (2.5): closed form vs forward mode (the claim), central differences, SymPy."""

import numpy as np
import pytest
import sympy as sp
from _hm_support import CLAIMS, all_controls, check_control, holds_on_strategy
from hardt_ma2016 import model as M
from hardt_ma2016.instances import ResNetPoint
from hardt_ma2016.strategies import direction_points
from hypothesis import example, given, settings

from tests.support import scaled


def test_lemma2_4_holds_on_its_strategy():
    holds_on_strategy(CLAIMS["hardt_ma2016.lemma2_4"], n=25)


@settings(max_examples=scaled(15), deadline=None)
@given(inst=direction_points(max_d=3, max_ell=4))
@example(inst=ResNetPoint(np.array([[30.0], [-30.0]]), np.array([0.5, 0.5]), np.array([[1.0]]), np.zeros((2, 1, 1)),
                          0.5, {"D": np.array([[[-2.50997753]], [[-2.71199551]]])}, {"corner": "zero"}))
def test_central_differences_match_eq2_5(inst):
    # f(A + tD) is a polynomial of degree 2ℓ in t: the central difference's error is O(h²·f‴), and f‴ grows
    # with ‖x‖² (x = ±30 at A = 0 gave 6.4e-6 against a tolerance of 6.2e-6); Richardson's step
    # (4·cd(h/2) − cd(h))/3 cancels the h² term and leaves O(h⁴)
    S = M.second_moment(inst.X, inst.p)
    D = inst.extras["D"]
    g = float(np.sum(M.gradient(inst.A, inst.R, S) * D))

    def cd(h):
        f = lambda t: M.risk(inst.A + t * D, inst.R, inst.X, inst.p)
        return (f(h) - f(-h)) / (2 * h)

    h = 1e-5
    fd = (4 * cd(h / 2) - cd(h)) / 3
    scale = abs(M.risk(inst.A, inst.R, inst.X, inst.p)) * np.sum(np.abs(D)) + 1
    assert abs(fd - g) <= 1e-6 * scale, f"central difference {fd!r}, but (2.5) gives {g!r} [Lemma 2.4]"


def test_sympy_derives_eq2_5_for_d1_ell3():
    a1, a2, a3, r, x, p = sp.symbols("a1 a2 a3 r x p", real=True)
    f = p * (((1 + a3) * (1 + a2) * (1 + a1) - r) * x) ** 2 + 1           # one sample of weight p, d = 1
    E = (1 + a3) * (1 + a2) * (1 + a1) - r
    Sig = p * x ** 2
    closed = [2 * (1 + a3) * (1 + a2) * E * Sig, 2 * (1 + a3) * E * Sig * (1 + a1), 2 * E * Sig * (1 + a2) * (1 + a1)]
    for ai, c in zip((a1, a2, a3), closed):
        assert sp.simplify(sp.diff(f, ai) - c) == 0, f"∂f/∂{ai} ≠ (2.5)"


def test_sympy_derives_eq2_5_for_2x2_ell2_entrywise():
    A1 = sp.Matrix(2, 2, sp.symbols("a0:4", real=True))
    A2 = sp.Matrix(2, 2, sp.symbols("b0:4", real=True))
    R = sp.Matrix(2, 2, sp.symbols("r0:4", real=True))
    S = sp.Matrix([[2, 1], [1, 3]])                                      # Σ ≻ 0
    I = sp.eye(2)
    E = (I + A2) * (I + A1) - R
    f = (E * S * E.T).trace() + 2
    G1 = 2 * (I + A2.T) * E * S
    G2 = 2 * E * S * (I + A1.T)
    for k in range(4):
        assert sp.expand(sp.diff(f, A1[k]) - G1[k]) == 0
        assert sp.expand(sp.diff(f, A2[k]) - G2[k]) == 0


@pytest.mark.control
@pytest.mark.parametrize("claim,variant", all_controls("hardt_ma2016.lemma2_4"), ids=lambda x: getattr(x, "name", ""))
def test_control_is_refuted(claim, variant):
    check_control(claim, variant)
