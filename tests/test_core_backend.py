"""The engine's linear algebra (theorems.core.backend) and generic tolerance helpers
(theorems.contract.tolerance): every function agrees between float64 and 60 digits on random inputs,
exact identities hold at 60 digits to ~1e-50, and bad input is a one-line error naming the argument."""

import math

import mpmath
import numpy as np
import pytest

from theorems.contract import Evaluation, tolerance
from theorems.core import backend as B

SIZES = [1, 2, 3, 5]
EXACT = mpmath.mpf(10) ** -50       # "exact" at 60 digits: 10 digits of room for the arithmetic


def _rng(n, salt=0):
    return np.random.default_rng(1000 * n + salt)


def _maxabs(M):
    return max((abs(v) for v in np.asarray(M).reshape(-1)), default=mpmath.mpf(0))


def _spd(rng, n, rank=None):
    G = rng.normal(size=(n, rank or n))
    return G @ G.T + (0 if rank else 0.5 * np.eye(n))


def _agree(f64, mp, rel, scale=None):
    f64, mp = np.atleast_1d(f64), np.atleast_1d(mp)
    scale = float(_maxabs(mp)) if scale is None else scale
    err = float(np.max(np.abs(f64 - B.to_float(mp)))) if f64.size else 0.0
    assert err <= rel * max(scale, 1e-300), f"float64 and 60 digits differ by {err:.3g} (scale {scale:.3g})"


# --------------------------------------------------------------------------- float64 vs 60 digits

@pytest.mark.parametrize("n", SIZES)
def test_eye_matmul_chain_inv_det_agree_between_float64_and_60_digits(n):
    rng = _rng(n)
    A, Bm, C = (rng.normal(size=(n, n)) for _ in range(3))
    with B.workdps(60):
        I = B.eye(n, like=B.to_mp(A))
        assert I.dtype == object and all(isinstance(v, mpmath.mpf) for v in I.reshape(-1))
        assert np.array_equal(B.to_float(I), np.eye(n)) and np.array_equal(B.eye(n), np.eye(n))
        assert np.array_equal(B.matmul_chain([A, Bm, C]), A @ Bm @ C), "matmul_chain is A @ B @ C, left to right"
        _agree(B.matmul_chain([A, Bm, C]), B.matmul_chain([B.to_mp(A), Bm, C]), 1e-14)
        _agree(B.inv(A), B.inv(B.to_mp(A)), 1e-9)
        _agree(B.det(A), B.det(B.to_mp(A)), 1e-12, scale=float(np.prod(np.linalg.norm(A, axis=1))))


@pytest.mark.parametrize("n", SIZES)
def test_eigh_singular_values_sigma_psd_sqrt_agree_between_float64_and_60_digits(n):
    rng = _rng(n, 1)
    S, M = _spd(rng, n), rng.normal(size=(n, n + 1))
    with B.workdps(60):
        vals, vecs = B.eigh(S)
        vals_mp, vecs_mp = B.eigh(B.to_mp(S))
        _agree(vals, vals_mp, 1e-13)
        assert list(vals_mp) == sorted(vals_mp), "eigenvalues ascending"
        # eigenvectors agree up to sign (the eigenvalues of a random S are simple)
        signs = np.sign(np.sum(vecs * B.to_float(vecs_mp), axis=0))
        _agree(vecs * signs, vecs_mp, 1e-9, scale=1.0)
        sv, sv_mp = B.singular_values(M), B.singular_values(B.to_mp(M))
        assert len(sv) == len(sv_mp) == n and list(sv_mp) == sorted(sv_mp, reverse=True), "descending, min(m, n)"
        _agree(sv, sv_mp, 1e-13)
        assert B.sigma_max(M) == B.spectral_norm(M) and B.sigma_max(B.to_mp(M)) == B.spectral_norm(B.to_mp(M))
        _agree(B.sigma_min(M), B.sigma_min(B.to_mp(M)), 1e-12, scale=float(sv[0]))
        _agree(B.psd_sqrt(S), B.psd_sqrt(B.to_mp(S)), 1e-12)


# --------------------------------------------------------------------------- identities at 60 digits

@pytest.mark.parametrize("n", SIZES)
def test_inverse_determinant_and_chain_identities_hold_at_60_digits(n):
    rng = _rng(n, 2)
    with B.workdps(60):
        A, Bm = B.to_mp(rng.normal(size=(n, n))), B.to_mp(rng.normal(size=(n, n)))
        I = B.eye(n, like=A)
        assert _maxabs(A @ B.inv(A) - I) < EXACT and _maxabs(B.inv(A) @ A - I) < EXACT
        assert abs(B.det(B.matmul_chain([A, Bm])) - B.det(A) * B.det(Bm)) < EXACT * (1 + abs(B.det(A) * B.det(Bm)))
        assert B.det(I) == 1 and B.det(np.empty((0, 0))) == 1.0


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("rank", [None, 1])
def test_psd_sqrt_squares_back_and_eigh_reconstructs_at_60_digits(n, rank):
    rng = _rng(n, 3)
    with B.workdps(60):
        G = B.to_mp(rng.normal(size=(n, rank or n)))
        S = G @ G.T                                   # exactly symmetric and PSD at 60 digits (singular if rank)
        R = B.psd_sqrt(S)
        assert _maxabs(R - R.T) == 0, "the root is symmetric"
        assert min(B.eigvalsh(R)) > -EXACT, "the root is PSD"
        assert _maxabs(R @ R - S) < EXACT * _maxabs(S)
        vals, Q = B.eigh(S)
        assert _maxabs(Q.T @ Q - B.eye(n, like=S)) < EXACT
        assert _maxabs((Q * vals) @ Q.T - S) < EXACT * _maxabs(S)
        sv = B.singular_values(G)
        assert _maxabs(np.array(sorted(v * v for v in sv)) - B.eigvalsh(G.T @ G)) < EXACT * _maxabs(S)


@pytest.mark.parametrize("samples", [6, 3], ids=["full rank", "singular"])
def test_psd_sqrt_accepts_a_float64_second_moment_psd_only_to_rounding_at_both_precisions(samples):
    # Σ = Xᵀ(pX) through BLAS is symmetric to a few ulps and, when singular, may have eigenvalues of
    # −1e-17·‖Σ‖; carried to 60 digits it keeps both defects: accepted at either precision, and the
    # root is that of the symmetric part with those eigenvalues clipped to 0
    rng = np.random.default_rng(7)
    X, p = rng.normal(size=(samples, 5)), rng.uniform(0.1, 1, samples)
    S = X.T @ (X * p[:, None])
    R = B.psd_sqrt(S)
    assert np.max(np.abs(R @ R - S)) < 1e-13 * np.max(np.abs(S))
    with B.workdps(60):
        Sm = B.to_mp(S)
        sym = (Sm + Sm.T) / 2
        clipped = -min(min(B.eigvalsh(sym)), 0)
        assert clipped <= 64 * 5 * 2.0 ** -53 * _maxabs(Sm), "within psd_sqrt's documented slack"
        Rm = B.psd_sqrt(Sm)
        assert _maxabs(Rm @ Rm - sym) < EXACT * _maxabs(Sm) + 2 * clipped
        if samples == 6:
            assert clipped == 0


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("mp", [False, True], ids=["float64", "mp60"])
def test_bad_matrices_are_one_line_errors_naming_the_argument(mp):
    conv = B.to_mp if mp else (lambda a: a)
    with B.workdps(60):
        with pytest.raises(np.linalg.LinAlgError, match=r"argument 'M': singular"):
            B.inv(conv(np.array([[1.0, 2.0], [2.0, 4.0]])))
        with pytest.raises(ValueError, match=r"argument 'M': expected a square matrix"):
            B.det(conv(np.ones((2, 3))))
        with pytest.raises(ValueError, match=r"argument 'S': not symmetric"):
            B.psd_sqrt(conv(np.array([[1.0, 0.5], [0.0, 1.0]])))
        with pytest.raises(ValueError, match=r"argument 'S': not positive semidefinite"):
            B.psd_sqrt(conv(np.array([[1.0, 0.0], [0.0, -1e-3]])))
        with pytest.raises(ValueError, match=r"argument 'Sigma': not positive semidefinite"):
            B.psd_sqrt(conv(-np.eye(2)), name="Sigma")
    with pytest.raises(ValueError, match=r"argument 'mats': entry 0 has 2 columns but entry 1 has 3 rows"):
        B.matmul_chain([np.ones((2, 2)), np.ones((3, 3))])
    with pytest.raises(ValueError, match=r"argument 'mats': the product of no matrices"):
        B.matmul_chain([])
    with pytest.raises(ValueError, match=r"argument 'n'"):
        B.eye(-1)
    with pytest.raises(ValueError, match=r"argument 'M': a \(0, 3\) matrix has no singular values"):
        B.sigma_min(np.empty((0, 3)))


# --------------------------------------------------------------------------- tolerance helpers

def test_scale_is_the_sum_of_magnitudes_of_the_terms_in_their_arithmetic():
    assert tolerance.scale(1.0, -2.0, np.array([[0.5, -0.25]])) == 3.75
    with B.workdps(60):
        s = tolerance.scale(mpmath.mpf(1), np.array([-2.0]))
        assert isinstance(s, mpmath.mpf) and s == 3
    for bad in ((), (1.0, math.nan), (np.array([1.0, math.inf]),)):
        with pytest.raises(ValueError, match=r"argument 'terms'"):
            tolerance.scale(*bad)


def test_rounding_is_ops_eps_conditioning_scale_and_matches_compare():
    terms = (1e3, -1e3 + 1e-3, np.array([2.0, -3.0]))
    bound = tolerance.rounding(*terms, ops=tolerance.chain(4, 2), conditioning=10.0)
    expected = 64 * 6 * 10.0 * 2.0 ** -53 * tolerance.scale(*terms)      # the unit roundoff compare uses
    assert bound == pytest.approx(expected, rel=1e-15)
    ev = Evaluation.compare(1.0, ">=", 1.0, scale=tolerance.scale(*terms), ulps=tolerance.chain(4, 2) * 10.0)
    assert ev.tol == pytest.approx(bound + 64 * 6 * 10.0 * 2.0 ** -1074, rel=1e-15)
    with B.workdps(60):
        assert tolerance.rounding(mpmath.mpf(2), ops=1) == 2 * mpmath.mpf(2) ** -mpmath.mp.prec
    assert tolerance.rounding(1.0, ops=1, eps=0.5) == 0.5
    for kw, name in (({"ops": -1}, "ops"), ({"ops": 1, "conditioning": 0.5}, "conditioning"),
                     ({"ops": 1, "eps": 1.0}, "eps"), ({"ops": "64"}, "ops")):
        with pytest.raises(ValueError, match=rf"argument '{name}'"):
            tolerance.rounding(1.0, **kw)
    assert tolerance.chain() == 0 and tolerance.chain(3, 4) == 448
    with pytest.raises(ValueError, match=r"argument 'lengths': entry 1"):
        tolerance.chain(3, -1)
