"""Tests of the strategies themselves: validity by construction, diversity, argument validation."""

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import strategies as S
from strategies.model import CORNERS, FEATURE_KINDS, LOSS_NAMES
from tests.support import scaled
from theorems.model import losses as L


def _draws(strategy, n=300, seed=0):
    out = []

    @settings(max_examples=n, database=None, derandomize=False)
    @given(strategy)
    def collect(x):
        out.append(x)

    from hypothesis import seed as hseed
    hseed(seed)(collect)()
    return out


@settings(max_examples=scaled(50))
@given(loss=S.losses(), p=st.floats(-50, 50), y=st.sampled_from([-1.0, 1.0]))
def test_every_generated_loss_is_convex_and_has_consistent_derivatives(loss, p, y):
    P, Y = np.array([p]), np.array([y])
    assert loss.d2(P, Y)[0] >= 0, f"{loss.name}: ℓ''({p}) < 0, but generated losses must be convex"
    h = 1e-6 * (1 + abs(p))
    num = (loss.value(P + h, Y) - loss.value(P - h, Y)) / (2 * h)
    assert abs(num[0] - loss.d1(P, Y)[0]) <= 1e-5 * (1 + abs(num[0]) + abs(loss.value(P, Y)[0]))


@settings(max_examples=scaled(50))
@given(inst=S.points())
def test_generated_points_are_valid_and_finite(inst):
    s = inst.sample
    assert abs(s.p.sum() - 1) < 1e-12 and np.all(s.p >= 0)
    for a in (s.X, s.y, s.Phi, inst.w, inst.V, inst.w_star):
        assert np.all(np.isfinite(a))
    q = (s.X + s.Phi @ inst.V.T) @ inst.w
    assert np.all(np.isfinite(inst.loss.value(q, s.y))), "the loss must be finite at the generated point"


@settings(max_examples=scaled(50))
@given(inst=S.nonzero_w_points())
def test_nonzero_w_points_have_w_nonzero_by_construction(inst):
    assert np.any(inst.w != 0)


@settings(max_examples=scaled(50))
@given(inst=S.zero_w_points())
def test_zero_w_points_have_w_zero(inst):
    assert not np.any(inst.w)


def test_points_are_diverse_losses_features_dims_corners_and_magnitudes():
    # two seeds: Hypothesis seeds its choices with constants collected from the loaded modules, so
    # one seed's stream changes whenever a module is added (seed 0 once drew no 'w_star=0' corner)
    draws = _draws(S.points(), n=200, seed=0) + _draws(S.points(), n=200, seed=1)
    kinds = Counter(i.meta["feature_map"].split("[")[0] for i in draws)
    corners = Counter(i.meta["corner"] for i in draws)
    names = Counter(n for i in draws for n in L.names() if n in i.loss.name)
    dims = Counter((i.sample.n, i.sample.d) for i in draws)
    assert set(kinds) == set(FEATURE_KINDS), f"feature kinds never drawn: {set(FEATURE_KINDS) - set(kinds)}"
    assert set(corners) == set(CORNERS), f"corners never drawn: {set(CORNERS) - set(corners)}"
    assert set(names) == set(LOSS_NAMES), f"losses never drawn: {set(LOSS_NAMES) - set(names)}"
    assert len(dims) >= 15, "too few distinct (n, d) pairs"
    mags = np.array([np.log10(np.max(np.abs(i.sample.X))) for i in draws if np.any(i.sample.X)])
    assert mags.max() - mags.min() >= 4, "X magnitudes do not spread over several orders"
    assert any(np.linalg.matrix_rank(i.sample.Phi) < min(i.sample.Phi.shape) for i in draws), \
        "no rank-deficient feature matrices drawn"
    assert any(i.loss.spec["name"] in ("combination", "affine") for i in draws)


def test_scaled_arrays_spread_over_orders_within_the_documented_range():
    draws = _draws(S.scaled_arrays((5,), min_exp=-3, max_exp=3), n=300)
    allv = np.abs(np.concatenate(draws))
    assert allv.max() <= 1e3
    nz = allv[allv > 0]
    assert np.log10(nz.max()) - np.log10(nz.min()) >= 5


BAD_CALLS = [
    (S.dims, dict(min_value=0), "min_value=0"),
    (S.dims, dict(min_value=3, max_value=2), "min_value=3 must be <= max_value=2"),
    (S.scaled_arrays, dict(shape=(2, -1)), "shape="),
    (S.scaled_arrays, dict(shape=(2,), min_exp=2, max_exp=1), "min_exp=2 must be <= max_exp=1"),
    (S.probability_vectors, dict(n=0), "n=0"),
    (S.losses, dict(names=["hinge"]), "names=['hinge']"),
    (S.losses, dict(names="squared"), "names='squared'"),
    (S.points, dict(w="positive"), "w='positive'"),
    (S.points, dict(max_n=0), "max_n=0"),
    (S.points, dict(corners=["nowhere"]), "corners=['nowhere']"),
    (S.feature_maps, dict(d=2, max_depth=7), "max_depth=7"),
    (S.nonzero_w_points, dict(w="zero"), "w= is fixed"),
]


@pytest.mark.parametrize("fn,kw,msg", BAD_CALLS, ids=[m for *_, m in BAD_CALLS])
def test_bad_strategy_arguments_raise_invalid_argument_naming_the_argument(fn, kw, msg):
    with pytest.raises(InvalidArgument, match=msg.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        kw = dict(kw)
        args = (kw.pop("shape"),) if "shape" in kw else ()
        args = (kw.pop("n"),) if "n" in kw else args
        fn(*args, **kw).validate()


# ---- three choices per array; simple values first in the shrink order (issues 14 and 15) -----

@pytest.mark.parametrize("style", ["zero", "quarters, sparse", "quarters", "dyadic", "generic, sparse", "generic"])
def test_expand_array_styles_have_their_defining_property(style):
    from strategies.core import expand_array
    for seed in range(20):
        a = expand_array(style, seed, (3, 4), 2, jitter=1)
        assert a.shape == (3, 4) and np.all(np.isfinite(a)) and np.all(np.abs(a) <= 10.0 ** 3)
        m = a / 100.0
        if style == "zero":
            assert not np.any(a)
        elif style.startswith("quarters"):
            assert np.all(m * 4 == np.round(m * 4)), f"{style}: entries {m} not multiples of 1/4"
        elif style == "dyadic":
            assert np.all(m * 1024 == np.round(m * 1024))
    assert np.array_equal(expand_array("generic", 7, (5,), 0), expand_array("generic", 7, (5,), 0)), \
        "the same (style, seed) must expand to the same array (replay from the database)"


def test_an_array_costs_a_fixed_number_of_choices_whatever_its_shape():
    from hypothesis.control import BuildContext
    from hypothesis.internal.conjecture.data import ConjectureData
    for style_free_shape in ((1,), (6, 6)):
        data = ConjectureData.for_choices([0, 5, 123])      # E = 0, style "generic", seed 123
        with BuildContext(data, wrapped_test=None):
            a = data.draw(S.scaled_arrays(style_free_shape, allow_sparse=True))
        assert a.shape == style_free_shape and len(data.choices) == 3


def test_minimal_examples_are_simple_values_not_tiny_or_subnormal_floats():
    from hypothesis import find
    a = find(S.scaled_arrays((3,)), lambda a: np.any(a))
    assert set(np.abs(a[a != 0]) * 4) <= {1.0, 2.0, 3.0, 4.0}, f"minimal non-zero array {a} is not dyadic k/4"
    x = find(S.scaled_floats(), lambda x: x != 0)
    assert abs(x) in (1.0, 0.5, 0.25, 0.75, 0.125), f"minimal non-zero scaled float {x!r} is not simple"
    loss = find(S.losses(), lambda loss: loss.spec["name"] == "affine" and loss.spec.get("c", 0) != 0)
    assert abs(loss.spec["c"]) >= 2**-10, f"affine offset {loss.spec['c']!r}: subnormal or tiny, should be simple"


# ---------------------------------------------------------------- batched examples (issue 14)

def _choices_and_value(strategy, seed):
    """Draw from ``strategy`` with a random ConjectureData; its choices and value."""
    import random

    from hypothesis.control import BuildContext
    from hypothesis.internal.conjecture.data import ConjectureData
    data = ConjectureData(random=random.Random(seed))
    with BuildContext(data, wrapped_test=None):
        value = data.draw(strategy)
    return list(data.choices), value


def _replay(strategy, choices):
    from hypothesis.control import BuildContext
    from hypothesis.internal.conjecture.data import ConjectureData
    data = ConjectureData.for_choices(choices)
    with BuildContext(data, wrapped_test=None):
        return data.draw(strategy)


def _same_point(a, b):
    return all(np.array_equal(getattr(a.sample, n), getattr(b.sample, n)) for n in ("X", "y", "p", "Phi")) and \
        np.array_equal(a.w, b.w) and np.array_equal(a.V, b.V) and np.array_equal(a.w_star, b.w_star) and \
        a.loss.spec == b.loss.spec and a.meta == b.meta


@pytest.mark.parametrize("cid", ["theorem1", "lemma1", "theorem2"])
def test_a_batch_member_0_is_the_unbatched_draw_and_seed_0_is_that_draw_alone(cid):
    from strategies.batches import batched
    from theorems import CLAIMS
    strategy = CLAIMS[cid].strategy()
    from hypothesis.errors import StopTest, UnsatisfiedAssumption
    for seed in range(scaled(12)):
        try:
            choices, point = _choices_and_value(strategy, seed)
        except (StopTest, UnsatisfiedAssumption):    # (a draw Hypothesis would discard: nothing to compare)
            continue
        alone = _replay(batched(strategy, 8), choices + [0])
        assert len(alone) == 1 and _same_point(alone.members[0], point), \
            f"seed {seed}: a batch with batch seed 0 is not the unbatched draw {point.describe()}"
        full = _replay(batched(strategy, 8), choices + [12345])
        assert _same_point(full.members[0], point) and 1 <= len(full) <= 8


@settings(max_examples=scaled(40), deadline=None)
@given(st.data())
def test_batch_members_share_the_structure_and_meet_the_claims_hypotheses(data):
    from strategies.batches import batched
    from theorems import CLAIMS
    batch = data.draw(batched(CLAIMS["theorem1"].strategy(), 8))
    first = batch.members[0]
    serialized = set()
    for m in batch.members:
        assert (m.sample.n, m.sample.d, m.sample.k) == (first.sample.n, first.sample.d, first.sample.k)
        assert m.loss.spec == first.loss.spec and m.meta == first.meta, "a batch is all from one corner"
        assert np.any(m.w), "Theorem 1's instances have w ≠ 0 by construction"
        # the whole instance, exactly (members may differ in p or Φ alone: found by nightly shard 6/8,
        # where a fingerprint of X, y, w, V, w* alone saw 3 of 8 distinct members)
        serialized.add(json.dumps(m.to_json(), sort_keys=True))
    assert len(serialized) == len(batch), f"a batch's members are distinct instances: {len(serialized)} of {len(batch)}"


@settings(max_examples=scaled(30), deadline=None)
@given(st.data())
def test_theorem2_batches_keep_w_zero_and_a_nonzero_w_star_in_every_family(data):
    from strategies.batches import batched
    from theorems import CLAIMS
    batch = data.draw(batched(CLAIMS["theorem2"].strategy(), 8))
    for m in batch.members:
        assert not np.any(m.w) and np.any(m.w_star), f"member {m.describe()} of {batch.members[0].meta}"


def test_unmarked_strategies_are_not_batched_by_the_engine():
    from strategies.batches import marked
    from theorems import CLAIMS
    assert marked(CLAIMS["theorem1"].strategy()) and marked(CLAIMS["lemma1"].strategy())
    assert not marked(S.nonzero_w_points()), "batching is a claim's opt-in, not a property of points()"
