"""The model of Sec. 2: samples, losses, feature maps f_θ, F_θ, F_lin and their derivatives."""

from theorems.core import backend

from . import features, losses
from .features import FeatureMap
from .instance import Point, random_point
from .objective import gap, gradient, hessian, linear_gradient, linear_objective, objective, predictions
from .sample import Sample

__all__ = ["Sample", "Point", "random_point", "FeatureMap", "losses", "features", "backend", "objective",
           "linear_objective", "gradient", "linear_gradient", "hessian", "predictions", "gap"]
