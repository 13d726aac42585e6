"""The generic matrix strategies (strategies/linalg.py): every draw has its property by construction —
checked on the exact binary entries (at 60 digits or exactly with SymPy) where the claim is exact —
every corner and kind is reached, and bad arguments are InvalidArgument naming them."""

from collections import Counter

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import find, given, settings
from hypothesis import seed as hseed
from hypothesis.errors import InvalidArgument

from strategies import linalg as L
from theorems.core import backend as B

U = 2.0 ** -53


def _draws(strategy, n=80, seed=0):
    out = []

    @settings(max_examples=n, database=None, derandomize=False, deadline=None)
    @given(strategy)
    def collect(x):
        out.append(x)

    hseed(seed)(collect)()
    return out


def _norm60(A):
    with mpmath.workdps(60):
        return B.spectral_norm(B.to_mp(A))


def _exact_rank(A):
    return sympy.Matrix([[sympy.Rational(float(v)) for v in row] for row in A]).rank()


# --------------------------------------------------------------------------- orthogonal

@pytest.mark.parametrize("n", [1, 3, 5])
def test_orthogonal_matrices_are_orthogonal_and_reach_every_corner(n):
    draws = _draws(L.orthogonal_matrices(n, labelled=True), n=60, seed=n)
    for corner, Q in draws:
        err = np.max(np.abs(Q.T @ Q - np.eye(n)))
        assert err <= 1e-12, f"{corner}: |QᵀQ − I| = {err:.3g}"
        if corner in ("identity", "signed permutation"):
            assert np.array_equal(Q.T @ Q, np.eye(n)), f"{corner} is exactly orthogonal"
        if corner == "rotation":
            assert np.linalg.det(Q) > 0
        if corner == "reflection":
            assert np.linalg.det(Q) < 0
    assert set(c for c, _ in draws) == set(L.ORTHOGONAL_CORNERS)


def test_the_simplest_corner_comes_first_in_shrinking():
    assert find(L.orthogonal_matrices(3, labelled=True), lambda t: True)[0] == "identity"
    assert find(L.spectral_ball_matrices(3, 0.5, labelled=True), lambda t: True)[0] == "zero"
    assert find(L.rank_deficient_matrices(3, 4, labelled=True), lambda t: True)[0] == "zero"


# --------------------------------------------------------------------------- spectral ball

@pytest.mark.parametrize("n,tau", [(1, 0.5), (2, 3.0), (4, 1e-3), (6, 0.75)])
def test_ball_matrices_have_norm_at_most_tau_at_60_digits_and_reach_the_boundary(n, tau):
    draws = _draws(L.spectral_ball_matrices(n, tau, labelled=True), n=40, seed=n)
    for corner, A in draws:
        norm = _norm60(A)
        assert norm <= tau, f"{corner}: ‖A‖ = {mpmath.nstr(norm, 20)} > τ = {tau} at 60 digits"
        if corner in L.BOUNDARY_CORNERS:
            gap = float(1 - norm / tau)
            assert norm >= tau * (1 - 2.0 ** -47), f"{corner}: ‖A‖ = τ(1 − {gap:.3g}), not on the sphere"
        if corner == "interior":
            assert norm < tau
        if corner in ("-tau*I", "tau*I"):
            assert np.array_equal(A, (1 if corner == "tau*I" else -1) * tau * np.eye(n))
        if corner == "rank-one":
            assert np.linalg.matrix_rank(A) == 1
    assert set(c for c, _ in draws) == set(L.BALL_CORNERS)


def test_without_the_boundary_every_draw_is_strictly_inside():
    draws = _draws(L.spectral_ball_matrices(3, 2.0, boundary=False, labelled=True), n=60)
    assert {c for c, _ in draws} == {"zero", "interior"}
    assert all(_norm60(A) < 2.0 for _, A in draws)
    assert any(_norm60(A) > 2.0 * (1 - 2.0 ** -9) for _, A in draws), "no interior draw close to the sphere"


def test_the_ball_certificate_rejects_a_matrix_an_ulp_outside():
    tau = 0.7
    assert L._in_ball(np.diag([tau, 0.1]), tau) is False        # on the sphere exactly: nudged inward
    assert L._in_ball(np.diag([np.nextafter(tau, 1), 0.1]), tau) is False
    assert L._in_ball(np.diag([np.nextafter(tau, 0), 0.1]), tau) is True
    A = L.ball_matrix("boundary", 3, tau, seed=5)
    assert L._in_ball(A, tau) and not L._in_ball(A * (1 + 2.0 ** -40), tau)


# --------------------------------------------------------------------------- PSD and covariances

@pytest.mark.parametrize("n", [1, 2, 4])
def test_psd_matrices_are_symmetric_psd_with_their_condition_numbers_and_ranks(n):
    bound = 1e9
    draws = _draws(L.psd_matrices(n, max_condition=bound, labelled=True), n=45, seed=n)
    ill = []
    for kind, S in draws:
        assert np.array_equal(S, S.T), f"{kind}: not symmetric bit for bit"
        lam = np.linalg.eigvalsh(S)
        if kind == "singular":
            assert _exact_rank(S) < n, "a singular draw must have exact rank < n"
            assert lam[0] >= -64 * n * U * max(lam[-1], 0)
        else:
            assert lam[0] > 0, f"{kind}: λ_min = {lam[0]:.3g}"
            cond = lam[-1] / lam[0]
            assert cond <= (L.WELL_CONDITIONED if kind == "well-conditioned" else bound), f"{kind}: κ = {cond:.4g}"
            if kind == "ill-conditioned" and n > 1:
                assert cond >= 0.99 * bound ** 0.5, f"ill-conditioned draw with κ = {cond:.3g} only"
                ill.append(S)
    assert set(k for k, _ in draws) == set(L.PSD_KINDS)
    with mpmath.workdps(60):        # the condition bound on the exact entries, where it matters most
        for S in ill[:3]:
            lam = B.eigvalsh(B.to_mp(S))
            assert lam[0] > 0 and lam[-1] / lam[0] <= bound


def test_singular_psd_matrices_are_exactly_psd():
    draws = _draws(L.psd_matrices(3, kinds=["singular"]), n=15)
    for S in draws:
        # exactly PSD: every principal minor of the exact rational matrix is ≥ 0
        M = sympy.Matrix([[sympy.Rational(float(v)) for v in row] for row in S])
        assert all(M.extract(list(idx), list(idx)).det() >= 0
                   for idx in ([0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2])), "not PSD exactly"


def test_covariances_mix_every_kind_and_are_symmetric_psd():
    draws = _draws(L.covariances(3, labelled=True), n=80, seed=3)
    for kind, S in draws:
        assert np.array_equal(S, S.T)
        lam = np.linalg.eigvalsh(S)
        assert lam[0] >= -64 * 3 * U * max(lam[-1], 0), f"{kind}: λ_min = {lam[0]:.3g}"
    kinds = Counter(k for k, _ in draws)
    assert set(kinds) == set(L.COVARIANCE_KINDS), f"never drawn: {set(L.COVARIANCE_KINDS) - set(kinds)}"
    assert any(_exact_rank(S) < 3 for k, S in draws if k == "sample"), "no singular sample second moment"
    mags = [np.log10(np.max(np.abs(S))) for _, S in draws if np.any(S)]
    assert max(mags) - min(mags) >= 4, "scales do not spread over several orders"


# --------------------------------------------------------------------------- rank-deficient

@pytest.mark.parametrize("m,n", [(3, 3), (4, 2), (2, 5)])
def test_rank_deficient_matrices_have_the_exact_rank_and_reach_every_corner(m, n):
    draws = _draws(L.rank_deficient_matrices(m, n, labelled=True), n=40, seed=m * n)
    for corner, A in draws:
        r = _exact_rank(A)
        assert r < min(m, n) and A.shape == (m, n)
        assert (r == 0) == (corner == "zero"), f"{corner} has rank {r}"
        if corner == "zero columns":
            assert np.sum(np.any(A != 0, axis=0)) == r
        if corner == "zero rows":
            assert np.sum(np.any(A != 0, axis=1)) == r
    assert set(c for c, _ in draws) == set(L.RANK_CORNERS)


def test_a_fixed_rank_is_exact():
    for A in _draws(L.rank_deficient_matrices(5, 4, rank=2), n=20):
        assert _exact_rank(A) == 2
    assert all(not np.any(A) for A in _draws(L.rank_deficient_matrices(3, 3, rank=0), n=5))


# --------------------------------------------------------------------------- arguments

@pytest.mark.parametrize("make,name", [
    (lambda: L.orthogonal_matrices(0), "n"),
    (lambda: L.orthogonal_matrices(3, corners=["rotations"]), "corners"),
    (lambda: L.orthogonal_matrices(3, labelled="yes"), "labelled"),
    (lambda: L.spectral_ball_matrices(3, -1.0), "tau"),
    (lambda: L.spectral_ball_matrices(3, float("nan")), "tau"),
    (lambda: L.spectral_ball_matrices(3, 1.0, boundary=False, corners=["tau*I"]), "corners"),
    (lambda: L.psd_matrices(3, max_condition=1e11), "max_condition"),
    (lambda: L.psd_matrices(3, kinds="singular"), "kinds"),
    (lambda: L.psd_matrices(3, min_exp=2, max_exp=1), "min_exp"),
    (lambda: L.covariances(2, kinds=["wishart"]), "kinds"),
    (lambda: L.rank_deficient_matrices(3, 4, rank=3), "rank"),
    (lambda: L.rank_deficient_matrices(3, 4, rank=0, corners=["zero columns"]), "corners"),
    (lambda: L.ball_matrix("edge", 3, 1.0, 0), "corner"),
    (lambda: L.psd_matrix("wishart", 3, 0), "kind"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_bad_arguments_are_invalid_argument_naming_them(make, name):
    with pytest.raises(InvalidArgument, match=rf"^{name}="):
        make()


@pytest.mark.parametrize("tau", [5e-324, 1e-323, 2.2e-308])
def test_onto_sphere_certifies_a_subnormal_radius(tau):
    """τ = 5e-324 (drawn once by the Hardt–Ma ball strategy): τ/σ̂ rounds up by whole ulps and every
    shrink by 1 − 2^k·2⁻⁵³ rounds back, so the certificate needs halvings; before, an AssertionError."""
    from strategies.linalg import _in_ball, _onto_sphere

    A = _onto_sphere(np.array([[1.51281897]]), tau)
    assert _in_ball(A, tau)
