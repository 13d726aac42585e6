"""Bundled data: the Iris data set (``theorems/data/iris.csv``, CC BY 4.0, see IRIS_LICENSE.md),
used as a real finite distribution (its empirical distribution, sampled with replacement) for
Theorem 4 (Sec. 5; two classes) and its vector-valued version (Appendix A; three classes)."""

from __future__ import annotations

from importlib.resources import files

import numpy as np

__all__ = ["IRIS_CLASSES", "iris_classes", "iris"]

IRIS_CLASSES = ("Iris-setosa", "Iris-versicolor", "Iris-virginica")


def iris_classes(classes=IRIS_CLASSES):
    """The Iris data: the rows of ``classes`` with labels 0, 1, … in the order of ``classes``,
    features standardised (mean 0, variance 1 over the kept rows)."""
    bad = [c for c in classes if c not in IRIS_CLASSES]
    if bad or len(set(classes)) < 2:
        raise ValueError(f"argument 'classes': expected ≥ 2 distinct names from {IRIS_CLASSES}, got {classes!r}")
    text = files("theorems").joinpath("data/iris.csv").read_text()
    rows = [r.split(",") for r in text.strip().splitlines()[1:]]
    keep = [r for r in rows if r[4] in classes]
    X = np.array([[float(v) for v in r[:4]] for r in keep])
    labels = np.array([list(classes).index(r[4]) for r in keep])
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, labels


def iris(pair=("Iris-versicolor", "Iris-virginica")):
    """The Iris data: the two classes of ``pair`` as y = −1, +1 (``iris_classes``)."""
    X, labels = iris_classes(tuple(pair))
    return X, np.where(labels == 0, -1.0, 1.0)
