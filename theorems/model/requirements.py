"""Hypotheses of Section 3's first-order results, checked on an instance.

Theorem 1, Lemma 1 and Eq. (3)–(6) need a comparison vector w* and w ≠ 0 (Lemma 1's G divides by
‖w‖²); an instance outside them raises :class:`HypothesisNotMet` naming the argument and the
result that needs it.
"""

from __future__ import annotations

import numpy as np

from theorems.core import backend as B
from theorems.core.errors import HypothesisNotMet

__all__ = ["require_w_star", "require_w_nonzero"]


def require_w_star(inst, source: str) -> None:
    if inst.w_star is None:
        raise HypothesisNotMet(f"argument 'w_star': {source} needs a comparison vector w*")


def require_w_nonzero(inst, source: str) -> None:
    """w* given and w ≠ 0, as Theorem 1 / Lemma 1 state."""
    require_w_star(inst, source)
    if not np.any(B.to_float(inst.w) != 0):
        raise HypothesisNotMet(f"argument 'w': w = 0, but {source} requires w ≠ 0")
