"""README, "Audit your own paper": the guide's toy paper is written out, registered and audited as printed.

The section's code blocks whose first line is ``# file: PATH`` are written into ``tmp_path`` as a package;
its ``pyproject.toml`` block gives the entry point, which the test registers without pip (the package goes
on ``sys.path``, ``theorems.audit.loading.paper_entry_points`` returns that entry point); then every
``python -m theorems …`` line of the guide runs through ``theorems.__main__.main`` and its outcome is
asserted: the paper is listed, the claim holds and its negative control is refuted, the sharper variant is
refuted. Everything the test adds to the registries (claims, papers, load errors, instance types, modules)
is removed afterwards.
"""

from __future__ import annotations

import re
import shlex
import sys
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import theorems
from theorems.audit import loading
from theorems.contract import CLAIM_PAPERS, CLAIMS
from theorems.core import serialization

SECTION = "## Audit your own paper"
PAPER = "toy2024"


def guide_text() -> str:
    """The section from README.md; before it is pasted there, from guide.md next to this file."""
    readme = Path(theorems.__file__).resolve().parents[1] / "README.md"
    for path in (readme, Path(__file__).with_name("guide.md")):
        if path.is_file() and SECTION in path.read_text(encoding="utf-8"):
            text = path.read_text(encoding="utf-8")
            body = text[text.index(SECTION) + len(SECTION):]
            return body.split("\n## ", 1)[0]
    raise AssertionError(f"no section {SECTION!r} in {readme} (nor in guide.md beside {__file__})")


def code_blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w+)\n(.*?)^```", text, flags=re.S | re.M)


def guide_files(text: str) -> dict[str, str]:
    files = {}
    for _, body in code_blocks(text):
        m = re.match(r"# file: (\S+)\n", body)
        if m:
            files[m.group(1)] = body
    return files


def guide_commands(text: str) -> list[list[str]]:
    """The ``python -m theorems`` command lines of the guide's bash blocks, as argv lists."""
    return [shlex.split(line)[3:] for lang, body in code_blocks(text) if lang == "bash"
            for line in body.splitlines() if line.startswith("python -m theorems ")]


@pytest.fixture
def toy_paper(tmp_path, monkeypatch):
    """The guide's package under tmp_path, importable and registered as an installed paper would be."""
    text = guide_text()
    files = guide_files(text)
    assert {"toy2024/pyproject.toml", "toy2024/toy2024/__init__.py", "toy2024/toy2024/amgm.py"} <= set(files)
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body, encoding="utf-8")
    project = tomllib.loads(files["toy2024/pyproject.toml"])["project"]
    (name, value), = project["entry-points"][loading.ENTRY_POINT_GROUP].items()
    assert name == value == PAPER
    ep = EntryPoint(name=name, value=value, group=loading.ENTRY_POINT_GROUP)
    monkeypatch.syspath_prepend(str(tmp_path / "toy2024"))
    monkeypatch.setattr(loading, "paper_entry_points", lambda: [ep])
    monkeypatch.setattr(loading, "_LOADED", set(loading._LOADED))
    before = (set(CLAIMS), dict(CLAIM_PAPERS), dict(loading.LOAD_ERRORS), set(serialization._TYPES))
    try:
        loading.load_claims()        # what `python -m theorems` does when it starts
        yield text
    finally:
        claims, papers, errors, types = before
        for cid in set(CLAIMS) - claims:
            del CLAIMS[cid]
        CLAIM_PAPERS.clear()
        CLAIM_PAPERS.update(papers)
        loading.LOAD_ERRORS.clear()
        loading.LOAD_ERRORS.update(errors)
        for t in set(serialization._TYPES) - types:
            del serialization._TYPES[t]
        for mod in [m for m in sys.modules if m == PAPER or m.startswith(PAPER + ".")]:
            del sys.modules[mod]


def test_the_guide_audits_its_toy_paper_as_printed(toy_paper, capsys):
    from theorems.__main__ import main

    assert not loading.LOAD_ERRORS.get(f"paper {PAPER}"), loading.LOAD_ERRORS
    commands = guide_commands(toy_paper)
    assert [c[0] for c in commands] == ["list", "show", "audit", "refute"], commands
    outs = {}
    for argv in commands:
        assert main(argv) == 0, f"python -m theorems {shlex.join(argv)} failed: {capsys.readouterr()}"
        outs[argv[0]] = capsys.readouterr().out
    assert f"# paper {PAPER}: 1 claims" in outs["list"] and "toy2024.amgm" in outs["list"], outs["list"]
    assert "quantities (names for 'refute' expressions): mean, geo, a, b" in outs["show"], outs["show"]
    lines = outs["audit"].splitlines()
    cells = lambda line: re.split(r"\s{2,}", line.strip())          # the table's columns: 2+ spaces apart
    row = dict(zip(cells(lines[0]), cells(next(x for x in lines if x.startswith("toy2024.amgm ")))))
    assert (row["status"], row["controls refuted"]) == ("holds", "1/1"), \
        f"the claim should hold and its control be refuted:\n{outs['audit']}"
    assert "\nREFUTED: a counterexample confirmed at 60 digits" in outs["refute"], outs["refute"]


def test_the_toy_claim_honours_the_contract(toy_paper):
    """What tests/test_registry.py asks of every installed paper's claims, on the guide's claim."""
    from hypothesis.errors import InvalidArgument

    c = CLAIMS["toy2024.amgm"]
    assert CLAIM_PAPERS[c.id] == PAPER and c.controls and c.filters() == {"max_value": 1e6}
    ev = c.evaluate(c.example())
    assert ev.holds and c.source in ev.message() and ev.label and ev.informative
    assert all(ev.quantities[q] is not None for q in c.quantities)
    assert c.evaluate(c.example(), dps=60).precision == "mp60"
    with pytest.raises(InvalidArgument, match="accepted: max_value"):
        c.strategy(not_a_filter=1)
    with pytest.raises(ValueError, match="argument 'a'"):
        type(c.example())(-1.0, 2.0)
