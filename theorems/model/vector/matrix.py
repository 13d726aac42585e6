"""``RowRankMatrix``: an instance that is only a matrix W ∈ R^{m×d} — for the statements of Appendix
A that read W alone (the SVD sentence of Theorem 6's proof and its correction), so that their
witnesses show nothing else (no sample, loss or V that the statement does not use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import ARRAY, Instance

from ..sample import check_array

__all__ = ["RowRankMatrix"]


@dataclass(frozen=True, eq=False, repr=False)
class RowRankMatrix(Instance):
    """A matrix W (m × d) and nothing else."""

    CODECS = {"W": ARRAY}

    W: np.ndarray

    def __post_init__(self):
        W = check_array("W", self.W, ndim=2, hypothesis="W is a matrix")
        if min(W.shape) < 1:
            raise ValueError(f"argument 'W': needs at least one row and one column, got shape {W.shape}")
        object.__setattr__(self, "W", W)

    is_mp = property(lambda self: self.W.dtype == object)

    @property
    def dims(self) -> tuple[int, int]:
        return self.W.shape

    def to_vector(self):
        return np.asarray(B.to_float(self.W), dtype=np.float64).reshape(-1)

    def from_vector(self, x):
        return RowRankMatrix(np.asarray(x, dtype=np.float64).reshape(self.W.shape).copy())

    def describe(self) -> str:
        m, d = self.W.shape
        return f"W {m}×{d}"
