"""Every command and code block of the README's reviewer walkthrough runs, as written, in a fresh
directory (so the walkthrough cannot rot)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from theorems.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def _blocks():
    text = (ROOT / "README.md").read_text()
    body = text.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    return re.findall(r"```(bash|python)\n(.*?)```", body, flags=re.S)


def test_the_walkthrough_has_commands_and_code():
    kinds = [k for k, _ in _blocks()]
    assert kinds.count("bash") >= 3 and kinds.count("python") >= 2


def test_every_walkthrough_step_runs(tmp_path, monkeypatch, capsys):
    # the commands run in-process through the CLI's main() (the same code `python -m theorems`
    # runs; test_cli.py checks the entry point itself), in a fresh directory
    monkeypatch.chdir(tmp_path)
    for kind, code in _blocks():
        if kind == "bash":
            for line in code.strip().splitlines():
                argv = shlex.split(line)
                assert argv[:3] == ["python", "-m", "theorems"], line
                code_ = main(argv[3:])
                out = capsys.readouterr()
                assert code_ == 0, f"{line}\n{out.out}\n{out.err}"
                if argv[3] == "refute":
                    assert "REFUTED" in out.out and "confirmed at 60 digits" in out.out, out.out
        else:
            exec(compile(code, "README walkthrough", "exec"), {"__name__": "__walkthrough__"})
