"""Hand checks (issue 22): for each instance type, one instance, the claim's two sides recomputed
from the model's functions or plain numpy (never through the claim's ``evaluate``), compared with
``claim.evaluate(inst)``. README text: /work/notes/handcheck.md quotes these snippets."""

from __future__ import annotations

import numpy as np
import pytest

from theorems.audit import load_claims
from theorems.contract.registry import CLAIMS

load_claims()


def _point():
    """Point, Theorem 1: ‖∇F‖ ≥ (F − F_lin(w*))/√(2‖w‖² + ‖w*‖²(2 + ‖V‖²/‖w‖²))."""
    from theorems.model import gradient, linear_objective, objective

    inst = CLAIMS["theorem1"].example()
    s, w, V, ws = inst.sample, inst.w, inst.V, inst.w_star
    g_w, g_V = gradient(s, inst.loss, w, V)
    lhs = np.sqrt(np.sum(g_w ** 2) + np.sum(g_V ** 2))
    gap = objective(s, inst.loss, w, V) - linear_objective(s, inst.loss, ws)
    nw, nws, nV = np.linalg.norm(w), np.linalg.norm(ws), np.linalg.norm(V, 2)
    return "theorem1", inst, lhs, gap / np.sqrt(2 * nw ** 2 + nws ** 2 * (2 + nV ** 2 / nw ** 2))


def _vector_point():
    """VectorPoint, Theorem 6: ‖∇F‖ ≥ (F − F_lin(W*))/√(2‖W‖²_Fr + ‖W*‖²_Fr(2 + ‖V‖²/s_min(W)²))."""
    from theorems.model.vector.objective import gradient, linear_objective, objective

    inst = CLAIMS["theorem6"].example()
    s, W, V, Ws = inst.sample, inst.W, inst.V, inst.W_star
    g_W, g_V = gradient(s, inst.loss, W, V)
    lhs = np.sqrt(np.sum(g_W ** 2) + np.sum(g_V ** 2))
    gap = objective(s, inst.loss, W, V) - linear_objective(s, inst.loss, Ws)
    s_min = np.linalg.svd(W, compute_uv=False)[-1]
    denom = np.sqrt(2 * np.sum(W ** 2) + np.sum(Ws ** 2) * (2 + np.linalg.norm(V, 2) ** 2 / s_min ** 2))
    return "theorem6", inst, lhs, gap / denom


def _lemma2_matrix():
    """Lemma2Matrix, Lemma 2: M = [[b, uᵀ], [u, 0]] has λ_min with λ² − bλ = ‖u‖² (both sides)."""
    inst = CLAIMS["lemma2"].example()
    u = np.asarray(inst.u, dtype=float)
    M = np.block([[np.array([[inst.b]]), u[None, :]], [u[:, None], np.zeros((u.size, u.size))]])
    lam = np.linalg.eigvalsh(M)[0]
    return "lemma2", inst, u @ u, lam ** 2 - inst.b * lam


def _row_rank_matrix():
    """RowRankMatrix, the corrected SVD step: ‖Wᵀ(WWᵀ)⁻¹‖ = s_min(W)⁻¹."""
    inst = CLAIMS["theorem6.svd_step.corrected"].example()
    W = np.asarray(inst.W, dtype=float)
    lhs = np.linalg.norm(W.T @ np.linalg.inv(W @ W.T), 2)
    return "theorem6.svd_step.corrected", inst, lhs, 1 / np.linalg.svd(W, compute_uv=False)[-1]


HAND_CHECKS = {"Point": _point, "VectorPoint": _vector_point, "Lemma2Matrix": _lemma2_matrix,
               "RowRankMatrix": _row_rank_matrix}


@pytest.mark.parametrize("type_name", sorted(HAND_CHECKS))
def test_hand_check_matches_the_claim(type_name):
    cid, inst, lhs, rhs = HAND_CHECKS[type_name]()
    assert type(inst).__name__ == type_name
    ev = CLAIMS[cid].evaluate(inst)
    assert ev.holds, f"{cid} fails at its own example: {ev}"
    for mine, theirs, side in ((lhs, ev.lhs, "lhs"), (rhs, ev.rhs, "rhs")):
        assert np.isclose(float(mine), float(theirs), rtol=1e-9, atol=1e-12), \
            f"{type_name} / {cid}: hand-computed {side} {float(mine)!r} ≠ the claim's {float(theirs)!r}"
