"""Check a user's analytic gradient against the function it differentiates (any paper's model).

``check_gradient(f, grad, x)`` compares ⟨grad(x), v⟩ with a central difference of f along directions
v (every coordinate, plus seeded random unit directions), in the style of jax's ``check_grads``, and
under the suite's numerics policy: a float64 disagreement is only a *candidate*, re-checked at
``dps`` digits (default 60) with mpmath before it is called a mismatch; with ``sympy_f`` the gradient
is also compared coordinate by coordinate with SymPy's exact derivative. The result is a
``GradientCheck`` (never a bare bool) whose ``message()`` prints the numerical and analytical values
side by side, as torch's ``gradcheck`` does.

Numerics:

- float64: the derivative is the Richardson extrapolation (4·D(h) − D(2h))/3 of the central
  difference D(h) = (f(x + hv) − f(x − hv))/2h, with h = u^{1/3}·max(1, ‖x‖∞)/‖v‖∞ — accurate to
  ~u^{2/3} relative for a well-scaled f. The tolerance is dtype-scaled, ``√u · max(‖g‖‖v‖, |D|)``
  (1.5e-8 relative for float64, a factor ~300 above that accuracy). It never grows with |f| or with
  an error estimate, so a badly conditioned f cannot hide a wrong gradient in float64: it produces
  candidates instead, which the high-precision stage settles.
- high precision (candidates only): the same extrapolated difference with h = 2^{-prec/3}·…, f and
  grad evaluated on the exact binary x carried to mpmath (they must be written against
  ``theorems.core.backend``, as every model function is), at ``dps`` and at 2·``dps`` digits.
  Tolerance: the rounding noise at ``dps`` digits (the two precisions' difference, of the quotient
  and of ⟨grad, v⟩), the 2·``dps`` quotient's own estimate |D(h) − D(2h)| + 64·u·max|f|/h, plus
  float64's unit roundoff times max(‖g‖‖v‖, |D|): the question settled is whether the disagreement
  exceeds what float64 can resolve. Not a √u relative tolerance: a function whose terms cancel (size
  C ≫ |f|) leaves u·C/h of rounding in the 60-digit difference too (C = 1e16: ~1e-25), far below
  float64's resolution yet far above √u — and at a stationary point, where ‖g‖ = 0, only the
  measured noise absorbs it. A 60-digit difference whose error estimate exceeds float64's unit
  roundoff cannot settle a float64 question (f computes in float64 inside?): the direction is
  reported ``unconfirmed``.
- SymPy: each partial derivative ``diff(expr, x_i)`` is evaluated by ``evalf`` at the exact binary x
  to ``dps`` digits (adaptive precision: exact to those digits). float64 grad entries within
  √u·‖∇f‖ pass; the others are re-checked with grad at ``dps`` and 2·``dps`` digits against
  u·‖∇f‖ plus the measured noise, as above.
- where f or grad cannot be evaluated in mpmath, a candidate cannot be confirmed either: the result
  is ``unconfirmed`` (``ok`` False), with the reason — never a pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import mpmath
import numpy as np

from . import backend as B

__all__ = ["check_gradient", "GradientCheck", "DirectionResult"]

_U64 = 2.0 ** -53
_ROUNDING_OPS = 64          # units of roundoff allowed per evaluation of f in the difference's error estimate
CHECKS = ("central differences", "sympy")


@dataclass(frozen=True)
class DirectionResult:
    """One comparison: the derivative along ``direction`` (or one coordinate, for SymPy), both values,
    their difference, the tolerance and the verdict: "pass", "artifact" (a float64 candidate that
    vanished at high precision), "mismatch" (confirmed at high precision or exactly), "unconfirmed"."""

    check: str
    direction: np.ndarray
    where: str
    numerical: object
    analytical: object
    error: object
    tolerance: object
    precision: str
    verdict: str
    reason: str = ""

    @property
    def excess(self) -> float:
        """error / tolerance (∞ for a non-zero error against a zero tolerance)."""
        e, t = float(self.error), float(self.tolerance)
        return e / t if t > 0 else (0.0 if e == 0 else math.inf)


@dataclass(frozen=True)
class GradientCheck:
    """The verdict of ``check_gradient``.

    ``ok``: True iff every comparison passed (float64 candidates that vanished at high precision
    count as passed). ``status``: "passed", "mismatch" (a disagreement that survived high precision,
    or SymPy's exact derivative) or "unconfirmed" (a float64 disagreement that could not be re-checked:
    f or grad not evaluable in mpmath, or the high-precision difference not accurate enough).
    ``failed``: the checks that failed ("central differences", "sympy"). ``max_error``,
    ``tolerance``, ``direction``, ``numerical``, ``analytical``, ``precision``: the decisive
    comparison — the failure with the largest error/tolerance, else the closest call.
    ``directions``: comparisons made; ``candidates``: float64 disagreements re-checked;
    ``rounding_artifacts``: candidates that vanished at high precision. ``results``: every comparison.
    """

    ok: bool
    status: str
    failed: tuple
    max_error: float
    tolerance: float
    direction: np.ndarray | None
    numerical: float | None
    analytical: float | None
    precision: str
    directions: int
    candidates: int
    rounding_artifacts: int
    where: str = ""
    reason: str = ""
    results: tuple = field(default=(), repr=False)

    def message(self) -> str:
        """What was observed and what it should have been, numerical and analytical side by side."""
        tally = (f"{self.directions} comparisons, {self.candidates} float64 candidate(s) re-checked, "
                 f"{self.rounding_artifacts} rounding artifact(s)")
        if self.ok:
            return (f"gradient check passed: {tally}; closest call {self.where}: |numerical − analytical| = "
                    f"{self.max_error:.3g} ≤ tolerance {self.tolerance:.3g} ({self.precision})")
        head = "Gradient mismatch" if self.status == "mismatch" else "Gradient mismatch in float64, unconfirmed"
        why = f"\n  reason:     {self.reason}" if self.reason else ""
        return (f"{head} along {self.where} [{', '.join(self.failed)}, {self.precision}]:\n"
                f"  numerical:  {_show(self.numerical)}\n"
                f"  analytical: {_show(self.analytical)}\n"
                f"  |difference| = {self.max_error:.6g} > tolerance {self.tolerance:.3g}{why}\n  ({tally})")


def _show(v) -> str:
    return "n/a" if v is None else repr(float(v))


# ---------------------------------------------------------------------------- input checks

def _as_x(x):
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"argument 'x': expected an array of real numbers, got {type(x).__name__}") from None
    if arr.size == 0:
        raise ValueError("argument 'x': is empty; there is no gradient to check")
    if not np.all(np.isfinite(arr)):
        raise ValueError("argument 'x': has a non-finite entry; a gradient is checked at a finite point")
    return arr


def _scalar(value, name, where):
    v = value
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise ValueError(f"argument {name!r}: returned an array of shape {v.shape} at {where}; expected a scalar")
        v = v.reshape(-1)[0]
    if isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):
            raise ValueError(f"argument {name!r}: is not finite at {where} ({v})")
        return v
    try:
        fv = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"argument {name!r}: returned {type(v).__name__} at {where}; expected a real scalar") from None
    if not math.isfinite(fv):
        raise ValueError(f"argument {name!r}: is not finite at {where} ({fv}); f must be finite near x")
    return fv


def _grad64(grad, x):
    g = np.asarray(grad(x))
    if g.size != x.size:
        raise ValueError(f"argument 'grad': returned shape {g.shape} for x of shape {x.shape}")
    g = np.asarray(g, dtype=np.float64).reshape(x.shape)
    if not np.all(np.isfinite(g)):
        raise ValueError("argument 'grad': has a non-finite entry at x")
    return g


def _directions(x, directions, n_random, seed, max_coordinates):
    out = []
    if directions is not None:
        for i, v in enumerate(directions):
            v = np.array(v, dtype=np.float64)
            if v.size != x.size or not np.all(np.isfinite(v)) or not np.any(v):
                raise ValueError(f"argument 'directions': entry {i} must be a finite non-zero array of x's size "
                                 f"{x.size}")
            out.append((v.reshape(x.shape), f"direction {i}"))
        return out
    if x.size <= max_coordinates:
        for i in range(x.size):
            e = np.zeros(x.size)
            e[i] = 1.0
            idx = np.unravel_index(i, x.shape)
            out.append((e.reshape(x.shape), f"coordinate {idx if x.ndim > 1 else idx[0]}"))
    rng = np.random.Generator(np.random.PCG64(seed))
    for k in range(n_random):
        v = rng.normal(size=x.size)
        out.append(((v / np.linalg.norm(v)).reshape(x.shape), f"random direction {k} (seed {seed})"))
    return out


def _sympy_inputs(sympy_f, size):
    import sympy

    if not (isinstance(sympy_f, tuple) and len(sympy_f) == 2):
        raise ValueError("argument 'sympy_f': expected a tuple (expression, symbols)")
    expr, symbols = sympy_f
    if not isinstance(expr, sympy.Expr):
        raise ValueError(f"argument 'sympy_f': the expression is a {type(expr).__name__}, not a SymPy expression")
    symbols = list(symbols)
    if len(symbols) != size or not all(isinstance(s, sympy.Symbol) for s in symbols):
        raise ValueError(f"argument 'sympy_f': expected {size} symbols (one per entry of x, in x.ravel() order), "
                         f"got {len(symbols)}")
    return expr, symbols


# ---------------------------------------------------------------------------- differences

def _richardson(f, x, v, h, name):
    """(4·D(h) − D(2h))/3, |D(h) − D(2h)| and max |f| at the four points (f evaluated on x ± h·v)."""
    vals = [_scalar(f(x + s * h * v), name, f"x {'+' if s > 0 else '−'} {abs(s)}h·v") for s in (1, -1, 2, -2)]
    d1 = (vals[0] - vals[1]) / (2 * h)
    d2 = (vals[2] - vals[3]) / (4 * h)
    return (4 * d1 - d2) / 3, abs(d1 - d2), max(abs(v) for v in vals)


def _step(u, x, v):
    """u^{1/3}·max(1, ‖x‖∞)/‖v‖∞: balances truncation (∝ h²) against rounding (∝ u/h)."""
    xs = max(1.0, float(np.max(np.abs(B.to_float(x)))))
    return float(u) ** (1.0 / 3.0) * xs / float(np.max(np.abs(B.to_float(v))))


def _mp_callable(fn, x_mp, shape, kind):
    """fn(x_mp) if it computes in mpmath (an mpf, or an object array of mpf of the right shape)."""
    try:
        out = fn(x_mp)
    except Exception as err:  # noqa: BLE001 - any failure means 'not evaluable in mpmath', reported
        return None, f"{kind} cannot be evaluated on mpmath arrays ({type(err).__name__}: {err})"
    arr = np.asarray(out, dtype=object) if not isinstance(out, np.ndarray) else out
    if kind == "grad":
        ok = arr.size == int(np.prod(shape)) and all(isinstance(v, mpmath.mpf) for v in arr.reshape(-1))
        return (arr.reshape(shape), "") if ok else (None, "grad returned float64 values on mpmath input")
    flat = arr.reshape(-1)
    if flat.size == 1 and isinstance(flat[0], mpmath.mpf):
        return flat[0], ""
    return None, "f returned float64 values on mpmath input"


# ---------------------------------------------------------------------------- the checker

def check_gradient(f, grad, x, *, sympy_f=None, directions=None, n_random: int = 3, seed: int = 0,
                   max_coordinates: int = 64, dps: int = B.DEFAULT_DPS) -> GradientCheck:
    """Compare ``grad`` with ``f`` at ``x`` (see the module docstring for the numerics).

    ``f``: x ↦ a real scalar; ``grad``: x ↦ ∇f(x), an array of x's size. Both should accept float64
    arrays and object arrays of mpmath.mpf (write them with ``theorems.core.backend``), else float64
    candidates are reported ``unconfirmed``. ``directions``: explicit directions (arrays of x's size);
    default every coordinate (when x.size ≤ ``max_coordinates``) plus ``n_random`` seeded random unit
    directions. ``sympy_f``: ``(expression, symbols)`` with one SymPy symbol per entry of x in
    ``x.ravel()`` order: the gradient is also compared with the exact derivative (``evalf`` at ``dps``
    digits of the exact binary x). ``dps``: digits of the high-precision re-check (≥ 30)."""
    if not callable(f):
        raise ValueError(f"argument 'f': expected a callable, got {type(f).__name__}")
    if not callable(grad):
        raise ValueError(f"argument 'grad': expected a callable, got {type(grad).__name__}")
    for name, value, lo, hi in (("n_random", n_random, 0, 1000), ("seed", seed, 0, 2**63 - 1),
                                ("max_coordinates", max_coordinates, 0, 10**6), ("dps", dps, 30, 1000)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
            raise ValueError(f"argument {name!r}: expected an int in [{lo}, {hi}], got {value!r}")
    x = _as_x(x)
    _scalar(f(x), "f", "x")
    g = _grad64(grad, x)
    dirs = _directions(x, directions, n_random, seed, max_coordinates)
    sym = _sympy_inputs(sympy_f, x.size) if sympy_f is not None else None
    if not dirs and sym is None:
        raise ValueError("argument 'n_random': no directions to check (x.size > max_coordinates and n_random = 0)")

    rtol = math.sqrt(_U64)
    results, pending = [], []
    for v, where in dirs:
        h = _step(_U64, x, v)
        num, _, _ = _richardson(f, x, v, h, "f")
        ana = math.fsum((g * v).reshape(-1).tolist())
        tol = rtol * max(float(np.linalg.norm(g)) * float(np.linalg.norm(v)), abs(num))
        rec = DirectionResult("central differences", v, where, num, ana, abs(num - ana), tol, "float64", "pass")
        (results if rec.error <= tol else pending).append(rec)

    gs = None
    if sym is not None:
        gs = _sympy_gradient(*sym, x, dps)
        gs_norm = float(mpmath.sqrt(mpmath.fsum(v * v for v in gs)))
        for i, (gi, si) in enumerate(zip(g.reshape(-1).tolist(), gs)):
            e = np.zeros(x.size)
            e[i] = 1.0
            idx = np.unravel_index(i, x.shape)
            err = abs(gi - float(si))
            rec = DirectionResult("sympy", e.reshape(x.shape), f"coordinate {idx if x.ndim > 1 else idx[0]}", si, gi,
                                  err, rtol * gs_norm, "float64", "pass")
            (results if err <= rec.tolerance else pending).append(rec)

    if pending:
        results += _recheck(f, grad, x, g, pending, gs, dps)
    return _summarise(results, len(pending))


def _sympy_gradient(expr, symbols, x, dps):
    """SymPy's exact partial derivatives at the exact binary x, evaluated to ``dps`` digits (evalf's
    adaptive precision: cancellation in the derivative's formula does not cost digits)."""
    import sympy

    subs = {s: sympy.Rational(float(v)) for s, v in zip(symbols, x.reshape(-1).tolist())}
    out = []
    with mpmath.workdps(dps):
        for s in symbols:
            val = sympy.diff(expr, s).evalf(dps, subs=subs)
            if not val.is_real or not val.is_finite:
                raise ValueError(f"argument 'sympy_f': ∂/∂{s} is not a finite real number at x ({val})")
            out.append(mpmath.mpf(val))
    return out


def _mp_pass(f, grad, x, dps):
    """f and grad at the exact binary x carried to ``dps`` digits (None and the reason where they
    cannot be evaluated in mpmath)."""
    with mpmath.workdps(dps):
        x_mp = B.to_mp(x)
        f0, f_why = _mp_callable(f, x_mp, x.shape, "f")
        g_mp, g_why = _mp_callable(grad, x_mp, x.shape, "grad")
    return f0, f_why, g_mp, g_why


def _mp_difference(f, x, v, dps):
    """The extrapolated difference at ``dps`` digits, its truncation estimate and max |f|."""
    with mpmath.workdps(dps):
        u = mpmath.mpf(2) ** (-mpmath.mp.prec)
        h = mpmath.mpf(_step(u, x, v))
        num, trunc, fmax = _richardson(f, B.to_mp(x), B.to_mp(v), h, "f")
        return num, trunc + _ROUNDING_OPS * u * fmax / h, fmax


def _dot(a, b):
    return mpmath.fsum(p * q for p, q in zip(np.asarray(a).reshape(-1), np.asarray(b).reshape(-1)))


def _recheck(f, grad, x, g, pending, gs, dps):
    """Settle float64 candidates at ``dps`` digits: "artifact" (vanished), "mismatch" (survived) or
    "unconfirmed" (could not be re-checked).

    Every high-precision value is computed at ``dps`` and at 2·``dps`` digits: the difference of the
    two is the rounding noise at ``dps`` digits and joins the tolerance. Terms of f or grad that
    cancel (size C ≫ the result) leave u·C/h of noise even at 60 digits, and at a stationary point,
    where the float64 resolution ‖g‖·u vanishes, nothing else would absorb it."""
    out = []
    rtol = mpmath.mpf(_U64)            # float64's resolution (module docstring)
    f0, f_why, g1, g_why = _mp_pass(f, grad, x, dps)
    g2 = _mp_pass(f, grad, x, 2 * dps)[2] if g1 is not None else None
    prec = f"mp{dps}"
    xs = max(1.0, float(np.max(np.abs(x))))
    with mpmath.workdps(2 * dps):
        for rec in pending:
            v = rec.direction
            if rec.check == "sympy":
                if g1 is None:
                    out.append(_replace(rec, verdict="unconfirmed", reason=g_why))
                    continue
                i = int(np.flatnonzero(v.reshape(-1))[0])
                gi, noise = g2.reshape(-1)[i], abs(g1.reshape(-1)[i] - g2.reshape(-1)[i])
                scale = max(mpmath.sqrt(_dot(gs, gs)), mpmath.sqrt(_dot(g2, g2)))
                err, tol = abs(gi - gs[i]), noise + rtol * scale
                out.append(_replace(rec, analytical=gi, error=err, tolerance=tol, precision=prec,
                                    verdict="artifact" if err <= tol else "mismatch"))
                continue
            if f0 is None:
                out.append(_replace(rec, verdict="unconfirmed", reason=f_why))
                continue
            num1, _, _ = _mp_difference(f, x, v, dps)
            num, est2, fmax = _mp_difference(f, x, v, 2 * dps)
            err_est = abs(num1 - num) + est2
            gv = float(np.linalg.norm(g)) * float(np.linalg.norm(v))
            reliable_at = _U64 * max(gv, abs(num), fmax * float(np.max(np.abs(v))) / xs)
            if not err_est <= reliable_at:
                out.append(_replace(rec, numerical=num, precision=prec, verdict="unconfirmed",
                                    reason=f"the {prec} difference quotient is not accurate beyond float64 (error "
                                           f"estimate {float(err_est):.3g}); does f round to float64 inside?"))
                continue
            if g1 is None:
                err = abs(num - rec.analytical)
                verdict = "artifact" if err <= rec.tolerance else "unconfirmed"
                out.append(_replace(rec, numerical=num, error=err, precision=prec, verdict=verdict,
                                    reason="" if verdict == "artifact" else g_why))
                continue
            ana = _dot(g2, v)
            err = abs(num - ana)
            tol = err_est + abs(_dot(g1, v) - ana) + rtol * max(mpmath.sqrt(_dot(g2, g2)) * mpmath.sqrt(_dot(v, v)),
                                                                 abs(num))
            out.append(_replace(rec, numerical=num, analytical=ana, error=err, tolerance=tol, precision=prec,
                                verdict="artifact" if err <= tol else "mismatch"))
    return out


def _replace(rec, **kw):
    return replace(rec, **kw)


def _summarise(results, candidates) -> GradientCheck:
    bad = [r for r in results if r.verdict in ("mismatch", "unconfirmed")]
    status = "mismatch" if any(r.verdict == "mismatch" for r in bad) else ("unconfirmed" if bad else "passed")
    pool = [r for r in bad if r.verdict == ("mismatch" if status == "mismatch" else "unconfirmed")] or results
    top = max(pool, key=lambda r: r.excess)
    failed = tuple(c for c in CHECKS if any(r.check == c for r in bad))
    return GradientCheck(
        ok=not bad, status=status, failed=failed, max_error=float(top.error), tolerance=float(top.tolerance),
        direction=top.direction, numerical=float(top.numerical), analytical=float(top.analytical),
        precision=top.precision, directions=len(results), candidates=candidates,
        rounding_artifacts=sum(r.verdict == "artifact" for r in results), where=f"{top.where} ({top.check})",
        reason=top.reason, results=tuple(results))
