"""The reviewer's report: ``python -m theorems audit --report DIR`` writes DIR/report.md,
DIR/audit.json and, where a claim has them, DIR/figures/*.png."""

from __future__ import annotations

import json
import os

from theorems.audit.run import volume_line

__all__ = ["write_report", "render_markdown"]


def _fmt(x, fmt=".6g"):
    return "—" if x is None else format(x, fmt)


def _instance_summary(inst) -> str:
    if not isinstance(inst, dict):
        return str(inst)
    if inst.get("type") == "Point":
        s = inst["sample"]
        n, d, k = len(s["X"]), len(s["X"][0]), len(s["Phi"][0])
        meta = inst.get("meta", {})
        return (f"n={n}, d={d}, k={k}, loss {inst['loss'].get('name')}, "
                f"f_θ {meta.get('feature_map', '?')}, corner {meta.get('corner', '?')}")
    return ", ".join(f"{k}={v}" for k, v in inst.items() if not isinstance(v, (list, dict)))[:300]


def _json_block(obj) -> str:
    return "<details><summary>instance (JSON, re-run with <code>python -m theorems replay</code>)</summary>\n\n" \
           f"```json\n{json.dumps(obj)}\n```\n</details>\n"


def render_markdown(result: dict, figures: list[str] | None = None) -> str:
    from theorems.contract import CLAIMS, paper_order

    claims = sorted(result["claims"], key=lambda c: paper_order(c["id"]))
    out = ["# resnet-theorems audit report", "",
           "Shamir (2018), *Are ResNets Provably Better than Linear Predictors?* — every claim searched with "
           "Hypothesis; violations confirmed at 60 digits before they are reported.", "",
           f"- seed: {result['seed']}, valid examples per claim: {result['max_examples']}",
           "- versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()),
           f"- reproduce: `python -m theorems audit --seed {result['seed']} --max-examples {result['max_examples']}`",
           ""]
    counts = {}
    for c in claims:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    out += ["## Summary", "", ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), "",
            "| location | claim | kind | status | valid | discarded | tightest ratio | controls refuted | seconds |",
            "|---|---|---|---|---|---|---|---|---|"]
    for c in claims:
        t = c.get("tightest") or {}
        ctl = c.get("controls") or []
        out.append(f"| {c['source']} | `{c['id']}` | {c['kind']} | **{c['status']}**"
                   f"{' (error)' if c.get('error') else ''} | {c['examples']} | {c['discarded']} | "
                   f"{_fmt(t.get('ratio'), '.4f')} | {sum(x['refuted'] for x in ctl)}/{len(ctl)} | "
                   f"{c['seconds']:.1f} |")

    errata = [c for c in claims if c.get("erratum") and c["status"] == "refuted"]
    out += ["", "## Errata", ""]
    if not errata:
        out.append("No literal statement was refuted in this run.")
    for c in errata:
        e, ce = c["erratum"], c.get("counterexample") or {}
        corr = e.get("correction")
        corr_res = next((x for x in claims if x["id"] == corr), None)
        out += [f"### {e.get('location', c['source'])} — `{c['id']}`", "",
                f"- **statement (as written):** {c['statement']}",
                f"- **minimal counterexample (confirmed at 60 digits):** lhs = {_fmt(ce.get('lhs'))}, "
                f"rhs = {_fmt(ce.get('rhs'))}; {_instance_summary(ce.get('instance'))}",
                f"- **why:** {e.get('why', '')}",
                f"- **corrected statement** (`{corr}`): "
                f"{CLAIMS[corr].statement if corr in CLAIMS else e.get('statement', '')}"
                + (f" — status **{corr_res['status']}**" if corr_res else ""), ""]
        if ce.get("instance"):
            out.append(_json_block(ce["instance"]))

    out += ["", "## Claims", ""]
    for c in claims:
        out += [f"### `{c['id']}` — {c['source']}", "",
                f"*{c['kind']}* · status **{c['status']}** · {c['examples']} valid / {c['discarded']} discarded "
                f"examples · {c['seconds']:.1f} s", "", f"> {c['statement']}", ""]
        if c.get("error"):
            out += [f"**Error:** `{c['error']}` (the claim has not passed)", ""]
        if c.get("hypotheses"):
            out.append("Hypotheses held in: "
                       + ", ".join(f"`{h}` {n}/{c['examples']}" for h, n in c["hypotheses"].items()))
            out.append("")
        t = c.get("tightest")
        if t:
            q = ", ".join(f"{k} = {_fmt(v)}" for k, v in t.get("quantities", {}).items() if isinstance(v, (int, float)))
            out += [f"Tightest instance: ratio {_fmt(t['ratio'], '.6f')} (60 digits: {_fmt(t.get('ratio_mp'), '.6f')})"
                    f"{', polished by a local optimizer and re-evaluated' if t.get('polished') else ''}; "
                    f"{_instance_summary(t.get('instance'))}.", "", f"Quantities: {q}", ""]
        ce = c.get("counterexample")
        if ce:
            out += [f"**Counterexample** ({'confirmed at 60 digits' if ce['confirmed'] else 'UNCONFIRMED'}, "
                    f"{ce.get('shrinks', 0)} shrinks, found by {ce.get('found_by', 'hypothesis')}): "
                    f"lhs = {_fmt(ce['lhs'])}, rhs = {_fmt(ce['rhs'])}; {_instance_summary(ce.get('instance'))}", "",
                    _json_block(ce.get("instance"))]
        if c.get("volume"):
            out += [volume_line(c)[0].upper() + volume_line(c)[1:] + ".", ""]
        if c.get("artifacts"):
            out += [f"Rounding artifacts: {c['artifacts']} float64 violation(s) vanished at 60 digits.", ""]
        ctl = c.get("controls") or []
        if ctl:
            out += ["| negative control | refuted | examples | shrinks | seconds |", "|---|---|---|---|---|"]
            for x in ctl:
                out.append(f"| {x['statement']} | {'yes' if x['refuted'] else '**NO**'} | {x['examples']} | "
                           f"{_fmt(x.get('shrinks'), 'd') if x.get('shrinks') is not None else '—'} | "
                           f"{x['seconds']:.1f} |")
            out.append("")
        for extra in ("notes",):
            if c.get(extra):
                out += [str(c[extra]), ""]
    if figures:
        out += ["## Figures", ""] + [f"![{os.path.basename(p)}]({p})" for p in figures] + [""]
    return "\n".join(out)


def write_report(result: dict, outdir: str, *, figures: bool = True, progress=None) -> dict:
    os.makedirs(outdir, exist_ok=True)
    paths = {"json": os.path.join(outdir, "audit.json"), "report": os.path.join(outdir, "report.md")}
    figs = []
    if figures:
        figs = write_figures_or_explain(os.path.join(outdir, "figures"), progress)
    with open(paths["json"], "w") as fh:
        json.dump(result, fh, indent=1, default=str)
    with open(paths["report"], "w") as fh:
        fh.write(render_markdown(result, [os.path.relpath(p, outdir) for p in figs]))
    paths["figures"] = figs
    return paths


def write_figures_or_explain(outdir: str, progress=None) -> list[str]:
    """Figure 1 (a)–(c) if the figure module and matplotlib are available; otherwise say how."""
    try:
        from theorems.audit.figures import write_figures
    except ImportError as err:
        if progress:
            progress(f"figures skipped: {err}")
        return []
    try:
        return list(write_figures(outdir))
    except ImportError as err:
        if progress:
            progress(f"figures skipped: {err}")
        return []
