"""Figure 1 of Sec. 4, redrawn from the exact stationary-point analysis of :mod:`theorems.model.figure1`.

``write_figures(outdir)`` writes ``figure1a.png``, ``figure1b.png``, ``figure1c.png``: contour plots
(x-axis w, y-axis v, as in the paper) of

- (a) F(w, v) = (w(1 + v) − 1)² (the caption's F) with the valley of global minima and the saddle;
- (b) F + ¼(w² + v²) (caption), with every stationary point marked by its class;
- (c) F with the constraint circle ‖(w, v)‖ ≤ 2 and every KKT point marked by its class.

The caption's F is the one whose (b) shows the spurious minimum the text describes (the text's
½-scaled F with λ = ½ has none: see ``section4.regularization``); each panel's title names its
objective. Needs matplotlib (the ``plots`` extra); the Agg backend is used, no display needed.
"""

from __future__ import annotations

import os

import numpy as np

from theorems.model.figure1 import (
    PAPER_READINGS,
    Objective2D,
    constrained_kkt_points,
    paper_objective,
    regularized_stationary_points,
    spurious_minima,
)

__all__ = ["write_figures", "FIGURE_NAMES", "FIGURE_CLAIMS", "figures_for"]

FIGURE_NAMES = ("figure1a.png", "figure1b.png", "figure1c.png")
# the claims Figure 1 illustrates: Sec. 4's objective F(w, v) = (w(1 + v) − 1)², its regularized and
# constrained versions (section4.*) and Example 1, whose instance the figure is drawn from (example1.*)
FIGURE_CLAIMS = ("section4", "example1")


def figures_for(claim_ids) -> bool:
    """Whether an audit of ``claim_ids`` has figures: Figure 1 belongs to the claims ``FIGURE_CLAIMS``
    (a claim id ``section4`` or ``section4.X``), so a report shows it only when one of them was audited."""
    return any(str(cid).split(".")[0] in FIGURE_CLAIMS for cid in claim_ids)
_STYLE = {"global min": ("o", "tab:green"), "local min": ("*", "tab:red"), "spurious local min": ("*", "tab:red"),
          "saddle": ("X", "tab:orange"), "local max": ("^", "tab:purple"), "degenerate": ("s", "tab:gray")}
_LIM = 3.0


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:   # the plots extra is optional
        raise ImportError("Figure 1 needs matplotlib: pip install 'resnet-theorems[plots]'") from err
    return plt


def _mark(ax, points, suffix=""):
    seen = set()
    for p in points:
        cls = p["cls"]
        marker, color = _STYLE[cls]
        label = f"{cls}{suffix if p.get('where') == 'boundary' else ''}"
        label = label if label not in seen else None
        seen.add(label)
        ax.plot(float(p["w"]), float(p["v"]), marker=marker, color=color, markersize=13 if marker == "*" else 9,
                markeredgecolor="k", linestyle="none", label=label, zorder=5)


def _valley(ax, eps=1.0):
    # the two branches of {w(1 + εv) = 1}: global minima of F
    for vs in (np.linspace(-1 / eps + 1e-2, _LIM, 400), np.linspace(-_LIM, -1 / eps - 1e-2, 400)):
        ws = 1 / (1 + eps * vs)
        keep = np.abs(ws) <= _LIM
        ax.plot(ws[keep], vs[keep], "--", color="tab:green", lw=1.5,
                label="global minima (valley)" if vs[0] > -1 / eps else None)


def _panel(plt, obj, Z, title):
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    levels = np.quantile(Z, np.linspace(0, 0.9, 30))
    cs = ax.contour(_W, _V, Z, levels=np.unique(levels), cmap="viridis", linewidths=0.8)
    fig.colorbar(cs, ax=ax, shrink=0.8)
    ax.axhline(0, color="0.7", lw=0.5)
    ax.axvline(0, color="0.7", lw=0.5)
    ax.set_xlabel("w")
    ax.set_ylabel("v")
    ax.set_xlim(-_LIM, _LIM)
    ax.set_ylim(-_LIM, _LIM)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
    return fig, ax


_grid = np.linspace(-_LIM, _LIM, 401)
_W, _V = np.meshgrid(_grid, _grid)


def write_figures(outdir) -> list[str]:
    """Write Figure 1 (a), (b), (c) as PNG files into ``outdir``; returns their paths."""
    if not isinstance(outdir, (str, os.PathLike)):
        raise TypeError(f"argument 'outdir': expected a directory path, got {type(outdir).__name__}")
    plt = _pyplot()
    os.makedirs(outdir, exist_ok=True)
    cap = PAPER_READINGS["caption"]
    obj = paper_objective("caption")
    F_only = Objective2D(cap["c"], 0.0, cap["eps"], cap["radius"], "caption")
    paths = []

    # (a) F: valley of global minima and the saddle (0, −1/ε)
    fig, ax = _panel(plt, F_only, F_only.F(_W, _V), "(a) F(w,v) = (w(1+v) − 1)²")
    _valley(ax)
    _mark(ax, [dict(w=0.0, v=-1.0, cls="saddle")])
    ax.legend(loc="upper right", fontsize=7)
    paths.append(_save(plt, fig, outdir, FIGURE_NAMES[0]))

    # (b) F + ¼(w² + v²)
    fig, ax = _panel(plt, obj, obj.G(_W, _V), "(b) F + ¼(w² + v²): stationary points (exact)")
    pts = regularized_stationary_points(obj)
    _, spurious = spurious_minima(pts, "G")
    for p in pts:   # the least of the local minima is the global minimum; the others are spurious
        if p["cls"] == "local min":
            p["cls"] = "spurious local min" if any(p is q for q in spurious) else "global min"
    _mark(ax, pts)
    ax.legend(loc="upper right", fontsize=7)
    paths.append(_save(plt, fig, outdir, FIGURE_NAMES[1]))

    # (c) F on the disk ‖(w, v)‖ ≤ 2
    fig, ax = _panel(plt, F_only, F_only.F(_W, _V), "(c) F with ‖(w,v)‖ ≤ 2: KKT points (exact)")
    t = np.linspace(0, 2 * np.pi, 400)
    R = float(cap["radius"])
    ax.plot(R * np.cos(t), R * np.sin(t), "k-", lw=1.5, label="‖(w,v)‖ = 2")
    _valley(ax)
    _mark(ax, constrained_kkt_points(F_only), suffix=" (boundary)")
    ax.legend(loc="upper right", fontsize=7)
    paths.append(_save(plt, fig, outdir, FIGURE_NAMES[2]))
    return paths


def _save(plt, fig, outdir, name):
    path = os.path.join(os.fspath(outdir), name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
