"""Command line: ``python -m theorems list | show | audit | replay | refute | table | coverage``.

    python -m theorems list [--paper NAME]         # every installed paper's claims (or one paper's)
    python -m theorems show ID                     # statement, quantities, filters, controls of one claim
    python -m theorems audit [--paper NAME] [--claims ID[,ID...]] [--max-examples N] [--seed S] [--json PATH]
                             [--no-polish] [--no-controls] [--jobs N] [--report DIR] [--figures DIR]
                             [--filter NAME=VALUE ...]
    python -m theorems replay ID FILE.json [--pick counterexample|tightest]
                                                   # re-evaluate a saved instance (or a refuted variant),
                                                   # float and 60 digits
    python -m theorems refute ID "RELATION" [--max-examples N] [--seed S] [--json PATH]
                             [--filter NAME=VALUE ...] [--set FIELD=EXPR ...]
                                                   # search for a counterexample to your variant
    python -m theorems table [AUDIT.json] [--paper NAME]   # the README claims table, in Markdown
    python -m theorems coverage [--paper NAME] [--summary] # every statement by location: its claims, or why none

Papers other than the reference paper (Shamir 2018) are packages that register their claims through the
``resnet_theorems.papers`` entry-point group (README, "Audit your own paper").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

# one BLAS thread per process, before numpy is first imported: the audit's matrices are tiny and it runs
# its own worker processes (--jobs), so a threaded OpenBLAS only oversubscribes the cores (a 2 × 3
# triangular solve cost ~8 ms of CPU against 0.03 ms on one thread); an explicit setting still wins
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from theorems import CLAIMS  # noqa: E402 - after the BLAS setting
from theorems.audit import LOAD_ERRORS
from theorems.audit.replay import (
    REPLAY_SECONDS,
    InputError,
    evaluate_both,
    evaluate_check_both,
    load_audit,
    load_replay,
    quantity_table,
)
from theorems.audit.report import tightness
from theorems.audit.run import volume_line
from theorems.contract import paper_of, paper_order, papers


def _necessity_count(nec) -> str:
    """'necessary/applicable', with the parts that are n/a (the statement itself is refuted) counted apart."""
    if not nec:
        return "—"
    applicable = [x for x in nec if x["status"] != "n/a"]
    if not applicable:
        return f"n/a ({len(nec)} parts: the statement is refuted)"
    n_na = len(nec) - len(applicable)
    return (f"{sum(x['status'] == 'necessary' for x in applicable)}/{len(applicable)}"
            + (f" ({n_na} n/a)" if n_na else ""))


def render_table(result: dict) -> str:
    head = ("claim", "kind", "status", "valid", "informative", "discarded", "seconds", "tightest", "controls refuted",
            "necessary")
    rows = []
    for c in result["claims"]:
        t = c.get("tightest")
        ctl = c.get("controls") or []
        ctl_s = f"{sum(x['refuted'] for x in ctl)}/{len(ctl)}" if ctl else "—"
        status = c["status"] + (" (error)" if c.get("error") else "")
        nec = c.get("necessity") or []
        nec_s = _necessity_count(nec)
        rows.append((c["id"], c["kind"], status, str(c["examples"]), str(c.get("informative", "—")),
                     str(c["discarded"]), f"{c['seconds']:.1f}",
                     tightness(t, c.get("tightness_na"), short=True),
                     ctl_s, nec_s))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = lambda r: "  ".join(x.ljust(w) for x, w in zip(r, widths))
    out = [line(head), line(tuple("-" * w for w in widths))] + [line(r) for r in rows]
    notes = []
    for c in result["claims"]:
        if c.get("error"):
            notes.append(f"{c['id']}: ERROR {c['error']}")
        if c.get("counterexample"):
            ce = c["counterexample"]
            fam = f", family {ce['family']}" if ce.get("family") else ""
            notes.append(f"{c['id']}: confirmed counterexample: lhs={ce['lhs']:.6g} rhs={ce['rhs']:.6g} "
                         f"({ce.get('shrinks', 0)} shrinks{fam}) [{c['source']}]")
        if c.get("volume"):
            notes.append(f"{c['id']}: " + volume_line(c))
        t = c.get("tightest")
        if t and "p_value" in (t.get("quantities") or {}):
            q = t["quantities"]
            notes.append(f"{c['id']}: binomial test p = {q['p_value']:.3g}, {int(q['failures'])}/{int(q['runs'])} "
                         f"runs outside the bound (δ = {q.get('delta')})")
        if t and t.get("ratio_mp_reason"):
            notes.append(f"{c['id']}: tightest instance at 60 digits: {t['ratio_mp_reason']}")
        if c.get("artifacts"):
            notes.append(f"{c['id']}: {c['artifacts']} float64 violation(s) vanished at 60 digits "
                         "(rounding artifacts, not counterexamples)")
        for x in c.get("controls") or []:
            if not x["refuted"]:
                notes.append(f"{c['id']}: negative control {x['name']} was NOT refuted "
                             f"({x['examples']} examples): the predicate failed to catch a false variant"
                             + (f" (its search raised: {x['error']})" if x.get("error") else ""))
        for x in c.get("necessity") or []:
            if x["status"] == "open":
                notes.append(f"{c['id']}: part '{x['part']}' is OPEN (a gap): {x['reason']}")
        if c.get("raised"):
            notes.append(f"{c['id']}: {c['raised']} evaluation(s) raised: "
                         f"{(c.get('first_raised') or {}).get('error', '')} (recorded, not certified)")
        if c["status"] == "vacuous":
            notes.append(f"{c['id']}: VACUOUS: only {c.get('informative')} of {c['examples']} examples could have "
                         "failed the statement")
        for h, n in (c.get("hypotheses") or {}).items():
            if n == 0:
                notes.append(f"{c['id']}: hypothesis '{h}' never held: not passed")
    return "\n".join(out + ([""] + notes if notes else []))


def markdown_table(result: dict | None = None, paper: str | None = None) -> str:
    """README claims table: paper location → claim id → kind → status (from an audit result, as
    ``replay.load_audit`` reads it); with ``paper``, that paper's claims only."""
    audited = {c["id"]: c for c in result["claims"]} if result else {}
    lines = ["| paper location | claim id | kind | status | valid / informative |", "|---|---|---|---|---|"]
    for cid in sorted(CLAIMS, key=paper_order):
        if paper is not None and paper_of(cid) != paper:
            continue
        c, a = CLAIMS[cid], audited.get(cid)
        counts = "—" if a is None else f"{a['examples']} / {a.get('informative', '—')}"
        if a is None:
            status = "not audited"
        else:
            status = a["status"]
            t = a.get("tightest")
            if t and t.get("ratio") is not None and a["status"] == "holds":
                status += f" (tightest ratio {tightness(t)})"
            elif not t and a.get("tightness_na") and a["status"] == "holds":
                status += f" (tightest ratio {tightness(t, a['tightness_na'], short=True)})"
            ctl = a.get("controls") or []
            if ctl:
                status += f"; controls refuted {sum(x['refuted'] for x in ctl)}/{len(ctl)}"
            nec = a.get("necessity") or []
            if nec:
                status += f"; parts necessary {_necessity_count(nec)}"
                n_open = sum(x["status"] == "open" for x in nec)
                if n_open:
                    status += f", **{n_open} open**"
        lines.append(f"| {c.source} | `{cid}` | {c.kind} | {status} | {counts} |")
    return "\n".join(lines)


def _print_load_errors() -> None:
    for mod, err in sorted(LOAD_ERRORS.items()):
        if mod.startswith("paper "):
            print(f"ERROR: {mod} failed to load: {err}")
        else:
            print(f"ERROR: result module theorems/{mod}.py failed to import: {err}")


def _paper_ids(paper: str | None) -> list[str] | None:
    """The claim ids of ``--paper NAME`` (None without the flag)."""
    if paper is None:
        return None
    known = papers()
    if paper not in known:
        raise InputError(f"--paper: unknown paper {paper!r}; installed papers: {', '.join(known)}")
    return sorted((c for c in CLAIMS if paper_of(c) == paper), key=paper_order)


def _parse_ids(raw):
    if raw is None:
        return None
    ids = [i.strip() for part in raw for i in part.split(",") if i.strip()]
    if not ids:
        raise InputError("--claims: no claim id given (omit --claims to audit every claim)")
    unknown = [i for i in ids if i not in CLAIMS]
    if unknown:
        raise InputError(f"unknown claim id(s) {unknown}; run 'python -m theorems list'")
    return ids


def _probe_dir(path: str, flag: str) -> None:
    """Fail now, not after the work: ``path`` must be (or become) a directory we can write files into."""
    import tempfile

    if os.path.exists(path) and not os.path.isdir(path):
        raise InputError(f"{flag} {path}: exists and is not a directory")
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-probe-"):
            pass
    except OSError as err:
        raise InputError(f"{flag} {path}: cannot write there ({err.strerror or type(err).__name__})") from None


def _probe_file(path: str, flag: str) -> None:
    """Fail now, not after the work: ``path`` must be a file we can (over)write."""
    if os.path.isdir(path):
        raise InputError(f"{flag} {path}: is a directory, expected a file path")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise InputError(f"{flag} {path}: directory {parent} does not exist")
    existed = os.path.exists(path)
    try:
        with open(path, "a"):
            pass
    except OSError as err:
        raise InputError(f"{flag} {path}: cannot write there ({err.strerror or type(err).__name__})") from None
    if not existed:
        os.remove(path)


def _jobs(requested: int, n_claims: int) -> int:
    """Worker processes: at least 1, at most the cores and the claims (more would only fork idle workers)."""
    if requested < 1:
        raise InputError(f"--jobs must be >= 1, got {requested}")
    return max(1, min(requested, os.cpu_count() or 1, n_claims))


# -- strategy filters (--filter NAME=VALUE) ---------------------------------------------------------

MAX_FILTER_CHARS = 2000


def parse_filter_args(raw) -> dict:
    """``--filter NAME=VALUE`` arguments as ``{name: value}``: VALUE is read as a JSON literal
    (``2``, ``["logistic"]``, ``true``) and otherwise kept as the plain string (``linear``)."""
    out = {}
    for item in raw or ():
        name, sep, text = str(item).partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise InputError(f"--filter {item!r}: expected NAME=VALUE, e.g. max_d=2 or losses='[\"logistic\"]'")
        if len(text) > MAX_FILTER_CHARS:
            raise InputError(f"--filter {name}: value longer than {MAX_FILTER_CHARS} characters")
        if name in out:
            raise InputError(f"--filter {name}: given twice")
        try:
            out[name] = json.loads(text)
        except (ValueError, RecursionError):
            out[name] = text
    return out


def _accepted(claim) -> str:
    declared = claim.filters()
    if declared is None:
        return "none declared (its strategy takes its own arguments)"
    return ", ".join(f"{n}={d!r}" for n, d in declared.items()) or "none"


def check_filters(claim, given: dict) -> dict:
    """``given`` validated against ``claim.filters()`` and the strategy itself (built and
    validated, nothing drawn): an unknown name or a value the strategy rejects is an InputError
    naming the filter and listing the accepted ones."""
    if not given:
        return {}
    declared = claim.filters()
    unknown = [n for n in given if declared is None or n not in declared]
    if unknown:
        raise InputError(f"--filter {unknown[0]}: not a filter of {claim.id}'s strategy; accepted: {_accepted(claim)}")
    from hypothesis.errors import InvalidArgument

    try:
        claim.strategy(**given).validate()
    except (InvalidArgument, TypeError, ValueError) as err:
        names = ", ".join(f"{n}={json.dumps(v)}" for n, v in given.items())
        raise InputError(f"--filter {names}: rejected by {claim.id}'s strategy ({_one_line(err)}); "
                         f"accepted: {_accepted(claim)}") from None
    return dict(given)


def filters_by_claim(ids, given: dict) -> dict:
    """For ``audit`` with several claims: each filter goes to the claims that declare it; a filter no
    audited claim declares is an InputError."""
    if not given:
        return {}
    out = {}
    for cid in ids:
        declared = CLAIMS[cid].filters() or {}
        mine = {n: v for n, v in given.items() if n in declared}
        if mine:
            out[cid] = check_filters(CLAIMS[cid], mine)
    used = {n for f in out.values() for n in f}
    for name in given:
        if name not in used:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            raise InputError(f"--filter {name}: declared by none of the audited claims ({shown}); "
                             "see 'python -m theorems show ID' for each claim's filters")
    return out


def _claim(cid: str):
    if cid not in CLAIMS:
        raise InputError(f"unknown claim id {cid!r}; run 'python -m theorems list'")
    return CLAIMS[cid]


def _describe(inst) -> str:
    return inst.describe() if hasattr(inst, "describe") else repr(inst)


def _print_outcomes(f_out, mp_out, indent: str = "") -> None:
    print(f"{indent}float64:  ", f_out.line())
    print(f"{indent}60 digits:", mp_out.line())


def cmd_replay(args) -> int:
    claim = _claim(args.claim)
    got = load_replay(args.instance, claim, pick=args.pick)
    inst, variant = got.instance, got.variant
    if variant is None:
        f_out, mp_out = evaluate_both(claim, inst, seconds=REPLAY_SECONDS)
        print(f"{claim.id} [{claim.source}] on the {got.where} in {args.instance}")
        print(f"instance:  {_describe(inst)}")
        _print_outcomes(f_out, mp_out)
        rows = quantity_table(f_out, mp_out)
        if rows:
            print("quantities behind the verdict:")
            print("\n".join(rows))
        return 0
    # a refute result: re-evaluate the variant that was refuted, then the claim on the same instance
    print(f"variant '{variant.text}' of {claim.id} [{claim.source}] on the {got.where} in {args.instance}")
    print(f"instance:  {_describe(inst)}")
    judged = inst
    if variant.transform is not None:
        from theorems.contract import HypothesisNotMet

        try:
            judged = variant.transform(inst)
        except HypothesisNotMet as err:
            print(f"not tested: {err}")
            return 0
        print(f"transformed by {variant.transform.text} (recorded in the file): {_describe(judged)}")
    f_out, mp_out = evaluate_check_both(variant, inst, seconds=REPLAY_SECONDS)
    print(f"the variant '{variant.text}':")
    _print_outcomes(f_out, mp_out, "  ")
    rows = quantity_table(f_out, mp_out)
    if rows:
        print("  quantities behind the variant's verdict:")
        print("\n".join("  " + r for r in rows))
    cf, cmp_ = evaluate_both(claim, judged, seconds=REPLAY_SECONDS)
    on = "the transformed instance" if variant.transform is not None else "the same instance"
    print(f"the claim {claim.id} itself on {on}:")
    _print_outcomes(cf, cmp_, "  ")
    return 0


def cmd_coverage(args) -> int:
    """Every statement-bearing location of a paper, with the claims that test it or why none does."""
    from theorems.audit.coverage import CoverageError, load_coverage

    _paper_ids(args.paper)               # an unknown paper is an input error
    names = [args.paper] if args.paper else papers()
    bad = 0
    for paper in names:
        try:
            cov = load_coverage(paper)
        except CoverageError as err:
            raise InputError(str(err)) from None
        n = cov.counts
        print(f"# {paper}: {n['locations']} statement-bearing locations, {n['with a claim']} with a claim, "
              f"{n['with a reason']} with a reason ({n['claims mapped']} claim ids mapped; {cov.source})")
        if not args.summary:
            for e in cov.entries:
                what = ", ".join(e.claims) if e.claims else f"not a claim: {e.reason}"
                print(f"  {e.location} — {e.says}\n      → {what}")
        for p in cov.problems:
            print(f"  PROBLEM: {p}")
        bad += len(cov.problems)
    return 1 if bad else 0


def cmd_show(args) -> int:
    import inspect

    claim = _claim(args.claim)
    print(f"{claim.id}  ({claim.kind})  [{claim.source}]")
    print(f"statement: {claim.statement}")
    if claim.hypotheses:
        print("hypotheses (counted per instance by the audit): " + "; ".join(claim.hypotheses))
    if claim.informative_rule:
        print(f"informative examples: {claim.informative_rule} (the module docstring gives the others' definitions)")
    doc = inspect.getdoc(inspect.getmodule(claim.evaluate_fn)) or ""
    if doc:
        print("\nfrom its module (statement, hypotheses, quantities, tolerance):")
        print("\n".join("  " + line for line in doc.splitlines()))
    print("\nquantities (names for 'refute' expressions): " + ", ".join((*claim.quantities, "lhs", "rhs")))
    filters = claim.filters()
    if filters is None:
        print("strategy filters: not declared (claim.strategy() takes its strategy's own arguments)")
    else:
        print("strategy filters (claim.strategy(**filters)): "
              + (", ".join(f"{n}={d!r}" for n, d in filters.items()) or "none"))
    if claim.controls:
        print("negative controls (false variants the audit must refute):")
        for v in claim.controls:
            print(f"  {v.name}: {v.statement}")
            if v.strategy is not None and v.searched_with_claim:
                print("    its family is searched with the claim (a named corner of the claim's strategy)")
            elif v.strategy is not None and v.not_searched_why:
                print(f"    its family is not searched with the claim: {v.not_searched_why}")
    try:
        ev = claim.evaluate(claim.example())
        rel = ev.relation
    except Exception:  # noqa: BLE001 - only the example line depends on it
        rel = ">="
    sharper = {">=": "lhs >= 1.5*rhs", "<=": "1.5*lhs <= rhs", "==": "lhs == 1.5*rhs"}[rel]
    print(f"\ntry a sharper variant:\n  python -m theorems refute {claim.id} \"{sharper}\" --max-examples 300")
    return 0


def cmd_refute(args) -> int:
    from theorems.audit.engine import search
    from theorems.audit.variants import VariantError, variant_from_expression

    claim = _claim(args.claim)
    if args.max_examples < 1:
        raise InputError("--max-examples must be >= 1")
    if args.json:
        _probe_file(args.json, "--json")
    try:
        check = variant_from_expression(claim, args.expression)
    except VariantError as err:
        raise InputError(f"expression: {err}") from None
    if args.set:
        try:
            check = variant_from_expression(claim, args.expression, args.set)
        except VariantError as err:
            raise InputError(str(err)) from None
    filters = check_filters(claim, parse_filter_args(args.filter))
    rep = search(check, claim.strategy(**filters), max_examples=args.max_examples, seed=args.seed, keep_best=1,
                 keep_most_violating=args.most_violating)
    ce = rep.counterexample
    if ce is not None and ce.confirmed:
        first = f"first failing example at example {rep.first_failure_at}; "
    else:
        first = ""
    counts = (f"{first}{rep.examples} examples ({rep.informative} informative, {rep.not_tested} not tested, "
              f"{rep.artifacts} rounding artifacts, {rep.errors} raised) in {rep.seconds:.1f} s, seed {args.seed}")
    print(f"{claim.id} variant: {args.expression}")
    if check.transform is not None:
        print(f"each instance transformed first: {check.transform.text} (rebuilt and re-validated; an instance "
              "leaving the hypotheses is not tested)")
    if filters:
        print("strategy filters: " + ", ".join(f"{n}={json.dumps(v)}" for n, v in filters.items()))
    if ce is not None and ce.confirmed:
        print(f"REFUTED: a counterexample confirmed at 60 digits, shrunk over {ce.shrinks} failing examples; {counts}")
        print("  float64:   ", ce.evaluation.message())
        print("  60 digits: ", ce.evaluation_mp.message())
        print(f"  instance:   {_describe(ce.instance)}")
        if check.transform is not None:
            print(f"  transformed: {_describe(check.transform(ce.instance))}")
        print("  " + json.dumps(ce.instance.to_json()))
        mv = rep.most_violating
        if mv is not None and mv is not ce:
            print("most violating example found (confirmed at 60 digits):")
            print("  60 digits: ", mv.evaluation_mp.message())
            print("  " + json.dumps(mv.instance.to_json()))
    elif rep.informative == 0:
        # nothing could have failed: not evidence either way (DESIGN.md, "One contract for every entry point")
        why = ("no example could be tested" if rep.examples == 0 else
               f"none of the {rep.examples} tested examples could have failed the variant")
        print(f"inconclusive: {why}; {counts}")
    else:
        print(f"not refuted: no counterexample in {counts}")
    if rep.first_error is not None:
        print(f"note: {rep.first_error}")
    refuted = ce is not None and ce.confirmed
    status = "refuted" if refuted else ("inconclusive" if rep.informative == 0 else "not refuted")
    if args.json:
        from theorems.audit.run import family_of

        def row(c):
            return None if c is None else dict(c.to_json(), family=family_of(c.instance))

        # "set": the --set transforms, re-applied by replay; the instances are the generated ones
        out = {"claim": claim.id, "expression": args.expression, "set": list(args.set or []),
               "filters": filters, "status": status, "refuted": refuted,
               "confirmed": bool(ce is not None and ce.confirmed), "examples": rep.examples,
               "informative": rep.informative, "first_failure_at": rep.first_failure_at,
               "not_tested": rep.not_tested, "artifacts": rep.artifacts,
               "errors": rep.errors, "seed": args.seed, "seconds": rep.seconds,
               "counterexample": row(ce), "most_violating": row(rep.most_violating),
               "first_error": None if rep.first_error is None else rep.first_error.to_json()}
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, default=str)
        print(f"JSON written to {args.json}")
    return 1 if status == "inconclusive" else 0


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (exit 2) rather than the usage block and a line."""

    def error(self, message):
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _safe_streams() -> None:
    # an argument that is not valid UTF-8 reaches us as lone surrogates: echoing it must not crash
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):   # a replaced stream (pytest's capture) may not support it
            pass


def main(argv=None) -> int:
    _safe_streams()
    ap = _Parser(prog="python -m theorems", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ls = sub.add_parser("list", help="list every claim: id, kind, source, statement")
    a = sub.add_parser("audit", help="search every claim for counterexamples and tight instances")
    a.add_argument("--claims", action="append", help="claim ids (comma separated; repeatable)")
    a.add_argument("--max-examples", type=int, default=200, help="valid examples per claim (default 200)")
    a.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    a.add_argument("--json", metavar="PATH", help="write the full result as JSON")
    a.add_argument("--report", metavar="DIR", help="write DIR/report.md, DIR/audit.json and DIR/figures/")
    a.add_argument("--figures", metavar="DIR", help="write Figure 1 (a)-(c) as PNG files into DIR")
    a.add_argument("--no-polish", action="store_true", help="skip the local polishing of tight instances")
    a.add_argument("--no-controls", action="store_true", help="skip the negative controls")
    a.add_argument("--no-necessity", action="store_true",
                   help="skip the necessity analysis (variants derived from each claim's named parts)")
    a.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes to spread claims over (default: all cores)")
    a.add_argument("--filter", action="append", metavar="NAME=VALUE",
                   help="a strategy filter for the claims that declare it (repeatable; VALUE a JSON literal or a "
                        "plain string, e.g. --filter max_d=2 --filter losses='[\"logistic\"]'; 'show ID' lists them)")
    t = sub.add_parser("table", help="print the README claims table (Markdown) from an audit JSON")
    t.add_argument("json", nargs="?", help="audit JSON (from audit --json); without it, status is 'not audited'")
    r = sub.add_parser("replay", help="re-evaluate a saved instance for a claim, float64 and 60 digits")
    r.add_argument("claim")
    r.add_argument("instance", help="JSON file: an instance, a counterexample (refute --json), or an audit JSON "
                                    "(audit --json; then --pick chooses which of the claim's instances)")
    r.add_argument("--pick", choices=("counterexample", "tightest"),
                   help="from an audit JSON: the claim's counterexample (default when it has one) or its "
                        "tightest instance")
    cv = sub.add_parser("coverage", help="every statement of a paper by location, with its claims or why none")
    cv.add_argument("--summary", action="store_true", help="only the counts and any problem")
    sh = sub.add_parser("show", help="one claim: statement, hypotheses, quantities, filters, controls")
    sh.add_argument("claim")
    f = sub.add_parser("refute", help="search for a counterexample to your variant of a claim")
    f.add_argument("claim")
    f.add_argument("expression", help="a relation over the claim's quantities, e.g. "
                                      "\"grad_norm >= 2*gap/sqrt(2*w_norm**2 + 2*w_star_norm**2)\"")
    f.add_argument("--max-examples", type=int, default=300, help="valid examples to try (default 300)")
    f.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    f.add_argument("--json", metavar="PATH", help="write the verdict as JSON")
    f.add_argument("--most-violating", action="store_true",
                   help="also keep the confirmed example that violates most (the minimal one is shrunk)")
    f.add_argument("--filter", action="append", metavar="NAME=VALUE",
                   help="a filter of the claim's strategy (repeatable; VALUE a JSON literal or a plain string, "
                        "e.g. --filter max_d=2 --filter losses='[\"logistic\"]'; 'show ID' lists them)")
    f.add_argument("--set", action="append", metavar="FIELD=EXPR",
                   help="transform each instance first: set a scalar float field to an expression over its "
                        "numeric scalar fields (repeatable, applied at once), e.g. --set c=2*c")
    for p in (ls, a, t, cv):
        p.add_argument("--paper", metavar="NAME",
                       help=f"only this paper's claims (installed: {', '.join(papers())})")
    for p in (ls, a, t, r, f, sh, cv):
        p.add_argument("--debug", action="store_true", help="show the traceback of an input error")
    args = ap.parse_args(argv)
    try:
        return _run(args)
    except InputError as err:
        if getattr(args, "debug", False):
            raise
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - no traceback reaches a user; a bug of ours says so
        if getattr(args, "debug", False):
            raise
        print(f"internal error: {type(err).__name__}: {_one_line(err)} (a bug in resnet-theorems, not in your "
              "input: please report it; --debug shows the traceback)", file=sys.stderr)
        return 3


def _one_line(err) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 500 else text[:497] + "..."


def _run(args) -> int:

    if args.cmd == "list":
        ids = _paper_ids(args.paper) or sorted(CLAIMS, key=paper_order)
        shown = None
        for cid in ids:
            c = CLAIMS[cid]
            if paper_of(cid) != shown:
                shown = paper_of(cid)
                print(f"# paper {shown}: {sum(paper_of(i) == shown for i in CLAIMS)} claims")
            print(f"{cid:28s} {c.kind:18s} {c.source}\n    {c.statement}")
        _print_load_errors()
        return 0

    if args.cmd == "table":
        _paper_ids(args.paper)          # an unknown paper is an input error
        result = load_audit(args.json) if args.json else None
        print(markdown_table(result, paper=args.paper))
        if result:
            from theorems.audit.report import mutation_table

            if args.paper:         # the mutation score of that paper's claims only
                result = {**result, "claims": [c for c in result["claims"] if paper_of(c["id"]) == args.paper]}
            print("\n" + mutation_table(result))
        return 0

    if args.cmd == "replay":
        return cmd_replay(args)

    if args.cmd == "refute":
        return cmd_refute(args)

    if args.cmd == "show":
        return cmd_show(args)

    if args.cmd == "coverage":
        return cmd_coverage(args)

    from theorems.audit.run import run_audit
    if args.max_examples < 1:
        raise InputError("--max-examples must be >= 1")
    ids = _parse_ids(args.claims)
    of_paper = _paper_ids(args.paper)
    if of_paper is not None:
        ids = of_paper if ids is None else [i for i in ids if i in of_paper]
        if not ids:
            raise InputError(f"--claims: none of the given ids belongs to paper {args.paper!r}")
    jobs = _jobs(args.jobs, len(ids) if ids else len(CLAIMS))
    filters = filters_by_claim(ids or sorted(CLAIMS), parse_filter_args(args.filter))
    # every output path is checked before the work starts, not found unwritable after it
    if args.json:
        _probe_file(args.json, "--json")
    for flag, path in (("--report", args.report), ("--figures", args.figures)):
        if path:
            _probe_dir(path, flag)
    t0 = time.perf_counter()
    result = run_audit(ids, max_examples=args.max_examples, seed=args.seed, do_polish=not args.no_polish,
                       controls=not args.no_controls, jobs=jobs, necessity=not args.no_necessity,
                       filters=filters, progress=lambda m: print(m, file=sys.stderr, flush=True))
    result["seconds"] = time.perf_counter() - t0
    print(render_table(result))
    _print_load_errors()
    print(f"\n{len(result['claims'])} claims audited in {result['seconds']:.1f}s (seed {args.seed})")
    from theorems.audit.report import versions_line
    print(versions_line(result))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1, default=str)
        print(f"JSON written to {args.json}")
    say = lambda m: print(m, file=sys.stderr, flush=True)
    if args.report:
        from theorems.audit.report import write_report
        paths = write_report(result, args.report, progress=say)
        print(f"report written to {paths['report']} ({len(paths['figures'])} figures)")
    if args.figures:
        from theorems.audit.report import write_figures_or_explain
        figs = write_figures_or_explain(args.figures, progress=say)
        print(f"{len(figs)} figures written to {args.figures}")
    return 0


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # `python -m theorems list | head` ends quietly
    sys.exit(main())
