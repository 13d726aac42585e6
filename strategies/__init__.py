"""Hypothesis strategies for the paper's objects: dimensions, scale-aware arrays, convex losses,
feature maps, samples, points (w, V, w*) and one instance strategy per claim.

``strategies.core``, ``strategies.batches`` and ``strategies.linalg`` are generic (they know no
paper); the rest build Shamir's objects. The names below resolve on first use (PEP 562), so that
importing a generic module does not pull in a paper's model.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "Batch": "batches", "batched": "batches", "batch_searched": "batches",
    "dims": "core", "scaled_floats": "core", "scaled_arrays": "core", "probability_vectors": "core",
    "biased_points": "instances", "directional_points": "instances", "nonzero_w_points": "instances",
    "section3_points": "instances", "zero_w_points": "instances",
    "CORNERS": "model", "FEATURE_KINDS": "model", "LOSS_NAMES": "model", "feature_maps": "model",
    "losses": "model", "points": "model", "samples": "model",
}

__all__ = ["Batch", "batched", "batch_searched",
           "dims", "scaled_floats", "scaled_arrays", "probability_vectors", "losses",
           "feature_maps", "samples", "points", "section3_points", "nonzero_w_points",
           "zero_w_points", "directional_points", "biased_points", "CORNERS", "FEATURE_KINDS",
           "LOSS_NAMES"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'strategies' has no attribute {name!r}")
    return getattr(importlib.import_module(f"strategies.{_WHERE[name]}"), name)


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
