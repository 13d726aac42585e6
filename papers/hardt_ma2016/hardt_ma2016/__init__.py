"""Hardt & Ma (2016), *Identity Matters in Deep Learning* (arXiv:1611.04231, ICLR 2017), Section 2 —
the optimization landscape of linear residual networks — as executable claims for resnet-theorems.

Importing this package registers its claims (ids ``hardt_ma2016.*``) in ``theorems.contract.CLAIMS``;
the entry point ``resnet_theorems.papers: hardt_ma2016`` names it. Layers inside the package:
``model`` (mathematics, float64 + mpmath) → ``instances`` → ``strategies`` → ``quantities`` → the claim
modules (one per result, none importing another).
"""

from . import (  # noqa: F401 - imported to register their claims
    claim2_3,
    eq2_1,
    introduction,
    lemma2_4,
    proof_theorem2_2,
    shamir_citation,
    theorem2_1,
    theorem2_2,
)

PAPER = "hardt_ma2016"
