"""Command line: ``python -m theorems list | audit | replay | table``.

    python -m theorems list
    python -m theorems audit [--claims ID[,ID...]] [--max-examples N] [--seed S] [--json PATH]
                             [--no-polish] [--no-controls] [--jobs N] [--report DIR] [--figures DIR]
    python -m theorems replay ID INSTANCE.json     # re-evaluate a saved instance, float and 60 digits
    python -m theorems table [AUDIT.json]          # the README claims table, in Markdown
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from theorems import CLAIMS
from theorems.audit import LOAD_ERRORS, load_claims
from theorems.audit.run import volume_line
from theorems.contract import paper_order


def _fmt_ratio(r):
    return "—" if r is None else f"{r:.4f}"


def render_table(result: dict) -> str:
    head = ("claim", "kind", "status", "valid", "discarded", "seconds", "tightest", "controls refuted")
    rows = []
    for c in result["claims"]:
        t = c.get("tightest")
        ctl = c.get("controls") or []
        ctl_s = f"{sum(x['refuted'] for x in ctl)}/{len(ctl)}" if ctl else "—"
        status = c["status"] + (" (error)" if c.get("error") else "")
        rows.append((c["id"], c["kind"], status, str(c["examples"]), str(c["discarded"]),
                     f"{c['seconds']:.1f}", _fmt_ratio(t["ratio"] if t else None), ctl_s))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = lambda r: "  ".join(x.ljust(w) for x, w in zip(r, widths))
    out = [line(head), line(tuple("-" * w for w in widths))] + [line(r) for r in rows]
    notes = []
    for c in result["claims"]:
        if c.get("error"):
            notes.append(f"{c['id']}: ERROR {c['error']}")
        if c.get("counterexample"):
            ce = c["counterexample"]
            notes.append(f"{c['id']}: confirmed counterexample: lhs={ce['lhs']:.6g} rhs={ce['rhs']:.6g} "
                         f"({ce.get('shrinks', 0)} shrinks) [{c['source']}]")
        if c.get("volume"):
            notes.append(f"{c['id']}: " + volume_line(c))
        t = c.get("tightest")
        if t and "p_value" in (t.get("quantities") or {}):
            q = t["quantities"]
            notes.append(f"{c['id']}: binomial test p = {q['p_value']:.3g}, {int(q['failures'])}/{int(q['runs'])} "
                         f"runs outside the bound (δ = {q.get('delta')})")
        if c.get("artifacts"):
            notes.append(f"{c['id']}: {c['artifacts']} float64 violation(s) vanished at 60 digits "
                         "(rounding artifacts, not counterexamples)")
        for x in c.get("controls") or []:
            if not x["refuted"]:
                notes.append(f"{c['id']}: negative control {x['name']} was NOT refuted "
                             f"({x['examples']} examples): the predicate failed to catch a false variant")
        for h, n in (c.get("hypotheses") or {}).items():
            if n == 0:
                notes.append(f"{c['id']}: hypothesis '{h}' never held: not passed")
    return "\n".join(out + ([""] + notes if notes else []))


def markdown_table(path=None) -> str:
    """README claims table: paper location → claim id → kind → status (from an audit JSON)."""
    audited = {}
    if path:
        with open(path) as fh:
            audited = {c["id"]: c for c in json.load(fh)["claims"]}
    lines = ["| paper location | claim id | kind | status |", "|---|---|---|---|"]
    for cid in sorted(CLAIMS, key=paper_order):
        c, a = CLAIMS[cid], audited.get(cid)
        if a is None:
            status = "not audited"
        else:
            status = a["status"]
            t = a.get("tightest")
            if t and t.get("ratio") is not None and a["status"] == "holds":
                status += f" (tightest ratio {min(t['ratio'], 1.0):.4f})"
            ctl = a.get("controls") or []
            if ctl:
                status += f"; controls refuted {sum(x['refuted'] for x in ctl)}/{len(ctl)}"
        lines.append(f"| {c.source} | `{cid}` | {c.kind} | {status} |")
    return "\n".join(lines)


def instance_class(name: str):
    """The instance class a saved JSON names in its "type" field (Point, VectorPoint, ...)."""
    from theorems.model.serialization import InstanceFormatError, instance_type

    load_claims()      # every claim module, so that every instance type is registered
    try:
        return instance_type(name)
    except InstanceFormatError:
        pass
    for modname, mod in sorted(sys.modules.items()):   # TODO(restructure): types not yet on the base
        if modname == "theorems" or modname.startswith("theorems."):
            cls = getattr(mod, name, None)
            if isinstance(cls, type) and hasattr(cls, "from_json"):
                return cls
    raise SystemExit(f"error: unknown instance type {name!r} in the JSON file")


def _parse_ids(raw):
    if not raw:
        return None
    ids = [i.strip() for part in raw for i in part.split(",") if i.strip()]
    unknown = [i for i in ids if i not in CLAIMS]
    if unknown:
        raise SystemExit(f"error: unknown claim id(s) {unknown}; run 'python -m theorems list'")
    return ids


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m theorems", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="list every claim: id, kind, source, statement")
    a = sub.add_parser("audit", help="search every claim for counterexamples and tight instances")
    a.add_argument("--claims", action="append", help="claim ids (comma separated; repeatable)")
    a.add_argument("--max-examples", type=int, default=200, help="valid examples per claim (default 200)")
    a.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    a.add_argument("--json", metavar="PATH", help="write the full result as JSON")
    a.add_argument("--report", metavar="DIR", help="write DIR/report.md, DIR/audit.json and DIR/figures/")
    a.add_argument("--figures", metavar="DIR", help="write Figure 1 (a)-(c) as PNG files into DIR")
    a.add_argument("--no-polish", action="store_true", help="skip the local polishing of tight instances")
    a.add_argument("--no-controls", action="store_true", help="skip the negative controls")
    a.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes to spread claims over (default: all cores)")
    t = sub.add_parser("table", help="print the README claims table (Markdown) from an audit JSON")
    t.add_argument("json", nargs="?", help="audit JSON (from audit --json); without it, status is 'not audited'")
    r = sub.add_parser("replay", help="re-evaluate a saved instance (JSON) for a claim")
    r.add_argument("claim")
    r.add_argument("instance", help="JSON file: an instance, or an audit result's counterexample/tightest")
    args = ap.parse_args(argv)

    if args.cmd == "list":
        for cid in sorted(CLAIMS):
            c = CLAIMS[cid]
            print(f"{cid:28s} {c.kind:18s} {c.source}\n    {c.statement}")
        return 0

    if args.cmd == "table":
        print(markdown_table(args.json))
        return 0

    if args.cmd == "replay":
        claim = CLAIMS[args.claim] if args.claim in CLAIMS else None
        if claim is None:
            raise SystemExit(f"error: unknown claim id {args.claim!r}; run 'python -m theorems list'")
        with open(args.instance) as fh:
            data = json.load(fh)
        data = data.get("instance", data)
        inst = instance_class(data.get("type", "Point")).from_json(data)
        print("float64:  ", claim.evaluate(inst).message())
        print("60 digits:", claim.evaluate(inst, dps=60).message())
        return 0

    from theorems.audit.run import run_audit
    if args.max_examples < 1:
        raise SystemExit("error: --max-examples must be >= 1")
    ids = _parse_ids(args.claims)
    t0 = time.perf_counter()
    result = run_audit(ids, max_examples=args.max_examples, seed=args.seed, do_polish=not args.no_polish,
                       controls=not args.no_controls, jobs=max(1, args.jobs),
                       progress=lambda m: print(m, file=sys.stderr, flush=True))
    result["seconds"] = time.perf_counter() - t0
    print(render_table(result))
    for mod, err in sorted(LOAD_ERRORS.items()):
        print(f"ERROR: result module theorems/{mod}.py failed to import: {err}")
    print(f"\n{len(result['claims'])} claims audited in {result['seconds']:.1f}s (seed {args.seed})")
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
    sys.exit(main())
