"""Example databases for nightly fuzzing and for sharing finds between machines.

``database_from_env(profile)`` picks the Hypothesis example database from the environment:

- ``RESNET_THEOREMS_REDIS_URL=redis://host:6379/0``: every machine of a fuzzing fleet reads and
  writes one shared ``RedisExampleDatabase`` (needs the ``redis`` package); a local directory
  database is kept too, so a machine still replays its own finds when Redis is down.
- ``RESNET_THEOREMS_GITHUB_DB=owner/repo`` (with ``GITHUB_TOKEN``): developers replay the nightly
  job's finds, read-only: ``MultiplexedDatabase(local, ReadOnlyDatabase(GitHubArtifactDatabase(
  owner, repo, artifact_name="hypothesis-example-db")))`` — the pattern of Hypothesis's docs.
- otherwise a ``DirectoryBasedExampleDatabase`` at ``$HYPOTHESIS_DATABASE`` or
  ``.hypothesis/examples`` (what the nightly workflow uploads as an artifact).
"""

from __future__ import annotations

import os

from hypothesis.database import (
    DirectoryBasedExampleDatabase,
    GitHubArtifactDatabase,
    MultiplexedDatabase,
    ReadOnlyDatabase,
)

__all__ = ["database_from_env", "ARTIFACT_NAME"]

ARTIFACT_NAME = "hypothesis-example-db"


def database_from_env(env=None):
    env = os.environ if env is None else env
    local = DirectoryBasedExampleDatabase(env.get("HYPOTHESIS_DATABASE", ".hypothesis/examples"))
    url = env.get("RESNET_THEOREMS_REDIS_URL")
    if url:
        import redis
        from hypothesis.extra.redis import RedisExampleDatabase

        return MultiplexedDatabase(local, RedisExampleDatabase(redis.Redis.from_url(url)))
    gh = env.get("RESNET_THEOREMS_GITHUB_DB")
    if gh:
        if gh.count("/") != 1:
            raise ValueError(f"RESNET_THEOREMS_GITHUB_DB={gh!r}: expected 'owner/repo'")
        owner, repo = gh.split("/")
        return MultiplexedDatabase(local, ReadOnlyDatabase(
            GitHubArtifactDatabase(owner, repo, artifact_name=ARTIFACT_NAME)))
    return local
