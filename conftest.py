"""Hypothesis profiles for the three ways the suite runs (per change, CI, nightly fuzzing).

- ``dev`` (default): 200 examples per property, random seeds, local example database.
- ``ci``: derandomized, no database, 200 examples. Registered under the name ``ci`` on purpose:
  Hypothesis auto-loads a profile called ``ci`` when the ``CI`` environment variable is set
  (our .ci/run sets CI=true), so ours replaces its built-in one.
- ``nightly``: large budget (20,000 examples), random seeds, a persistent database (see
  ``theorems/audit/databases.py``: ``$HYPOTHESIS_DATABASE`` or ``.hypothesis/examples``; Redis via
  ``RESNET_THEOREMS_REDIS_URL``; the nightly artifact via ``RESNET_THEOREMS_GITHUB_DB``), so
  anything found is replayed by every later run.

Select with ``pytest --hypothesis-profile=NAME`` (or HYPOTHESIS_PROFILE=NAME).

Sharding (the nightly job over a GitHub Actions matrix, or a fleet of machines):
``RESNET_THEOREMS_SHARD=i/N`` keeps the tests whose position in the sorted list of collected test
ids is ≡ i (mod N), i ∈ [0, N). Every shard runs a disjoint part; together they run everything.
The shards' example databases are merged afterwards (a directory database is a set of files: the
union of the directories is the merged database), so every find is replayed by the next run.
"""

import os

# One BLAS thread per process, set before numpy is first imported (here, before any test module;
# xdist workers and the CLI subprocesses inherit it). The suite's matrices are at most 6 x 6: a
# multi-threaded OpenBLAS trsm on a 2 x 3 right-hand side (scipy.linalg.solve_triangular, used by
# theorems.model.vector.linalg.right_inverse) costs ~8 ms of CPU against 0.03 ms on one thread,
# and two xdist workers each waking two BLAS threads oversubscribe a 2-core machine. setdefault:
# an explicit OPENBLAS_NUM_THREADS from the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from hypothesis import HealthCheck, settings

from theorems.audit.databases import database_from_env

_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.filter_too_much])
settings.register_profile("dev", max_examples=200, database=database_from_env(), **_common)
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, print_blob=True, **_common)
# dev and nightly read finds back from the database chosen by the environment (local directory;
# the nightly job's artifact via GitHub; or a Redis server shared by a fuzzing fleet)
settings.register_profile("nightly", max_examples=20_000, print_blob=True, database=database_from_env(),
                          **_common)
_default = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


def _shard():
    spec = os.environ.get("RESNET_THEOREMS_SHARD")
    if not spec:
        return None
    try:
        i, n = (int(x) for x in spec.split("/"))
    except ValueError:
        raise ValueError(f"RESNET_THEOREMS_SHARD={spec!r} must be 'i/N' with 0 <= i < N") from None
    if not 0 <= i < n:
        raise ValueError(f"RESNET_THEOREMS_SHARD={spec!r} must be 'i/N' with 0 <= i < N")
    return i, n


def select_shard(nodeids, i, n):
    """The test ids of shard i of n: every n-th of the sorted ids, starting at the i-th."""
    return set(sorted(nodeids)[i::n])


def pytest_collection_modifyitems(config, items):
    shard = _shard()
    if shard is None:
        return
    keep = select_shard([it.nodeid for it in items], *shard)
    deselected = [it for it in items if it.nodeid not in keep]
    items[:] = [it for it in items if it.nodeid in keep]
    config.hook.pytest_deselected(items=deselected)


def pytest_configure(config):
    # xdist's default "load" scheduling hands out tests in fixed chunks; our tests vary from
    # milliseconds to seconds, so let idle workers steal queued tests instead
    if getattr(config.option, "dist", None) == "load":
        config.option.dist = "worksteal"
