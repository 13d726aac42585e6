"""The reviewer's report: ``python -m theorems audit --report DIR`` writes DIR/report.md,
DIR/audit.json and, where a claim has them, DIR/figures/*.png."""

from __future__ import annotations

import json
import math
import os
import shlex

from theorems.audit.run import volume_line

__all__ = ["write_report", "render_markdown", "versions_line", "format_ratio", "tightness", "GLOSSARY",
           "SUPREMUM_GAP"]


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


# a 60-digit ratio this close to 1 (but not attained) is printed as "supremum approached (1 − gap)":
# six significant digits would show it as 1
SUPREMUM_GAP = 1e-6


def _digits_from_one(r: float) -> str:
    """``r`` to the digits that tell it from 1: 0.9999996, not 1.0000."""
    if 0 < abs(r) < 1e-3:
        return f"{r:.3g}"
    for digits in range(4, 18):
        text = f"{r:.{digits}f}"
        if float(text) != 1.0:
            return text
    return repr(r)


def format_ratio(r, gap=None, tol=None) -> str:
    """A tightness ratio in words a reader can trust.

    With the 60-digit ``gap`` = 1 − ratio (``tightest.ratio_mp_gap``) and ``tol``, the claim's 60-digit
    tolerance relative to its larger side (``tightest.ratio_mp_tol``: ``Evaluation.tol / max(|lhs|,
    |rhs|)``, the rounding the claim allows itself at 60 digits):

    - ``1 (attained)`` only when ``|gap| ≤ tol`` (0 when the ratio is exactly 1);
    - ``supremum approached (1 − 2.8e-19)`` when ``tol < gap < SUPREMUM_GAP``: the bound is approached
      (e.g. the logistic tail, 1 − ratio ≈ e^{−|p|}), not attained on this instance;
    - otherwise the ratio to the digits that tell it from 1.

    Without a gap (a float64 ratio, or a JSON written before the gap was recorded) a ratio that reads
    1 is never called attained: ``1 (float64; not decided at 60 digits)``, and one above 1 says it is
    float64 rounding, not a tightness."""
    if r is None:
        return "—"
    r = float(r)
    if not math.isfinite(r):
        return str(r)
    if gap is not None:
        gap, tol = float(gap), float(tol or 0.0)
        if abs(gap) <= tol:
            return "1 (attained)"
        if 0 < gap < SUPREMUM_GAP:
            return f"supremum approached (1 − {gap:.2g})"
        if gap < 0:
            return f"1 + {-gap:.2g} (above 1 at 60 digits, beyond the claim's tolerance)"
        return _digits_from_one(r)
    if r == 1.0:
        return "1 (float64; not decided at 60 digits)"
    if r > 1.0:
        return f"{_digits_from_one(r)} (float64 rounding above 1; not a tightness)"
    return _digits_from_one(r)


def tightness(t: dict | None, na: str | None = None, *, short: bool = False) -> str:
    """The tightest instance's ratio as the tables print it: the 60-digit one (with its gap) when it
    was re-evaluated, else the float64 one marked as such. Without one, "n/a (reason)" when the audit
    says why (``tightness_na``: a count, an equality, no informative example; ``short``: the reason's
    head, before its colon), else "—"."""
    if not t:
        if na:
            return f"n/a ({na.split(':')[0] if short else na})"
        return "—"
    if t.get("ratio_mp") is not None:
        return format_ratio(t["ratio_mp"], t.get("ratio_mp_gap"), t.get("ratio_mp_tol"))
    if t.get("ratio") is None:
        return "—"
    text = format_ratio(t["ratio"])
    return text if "float64" in text else f"{text} (float64)"


def family_text(x: dict | None) -> str:
    """Which named family (the strategy's ``meta["corner"]``) an instance came from, in words."""
    fam = (x or {}).get("family")
    return f"family *{fam}*" if fam else "family not named by its strategy"


# the order and spelling of the versions line; run.versions() records them under these keys
_VERSION_NAMES = (("resnet-theorems", "resnet-theorems"), ("python", "Python"), ("hypothesis", "hypothesis"),
                  ("numpy", "numpy"), ("scipy", "scipy"), ("sympy", "sympy"), ("mpmath", "mpmath"))


def versions_line(result: dict) -> str:
    """"ran with resnet-theorems X, Python Y, hypothesis Z, numpy …, scipy …, sympy …, mpmath …": the
    versions an audit ran with (``run.versions()``, recorded in its JSON), so that a result read
    later says what produced it; a result without them says so rather than guessing."""
    v = result.get("versions") or {}
    if not v:
        return "ran with: versions not recorded"
    known = {k for k, _ in _VERSION_NAMES}
    parts = [f"{label} {v[k]}" for k, label in _VERSION_NAMES if k in v]
    parts += [f"{k} {x}" for k, x in v.items() if k not in known]
    return "ran with " + ", ".join(parts)


def reproduce_command(result: dict) -> str:
    """The command line that re-runs this audit with every option it used."""
    o = result.get("options") or {"max_examples": result.get("max_examples"), "seed": result.get("seed")}
    parts = ["python -m theorems audit"]
    if o.get("claims"):
        parts.append("--claims " + ",".join(o["claims"]))
    parts += [f"--seed {o.get('seed', 0)}", f"--max-examples {o.get('max_examples', 200)}"]
    if o.get("polish") is False:
        parts.append("--no-polish")
    if o.get("controls") is False:
        parts.append("--no-controls")
    if o.get("necessity") is False:
        parts.append("--no-necessity")
    given = {}
    for f in (o.get("filters") or {}).values():
        given.update(f or {})
    parts += [f"--filter {n}={shlex.quote(json.dumps(v))}" for n, v in given.items()]
    return " ".join(parts)


# every word the report prints, defined once (tests/test_reviewer_frictions.py checks the list is complete)
GLOSSARY = (
    ("holds", "no counterexample was found in the *valid* examples searched (each met the claim's hypotheses), "
              "and enough of them were informative. Evidence, not proof."),
    ("refuted", "a float64 violation that survived re-evaluation on the same inputs at 60 digits: a confirmed "
                "counterexample, shrunk. For a `literal` claim that is an erratum of the paper (listed under "
                "Errata with its corrected claim); for any other kind a bug of the suite."),
    ("vacuous", "no counterexample, but fewer informative examples than half the valid ones, or fewer than 100 at "
                "the default budget: the search mostly met instances where the statement could not fail. Not a "
                "pass. (Exact finite checks and open questions are exempt.)"),
    ("inconclusive", "no valid example, a hypothesis that never held, an open question (a probe, never a gate), or "
                     "a search that raised. Not a pass."),
    ("informative", "an example where the statement could have failed on that instance (a bound below what its "
                    "other side can reach, an identity with non-zero terms, a test able to reject). Each claim "
                    "states its own rule, printed under it below."),
    ("discarded", "test cases Hypothesis itself rejected while generating (filters, overruns of its data buffer); "
                  "never evaluated, not examples."),
    ("not tested", "instances the claim declined because they miss its hypotheses (at either precision); counted, "
                   "not examples, never errors."),
    ("raised", "evaluations whose computation raised (e.g. a SciPy solver); recorded with the message and the "
               "instance, never certified, never hidden."),
    ("rounding artifact", "a float64 violation that vanished at 60 digits on the same inputs: counted, never a "
                          "counterexample."),
    ("necessary", "a part of the statement (a term, factor, constant, norm or hypothesis) whose removal or "
                  "sharpening gives a variant with a confirmed counterexample (its witness is shown)."),
    ("unnecessary", "the variant without that part was shown true (an argument pinned by a test)."),
    ("open", "the variant without that part was not refuted within the budget: a gap, not a pass."),
    ("n/a", "in the necessity table: the statement itself is refuted, so its sharper variants are trivially "
            "false and say nothing (not searched). As a tightest ratio, \"n/a (reason)\": the claim has no "
            "ratio, and the reason says why — an equality (judged by its discrepancy in tolerance units), a "
            "count or an existence (a number of points, not a bound), or no informative example."),
    ("attained", "the tightest instance's ratio (rhs/lhs or lhs/rhs) is 1 at 60 digits, exactly or within the "
                 "claim's own 60-digit tolerance relative to its larger side (Evaluation.tol / max(|lhs|, |rhs|), "
                 "about 1e-57): the bound is met with equality on that instance."),
    ("supremum approached", f"the 60-digit ratio is below 1 by more than that tolerance but by less than "
                            f"{SUPREMUM_GAP:g}; the report prints the gap (1 − 2.8e-19): the bound is approached "
                            "(e.g. the logistic tail, 1 − ratio ≈ e^(−|p|)), not attained on that instance."),
)


def _glossary() -> str:
    return "\n".join(f"- **{word}**: {text}" for word, text in GLOSSARY)


HOW_TO_READ = """## How to read this report

Every word the report prints, defined:

""" + _glossary() + """

Further: an *example* is one instance evaluated. Claims marked *batched* draw a batch of up to 32
instances of one structure per Hypothesis example (each batch counts 4 toward the budget); every
member is evaluated and counted. **tightness**: for an inequality that holds, rhs/lhs (or lhs/rhs)
at the tightest instance found, ranked and printed at 60 digits (the float64 ratio is shown beside
it; a float64 ratio above 1 is rounding, never a tightness). The *family* of an instance is the
named corner of its strategy (``meta["corner"]``) it was drawn from. **controls**: deliberately
false variants of the claim (a sharper constant, a dropped term); each must be refuted, or the
claim's predicate or search has lost its power to fail.
"""


SECTIONS = (("Sec. 2 (Remark 1)", ("remark1",)),
            ("Sec. 3 and its proofs, Sec. 6.1–6.3", ("gradients", "lemma1", "theorem1", "lemma2", "theorem2",
                                                     "theorem3", "corollary1")),
            ("Sec. 4 (Example 1, Remark 3, Figure 1)", ("example1", "remark3", "section4")),
            ("Sec. 5 and its proof, Sec. 6.4", ("theorem4", "theorem5")),
            ("Appendix A (and Remark 2)", ("lemma3", "theorem6", "remark2")))


def section_of(cid: str) -> str:
    head = cid.split(".")[0]
    return next((name for name, heads in SECTIONS if head in heads), "other")


def mutation_scores(result: dict) -> list[dict]:
    """The statement mutation score per section of the paper: of the false variants derived from the
    claims' named parts (necessity analysis), how many the search refuted (necessary) versus left
    open; variants shown true (unnecessary) are not counted."""
    rows = []
    for name, _ in (*SECTIONS, ("other", ())):
        parts = [x for c in result["claims"] if section_of(c["id"]) == name for x in (c.get("necessity") or [])]
        if not parts:
            continue
        nec = sum(x["status"] == "necessary" for x in parts)
        opn = sum(x["status"] == "open" for x in parts)
        unn = sum(x["status"] == "unnecessary" for x in parts)
        n_a = sum(x["status"] == "n/a" for x in parts)
        rows.append({"section": name, "parts": len(parts), "necessary": nec, "open": opn, "unnecessary": unn,
                     "n/a": n_a, "score": None if nec + opn == 0 else nec / (nec + opn)})
    return rows


def mutation_table(result: dict) -> str:
    lines = ["| section | parts | necessary | open | unnecessary | n/a | statement mutation score |",
             "|---|---|---|---|---|---|---|"]
    for r in mutation_scores(result):
        score = "—" if r["score"] is None else f"{100 * r['score']:.0f} %"
        lines.append(f"| {r['section']} | {r['parts']} | {r['necessary']} | {r['open']} | {r['unnecessary']} | "
                     f"{r.get('n/a', 0)} | {score} |")
    return "\n".join(lines)


def _necessity_table(c: dict) -> list[str]:
    rows = c.get("necessity") or []
    if not rows:
        return []
    out = ["| part | variant | status | examples (informative) | why |", "|---|---|---|---|---|"]
    for x in rows:
        why = x.get("reason", "")
        if x["status"] == "necessary":
            why = f"refuted at example {x.get('first_failure_at')}, confirmed at 60 digits"
        out.append(f"| {x['part']} | `{x['variant']}` | **{x['status']}** | {x['examples']} ({x['informative']}) | "
                   f"{why} |")
    out.append("")
    witnesses = [x for x in rows if x["status"] == "necessary" and isinstance(x.get("witness"), dict)]
    if witnesses:
        out += ["Necessity witnesses (each confirmed at 60 digits; replay one by saving its instance):", ""]
        for x in witnesses:
            w = x["witness"]
            out.append(f"- *{x['part']}*: lhs = {_fmt(w.get('lhs'))}, rhs = {_fmt(w.get('rhs'))}; "
                       f"{family_text(w)}; {_instance_summary(w.get('instance'))}")
        out.append("")
    return out


def _quantities(ev: dict | None) -> str:
    if not ev:
        return ""
    q = ev.get("quantities") or {}
    return ", ".join(f"{k} = {_fmt(v, '.10g')}" for k, v in q.items()
                     if isinstance(v, (int, float)) and not isinstance(v, bool))


def _json_block(obj) -> str:
    return "<details><summary>instance (JSON, re-run with <code>python -m theorems replay</code>)</summary>\n\n" \
           f"```json\n{json.dumps(obj)}\n```\n</details>\n"


def render_markdown(result: dict, figures: list[str] | None = None) -> str:
    from theorems.contract import CLAIMS, paper_order

    claims = sorted(result["claims"], key=lambda c: paper_order(c["id"]))
    out = ["# resnet-theorems audit report", "",
           "Shamir (2018), *Are ResNets Provably Better than Linear Predictors?* — every claim searched with "
           "Hypothesis; violations confirmed at 60 digits before they are reported.", "",
           f"- seed: {result['seed']}, budget per claim: {result['max_examples']} examples "
           "(a batch of instances counts 4)",
           "- " + versions_line(result),
           f"- reproduce: `{reproduce_command(result)}`",
           "", HOW_TO_READ]
    counts = {}
    for c in claims:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    out += ["## Summary", "", ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), "",
            "| location | claim | kind | status | valid | informative | discarded | tightest ratio | "
            "controls refuted | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for c in claims:
        t = c.get("tightest") or {}
        ctl = c.get("controls") or []
        out.append(f"| {c['source']} | `{c['id']}` | {c['kind']} | **{c['status']}**"
                   f"{' (error)' if c.get('error') else ''} | {c['examples']} | {c.get('informative', '—')} | "
                   f"{c['discarded']} | {tightness(t, c.get('tightness_na'), short=True)} | "
                   f"{sum(x['refuted'] for x in ctl)}/{len(ctl)} | "
                   f"{c['seconds']:.1f} |")

    scores = mutation_scores(result)
    if scores:
        out += ["", "## Which parts of each statement are needed", "",
                "Every term, factor, constant, named norm and hypothesis of a claim's statement gives a "
                "variant without it (or sharper); *necessary*: the variant was refuted (confirmed witness); "
                "*open*: not refuted within the budget — a gap, not a pass; *unnecessary*: the variant was shown true "
                "(an argument pinned by a test); *n/a*: the statement itself is refuted, so a sharper variant is "
                "trivially false and says nothing (not searched). The statement mutation score is "
                "necessary / (necessary + open), per section.", "", mutation_table(result), ""]

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
                f"- **quantities at 60 digits:** {_quantities(ce.get('evaluation_mp')) or '—'}",
                f"- **why:** {e.get('why', '')}",
                f"- **corrected statement** (`{corr}`): "
                f"{CLAIMS[corr].statement if corr in CLAIMS else e.get('statement', '')}"
                + (f" — status **{corr_res['status']}**" if corr_res else ""), ""]
        if ce.get("instance"):
            out.append(_json_block(ce["instance"]))

    out += ["", "## Claims", ""]
    for c in claims:
        out += [f"### `{c['id']}` — {c['source']}", "",
                f"*{c['kind']}* · status **{c['status']}** · {c['examples']} valid examples "
                + (f"(*batched*: {c['hypothesis_examples']} Hypothesis examples) "
                   if c.get("hypothesis_examples") and c["hypothesis_examples"] < c["examples"] else "")
                + f"({c.get('informative', '—')} informative, {c.get('not_tested', 0)} not tested) / "
                f"{c['discarded']} discarded · {c['seconds']:.1f} s", "", f"> {c['statement']}", ""]
        if c.get("informative_rule"):
            out += [f"*Informative* for this claim: {c['informative_rule']}", ""]
        if c.get("filters"):
            out += ["Strategy filters: " + ", ".join(f"`{k}={json.dumps(v)}`" for k, v in c["filters"].items()), ""]
        if c.get("error"):
            errs = c.get("errors") or [{"stage": "audit", "type": "", "message": c["error"]}]
            passed = "the claim has not passed" if c["status"] != "holds" else "the status stands on the search"
            out += [f"**Error** ({passed}): " + "; ".join(f"{e['stage']}: `{e['type']}: {e['message']}`"
                                                         if e["type"] else f"{e['stage']}: `{e['message']}`"
                                                         for e in errs), ""]
        if c.get("hypotheses"):
            out.append("Hypotheses held in: "
                       + ", ".join(f"`{h}` {n}/{c['examples']}" for h, n in c["hypotheses"].items()))
            out.append("")
        t = c.get("tightest")
        if not t and c.get("tightness_na"):
            out += [f"Tightest instance: {tightness(t, c['tightness_na'])}.", ""]
        if t:
            q = ", ".join(f"{k} = {_fmt(v)}" for k, v in t.get("quantities", {}).items() if isinstance(v, (int, float)))
            why = f" — {t['ratio_mp_reason']}" if t.get("ratio_mp_reason") else ""
            head = (f"ratio {tightness(t)} at 60 digits (float64: {format_ratio(t['ratio'])})"
                    if t.get("ratio_mp") is not None else f"ratio {tightness(t)} (60 digits: —{why})")
            out += [f"Tightest instance: {head}"
                    f"{', polished by a local optimizer and re-evaluated' if t.get('polished') else ''}; "
                    f"{family_text(t)}; {_instance_summary(t.get('instance'))}.", "", f"Quantities: {q}", ""]
            others = [x for x in t.get("candidates") or [] if not x.get("chosen")]
            if others:
                out += ["Other candidates re-evaluated at 60 digits: " + "; ".join(
                    f"{family_text(x)}: " + (tightness(x) if x.get("ratio_mp") is not None
                                             else f"float64 {format_ratio(x.get('ratio'))}, {x.get('reason', '—')}")
                    for x in others), ""]
        ce = c.get("counterexample")
        if ce:
            out += [f"**Counterexample** ({'confirmed at 60 digits' if ce['confirmed'] else 'UNCONFIRMED'}, "
                    f"{ce.get('shrinks', 0)} shrinks, found by {ce.get('found_by', 'hypothesis')}): "
                    f"lhs = {_fmt(ce['lhs'])}, rhs = {_fmt(ce['rhs'])}; {family_text(ce)}; "
                    f"{_instance_summary(ce.get('instance'))}", "",
                    f"Quantities at 60 digits: {_quantities(ce.get('evaluation_mp')) or '—'}", "",
                    _json_block(ce.get("instance"))]
        if c.get("raised"):
            fr = c.get("first_raised") or {}
            out += [f"**Raised** in {c['raised']} evaluation(s) (recorded, not certified): "
                    f"{fr.get('check', '')}: `{fr.get('error', '')}`", ""]
        if c.get("volume"):
            out += [volume_line(c)[0].upper() + volume_line(c)[1:] + ".", ""]
        if c.get("artifacts"):
            out += [f"Rounding artifacts: {c['artifacts']} float64 violation(s) vanished at 60 digits.", ""]
        out += _necessity_table(c)
        ctl = c.get("controls") or []
        if ctl:
            out += ["| negative control | refuted | examples | shrinks | seconds |", "|---|---|---|---|---|"]
            for x in ctl:
                refuted = "yes" if x["refuted"] else f"**NO** (raised `{x['error']}`)" if x.get("error") else "**NO**"
                out.append(f"| {x['statement']} | {refuted} | {x['examples']} | "
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
    """DIR/report.md, DIR/audit.json and the figures of the claims audited (``figures.figures_for``:
    Figure 1 only when a Sec. 4 / Example 1 claim is in the result)."""
    try:
        from theorems.audit.figures import figures_for
    except ImportError:          # no figure module: no figures (write_figures_or_explain would say so)
        def figures_for(ids):
            return False

    os.makedirs(outdir, exist_ok=True)
    paths = {"json": os.path.join(outdir, "audit.json"), "report": os.path.join(outdir, "report.md")}
    figs = []
    if figures and figures_for(c["id"] for c in result["claims"]):
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
