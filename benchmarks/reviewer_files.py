"""How many of the project's files a reviewer must read to check a claim's predicate against the
paper: the files whose code runs while the claim evaluates its example, in float64 and at 60
digits (traced with sys.setprofile, so nothing is guessed from imports).

    python benchmarks/reviewer_files.py theorem1 theorem2 theorem4
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def files_run_by(claim_id: str) -> list[str]:
    from theorems import CLAIMS

    claim = CLAIMS[claim_id]
    inst = claim.example()
    seen: set[str] = set()

    def prof(frame, event, arg):
        if event == "call":
            f = frame.f_code.co_filename
            if f.startswith(str(ROOT)) and "/tests/" not in f and "/benchmarks/" not in f:
                seen.add(str(Path(f).relative_to(ROOT)))

    sys.setprofile(prof)
    try:
        claim.evaluate(inst)
        claim.evaluate(inst, dps=60)
    finally:
        sys.setprofile(None)
    return sorted(seen)


if __name__ == "__main__":
    for cid in sys.argv[1:] or ["theorem1", "theorem2", "theorem4"]:
        files = files_run_by(cid)
        print(f"{cid}: {len(files)} files: {', '.join(files)}")
