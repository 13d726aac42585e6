"""The audit: search every claim, polish its tightest instances, run its negative controls.

``audit_claim(claim, ...)`` returns a JSON-ready dict (the schema of ``python -m theorems audit
--json``); ``run_audit(ids, ...)`` does it for many claims and adds the seed and versions.
"""

from __future__ import annotations

import platform
import sys
import time

from theorems.contract import CLAIMS, Claim

from .engine import DEFAULT_DPS, polish, search
from .loading import load_claims
from .necessity import run_necessity

__all__ = ["audit_claim", "run_audit", "versions", "status_of", "is_vacuous", "CONTROL_SHRINK_SECONDS",
           "VACUOUS_MIN"]

CONTROL_SHRINK_SECONDS = 2.0


def versions() -> dict:
    import hypothesis
    import mpmath
    import numpy
    import scipy
    import sympy

    from theorems._version import __version__ as ours

    return {"resnet-theorems": ours, "python": platform.python_version(), "hypothesis": hypothesis.__version__,
            "numpy": numpy.__version__, "scipy": scipy.__version__, "sympy": sympy.__version__,
            "mpmath": mpmath.__version__}


def _inst_json(inst):
    return inst.to_json() if hasattr(inst, "to_json") else repr(inst)


# a claim holds only on enough informative examples: at least half of its valid ones, and at least
# VACUOUS_MIN of them at the default budget (scaled down for a smaller budget)
VACUOUS_MIN = 100


def is_vacuous(claim: Claim, rep, max_examples: int) -> bool:
    if claim.exhaustive or claim.kind == "open-question":
        return False
    need = min(VACUOUS_MIN, max_examples / 2)
    return rep.informative < rep.examples / 2 or rep.informative < need


def status_of(claim: Claim, rep, max_examples: int = 200) -> str:
    if rep.counterexample is not None and rep.counterexample.confirmed:
        return "refuted"
    if claim.kind == "open-question" or rep.examples == 0:
        return "inconclusive"
    if any(rep.hypotheses.get(h, 0) == 0 for h in claim.hypotheses):
        return "inconclusive"      # a claim whose hypotheses never held has not passed
    if is_vacuous(claim, rep, max_examples):
        return "vacuous"           # no counterexample, but too few instances where it could have failed
    return "holds"


def _ratio_mp(claim, inst):
    ev = claim.evaluate(inst, dps=DEFAULT_DPS)
    return None if ev.ratio is None else float(ev.ratio)


def audit_claim(claim: Claim, *, max_examples: int = 200, seed: int = 0, do_polish: bool = True,
                controls: bool = True, polish_iter: int = 600, polish_seconds: float = 8.0,
                necessity: bool = True) -> dict:
    t0 = time.perf_counter()
    out = claim.to_json()
    out.update(status="inconclusive", examples=0, discarded=0, hypotheses={}, seconds=0.0, tightest=None,
               counterexample=None, artifacts=0, controls=[], error=None, erratum=claim.erratum,
               informative=0, not_tested=0, raised=0, first_raised=None, necessity=None)
    try:
        volume, check = {}, claim.evaluate
        if claim.kind == "open-question":
            # a probe reports what it searched: sum its integer counts over the float64 runs
            def check(inst, _ev=claim.evaluate):
                ev = _ev(inst)
                if ev.precision == "float64":
                    for k, v in ev.quantities.items():
                        if isinstance(v, int) and not isinstance(v, bool):
                            volume[k] = volume.get(k, 0) + v
                return ev
        rep = search(check, claim.strategy(), max_examples=max_examples, seed=seed, keep_best=4)
        out["volume"] = volume or None
    except Exception as err:  # a predicate that crashes has not passed: say so, do not hide it
        out["error"] = f"{type(err).__name__}: {err}"
        out["seconds"] = time.perf_counter() - t0
        return out
    out.update(examples=rep.examples, hypothesis_examples=rep.hypothesis_examples, discarded=rep.discarded,
               artifacts=rep.artifacts,
               hypotheses={h: rep.hypotheses.get(h, 0) for h in claim.hypotheses},
               informative=rep.informative, not_tested=rep.not_tested, raised=rep.errors,
               first_raised=None if rep.first_error is None else rep.first_error.to_json())
    if rep.counterexample is not None:
        out["counterexample"] = rep.counterexample.to_json()
    best = rep.best
    if best:
        r, inst, ev = best[0]
        polished = False
        if do_polish and claim.polish:
            deadline = time.perf_counter() + polish_seconds     # for all families together
            for _, cand, _ in best:
                left = deadline - time.perf_counter()
                if left <= 0 or r >= 1 - 1e-7:
                    break
                pinst, pev, ce, art = polish(claim.evaluate, cand, maxiter=polish_iter, seconds=left)
                out["artifacts"] += art
                if ce is not None and out["counterexample"] is None:
                    out["counterexample"] = ce.to_json()
                    rep.counterexample = ce
                if pev.holds and pev.ratio is not None and float(pev.ratio) > r:
                    r, inst, ev, polished = float(pev.ratio), pinst, pev, True
        out["tightest"] = {"ratio": r, "ratio_mp": _ratio_mp(claim, inst), "polished": polished,
                           "quantities": ev.to_json()["quantities"], "instance": _inst_json(inst)}
    out["status"] = status_of(claim, rep, max_examples)
    if controls:
        out["controls"] = [run_control(claim, v, seed=seed) for v in claim.controls]
    if necessity and claim.form is not None:
        out["necessity"] = run_necessity(claim, seed=seed)
    out["seconds"] = time.perf_counter() - t0
    return out


def volume_line(c: dict) -> str:
    """An open question's search volume in words: the counts are float64 ones; a float64-certified
    candidate becomes a finding only once it survives at 60 digits (then the claim is refuted)."""
    vol = ", ".join(f"{k} = {v}" for k, v in c["volume"].items())
    confirmed = 1 if (c.get("counterexample") or {}).get("confirmed") else 0
    line = f"search volume {vol} (float64 counts; confirmed at 60 digits: {confirmed}"
    if c.get("artifacts"):
        line += f"; {c['artifacts']} float64 verdict(s) vanished at 60 digits"
    return line + ")"


def run_control(claim: Claim, variant, *, seed: int = 0) -> dict:
    t0 = time.perf_counter()
    strat = variant.strategy() if variant.strategy is not None else claim.strategy()
    # the audit shrinks a control's counterexample for at most CONTROL_SHRINK_SECONDS: enough for a
    # small witness, and it keeps the default audit within its two minutes
    rep = search(variant.check, strat, max_examples=variant.max_examples, seed=seed, keep_best=1,
                 shrink_seconds=CONTROL_SHRINK_SECONDS)
    ce = rep.counterexample
    return {"name": variant.name, "statement": variant.statement, "refuted": ce is not None and ce.confirmed,
            "examples": rep.examples, "shrinks": None if ce is None else ce.shrinks,
            "seconds": time.perf_counter() - t0, "artifacts": rep.artifacts,
            "counterexample": None if ce is None else ce.to_json()}


def _audit_one(args):
    cid, kw = args
    return audit_claim(CLAIMS[cid], **kw)


def run_audit(ids=None, *, max_examples: int = 200, seed: int = 0, do_polish: bool = True,
              controls: bool = True, progress=None, jobs: int = 1, necessity: bool = True) -> dict:
    """Audit the claims ``ids`` (default all); ``jobs`` > 1 spreads claims over processes.

    Each claim's search is seeded with ``seed`` independently of the others, so the result does
    not depend on ``jobs`` or on the order claims finish in."""
    load_claims()
    explicit = bool(ids)
    ids = list(ids) if ids else sorted(CLAIMS)
    kw = dict(max_examples=max_examples, seed=seed, do_polish=do_polish, controls=controls, necessity=necessity)
    results, total = {}, len(ids)

    def done(res):
        results[res["id"]] = res
        if progress:
            progress(f"[{len(results)}/{total}] {res['id']}: {res['status']} ({res['seconds']:.1f}s)")

    if jobs > 1 and total > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # slowest-first keeps both workers busy to the end
        order = sorted(ids, key=lambda i: -len(CLAIMS[i].controls))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as ex:
            futs = [ex.submit(_audit_one, (cid, kw)) for cid in order]
            for f in as_completed(futs):
                done(f.result())
    else:
        for cid in ids:
            if progress:
                progress(f"[{len(results) + 1}/{total}] {cid} ...")
            done(audit_claim(CLAIMS[cid], **kw))
    options = {"claims": ids if explicit else None, "max_examples": max_examples, "seed": seed,
               "polish": do_polish, "controls": controls, "necessity": necessity}
    return {"claims": [results[i] for i in ids], "seed": seed, "max_examples": max_examples,
            "versions": versions(), "command": " ".join(sys.argv), "options": options}
