"""`python -m theorems list | audit | replay`: the reviewer's entry points."""

import json
import subprocess
import sys

from theorems import CLAIMS
from theorems.__main__ import main


def test_list_prints_every_claim_with_source_and_kind(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for cid, c in CLAIMS.items():
        assert cid in out and c.source in out


def test_audit_writes_the_documented_json_schema(tmp_path, capsys):
    path = tmp_path / "audit.json"
    # a statement (with a tightest instance) and a proof step (without one) whose negative controls are
    # refuted in ~0.1 s and ~0.6 s (lemma1.eq5's took 2 s, for the same schema)
    assert main(["audit", "--claims", "theorem1,gradients.eq3", "--max-examples", "10", "--seed", "1",
                 "--jobs", "1", "--no-polish", "--no-necessity", "--json", str(path)]) == 0
    table = capsys.readouterr().out
    assert "theorem1" in table and "holds" in table
    data = json.loads(path.read_text())
    assert data["seed"] == 1 and "hypothesis" in data["versions"]
    assert [c["id"] for c in data["claims"]] == ["theorem1", "gradients.eq3"]
    assert data["claims"][1]["tightest"] is None           # the proof step's branch of the schema
    for c in data["claims"]:
        assert {"id", "source", "statement", "kind", "status", "examples", "tightest", "counterexample"} <= set(c)
        assert c["status"] in ("holds", "refuted", "inconclusive", "vacuous") and c["examples"] == 10
        assert all(x["refuted"] for x in c["controls"])
    t = data["claims"][0]["tightest"]
    assert 0 <= t["ratio"] <= 1 + 1e-9 and t["instance"]["type"] == "Point"


def test_replay_re_evaluates_a_saved_instance(tmp_path, capsys):
    inst = CLAIMS["theorem1"].example()
    path = tmp_path / "inst.json"
    path.write_text(json.dumps({"instance": inst.to_json()}))
    assert main(["replay", "theorem1", str(path)]) == 0
    out = capsys.readouterr().out
    assert "float64:" in out and "60 digits:" in out and "holds" in out


def test_unknown_claim_is_a_clear_error(capsys):
    assert main(["audit", "--claims", "theorem42"]) == 2
    err = capsys.readouterr().err
    assert "unknown claim id" in err and "Traceback" not in err


def test_module_entry_point_runs():
    r = subprocess.run([sys.executable, "-m", "theorems", "list"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "theorem1" in r.stdout
