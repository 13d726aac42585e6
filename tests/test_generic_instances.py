"""The engine works on any ``Instance`` (issue 21): exact mpf conversion by every codec, free
parameters as a vector for ``polish``, and the generic post-shrink ``simplify`` (simpler values,
cuts along declared axes) — on a toy type defined here and on Hardt & Ma's ``ResNetPoint``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from theorems.audit import Evaluation
from theorems.audit.engine import Counterexample, confirm, polish, search, simplify
from theorems.core import backend as B
from theorems.core.serialization import ARRAY, ARRAY_DICT, FLOAT, INT, MP_SCALAR, OPTIONAL_ARRAY, Instance, simplicity


@dataclass(frozen=True, eq=False, repr=False)
class GenericToy(Instance):
    """A sample (X, p), a scalar x ∈ [0, 5], an optional vector w ∈ R^d, claim-specific arrays and
    an integer: one field per codec. ``extras["signs"]`` is frozen (±1 by construction)."""

    CODECS = {"x": FLOAT, "s": MP_SCALAR, "X": ARRAY, "p": ARRAY, "w": OPTIONAL_ARRAY, "extras": ARRAY_DICT,
              "steps": INT}
    FROZEN = ("extras[signs]",)
    PROBABILITY = ("p",)
    AXES = {"samples": {"X": 0, "p": 0}, "dims": {"X": 1, "w": 0, "extras[D]": 0}}

    x: float
    s: float
    X: np.ndarray
    p: np.ndarray
    w: np.ndarray | None = None
    extras: dict = field(default_factory=dict)
    steps: int = 3
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        X = self.X if B.is_mp(self.X) else np.asarray(self.X, dtype=np.float64)
        if X.ndim != 2 or min(X.shape) < 1:
            raise ValueError(f"argument 'X': expected n × d with n, d ≥ 1, got shape {X.shape}")
        p = self.p if B.is_mp(self.p) else np.asarray(self.p, dtype=np.float64)
        if p.shape != (X.shape[0],) or np.any(B.to_float(p) < 0) or abs(float(B.asum(p)) - 1) > 1e-12:
            raise ValueError("argument 'p': expected a probability vector, one entry per row of X")
        if not 0 <= float(self.x) <= 5:
            raise ValueError(f"argument 'x': must lie in [0, 5], got {float(self.x)!r}")
        if self.w is not None and np.shape(self.w) != (X.shape[1],):
            raise ValueError(f"argument 'w': expected shape ({X.shape[1]},), got {np.shape(self.w)}")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "p", p)

    @property
    def is_mp(self) -> bool:
        return B.is_mp(self.X)


def _toy(seed=0, n=3, d=2, x=2.718281828459045):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.5, 1.5, n)
    return GenericToy(x, 0.3141592653589793, rng.normal(size=(n, d)), p / p.sum(), rng.normal(size=d),
               {"D": rng.normal(size=(d, 2)), "signs": np.array([1.0, -1.0])}, 3, {"corner": "toy"})


def _exact(v) -> Fraction:
    """The exact rational value of an mpf or a float."""
    if isinstance(v, mpmath.mpf):
        sign, man, exp, _ = v._mpf_
        return (-1) ** sign * Fraction(man) * Fraction(2) ** exp
    return Fraction(float(v))


# ---- (3) every codec's to_mp is exact ------------------------------------------------------

@pytest.mark.parametrize("name,codec,value", [
    ("FLOAT", FLOAT, 0.1), ("MP_SCALAR", MP_SCALAR, -2.5e-300),
    ("ARRAY", ARRAY, np.array([[0.1, 1e300], [-3.0, 5e-324]])),
    ("OPTIONAL_ARRAY", OPTIONAL_ARRAY, np.array([0.2, 0.7])),
    ("ARRAY_DICT", ARRAY_DICT, {"a": np.array([0.1]), "b": np.array([[1 / 3]])})],
    ids=lambda v: v if isinstance(v, str) else "")
def test_codec_to_mp_converts_every_float_exactly_to_mpf(name, codec, value):
    with B.workdps(60):
        got = codec.to_mp(value)
    leaves = (lambda v: [(v, got)]) if np.isscalar(value) else None
    if isinstance(value, dict):
        pairs = [(a, b) for k in value for a, b in zip(value[k].reshape(-1), got[k].reshape(-1))]
    elif isinstance(value, np.ndarray):
        pairs = list(zip(value.reshape(-1), got.reshape(-1)))
    else:
        pairs = leaves(value)
    for f, m in pairs:
        assert isinstance(m, mpmath.mpf), f"{name}.to_mp left {type(m).__name__} {m!r}, but should give an mpf"
        assert _exact(m) == _exact(f), f"{name}.to_mp({f!r}) = {m}, but should equal it exactly"


def test_instance_to_mp_and_back_is_exact_for_every_codec():
    inst = _toy()
    with B.workdps(60):
        m = inst.to_mp()
    assert isinstance(m.x, mpmath.mpf) and isinstance(m.s, mpmath.mpf), "FLOAT/MP_SCALAR fields must become mpf"
    assert m.X.dtype == object and m.w.dtype == object and all(v.dtype == object for v in m.extras.values())
    assert _exact(m.x) == _exact(inst.x) and m.steps == 3 and isinstance(m.steps, int)
    assert m.to_float().to_json() == inst.to_json(), "to_mp().to_float() must reproduce the float64 instance"
    assert OPTIONAL_ARRAY.to_mp(None) is None


# ---- (8) to_vector / from_vector -----------------------------------------------------------

def test_to_vector_lists_every_free_float_in_field_order_and_from_vector_rebuilds_the_instance():
    inst = _toy()
    v = inst.to_vector()
    # x, s, X (3×2), log p (3), w (2), extras["D"] (2×2); extras["signs"] is frozen, steps an int
    assert v.shape == (1 + 1 + 6 + 3 + 2 + 4,)
    assert v[0] == inst.x and v[1] == inst.s and np.array_equal(v[2:8], inst.X.reshape(-1))
    assert np.allclose(np.exp(v[8:11]), inst.p)
    back = inst.from_vector(v)
    assert isinstance(back, GenericToy) and np.allclose(back.p, inst.p)
    assert json.dumps({k: x for k, x in back.to_json().items() if k != "p"}) == \
        json.dumps({k: x for k, x in inst.to_json().items() if k != "p"})
    moved = inst.from_vector(v + 0.01)
    assert np.array_equal(moved.extras["signs"], inst.extras["signs"]), "a FROZEN entry must not move"
    assert abs(moved.p.sum() - 1) < 1e-15, "a PROBABILITY field maps every vector to a probability vector"


def test_from_vector_validates_like_the_constructor():
    inst = _toy()
    v = inst.to_vector()
    v[0] = -1.0
    with pytest.raises(ValueError, match="'x'"):
        inst.from_vector(v)                       # leaves the hypothesis x ∈ [0, 5]
    with pytest.raises(ValueError, match="argument 'x': expected 17 entries"):
        inst.from_vector(v[:-1])


def test_types_with_their_own_vector_and_moves_keep_them():
    from theorems import CLAIMS  # noqa: F401 - loads every instance type
    from theorems.core.serialization import instance_type
    from theorems.model.instance import Point
    for cls in (Point, instance_type("VectorPoint"), instance_type("SGDRun")):
        assert cls.to_vector is not Instance.to_vector and cls.from_vector is not Instance.from_vector
    assert Point.simpler_moves is not Instance.simpler_moves


def test_polish_climbs_on_a_generic_instance_and_returns_a_valid_one():
    # "5 ≥ x" holds by construction (x ∈ [0, 5]); the ratio x/5 is maximised at the boundary, where
    # from_vector refuses every step beyond it
    check = lambda t: Evaluation.compare(5.0, ">=", t.x, informative=True)
    inst = _toy(x=1.0)
    pinst, pev, ce, _ = polish(check, inst, maxiter=100, seconds=10)
    assert ce is None and pev.holds and float(pev.ratio) > 0.99, f"polished ratio {pev.ratio}, should reach ≈ 1"
    assert isinstance(pinst, GenericToy) and 0 <= pinst.x <= 5
    assert type(pinst).from_json(pinst.to_json()).to_json() == pinst.to_json()


def test_polish_runs_on_hardt_ma_resnet_points():
    hm = pytest.importorskip("hardt_ma2016", reason="the second paper's package (papers/hardt_ma2016) is not installed")
    from hardt_ma2016.instances import ResNetPoint

    from theorems import CLAIMS
    claim = CLAIMS["hardt_ma2016.theorem2_2.eq2_3.corrected"]
    inst = hm.theorem2_2.example()
    ev0 = claim.evaluate(inst)
    assert inst.to_vector().size == inst.X.size + inst.p.size + inst.R.size + inst.A.size + 1
    pinst, pev, ce, _ = polish(claim.evaluate, inst, maxiter=30, seconds=10)
    assert ce is None, f"the corrected (2.3) holds, but polish reported {ce}"
    assert isinstance(pinst, ResNetPoint) and pev.holds and float(pev.ratio) >= float(ev0.ratio)
    again = ResNetPoint.from_json(json.loads(json.dumps(pinst.to_json())))   # re-validated
    assert claim.evaluate(again).holds and abs(float(again.p.sum()) - 1) <= 1e-12


# ---- (7) the generic post-shrink simplify --------------------------------------------------

def test_simplicity_orders_zero_integers_then_short_decimals():
    order = [0.0, 7.0, 1234.0, 0.1, 0.13, 0.125, 0.1257302210933933]
    ranks = [simplicity(v) for v in order]
    assert ranks[0] < ranks[1] < ranks[2] < ranks[3] < ranks[4] < ranks[5] < ranks[6], ranks
    assert simplicity(-7.0) == simplicity(7.0) and simplicity(1e5) == simplicity(1.0)


def _fails_above_one(t):
    # x ≤ 1 is false for every toy with x > 1: every move that keeps x > 1 (and the type valid) is kept
    return Evaluation.compare(t.x, "<=", 1, informative=True)


def test_generic_simplify_cuts_declared_axes_and_rounds_entries():
    inst = _toy(3, n=4, d=3)
    ev = _fails_above_one(inst)
    ce = simplify(_fails_above_one, Counterexample(inst, ev, confirm(_fails_above_one, inst), True), seconds=30)
    t = ce.instance
    assert t.X.shape == (1, 1), f"cut to {t.X.shape}, but should reach one sample of one dimension"
    assert t.x == 3.0, f"x = {t.x}: 2.718… should round to 3 (0, 1 and 2 are not violations)"
    assert np.all(t.X == 0) and np.all(t.w == 0) and np.all(t.extras["D"] == 0) and t.s == 0
    assert t.p.tolist() == [1.0] and t.extras["D"].shape == (1, 2), "p renormalised, D cut along its axis"
    assert t.extras["signs"].tolist() == [1.0, -1.0], "a FROZEN entry is never rounded"
    assert ce.confirmed and not ce.evaluation_mp.holds and ce.simplified > 0


def test_generic_simplify_keeps_only_moves_under_which_the_violation_survives():
    def fails_in_two_dims_above_2_5(t):    # holds as soon as d < 2 or x ≤ 2.5
        return Evaluation.compare(float(t.X.shape[1] >= 2 and t.x > 2.5), "<=", 0, informative=True)

    inst = _toy(4, n=3, d=3, x=4.4721)
    ce0 = Counterexample(inst, fails_in_two_dims_above_2_5(inst), confirm(fails_in_two_dims_above_2_5, inst), True)
    t = simplify(fails_in_two_dims_above_2_5, ce0, seconds=30).instance
    assert t.X.shape == (1, 2) and t.x == 4.0, (t.X.shape, t.x)


def test_a_type_declaring_nothing_is_still_rounded():
    @dataclass(frozen=True, eq=False, repr=False)
    class GenericBare(Instance):
        CODECS = {"a": ARRAY}
        a: np.ndarray

    check = lambda b: Evaluation.compare(float(np.sum(b.a)), "<=", 1, informative=True)
    inst = GenericBare(np.array([0.1257302210933933, 2.0409191213851825]))
    ce = simplify(check, Counterexample(inst, check(inst), confirm(check, inst), True), seconds=30)
    assert ce.instance.a.tolist() == [0.0, 2.0]


def test_hardt_ma_eq2_3_witness_has_short_entries_after_simplify():
    # before issue 21 the shrunk witness of (2.3) at seed 1 was x = 2.0409191213851825, R = 1,
    # A = −0.5, τ = 0.5 (ResNetPoint was never simplified); now its entries are integers
    pytest.importorskip("hardt_ma2016", reason="the second paper's package (papers/hardt_ma2016) is not installed")
    from theorems import CLAIMS
    claim = CLAIMS["hardt_ma2016.theorem2_2.eq2_3"]
    rep = search(claim.evaluate, claim.strategy(), max_examples=300, seed=1, shrink_seconds=5)
    ce = rep.counterexample
    assert ce is not None and ce.confirmed and ce.simplified > 0
    t = ce.instance
    entries = [*t.X.reshape(-1), *t.R.reshape(-1), *t.A.reshape(-1), float(t.tau)]
    assert all(float(v).is_integer() for v in entries), f"witness entries {entries} should be integers"
    assert not claim.evaluate(t, dps=60).holds


def test_simplify_rounding_is_finite_on_extreme_values():
    # rounding 1.797e308 to 1, 2 or 3 significant digits overflows to inf: never offered
    @dataclass(frozen=True, eq=False, repr=False)
    class GenericWide(Instance):
        CODECS = {"a": ARRAY}
        a: np.ndarray

    check = lambda b: Evaluation.compare(float(np.max(np.abs(b.a))), "<=", 1e307, informative=True)
    inst = GenericWide(np.array([1.7976931348623157e308, 5e-324, -1.2345678901234567e-300]))
    ce = simplify(check, Counterexample(inst, check(inst), confirm(check, inst), True), seconds=30)
    assert ce.instance.a.tolist() == [1.7976931348623157e308, 0.0, 0.0]
