"""Nightly finds are replayed later: through a local directory database, and through a Redis
server shared by several fuzzing machines (a real ``redis-server`` on loopback)."""

import shutil
import socket
import subprocess
import time
import unittest

import pytest
from hypothesis import Phase, given, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

from theorems import CLAIMS
from theorems.audit.databases import database_from_env

THM1 = CLAIMS["theorem1"]
SHARPER = THM1.controls[0]          # "Theorem 1 with its constant sharpened by 2": false


def sharper_property(database, phases, max_examples=2000):
    """The same test function each time, so Hypothesis files its finds under the same key."""
    @settings(database=database, phases=phases, max_examples=max_examples, derandomize=False)
    @given(inst=THM1.strategy())
    def theorem1_sharpened_by_2(inst):
        assert SHARPER.check(inst).holds
    return theorem1_sharpened_by_2


NIGHTLY = [Phase.generate, Phase.target]   # a find is saved as soon as it is found
REPLAY_ONLY = [Phase.reuse]           # runs nothing but what the database holds


def _find_then_replay(db_writer, db_reader, between=lambda: None):
    with pytest.raises(AssertionError):
        sharper_property(db_writer, NIGHTLY)()          # the "nightly" run finds a counterexample
    between()
    with pytest.raises(AssertionError):
        sharper_property(db_reader, REPLAY_ONLY)()      # a later run replays it from the database


def test_a_nightly_find_is_replayed_by_a_later_run_from_a_local_directory(tmp_path):
    db = DirectoryBasedExampleDatabase(str(tmp_path / "examples"))
    _find_then_replay(db, db)
    # without the database the replay-only run has nothing to run (Hypothesis skips it): the
    # failure above came from the database, not from a lucky generation
    with pytest.raises(unittest.SkipTest, match="run no test cases"):
        sharper_property(DirectoryBasedExampleDatabase(str(tmp_path / "empty")), REPLAY_ONLY)()


def test_database_from_env_builds_the_documented_databases(tmp_path):
    from hypothesis.database import MultiplexedDatabase
    local = database_from_env({"HYPOTHESIS_DATABASE": str(tmp_path)})
    assert isinstance(local, DirectoryBasedExampleDatabase)
    gh = database_from_env({"HYPOTHESIS_DATABASE": str(tmp_path), "RESNET_THEOREMS_GITHUB_DB": "octo/resnet"})
    assert isinstance(gh, MultiplexedDatabase)
    assert any(isinstance(d, ReadOnlyDatabase) for d in gh._wrapped)
    with pytest.raises(ValueError, match="owner/repo"):
        database_from_env({"RESNET_THEOREMS_GITHUB_DB": "nonsense"})


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed here (.ci/run installs it with apt-get): "
                    "the shared Redis example database cannot be tested on this machine")
    redis = pytest.importorskip("redis", reason="the 'redis' package comes with the [test] extra")
    port = _free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer PING within 5 s")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_two_machines_share_finds_through_a_real_redis_server(redis_url, tmp_path):
    # machine A (its own local directory) finds; machine B (another directory) replays via Redis
    a = database_from_env({"RESNET_THEOREMS_REDIS_URL": redis_url, "HYPOTHESIS_DATABASE": str(tmp_path / "a")})
    b = database_from_env({"RESNET_THEOREMS_REDIS_URL": redis_url, "HYPOTHESIS_DATABASE": str(tmp_path / "b")})
    def b_has_nothing_locally():
        assert not [f for f in (tmp_path / "b").rglob("*") if f.is_file()], "machine B must start empty"

    _find_then_replay(a, b, between=b_has_nothing_locally)
    import redis
    assert redis.Redis.from_url(redis_url).dbsize() > 0, "nothing was written to the shared database"
