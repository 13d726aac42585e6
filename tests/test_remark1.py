"""Remark 1 (Sec. 2): a biased predictor equals an augmented unbiased one."""

import numpy as np
import pytest
from hypothesis import given

from theorems import CLAIMS
from theorems.remark1 import augment
from tests.support import check_claim, check_control

R1 = CLAIMS["remark1"]


@given(inst=R1.strategy())
def test_biased_predictor_equals_augmented_unbiased_predictor(inst):
    ev = check_claim(R1, inst)
    # equal predictions give equal objectives
    q = ev.quantities
    assert abs(float(q["F_biased"]) - float(q["F_augmented"])) <= 1e-9 * (1 + abs(float(q["F_biased"]))) or \
        R1.evaluate(inst, dps=60).holds


def test_augmentation_has_the_stated_shape():
    inst = R1.example()
    s, wt, Vt = augment(inst)
    assert s.X.shape == (inst.sample.n, inst.sample.d + 1) and np.all(s.X[:, -1] == 1)
    assert s.Phi.shape == (inst.sample.n, inst.sample.k + 1) and np.all(s.Phi[:, -1] == 1)
    assert Vt.shape == (inst.sample.d + 1, inst.sample.k + 1) and np.all(Vt[-1] == 0)
    assert wt[-1] == inst.extras["a0"][0]


@pytest.mark.control
@pytest.mark.parametrize("variant", R1.controls, ids=lambda v: v.name)
def test_negative_control_is_refuted_with_a_confirmed_shrunk_counterexample(variant):
    check_control(R1, variant)
