"""Simpler candidates for a Section 3 ``Point`` (what the engine's post-shrink pass tries).

Hypothesis shrinks the choice sequence, which does not always reach the fewest samples,
dimensions and features where a counterexample exists, nor the simplest values. These generators
propose, simplest first, projections onto fewer samples / input dimensions / features and roundings
of entries to 0 or a short dyadic rational; each candidate is a thunk (building it may fail, and it
is then skipped). The engine keeps a candidate only if the check still fails at high precision.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .sample import Sample

__all__ = ["projections", "roundings"]

_DYADIC_DENOMINATORS = (1, 2, 4, 8, 16, 64, 256, 1024)


def _a_function_of_X(X, Phi):
    """Rows with equal x must have equal φ: the projected Phi is still f(X) for some map f."""
    seen = {}
    for x, phi in zip(map(bytes, np.ascontiguousarray(X)), Phi):
        if x in seen and not np.array_equal(seen[x], phi):
            return False
        seen.setdefault(x, phi)
    return True


def _with(inst, *, sample=None, note=None, **arrays):
    s = inst.sample
    if sample is not None:
        X, y, p, Phi = (sample.get(k, getattr(s, k)) for k in ("X", "y", "p", "Phi"))
        if "X" in sample or "Phi" in sample:
            if not _a_function_of_X(X, Phi):
                return None
        s = Sample(X, y, p, Phi)
    meta = dict(inst.meta)
    if note and "given" not in meta.get("feature_map", ""):
        meta["feature_map"] = f"Phi given (projected from {meta.get('feature_map', 'f(X)')})"
    return replace(inst, sample=s, meta=meta, **arrays)


def projections(inst):
    """Smaller instances: a single sample/dimension/feature first (the biggest step), then one fewer.
    Claim-specific arrays (``extras``) are projected along the axes whose length is d (vectors,
    matrix rows) or k (matrix columns); a candidate that is not what the check expects fails
    its evaluation and is not kept."""
    s = inst.sample
    n, d, k = s.n, s.d, s.k

    def rows(keep):
        p = s.p[keep]
        if not p.sum() > 0:
            return None
        return _with(inst, sample={"X": s.X[keep], "y": s.y[keep], "p": p / p.sum(), "Phi": s.Phi[keep]},
                     note=True)

    def dims(keep):
        # claim-specific arrays along the input dimension: vectors of length d, matrices d × k
        ex = {name: a[keep] if a.shape[0] == d and (a.ndim == 2 or d > 1) else a
              for name, a in inst.extras.items()}
        return _with(inst, sample={"X": s.X[:, keep]}, note=True, w=inst.w[keep], V=inst.V[keep],
                     w_star=None if inst.w_star is None else inst.w_star[keep], extras=ex)

    def feats(keep):
        ex = {name: a[:, keep] if a.ndim == 2 and a.shape[1] == k else a for name, a in inst.extras.items()}
        return _with(inst, sample={"Phi": s.Phi[:, keep]}, note=True, V=inst.V[:, keep], extras=ex)

    for size, make in ((n, rows), (d, dims), (k, feats)):
        if size > 1:
            for i in range(size):
                yield lambda i=i, size=size, make=make: make(np.arange(size) == i)
            for i in range(size):
                yield lambda i=i, size=size, make=make: make(np.arange(size) != i)


def _simpler_values(a):
    """Candidates for an array, simplest first: all zero, then each entry rounded to a short dyadic."""
    if not a.size:
        return
    if np.any(a):
        yield np.zeros_like(a)
    for q in _DYADIC_DENOMINATORS:
        r = np.round(a * q) / q
        if not np.array_equal(r, a):
            yield r
    flat = a.reshape(-1)
    for j in range(flat.size):
        tried = {flat[j]}
        for v in [0.0] + [np.round(flat[j] * q) / q for q in _DYADIC_DENOMINATORS]:
            if v not in tried:      # coarsest first: each accepted step lowers the denominator
                tried.add(v)
                b = flat.copy()
                b[j] = v
                yield b.reshape(a.shape)


def roundings(inst):
    s = inst.sample
    pm1 = getattr(inst.loss, "y_domain", None) == "pm1"
    fields = [("w", inst.w), ("w_star", inst.w_star), ("V", inst.V), ("X", s.X), ("Phi", s.Phi)]
    if not pm1:
        fields.append(("y", s.y))
    for name, a in fields:
        if a is None:
            continue
        for b in _simpler_values(a):
            if name in ("X", "Phi", "y"):
                yield lambda name=name, b=b: _with(inst, sample={name: b}, note=name != "y")
            else:
                yield lambda name=name, b=b: _with(inst, **{name: b})
