"""The audit: search every claim, polish its tightest instances, run its negative controls.

``audit_claim(claim, ...)`` returns a JSON-ready dict (the schema of ``python -m theorems audit
--json``); ``run_audit(ids, ...)`` does it for many claims and adds the seed and versions.
"""

from __future__ import annotations

import os
import platform
import sys
import time

from theorems.contract import CLAIMS, Claim, HypothesisNotMet

from .engine import DEFAULT_DPS, polish, search
from .loading import load_claims
from .necessity import run_necessity

__all__ = ["audit_claim", "run_audit", "versions", "status_of", "is_vacuous", "CONTROL_SHRINK_SECONDS",
           "VACUOUS_MIN", "cap_jobs"]

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
    """(ratio, reason) of the tightest instance re-evaluated at 60 digits on the same inputs.

    An instance whose float64 evaluation met the hypotheses can miss them at 60 digits (a
    certification threshold, a rank decision): that is "not tested at 60 digits", reported as
    ratio None with the reason, not the end of the audit."""
    try:
        ev = claim.evaluate(inst, dps=DEFAULT_DPS)
    except HypothesisNotMet as err:
        return None, f"hypothesis not met at {DEFAULT_DPS} digits: {err}"
    if ev.ratio is None:
        return None, f"no tightness ratio at {DEFAULT_DPS} digits"
    return float(ev.ratio), None


def _stage_error(out: dict, stage: str, err: BaseException) -> dict:
    """Record that ``stage`` of a claim's audit raised: an outcome of the claim, never the end of
    the audit. ``out["error"]`` (the first one, one line) is what the table and report flag."""
    rec = {"stage": stage, "type": type(err).__name__, "message": " ".join(str(err).split())[:500]}
    out.setdefault("errors", []).append(rec)
    if out.get("error") is None:
        out["error"] = f"{stage}: {rec['type']}: {rec['message']}"
    return rec


def _blank(claim: Claim) -> dict:
    out = claim.to_json()
    out.update(status="inconclusive", examples=0, discarded=0, hypotheses={}, seconds=0.0, tightest=None,
               counterexample=None, artifacts=0, controls=[], error=None, errors=[], erratum=claim.erratum,
               informative=0, not_tested=0, raised=0, first_raised=None, necessity=None)
    return out


def _search_claim(claim: Claim, max_examples: int, seed: int):
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
    return rep, volume or None


def _polish_best(claim: Claim, rep, out: dict, polish_iter: int, polish_seconds: float):
    """The tightest of the search's best instances after polishing (ratio, instance, evaluation,
    polished); a polish that raises keeps what was found so far and is recorded as an outcome."""
    r, inst, ev = rep.best[0]
    polished = False
    if not claim.polish:
        return r, inst, ev, polished
    deadline = time.perf_counter() + polish_seconds     # for all families together
    for _, cand, _ in rep.best:
        left = deadline - time.perf_counter()
        if left <= 0 or r >= 1 - 1e-7:
            break
        try:
            pinst, pev, ce, art = polish(claim.evaluate, cand, maxiter=polish_iter, seconds=left)
        except Exception as err:  # noqa: BLE001 - the unpolished instances stand; the raise is reported
            _stage_error(out, "polish", err)
            break
        out["artifacts"] += art
        if ce is not None and out["counterexample"] is None:
            out["counterexample"] = ce.to_json()
            rep.counterexample = ce
        if pev.holds and pev.ratio is not None and float(pev.ratio) > r:
            r, inst, ev, polished = float(pev.ratio), pinst, pev, True
    return r, inst, ev, polished


def audit_claim(claim: Claim, *, max_examples: int = 200, seed: int = 0, do_polish: bool = True,
                controls: bool = True, polish_iter: int = 600, polish_seconds: float = 8.0,
                necessity: bool = True) -> dict:
    """One claim's audit as a JSON-ready dict. Every stage (search, polish, the 60-digit re-check
    of the tightest instance, each control, the necessity analysis) that raises is recorded in
    ``errors`` (stage, exception type, message; the first also in ``error``) and the audit goes
    on: a check that raises is an outcome of its claim, never the end of an audit. The status is
    never stronger than what was tested: a search that raised leaves the claim ``inconclusive``."""
    t0 = time.perf_counter()
    out = _blank(claim)
    try:
        rep, out["volume"] = _search_claim(claim, max_examples, seed)
    except Exception as err:  # noqa: BLE001 - a predicate that crashes has not passed: say so, do not hide it
        _stage_error(out, "search", err)
        rep = None
    if rep is not None:
        out.update(examples=rep.examples, hypothesis_examples=rep.hypothesis_examples, discarded=rep.discarded,
                   artifacts=rep.artifacts,
                   hypotheses={h: rep.hypotheses.get(h, 0) for h in claim.hypotheses},
                   informative=rep.informative, not_tested=rep.not_tested, raised=rep.errors,
                   first_raised=None if rep.first_error is None else rep.first_error.to_json())
        if rep.counterexample is not None:
            out["counterexample"] = rep.counterexample.to_json()
        if rep.best:
            if do_polish:
                r, inst, ev, polished = _polish_best(claim, rep, out, polish_iter, polish_seconds)
            else:
                (r, inst, ev), polished = rep.best[0], False
            try:
                r_mp, why = _ratio_mp(claim, inst)
            except Exception as err:  # noqa: BLE001 - the float64 verdicts stand; the re-check's raise is reported
                rec = _stage_error(out, "ratio_mp", err)
                r_mp, why = None, f"the {DEFAULT_DPS}-digit re-evaluation raised {rec['type']}: {rec['message']}"
            out["tightest"] = {"ratio": r, "ratio_mp": r_mp, "polished": polished,
                               "quantities": ev.to_json()["quantities"], "instance": _inst_json(inst)}
            if why is not None:
                out["tightest"]["ratio_mp_reason"] = why
        out["status"] = status_of(claim, rep, max_examples)
    if controls:
        out["controls"] = [_control_or_error(claim, v, seed, out) for v in claim.controls]
    if necessity and claim.form is not None:
        try:
            # a refuted statement (an erratum, or a counterexample found now) makes its sharper variants n/a
            out["necessity"] = run_necessity(claim, seed=seed,
                                             refuted=bool(claim.erratum) or out["counterexample"] is not None)
        except Exception as err:  # noqa: BLE001 - no necessity rows; the raise is reported
            _stage_error(out, "necessity", err)
    out["seconds"] = time.perf_counter() - t0
    return out


def _control_or_error(claim: Claim, variant, seed: int, out: dict) -> dict:
    """A negative control's row; one that raises is recorded as not refuted (it caught nothing)."""
    t0 = time.perf_counter()
    try:
        return run_control(claim, variant, seed=seed)
    except Exception as err:  # noqa: BLE001 - a control that raises refuted nothing: an outcome
        rec = _stage_error(out, f"control {variant.name}", err)
        return {"name": variant.name, "statement": variant.statement, "refuted": False, "examples": 0,
                "shrinks": None, "seconds": time.perf_counter() - t0, "artifacts": 0, "counterexample": None,
                "error": f"{rec['type']}: {rec['message']}"}


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


def _crashed(cid: str, stage: str, err: BaseException) -> dict:
    """The outcome of a claim whose whole audit raised (or whose worker process died)."""
    out = _blank(CLAIMS[cid])
    _stage_error(out, stage, err)
    return out


def cap_jobs(jobs, n_claims: int) -> int:
    """``jobs`` capped at the cores and at the number of claims (more processes only cost memory)."""
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"argument 'jobs': expected an int >= 1, got {jobs!r}")
    return max(1, min(jobs, os.cpu_count() or 1, n_claims))


def _audit_in_pool(ids, kw, jobs, done):
    """Audit ``ids`` over ``jobs`` forked processes. A worker that raises makes that claim's
    outcome; a worker that dies (BrokenProcessPool) breaks the pool for every claim still in it, so
    those claims are re-run one per fresh process: the claim that kills its process is recorded as
    such, and the others are audited as usual."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("fork")
    broken = []
    # slowest-first keeps both workers busy to the end
    order = sorted(ids, key=lambda i: -len(CLAIMS[i].controls))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
        futs = {ex.submit(_audit_one, (cid, kw)): cid for cid in order}
        for f in as_completed(futs):
            try:
                done(f.result())
            except BrokenProcessPool:
                broken.append(futs[f])
            except Exception as err:  # noqa: BLE001 - a worker's raise is that claim's outcome
                done(_crashed(futs[f], "worker", err))
    for cid in broken:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as ex:
            try:
                done(ex.submit(_audit_one, (cid, kw)).result())
            except Exception as err:  # noqa: BLE001 - BrokenProcessPool: this claim's process died
                done(_crashed(cid, "worker", err))


def run_audit(ids=None, *, max_examples: int = 200, seed: int = 0, do_polish: bool = True,
              controls: bool = True, progress=None, jobs: int = 1, necessity: bool = True) -> dict:
    """Audit the claims ``ids`` (default all); ``jobs`` > 1 spreads claims over processes (capped
    at ``os.cpu_count()`` and at the number of claims).

    Each claim's search is seeded with ``seed`` independently of the others, so the result does
    not depend on ``jobs`` or on the order claims finish in. A claim whose audit raises, or whose
    worker process dies, is recorded as that claim's outcome (``error``); the audit goes on."""
    load_claims()
    explicit = bool(ids)
    ids = list(ids) if ids else sorted(CLAIMS)
    kw = dict(max_examples=max_examples, seed=seed, do_polish=do_polish, controls=controls, necessity=necessity)
    unknown = [i for i in ids if i not in CLAIMS]
    if unknown:
        raise ValueError(f"argument 'ids': unknown claim id {unknown[0]!r}")
    results, total = {}, len(ids)
    jobs = cap_jobs(jobs, total)

    def done(res):
        results[res["id"]] = res
        if progress:
            progress(f"[{len(results)}/{total}] {res['id']}: {res['status']} ({res['seconds']:.1f}s)")

    if jobs > 1:
        _audit_in_pool(ids, kw, jobs, done)
    else:
        for cid in ids:
            if progress:
                progress(f"[{len(results) + 1}/{total}] {cid} ...")
            try:
                done(audit_claim(CLAIMS[cid], **kw))
            except Exception as err:  # noqa: BLE001 - audit_claim records its stages; this is the last net
                done(_crashed(cid, "audit", err))
    options = {"claims": ids if explicit else None, "max_examples": max_examples, "seed": seed,
               "polish": do_polish, "controls": controls, "necessity": necessity}
    return {"claims": [results[i] for i in ids], "seed": seed, "max_examples": max_examples,
            "versions": versions(), "command": " ".join(sys.argv), "options": options}
