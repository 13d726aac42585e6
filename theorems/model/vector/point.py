"""``VectorPoint``: one instance of Appendix A — a sample, a vector loss and a point (W, V, W*).

Like ``Point`` for Section 3, it serializes to JSON exactly, converts exactly to mpmath for
high-precision re-evaluation, and flattens to a vector of free real parameters so that the audit
can polish a tight instance (probabilities through log-weights, so every vector maps to a valid p).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import (
    ARRAY,
    ARRAY_DICT,
    BLOCK_MAPS,
    OPTIONAL_ARRAY,
    Instance,
    entry_candidates,
    nested,
    simpler_block,
    simpler_values,
    simplicity,
)

from ..sample import check_array
from .losses import VectorLoss, by_name, from_spec
from .objective import linear_gradient
from .sample import VectorSample, check_vector_arguments

__all__ = ["VectorPoint", "random_vector_point", "VECTOR_LOSS", "flatten", "unflatten", "projections",
           "refitted_cuts", "feature_span_cut", "sample_roundings"]

VECTOR_LOSS = nested(lambda loss: loss.spec, from_spec, lambda loss: loss)
VECTOR_SAMPLE = nested(VectorSample.to_json, VectorSample.from_json)


def flatten(parts) -> np.ndarray:
    """The named arrays ``parts`` ([(name, array)]) as one float64 vector."""
    return np.concatenate([np.asarray(B.to_float(a), dtype=float).reshape(-1) for _, a in parts])


def unflatten(parts, x) -> dict:
    """{name: array} read back from the vector ``x`` in the layout of ``parts``."""
    x = np.asarray(x, dtype=float)
    vals, i = {}, 0
    for name, a in parts:
        vals[name] = x[i:i + a.size].reshape(a.shape)
        i += a.size
    return vals


@dataclass(frozen=True, eq=False, repr=False)
class VectorPoint(Instance):
    """One instance of Appendix A: a sample, a vector loss and a point (W, V, W*)."""

    CODECS = {"sample": VECTOR_SAMPLE, "loss": VECTOR_LOSS, "W": ARRAY, "V": ARRAY, "W_star": OPTIONAL_ARRAY,
              "extras": ARRAY_DICT}

    sample: VectorSample
    loss: VectorLoss
    W: np.ndarray
    V: np.ndarray
    W_star: np.ndarray | None = None
    extras: dict = field(default_factory=dict)   # claim-specific arrays (a direction, probe starts)
    meta: dict = field(default_factory=dict)     # description only (feature map, corner)

    def __post_init__(self):
        s = self.sample
        if not isinstance(s, VectorSample):
            raise TypeError(f"argument 'sample': expected a VectorSample, got {type(s).__name__}")
        if not isinstance(self.loss, VectorLoss):
            raise TypeError(f"argument 'loss': expected a VectorLoss, got {type(self.loss).__name__}")
        self.loss.check_targets(s.Y)
        W, V = check_vector_arguments(s, self.loss, self.W, self.V)
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "V", V)
        if self.W_star is not None:
            object.__setattr__(self, "W_star", check_vector_arguments(s, self.loss, W_star=self.W_star)[0])
        object.__setattr__(self, "extras", {k: check_array(f"extras[{k!r}]", v) for k, v in self.extras.items()})

    is_mp = property(lambda self: self.sample.is_mp)

    @property
    def dims(self) -> tuple[int, int, int, int]:
        """(n, d, m, k): sample size, input dimension, outputs, features."""
        s = self.sample
        return s.n, s.d, s.m, s.k

    def _parts(self):
        s = self.sample
        parts = [("X", s.X), ("Phi", s.Phi), ("W", self.W), ("V", self.V)]
        if self.W_star is not None:
            parts.append(("W_star", self.W_star))
        if self.loss.targets == "real":
            parts.append(("Y", s.Y))
        parts += [(f"extra:{k}", v) for k, v in sorted(self.extras.items())]
        parts.append(("logp", np.log(np.maximum(B.to_float(s.p), 1e-300))))
        return parts

    def to_vector(self) -> np.ndarray:
        return flatten(self._parts())

    def from_vector(self, x) -> "VectorPoint":
        vals = unflatten(self._parts(), x)
        p = np.exp(vals["logp"] - np.max(vals["logp"]))
        s = self.sample
        sample = VectorSample(vals["X"], vals.get("Y", s.Y), p / p.sum(), vals["Phi"])
        return replace(self, sample=sample, W=vals["W"], V=vals["V"], W_star=vals.get("W_star"),
                       extras={k: vals[f"extra:{k}"] for k in self.extras})

    def simpler_moves(self):
        """The engine's post-shrink candidates, in order: fewer samples / input coordinates / outputs /
        features (``projections``), the same with a re-fit (``refitted_cuts``, ``feature_span_cut``),
        then simpler W, V, W*, extras (the generic ``simpler_values``) and a simpler sample
        (``sample_roundings``: the sample is one nested field, which the generic moves cannot reach).
        The engine revisits the families until a whole pass changes nothing, so a cut that a rounding
        makes possible (a sample rounded to zero) is still taken (issue 22)."""
        return (projections, refitted_cuts, feature_span_cut, simpler_values, sample_roundings)

    def describe(self) -> str:
        s = self.sample
        return (f"n={s.n} d={s.d} m={s.m} k={s.k} loss={self.loss.name}"
                + (f" corner={self.meta['corner']}" if "corner" in self.meta else ""))


def random_vector_point(seed: int = 0, *, loss: str = "softmax_ce", n: int = 4, d: int = 3, m: int = 2,
                        k: int = 2, extras: dict | None = None) -> VectorPoint:
    """A deterministic example instance (numpy RNG) with W of full row rank when m ≤ d."""
    rng = np.random.default_rng(seed)
    lo = by_name(loss)
    X = rng.normal(size=(n, d))
    Phi = np.maximum(X @ rng.normal(size=(d, k)), 0.0) + 0.1
    pr = rng.uniform(0.5, 1.5, size=n)
    if lo.targets == "one-hot":
        s = VectorSample.from_labels(X, rng.integers(0, m, size=n), m, pr / pr.sum(), Phi)
    else:
        s = VectorSample(X, rng.normal(size=(n, m)), pr / pr.sum(), Phi)
    ex = {name: rng.normal(size=shape) for name, shape in (extras or {}).items()}
    return VectorPoint(s, lo, rng.normal(size=(m, d)), rng.normal(size=(d, k)), rng.normal(size=(m, d)), ex,
                       {"corner": "generic"})


# ---- post-shrink simplification (issue 22) ---------------------------------------------------
# The axes of Appendix A's arrays: X (n × d), Y (n × m), p (n), Phi (n × k), W and W* (m × d),
# V (d × k). A claim's extras are cut along the axes named here (Lemma 3's directions D_W, D_V
# have the shapes of W and V); any other extra is left as it is, so a candidate whose extras no
# longer fit fails its evaluation and is not kept.
EXTRA_AXES = {"D_W": ("m", "d"), "D_V": ("d", "k")}


def _a_function_of_X(X, Phi) -> bool:
    """Rows with equal x must have equal φ: after dropping input coordinates, Phi must still be
    f_θ(X) for some map f_θ."""
    seen = {}
    for x, phi in zip(map(bytes, np.ascontiguousarray(B.to_float(X))), B.to_float(Phi)):
        if x in seen and not np.array_equal(seen[x], phi):
            return False
        seen.setdefault(x, phi)
    return True


def _cut_extras(extras: dict, axis: str, keep) -> dict:
    out = {}
    for name, a in extras.items():
        for j, role in enumerate(EXTRA_AXES.get(name, ())):
            if role == axis and j < a.ndim:
                a = np.compress(keep, a, axis=j)
        out[name] = a
    return out


def _cut(inst: VectorPoint, axis: str, keep) -> VectorPoint | None:
    """``inst`` with only the kept indices (a boolean mask) of ``axis`` ∈ {n, d, m, k}, consistently
    across X, Y, p, Phi, W, V, W* and the extras of ``EXTRA_AXES``; None if the result is outside
    the model (no probability left, Phi no longer a function of X, targets no longer one-hot)."""
    s = inst.sample
    Ws = inst.W_star
    W, V = inst.W, inst.V
    try:
        if axis == "n":
            sample = s.restrict(rows=keep)
        elif axis == "d":
            sample = s.restrict(dims=keep)
            if not _a_function_of_X(sample.X, sample.Phi):
                return None
            W, V = W[:, keep], V[keep]
            Ws = None if Ws is None else Ws[:, keep]
        elif axis == "m":
            sample = s.restrict(outputs=keep)
            W = W[keep]
            Ws = None if Ws is None else Ws[keep]
        else:
            sample = s.restrict(features=keep)
            V = V[:, keep]
        meta = dict(inst.meta)
        meta.setdefault("projected_from", "n={} d={} m={} k={}".format(*inst.dims))
        return replace(inst, sample=sample, W=W, V=V, W_star=Ws, extras=_cut_extras(inst.extras, axis, keep),
                       meta=meta)
    except (ValueError, TypeError, ArithmeticError, IndexError):
        return None


def projections(inst: VectorPoint):
    """Smaller candidates: along n (a sample dropped, p renormalised), d (a coordinate of x), m (an
    output) and k (a feature), a single index first (the biggest step), then all but one."""
    for axis, size in zip("ndmk", inst.dims):
        if size < 2:
            continue
        for i in range(size):
            yield lambda axis=axis, i=i, size=size: _cut(inst, axis, np.arange(size) == i)
        for i in range(size):
            yield lambda axis=axis, i=i, size=size: _cut(inst, axis, np.arange(size) != i)


def _row_space(A) -> np.ndarray:
    """An orthonormal basis (as columns) of the span of the rows of ``A``: SVD, singular values
    below 1e-12 of the largest dropped (rounding, not a direction the rows take)."""
    A = np.asarray(B.to_float(A), dtype=np.float64)
    _, sv, Vt = np.linalg.svd(A, full_matrices=False)
    r = int(np.sum(sv > 1e-12 * sv[0])) if sv.size and sv[0] > 0 else 0
    return Vt[:r].T


def _min_norm_refit(inst: VectorPoint) -> VectorPoint | None:
    """W* and V replaced by the smallest ones acting alike on the sample: W*·P_X and V·P_Φ (P the
    orthogonal projector onto the span of the rows of X, resp. of Phi). Every W*x_i and every
    z_i = x_i + Vφ_i is unchanged, hence F, F_lin(W*) and ∇F (∂F/∂V = Wᵀ Dᵀ Φ does not involve V),
    while ‖W*‖_Fr and ‖V‖ can only decrease. After a sample is dropped, the directions only it
    used are free, and a bound with these norms in its denominator (Theorem 6, Appendix A)
    becomes larger. None when nothing changes (the rows of X span R^d and those of Phi R^k)."""
    s = inst.sample
    new = {}
    UF = _row_space(s.Phi)
    if UF.shape[1] < s.k:
        new["V"] = np.asarray(inst.V, dtype=np.float64) @ UF @ UF.T
    UX = _row_space(s.X)
    if inst.W_star is not None and UX.shape[1] < s.d:
        new["W_star"] = np.asarray(inst.W_star, dtype=np.float64) @ UX @ UX.T
    return replace(inst, **new) if new else None


def _steepest_W_star(inst: VectorPoint, norm: float) -> VectorPoint | None:
    """W* := −r·∇F_lin(W*)/‖∇F_lin(W*)‖_Fr with r = ``norm`` (the Frobenius norm W* had before the
    cut): the comparator re-fitted to the samples left, at an unchanged ‖W*‖_Fr. For the linear
    loss (Lemma 3 an equality; Theorem 6's attaining family) ∇F_lin is constant and this is the
    minimiser of F_lin over ‖W*‖_Fr ≤ r, so the gap F − F_lin(W*) is the largest the kept sample
    allows at that norm; for other losses it is one step of the fixed-point iteration of that
    minimiser. None without W*, or when F_lin is flat."""
    if inst.W_star is None or not norm > 0:
        return None
    G = np.asarray(linear_gradient(inst.sample, inst.loss, inst.W_star), dtype=np.float64)
    g = np.linalg.norm(G)
    if not (g > 0 and np.isfinite(g)):
        return None
    return replace(inst, W_star=-(norm / g) * G)


def _refitted_cut(inst: VectorPoint, keep, steepest: bool) -> VectorPoint | None:
    """The n-cut ``keep`` followed by the minimum-norm re-fit of W* and V (``_min_norm_refit``)
    and, with ``steepest``, W* re-fitted along −∇F_lin at its former norm (``_steepest_W_star``)."""
    cut = _cut(inst, "n", keep)
    if cut is None:
        return None
    if steepest:
        norm = float(np.linalg.norm(np.asarray(B.to_float(inst.W_star)))) if inst.W_star is not None else 0.0
        cut = _steepest_W_star(cut, norm)
        if cut is None:
            return None
        return _min_norm_refit(cut) or cut
    return _min_norm_refit(cut)


def refitted_cuts(inst: VectorPoint):
    """A sample dropped AND what is fitted to the sample re-fitted (issue 22): a plain cut
    (``projections``) keeps W* and V, which were chosen for all n samples, and at Theorem 6's
    attaining instances the kept sample alone then satisfies the bound — although a one-sample
    witness exists, with W* re-fitted. Per kept set (one sample first, then all but one): the
    minimum-norm re-fit (same F, ∇F, F_lin; smaller ‖W*‖_Fr, ‖V‖), then W* re-fitted along −∇F_lin
    at its former norm (largest gap at the same ‖W*‖_Fr). The engine keeps a candidate only if it
    still fails at high precision."""
    n = inst.dims[0]
    if n < 2:
        return
    masks = [np.arange(n) == i for i in range(n)]
    if n > 2:                  # for n = 2, "all but one" is "only the other one"
        masks += [np.arange(n) != i for i in range(n)]
    for keep in masks:
        for steepest in (False, True):
            yield lambda keep=keep, steepest=steepest: _refitted_cut(inst, keep, steepest)


def _feature_span(inst: VectorPoint) -> VectorPoint | None:
    """Features rotated onto the span of the rows of Phi and the rest dropped: Phi·U and V·U (U an
    orthonormal basis of that span, k × r, r < k), and D_V·U for Lemma 3's direction. Every
    Vφ_i = V·U·Uᵀφ_i is unchanged (so F, F_lin and ∂F/∂W are), ∂F/∂V = Wᵀ Dᵀ Φ U keeps its norm
    (its rows lie in that span), ‖V·U‖ ≤ ‖V‖, and a linear map of φ keeps Phi a function of X.
    None when Phi's rows span all k features."""
    s = inst.sample
    U = _row_space(s.Phi)
    if U.shape[1] >= s.k or U.shape[1] == 0:
        return None
    extras = {name: (np.asarray(a, dtype=np.float64) @ U if name == "D_V" and a.shape[-1] == s.k else a)
              for name, a in inst.extras.items()}
    meta = dict(inst.meta)
    meta.setdefault("projected_from", "n={} d={} m={} k={}".format(*inst.dims))
    try:
        sample = VectorSample(s.X, s.Y, s.p, np.asarray(s.Phi, dtype=np.float64) @ U)
        return replace(inst, sample=sample, V=np.asarray(inst.V, dtype=np.float64) @ U, extras=extras, meta=meta)
    except (ValueError, TypeError, ArithmeticError, IndexError):
        return None


def feature_span_cut(inst: VectorPoint):
    """k cut to the rank of Phi jointly with the columns of V (``_feature_span``): a plain feature
    cut (``projections``) drops a coordinate, which only helps when Phi's rows already lie in the
    other coordinates; after a sample is dropped they often span fewer directions in a rotated
    basis."""
    yield lambda: _feature_span(inst)


def _with_sample(inst: VectorPoint, **arrays) -> VectorPoint | None:
    s = inst.sample
    X, Y, p, Phi = (arrays.get(k, getattr(s, k)) for k in ("X", "Y", "p", "Phi"))
    try:
        if "X" in arrays and not _a_function_of_X(X, Phi):
            return None
        return replace(inst, sample=VectorSample(X, Y, p, Phi))
    except (ValueError, TypeError, ArithmeticError, IndexError):
        return None


def _simpler_arrays(a: np.ndarray):
    """Strictly simpler versions of ``a`` (``simplicity``), as the generic ``simpler_values`` offers
    them: the whole array at once (zero, integers, 1–3 significant digits), then entry by entry."""
    if a.size > 1:
        for f in BLOCK_MAPS:
            b = np.asarray(f(a), dtype=np.float64)
            if np.all(np.isfinite(b)) and simpler_block(a, b):
                yield b
    flat = a.reshape(-1)
    for j, v in enumerate(flat.tolist()):
        tried = set()
        for c in entry_candidates(v):
            if c in tried or not np.isfinite(c) or simplicity(c) >= simplicity(v):
                continue
            tried.add(c)
            b = flat.copy()
            b[j] = c
            yield b.reshape(a.shape)


def sample_roundings(inst: VectorPoint):
    """Simpler samples: p uniform, then simpler X, Phi and (real targets only; one-hot rows are
    already 0/1) Y."""
    s = inst.sample
    p = np.asarray(s.p, dtype=np.float64)
    if p.size > 1:
        u = np.full_like(p, 1.0 / p.size)
        if not np.array_equal(u, p):
            yield lambda: _with_sample(inst, p=u)
    names = ("X", "Phi", "Y") if inst.loss.targets == "real" else ("X", "Phi")
    for name in names:
        for b in _simpler_arrays(np.asarray(getattr(s, name), dtype=np.float64)):
            yield lambda name=name, b=b: _with_sample(inst, **{name: b})

