"""The architecture is checked, not just described: import-linter's contracts (pyproject.toml),
no import cycle among the project's modules (imports inside functions included), and every claim
module named in the layers contract."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

from theorems.audit import claim_modules

ROOT = Path(__file__).resolve().parents[2]


def _graph():
    return grimp.build_graph("theorems", "strategies", cache_dir=None)


def strongly_connected_components(graph) -> list[set[str]]:
    """Tarjan's algorithm over the module import graph (iterative, so deep chains are fine)."""
    index, low, on_stack, stack, comps, counter = {}, {}, set(), [], [], [0]
    succ = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    for root in sorted(succ):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = set()
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        comp.add(m)
                        if m == node:
                            break
                    comps.append(comp)
            elif nxt not in index:
                index[nxt] = low[nxt] = counter[0]
                counter[0] += 1
                stack.append(nxt)
                on_stack.add(nxt)
                work.append((nxt, iter(succ[nxt])))
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
    return comps


def test_import_linter_contracts_hold():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    assert code == 0, "lint-imports found an import against the layers (its report is printed above)"


def test_no_import_cycles():
    graph = _graph()
    cycles = [sorted(c) for c in strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"{len(cycles)} import cycle(s) among the project's modules: {cycles}"


def test_cycle_finder_finds_a_cycle():
    # the check above must be able to fail: a graph with a -> b -> a has one cycle
    g = grimp.ImportGraph()
    for m in ("a", "b", "c"):
        g.add_module(m)
    g.add_import(importer="a", imported="b")
    g.add_import(importer="b", imported="a")
    g.add_import(importer="b", imported="c")
    assert [sorted(c) for c in strongly_connected_components(g) if len(c) > 1] == [["a", "b"]]


def test_every_claim_module_is_a_sibling_in_the_layers_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    siblings = next(layer for layer in layers if "|" in layer)
    named = {m.strip("() \n") for m in re.split(r"\|", siblings)}
    assert set(claim_modules()) <= named, (
        f"claim modules missing from pyproject.toml's layers contract: {sorted(set(claim_modules()) - named)}")


@pytest.mark.parametrize("module", ["theorems.model", "strategies"])
def test_lower_layers_import_nothing_above(module):
    graph = _graph()
    above = {"theorems.contract", "theorems.audit", "theorems.__main__"}
    if module == "theorems.model":
        above |= {"strategies"}
    bad = []
    for m in graph.find_descendants(module) | {module}:
        for imported in graph.find_modules_directly_imported_by(m):
            if any(imported == a or imported.startswith(a + ".") for a in above):
                bad.append(f"{m} -> {imported}")
            elif (imported.startswith("theorems.") and not imported.startswith("theorems.model")
                  and not imported.startswith("theorems.core")):       # the engine's core is below every layer
                bad.append(f"{m} -> {imported} (a claim module)")
    assert not bad, f"{module} imports from the layers above it: {bad}"


def _engine_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == "the engine knows no paper")


def test_the_engine_contract_forbids_every_paper_module():
    # a new model, strategy or claim module of Shamir's is forbidden to the engine as soon as it exists
    import pkgutil

    import strategies
    import theorems.model

    contract = _engine_contract()
    engine, forbidden = set(contract["source_modules"]), set(contract["forbidden_modules"])
    paper = {f"theorems.model.{m.name}" for m in pkgutil.iter_modules(theorems.model.__path__)}
    paper |= {f"strategies.{m.name}" for m in pkgutil.iter_modules(strategies.__path__)}
    paper |= set(claim_modules()) - {"theorems.__main__"}
    missing = sorted(paper - engine - forbidden)
    assert not missing, f"paper modules the engine contract does not forbid: {missing}"


def test_importing_the_engine_loads_no_paper_module():
    # import-linter reads import statements; this checks what actually runs (package __init__s included)
    import subprocess
    import sys

    contract = _engine_contract()
    code = ("import sys\n" + "".join(f"import {m}\n" for m in contract["source_modules"]) +
            "print('\\n'.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                cwd=ROOT).stdout.split())
    leaked = sorted(loaded & set(contract["forbidden_modules"]))
    assert not leaked, f"importing the engine loaded paper modules: {leaked}"
