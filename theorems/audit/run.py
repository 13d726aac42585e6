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
           "VACUOUS_MIN", "cap_jobs", "family_of", "ratio_at_digits", "MP_RANK", "MP_RANK_SECONDS"]

CONTROL_SHRINK_SECONDS = 2.0
# the tightest instance is chosen at 60 digits among the search's best (one per family) and the
# polished one: at most MP_RANK of them; after the first, further ones only within MP_RANK_SECONDS
# (a 60-digit evaluation of the slowest claim takes ~15 s)
MP_RANK = 4
MP_RANK_SECONDS = 10.0


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


def family_of(inst) -> str | None:
    """The named family an instance was drawn from: its strategy's ``meta["corner"]`` (the engine
    keeps one best instance per corner, ``engine._family``), for an instance object or its JSON;
    None when the strategy names none."""
    meta = inst.get("meta") if isinstance(inst, dict) else getattr(inst, "meta", None)
    corner = meta.get("corner") if isinstance(meta, dict) else None
    return str(corner) if corner else None


def _with_family(row: dict | None) -> dict | None:
    """A counterexample's JSON (``{"instance": …}``) with the family of its instance added."""
    if isinstance(row, dict) and "instance" in row:
        row["family"] = family_of(row["instance"])
    return row


def ratio_at_digits(ev):
    """``(ratio, gap, rel_tol, carried)`` of a high-precision evaluation, as mpf where they can be.

    ``Evaluation.compare``'s default ratio is a float (rhs/lhs of the float64-rounded sides), so a
    60-digit ratio of 1 − 1e-19 would read 1.0: where the claim's ratio is that default, it is
    recomputed from the 60-digit sides, and the gap 1 − ratio as margin / (larger side), without
    cancellation. A claim that passes its own ratio as an mpf keeps it (gap = 1 − ratio at 60 digits);
    one that passes a float keeps it too, with ``carried`` False (its gap is only as good as float64).
    ``rel_tol`` = the claim's 60-digit tolerance relative to its larger side, ``tol / max(|lhs|, |rhs|)``:
    within it, a ratio is "attained" (report.format_ratio)."""
    import mpmath

    with mpmath.workdps(DEFAULT_DPS):      # mpf(x) rounds to the working precision: work at 60 digits
        lhs, rhs = mpmath.mpf(ev.lhs), mpmath.mpf(ev.rhs)
        big_side = max(abs(lhs), abs(rhs))
        rel_tol = mpmath.mpf(ev.tol) / big_side if big_side > 0 else None
        if isinstance(ev.ratio, mpmath.mpf):
            return ev.ratio, 1 - ev.ratio, rel_tol, True
        big, small = (lhs, rhs) if ev.relation == ">=" else (rhs, lhs)
        if ev.relation != "==" and big > 0 and small > 0:
            default = small / big
            if abs(float(ev.ratio) - float(default)) <= 1e-12 * abs(float(default)):
                return default, (big - small) / big, rel_tol, True
        r = mpmath.mpf(float(ev.ratio))
        return r, 1 - r, rel_tol, False


def _ratio_mp(claim, inst):
    """(candidate row, 60-digit ratio or None) of an instance re-evaluated at 60 digits on the same
    inputs. An instance whose float64 evaluation met the hypotheses can miss them at 60 digits (a
    certification threshold, a rank decision): that is "not tested at 60 digits", a row with the
    reason and ratio None, not the end of the audit. Raises what the claim raises."""
    try:
        ev = claim.evaluate(inst, dps=DEFAULT_DPS)
    except HypothesisNotMet as err:
        return {"reason": f"hypothesis not met at {DEFAULT_DPS} digits: {err}"}, None
    if ev.ratio is None:
        return {"reason": f"no tightness ratio at {DEFAULT_DPS} digits"}, None
    if not ev.holds:
        return {"reason": f"does not hold at {DEFAULT_DPS} digits ({ev.message()})"}, None
    r, gap, tol, carried = ratio_at_digits(ev)
    row = {"ratio_mp": float(r), "ratio_mp_gap": float(gap), "ratio_mp_tol": None if tol is None else float(tol)}
    if not carried:
        row["ratio_mp_carried"] = False
    return row, r


def _rank_at_digits(claim, candidates, out: dict) -> tuple[tuple, dict]:
    """The tightest of ``candidates`` [(float ratio, instance, evaluation, polished)], float-best first,
    ranked by the 60-digit ratio (a float64 ratio above 1 from rounding never wins): ``(chosen
    candidate, its JSON fields)``, with every candidate's row under ``candidates``. With no 60-digit
    ratio at all the float-best stays, with ``ratio_mp`` None and the reason; a raise is recorded as
    the stage ``ratio_mp`` only when no candidate could be re-evaluated."""
    t0 = time.perf_counter()
    rows, best, best_r, first_err = [], None, None, None
    for i, (r, inst, _, polished) in enumerate(candidates):
        row = {"family": family_of(inst), "ratio": r, "polished": polished}
        if i > 0 and time.perf_counter() - t0 > MP_RANK_SECONDS:
            row["reason"] = f"not re-evaluated: {MP_RANK_SECONDS:g} s spent on the 60-digit ranking"
            rows.append(row)
            continue
        try:
            extra, r_mp = _ratio_mp(claim, inst)
        except Exception as err:  # noqa: BLE001 - the float64 verdicts stand; the raise is reported
            first_err = first_err or err
            extra, r_mp = {"reason": f"the {DEFAULT_DPS}-digit re-evaluation raised {type(err).__name__}: "
                                     f"{' '.join(str(err).split())[:300]}"}, None
        row.update(extra)
        rows.append(row)
        if r_mp is not None and (best_r is None or r_mp > best_r):
            best, best_r = i, r_mp
    if best is None:
        best = 0
        if first_err is not None and all("raised" in x.get("reason", "") for x in rows if "ratio_mp" not in x):
            rec = _stage_error(out, "ratio_mp", first_err)
            rows[0]["reason"] = f"the {DEFAULT_DPS}-digit re-evaluation raised {rec['type']}: {rec['message']}"
    rows[best]["chosen"] = True
    chosen = rows[best]
    fields = {"ratio": chosen["ratio"], "ratio_mp": chosen.get("ratio_mp"), "polished": chosen["polished"],
              "family": chosen["family"]}
    for k in ("ratio_mp_gap", "ratio_mp_tol", "ratio_mp_carried"):
        if k in chosen:
            fields[k] = chosen[k]
    if chosen.get("ratio_mp") is None:
        fields["ratio_mp_reason"] = chosen.get("reason")
    fields["candidates"] = rows
    return candidates[best], fields


def _stage_error(out: dict, stage: str, err: BaseException) -> dict:
    """Record that ``stage`` of a claim's audit raised: an outcome of the claim, never the end of
    the audit. ``out["error"]`` (the first one, one line) is what the table and report flag."""
    rec = {"stage": stage, "type": type(err).__name__, "message": " ".join(str(err).split())[:500]}
    out.setdefault("errors", []).append(rec)
    if out.get("error") is None:
        out["error"] = f"{stage}: {rec['type']}: {rec['message']}"
    return rec


def no_tightest_reason(claim: Claim, rep) -> str:
    """Why a claim's audit has no tightest ratio (printed "n/a (…)"): the claim's own reason (a count,
    an existence) first, else what the search saw — so a missing ratio never reads as 0 or as "tight"."""
    if claim.no_ratio:
        return claim.no_ratio
    if rep is None:
        return "the search raised: no instance was judged"
    if rep.informative == 0:
        return "no informative example"
    if rep.with_ratio == 0:
        if set(rep.relations) == {"=="}:
            return "an equality: no ratio (the search targets the discrepancy in tolerance units)"
        return "its evaluations carry no ratio"
    return "no holding informative instance with a finite ratio"


def _blank(claim: Claim) -> dict:
    out = claim.to_json()
    out.update(status="inconclusive", examples=0, discarded=0, hypotheses={}, seconds=0.0, tightest=None,
               tightness_na=None, counterexample=None, artifacts=0, controls=[], error=None, errors=[],
               erratum=claim.erratum, informative=0, not_tested=0, raised=0, first_raised=None, necessity=None)
    return out


def _search_claim(claim: Claim, max_examples: int, seed: int, filters: dict | None = None):
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
    rep = search(check, claim.strategy(**(filters or {})), max_examples=max_examples, seed=seed, keep_best=MP_RANK)
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
            out["counterexample"] = _with_family(ce.to_json())
            rep.counterexample = ce
        if pev.holds and pev.ratio is not None and float(pev.ratio) > r:
            r, inst, ev, polished = float(pev.ratio), pinst, pev, True
    return r, inst, ev, polished


def audit_claim(claim: Claim, *, max_examples: int = 200, seed: int = 0, do_polish: bool = True,
                controls: bool = True, polish_iter: int = 600, polish_seconds: float = 8.0,
                necessity: bool = True, filters: dict | None = None) -> dict:
    """One claim's audit as a JSON-ready dict. Every stage (search, polish, the 60-digit re-check
    of the tightest instance, each control, the necessity analysis) that raises is recorded in
    ``errors`` (stage, exception type, message; the first also in ``error``) and the audit goes
    on: a check that raises is an outcome of its claim, never the end of an audit. The status is
    never stronger than what was tested: a search that raised leaves the claim ``inconclusive``.

    ``filters``: keyword filters of the claim's strategy (``claim.strategy(**filters)``, ``--filter``)
    for its own search; its controls and necessity variants keep their strategies (a filter narrows
    where the claim is searched, not what a control must refute). ``stage_seconds``: the wall seconds
    of each stage that ran (search, polish, rank_at_60_digits, controls, necessity): where the time went."""
    t0 = time.perf_counter()
    out = _blank(claim)
    if filters:
        out["filters"] = dict(filters)
    stages = out["stage_seconds"] = {}
    try:
        rep, out["volume"] = _search_claim(claim, max_examples, seed, filters)
    except Exception as err:  # noqa: BLE001 - a predicate that crashes has not passed: say so, do not hide it
        _stage_error(out, "search", err)
        rep = None
    stages["search"] = time.perf_counter() - t0
    if rep is not None:
        out.update(examples=rep.examples, hypothesis_examples=rep.hypothesis_examples, discarded=rep.discarded,
                   artifacts=rep.artifacts,
                   hypotheses={h: rep.hypotheses.get(h, 0) for h in claim.hypotheses},
                   informative=rep.informative, not_tested=rep.not_tested, raised=rep.errors,
                   first_raised=None if rep.first_error is None else rep.first_error.to_json())
        if rep.counterexample is not None:
            out["counterexample"] = rep.counterexample.to_json()
        if out["counterexample"] is not None:
            _with_family(out["counterexample"])
        if rep.best:
            t1 = time.perf_counter()
            if do_polish:
                r, inst, ev, polished = _polish_best(claim, rep, out, polish_iter, polish_seconds)
            else:
                (r, inst, ev), polished = rep.best[0], False
            candidates = [(r, inst, ev, polished)] + [(br, bi, bev, False) for br, bi, bev in rep.best
                                                      if bi is not inst][:MP_RANK - 1]
            t2 = time.perf_counter()
            (r, inst, ev, polished), fields = _rank_at_digits(claim, candidates, out)
            stages.update(polish=t2 - t1, rank_at_60_digits=time.perf_counter() - t2)
            out["tightest"] = {**fields, "quantities": ev.to_json()["quantities"], "instance": _inst_json(inst)}
        out["status"] = status_of(claim, rep, max_examples)
    if out["tightest"] is None:
        out["tightness_na"] = no_tightest_reason(claim, rep)
    if controls:
        t1 = time.perf_counter()
        out["controls"] = [_control_or_error(claim, v, seed, out) for v in claim.controls]
        stages["controls"] = time.perf_counter() - t1
    if necessity and claim.form is not None:
        t1 = time.perf_counter()
        try:
            # a refuted statement (an erratum, or a counterexample found now) makes its sharper variants n/a
            out["necessity"] = run_necessity(claim, seed=seed,
                                             refuted=bool(claim.erratum) or out["counterexample"] is not None)
            for row in out["necessity"] or ():
                _with_family(row.get("witness"))
        except Exception as err:  # noqa: BLE001 - no necessity rows; the raise is reported
            _stage_error(out, "necessity", err)
        stages["necessity"] = time.perf_counter() - t1
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
            "counterexample": None if ce is None else _with_family(ce.to_json())}


def _audit_one(args):
    cid, kw = args
    kw = dict(kw)
    by_claim = kw.pop("filters", None) or {}
    return audit_claim(CLAIMS[cid], filters=by_claim.get(cid), **kw)


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
    order = sorted(ids, key=lambda i: (-getattr(CLAIMS[i], "cost", 1.0), -len(CLAIMS[i].controls)))
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
              controls: bool = True, progress=None, jobs: int = 1, necessity: bool = True,
              filters: dict | None = None) -> dict:
    """Audit the claims ``ids`` (default all); ``jobs`` > 1 spreads claims over processes (capped
    at ``os.cpu_count()`` and at the number of claims). ``filters``: claim id → its strategy
    filters (``--filter``; see ``audit_claim``), recorded in the options as given.

    Each claim's search is seeded with ``seed`` independently of the others, so the result does
    not depend on ``jobs`` or on the order claims finish in. A claim whose audit raises, or whose
    worker process dies, is recorded as that claim's outcome (``error``); the audit goes on."""
    load_claims()
    explicit = bool(ids)
    ids = list(ids) if ids else sorted(CLAIMS)
    kw = dict(max_examples=max_examples, seed=seed, do_polish=do_polish, controls=controls, necessity=necessity,
              filters=filters or {})
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
                done(_audit_one((cid, kw)))
            except Exception as err:  # noqa: BLE001 - audit_claim records its stages; this is the last net
                done(_crashed(cid, "audit", err))
    options = {"claims": ids if explicit else None, "max_examples": max_examples, "seed": seed,
               "polish": do_polish, "controls": controls, "necessity": necessity,
               "filters": {k: v for k, v in (filters or {}).items() if v} or None}
    return {"claims": [results[i] for i in ids], "seed": seed, "max_examples": max_examples,
            "versions": versions(), "command": " ".join(sys.argv), "options": options}
