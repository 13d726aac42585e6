"""Hypothesis profiles for the three ways the suite runs (DESIGN.md).

- ``dev`` (default): 200 examples per property, random seeds, local example database.
- ``ci``: derandomized, no database, 200 examples. Registered under the name ``ci`` on purpose:
  Hypothesis auto-loads a profile called ``ci`` when the ``CI`` environment variable is set
  (our .ci/run sets CI=true), so ours replaces its built-in one.
- ``nightly``: large budget (20,000 examples), random seeds, a persistent directory database
  (``HYPOTHESIS_DATABASE`` or ``.hypothesis/examples``) so anything found is replayed later.

Select with ``pytest --hypothesis-profile=NAME`` (or HYPOTHESIS_PROFILE=NAME).
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.filter_too_much])
settings.register_profile("dev", max_examples=200, **_common)
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, print_blob=True, **_common)
settings.register_profile(
    "nightly", max_examples=20_000, print_blob=True,
    database=DirectoryBasedExampleDatabase(os.environ.get("HYPOTHESIS_DATABASE", ".hypothesis/examples")),
    **_common)
_default = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))
