"""The coverage maps (issue 22): every statement-bearing location of each installed paper names the claims
that test it or says why none does, and the check that guards the maps can fail."""

from dataclasses import replace

import pytest

from theorems import CLAIMS, load_claims
from theorems.__main__ import main
from theorems.audit.coverage import Coverage, Entry, check, load_coverage
from theorems.contract import REFERENCE_PAPER, paper_of, papers

MAX_SAYS = 160          # the map's format: 'says' is a short quote
PENDING = "pending: being encoded (issue 22)"


@pytest.fixture(scope="module")
def maps() -> dict[str, Coverage]:
    load_claims()       # the check compares against the registry: it must be complete first
    return {paper: load_coverage(paper) for paper in papers()}


def test_every_installed_paper_ships_a_map_without_problems(maps):
    assert REFERENCE_PAPER in maps and len(maps) == len(papers())
    for paper, cov in maps.items():
        assert cov.entries, f"{paper}: empty coverage map"
        assert cov.problems == [], f"{paper}: {cov.problems}"
        assert check(cov) == [], f"{paper}: the stored problems and a fresh check disagree"


def test_every_entry_is_well_formed(maps):
    """One location per entry, a short quote, and either claims or a reason (never both: a pending
    reason is replaced by the ids once the claim exists)."""
    for paper, cov in maps.items():
        locations = [e.location for e in cov.entries]
        assert len(set(locations)) == len(locations), f"{paper}: a location appears twice"
        for e in cov.entries:
            assert e.location.strip() and e.says.strip(), f"{paper}: {e}"
            assert len(e.says) <= MAX_SAYS, f"{paper}, {e.location}: 'says' longer than {MAX_SAYS} characters"
            assert bool(e.claims) != bool(e.reason.strip()), f"{paper}, {e.location}: needs claims xor a reason"
            assert len(set(e.claims)) == len(e.claims), f"{paper}, {e.location}: a claim id named twice"


def test_every_registered_claim_is_named_by_its_own_paper_map(maps):
    for cid in CLAIMS:
        cov = maps[paper_of(cid)]
        assert any(cid in e.claims for e in cov.entries), f"{cid} is in no entry of {cov.source}"


def _reference(maps) -> Coverage:
    cov = maps[REFERENCE_PAPER]
    return Coverage(cov.paper, "test", list(cov.entries))


def _with(cov: Coverage, *extra: Entry) -> Coverage:
    return replace(cov, entries=cov.entries + list(extra), problems=[])


def test_an_unknown_claim_id_is_a_problem(maps):
    problems = check(_with(_reference(maps), Entry("Sec. 9", "made up", ("theorem99",))))
    assert problems == ["Sec. 9: claim id 'theorem99' is not registered"]


def test_a_claim_id_of_another_paper_is_a_problem(maps):
    foreign = sorted(c for c in CLAIMS if paper_of(c) != REFERENCE_PAPER)
    if not foreign:
        pytest.skip("only the reference paper is installed")
    problems = check(_with(_reference(maps), Entry("Sec. 1", "a citation", (foreign[0],))))
    assert problems == [f"Sec. 1: claim id {foreign[0]!r} belongs to paper {paper_of(foreign[0])!r}"]


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_entry_with_neither_claims_nor_reason_is_a_problem(maps, reason):
    problems = check(_with(_reference(maps), Entry("Sec. 2", "F is not convex", (), reason)))
    assert len(problems) == 1 and "neither a claim nor a reason" in problems[0] and problems[0].startswith("Sec. 2")


def test_a_registered_claim_that_no_entry_names_is_a_problem(maps):
    cov = _reference(maps)
    dropped = [replace(e, claims=tuple(c for c in e.claims if c != "theorem1"), reason=e.reason or "dropped")
               for e in cov.entries]
    problems = check(replace(cov, entries=dropped))
    assert problems == ["claim 'theorem1' is registered but no entry of the map names it"]


def test_the_cli_summary_exits_0_and_prints_the_counts(maps, capsys):
    assert main(["coverage", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "PROBLEM" not in out
    for paper, cov in maps.items():
        n = cov.counts
        assert (f"# {paper}: {n['locations']} statement-bearing locations, {n['with a claim']} with a claim, "
                f"{n['with a reason']} with a reason ({n['claims mapped']} claim ids mapped; {cov.source})") in out
        assert n["locations"] == n["with a claim"] + n["with a reason"] > 0
    assert out.count("\n") == len(maps), "--summary prints one line per paper and no entries"


def test_pending_entries_carry_the_exact_marker(maps):
    """A pending statement is spelled one way, so the lead can find every one with grep."""
    for cov in maps.values():
        for e in cov.entries:
            if "pending" in e.reason:
                assert e.reason == PENDING, f"{e.location}: {e.reason!r}"
