"""Hypothesis strategies for the paper's objects: dimensions, scale-aware arrays, convex losses,
feature maps, samples, points (w, V, w*) and one instance strategy per claim."""

from .batches import Batch, batch_searched, batched
from .core import dims, probability_vectors, scaled_arrays, scaled_floats
from .instances import biased_points, directional_points, nonzero_w_points, section3_points, zero_w_points
from .model import CORNERS, FEATURE_KINDS, LOSS_NAMES, feature_maps, losses, points, samples

__all__ = ["Batch", "batched", "batch_searched",
           "dims", "scaled_floats", "scaled_arrays", "probability_vectors", "losses",
           "feature_maps", "samples", "points", "section3_points", "nonzero_w_points",
           "zero_w_points", "directional_points", "biased_points", "CORNERS", "FEATURE_KINDS",
           "LOSS_NAMES"]
