"""The loss catalogue: ℓ(p; y), convex and C² in the prediction p (Assumption 1, Sec. 2).

Every loss carries its value and first three derivatives in p (``d1``, ``d2``, ``d3``), all
elementwise on float64 arrays and on mpmath object arrays, plus the bounds the later results
need: ``d2_sup`` = sup_p ℓ''(p; y) and ``d3_sup`` = sup_p |ℓ'''(p; y)| (``None`` where unbounded;
for y ∈ {±1} losses the sup is over p, for the others it is over p and y).

Derivations of the bounds (σ is the logistic sigmoid, σ̄ = 1 − σ):
- logistic / softplus: ℓ'' = σσ̄ ≤ 1/4; |ℓ'''| = |σσ̄(σ̄ − σ)| = |s(1−s)(1−2s)| with s = σ,
  maximised at s = (3 − √3)/6, value √3/18.
- logcosh: ℓ'' = 1 − tanh² ≤ 1; |ℓ'''| = 2|u|(1 − u²) with u = tanh, max at u = 1/√3: 4/(3√3).
- pseudo-Huber δ²(√(1 + (t/δ)²) − 1), t = p − y, q = √(1 + (t/δ)²): ℓ'' = q⁻³ ≤ 1;
  |ℓ'''| = 3|t|/(δ² q⁵), max at t/δ = 1/2: (3/2)(5/4)^(−5/2)/δ.
- squared: ℓ'' = 1, ℓ''' = 0.  linear −yp: ℓ'' = ℓ''' = 0.  exponential e^(−yp): unbounded.
- non-negative combinations add the bounds with their weights; ℓ(a p + c; y) scales ℓ^(k) by a^k.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from theorems.core import backend as B
from theorems.core.expressions import UnsafeExpressionError, parse_expression

__all__ = [
    "Loss", "squared", "logistic", "logcosh", "softplus", "exponential", "pseudo_huber",
    "linear", "combination", "affine", "from_expression", "by_name", "from_spec", "names",
    "NonConvexLossError", "NotTwiceDifferentiableError", "MAX_DERIVATIVE_SIZE",
]


class NonConvexLossError(ValueError):
    """A function offered as a loss violates Assumption 1 (convex in p)."""


@dataclass(frozen=True, eq=False, repr=False)
class Loss:
    """ℓ(p; y) with derivatives in p. Construct through the functions of this module."""

    name: str
    spec: dict
    value: Callable
    d1: Callable
    d2: Callable
    d3: Callable
    y_domain: str = "real"          # "real" or "pm1" (targets must be ±1)
    d2_sup: float | None = None
    d3_sup: float | None = None
    _diff: Callable | None = field(default=None, repr=False)

    def diff(self, a, b, y):
        """ℓ(a; y) − ℓ(b; y) per sample, computed without cancellation where the form allows."""
        if self._diff is not None:
            return self._diff(a, b, y)
        return self.value(a, y) - self.value(b, y)

    def check_targets(self, y) -> None:
        """Raise ValueError if the targets are outside this loss's domain."""
        if self.y_domain == "pm1":
            yf = np.asarray(B.to_float(np.asarray(y)), dtype=np.float64)
            if not np.all(np.isin(yf, (-1.0, 1.0))):
                raise ValueError(
                    f"argument 'y': loss {self.name!r} needs targets y ∈ {{−1, +1}}, got "
                    f"{sorted(set(yf.tolist()))[:5]}")

    def __repr__(self) -> str:
        return f"Loss({self.name})"


# ---------------------------------------------------------------- catalogue

def squared() -> Loss:
    """ℓ(p; y) = ½(p − y)²."""
    return Loss(
        "squared", {"name": "squared"},
        value=lambda p, y: 0.5 * (p - y) ** 2,
        d1=lambda p, y: p - y,
        d2=lambda p, y: 0.0 * p + 1.0,
        d3=lambda p, y: 0.0 * p,
        d2_sup=1.0, d3_sup=0.0,
        # ½(a−y)² − ½(b−y)² = ½(a − b)(a + b − 2y): no cancellation of the two squares
        _diff=lambda a, b, y: 0.5 * (a - b) * ((a - y) + (b - y)),
    )


def logistic() -> Loss:
    """ℓ(p; y) = log(1 + e^(−yp)), y ∈ {±1}; ℓ'' in the overflow-free σ(yp)σ(−yp) form."""
    def d2(p, y):
        z = y * p
        return y * y * B.sigmoid(z) * B.sigmoid(-z)

    def d3(p, y):
        z = y * p
        s, sb = B.sigmoid(z), B.sigmoid(-z)
        return y ** 3 * s * sb * (sb - s)

    return Loss(
        "logistic", {"name": "logistic"},
        value=lambda p, y: B.softplus(-y * p),
        d1=lambda p, y: -y * B.sigmoid(-y * p),
        d2=d2, d3=d3, y_domain="pm1",
        d2_sup=0.25, d3_sup=math.sqrt(3) / 18,
    )


def logcosh() -> Loss:
    """ℓ(p; y) = log cosh(p − y) (``backend.logcosh``: accurate near 0, overflow-free); ℓ'' = sech²
    and ℓ‴ = −2 tanh·sech², without the cancellation of 1 − tanh² in the tails."""
    def d3(p, y):
        t = p - y
        return -2 * B.tanh(t) * B.sech2(t)

    return Loss(
        "logcosh", {"name": "logcosh"}, value=lambda p, y: B.logcosh(p - y),
        d1=lambda p, y: B.tanh(p - y), d2=lambda p, y: B.sech2(p - y), d3=d3,
        d2_sup=1.0, d3_sup=4 / (3 * math.sqrt(3)),
    )


def _log2(like):
    if B.is_mp(like):
        import mpmath
        return mpmath.log(2)
    return math.log(2.0)


def softplus() -> Loss:
    """ℓ(p; y) = log(1 + e^(p − y)): a smooth one-sided (hinge-type) loss."""
    def d2(p, y):
        t = p - y
        return B.sigmoid(t) * B.sigmoid(-t)

    def d3(p, y):
        t = p - y
        s, sb = B.sigmoid(t), B.sigmoid(-t)
        return s * sb * (sb - s)

    return Loss(
        "softplus", {"name": "softplus"},
        value=lambda p, y: B.softplus(p - y),
        d1=lambda p, y: B.sigmoid(p - y), d2=d2, d3=d3,
        d2_sup=0.25, d3_sup=math.sqrt(3) / 18,
    )


def exponential() -> Loss:
    """ℓ(p; y) = e^(−yp), y ∈ {±1} (AdaBoost's loss; derivatives unbounded)."""
    return Loss(
        "exponential", {"name": "exponential"},
        value=lambda p, y: B.exp(-y * p),
        d1=lambda p, y: -y * B.exp(-y * p),
        d2=lambda p, y: y * y * B.exp(-y * p),
        d3=lambda p, y: -(y ** 3) * B.exp(-y * p),
        y_domain="pm1",
    )


def pseudo_huber(delta: float = 1.0) -> Loss:
    """ℓ(p; y) = δ²(√(1 + ((p − y)/δ)²) − 1), computed as t²/(q + 1) to avoid cancellation."""
    delta = _finite_positive(delta, "delta")

    def q(p, y):
        t = (p - y) / delta
        return B.sqrt(1 + t * t)

    def value(p, y):
        t = p - y
        return t * t / (q(p, y) + 1)

    return Loss(
        "pseudo_huber", {"name": "pseudo_huber", "delta": delta}, value=value,
        d1=lambda p, y: (p - y) / q(p, y),
        d2=lambda p, y: 1 / q(p, y) ** 3,
        d3=lambda p, y: -3 * (p - y) / (delta ** 2 * q(p, y) ** 5),
        d2_sup=1.0, d3_sup=1.5 * 1.25 ** (-2.5) / delta,
    )


def linear() -> Loss:
    """ℓ(p; y) = −y p: convex with ℓ'' = 0, the case where Lemma 1 is an equality."""
    return Loss(
        "linear", {"name": "linear"},
        value=lambda p, y: -y * p,
        d1=lambda p, y: 0.0 * p - y,
        d2=lambda p, y: 0.0 * p,
        d3=lambda p, y: 0.0 * p,
        d2_sup=0.0, d3_sup=0.0,
        _diff=lambda a, b, y: -y * (a - b),
    )


# ---------------------------------------------------------------- constructions

def combination_terms(terms, loss_type: type) -> list:
    """The (coefficient, loss) pairs of a non-negative combination, validated: at least one, every
    c_j finite and ≥ 0 (a negative weight can break convexity, Assumption 1), every ℓ_j a
    ``loss_type`` (shared by the scalar and the vector losses)."""
    terms = [(float(c), l) for c, l in terms]
    if not terms:
        raise ValueError("argument 'terms': a combination needs at least one (coefficient, loss)")
    for j, (c, l) in enumerate(terms):
        if not math.isfinite(c) or c < 0:
            raise NonConvexLossError(
                f"argument 'terms[{j}]': coefficient {c} must be finite and ≥ 0 "
                "(a negative weight can break convexity, Assumption 1)")
        if not isinstance(l, loss_type):
            raise TypeError(f"argument 'terms[{j}]': expected a {loss_type.__name__}, got {type(l).__name__}")
    return terms


def combination(terms) -> Loss:
    """Σ c_j ℓ_j(p; y) with every c_j ≥ 0: non-negative combinations stay convex."""
    terms = combination_terms(terms, Loss)

    def comb(attr):
        def f(p, y):
            out = 0.0 * p
            for c, l in terms:
                out = out + c * getattr(l, attr)(p, y)
            return out
        return f

    def sup(attr):
        vals = [getattr(l, attr) for _, l in terms]
        if any(v is None for v in vals):
            return None
        return sum(c * v for (c, _), v in zip(terms, vals))

    def diff(a, b, y):
        out = 0.0 * a
        for c, l in terms:
            out = out + c * l.diff(a, b, y)
        return out

    domain = "pm1" if any(l.y_domain == "pm1" for _, l in terms) else "real"
    name = " + ".join(f"{c:g}·{l.name}" for c, l in terms)
    return Loss(name, {"name": "combination", "terms": [[c, l.spec] for c, l in terms]},
                value=comb("value"), d1=comb("d1"), d2=comb("d2"), d3=comb("d3"),
                y_domain=domain, d2_sup=sup("d2_sup"), d3_sup=sup("d3_sup"), _diff=diff)


def affine(loss: Loss, a: float, c: float = 0.0) -> Loss:
    """p ↦ ℓ(a·p + c; y): an affine map of the prediction keeps convexity."""
    a = _finite(a, "a")
    c = _finite(c, "c")
    if not isinstance(loss, Loss):
        raise TypeError(f"argument 'loss': expected a Loss, got {type(loss).__name__}")
    return Loss(
        f"{loss.name}({a:g}·p{c:+g})",
        {"name": "affine", "a": a, "c": c, "loss": loss.spec},
        value=lambda p, y: loss.value(a * p + c, y),
        d1=lambda p, y: a * loss.d1(a * p + c, y),
        d2=lambda p, y: a * a * loss.d2(a * p + c, y),
        d3=lambda p, y: a ** 3 * loss.d3(a * p + c, y),
        y_domain=loss.y_domain,
        d2_sup=None if loss.d2_sup is None else a * a * loss.d2_sup,
        d3_sup=None if loss.d3_sup is None else abs(a) ** 3 * loss.d3_sup,
        _diff=lambda u, v, y: loss.diff(a * u + c, a * v + c, y),
    )


class NotTwiceDifferentiableError(ValueError):
    """A function offered as a loss is not twice differentiable in p (Assumption 1), or its
    derivatives are too costly to derive."""


MAX_DERIVATIVE_SIZE = 4000      # estimated nodes of ℓ', ℓ'', ℓ''' (measured: 4,000 nodes derive
#                                 and lambdify in well under a second; a product of 8 cosh
#                                 factors reaches 10,000 in ℓ''' and the 140-factor product
#                                 80,000 in ℓ' alone)
# in ℓ'' or ℓ''': not a function of p (a distribution, an unevaluated derivative), or a jump
_NOT_A_FUNCTION = ("DiracDelta", "Heaviside", "sign", "Derivative", "Subs")
_PRIMES = ("ℓ", "ℓ'", "ℓ''", "ℓ'''")


def _derivative_size(e, p, memo: dict) -> int:
    """An upper estimate (measured 1.1–5× the true size) of the number of nodes of ∂e/∂p, from e's
    tree alone: the product rule copies every other factor, the chain rule the argument. Used to
    refuse a derivative before SymPy spends seconds or gigabytes computing it."""
    size, dep, dsize = memo.setdefault("size", {}), memo.setdefault("dep", {}), memo.setdefault("d", {})
    stack = [(e, False)]                          # post-order without recursion
    while stack:
        node, done = stack.pop()
        if node in dsize:
            continue
        if not done:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in dsize)
            continue
        args = node.args
        size[node] = 1 + sum(size[a] for a in args)
        dep[node] = node == p or any(dep[a] for a in args)
        if not dep[node] or node == p:
            d = 1
        elif node.is_Add:
            d = 1 + sum(dsize[a] for a in args if dep[a])
        elif node.is_Mul:
            total = sum(size[a] for a in args)
            d = 1 + sum(1 + dsize[a] + total - size[a] for a in args if dep[a])
        elif node.is_Pow:
            b, x = args
            d = 5 + 2 * size[b] + 2 * size[x] + dsize[b] + (size[node] + dsize[x] if dep[x] else 0)
        else:                                     # f(a, …): f'(a)·a', f' about twice f's size
            d = 1 + sum(dsize[a] + 2 * size[node] + 4 for a in args if dep[a])
        dsize[node] = d
    return dsize[e]


def _derivatives(e, p, expr: str) -> list:
    """[ℓ, ℓ', ℓ'', ℓ'''], each derived only after its size estimate is within the bound; a
    derivative that is not a function of p is refused (Assumption 1 needs ℓ twice differentiable)."""
    import sympy as sp

    derivs, memo = [e], {}
    for k in (1, 2, 3):
        estimate = _derivative_size(derivs[-1], p, memo)
        if estimate > MAX_DERIVATIVE_SIZE:
            raise NotTwiceDifferentiableError(
                f"argument 'expr': the derivatives of ℓ = {_short(expr)} are too large to derive "
                f"({_PRIMES[k]} would have about {estimate:,} nodes, limit {MAX_DERIVATIVE_SIZE:,})")
        d = sp.diff(derivs[-1], p)
        # ℓ' may hold sign/Heaviside (a kink); the check is on ℓ'' as the hypothesis is stated
        found = [] if k == 1 else sorted({type(a).__name__ for a in sp.preorder_traversal(d)}
                                         & set(_NOT_A_FUNCTION))
        if found and k == 2:
            raise NotTwiceDifferentiableError(
                f"argument 'expr': ℓ = {_short(expr)} is not twice differentiable in p "
                f"({_PRIMES[k]} contains {', '.join(found)}), but Assumption 1 (Sec. 2) requires "
                "ℓ twice differentiable")
        if found:
            raise NotTwiceDifferentiableError(
                f"argument 'expr': ℓ''' of ℓ = {_short(expr)} is not a function of p (it contains "
                f"{', '.join(found)}); the suite evaluates ℓ''' (Loss.d3, for the bounds on the "
                "Lipschitz constant of ∇²F)")
        derivs.append(d)
    return derivs


def _float_constants(d):
    """``d`` with its exact numbers beyond int64 as floats: numpy turns a larger Python int into an
    object array (``np.exp(10**30)`` raises), while float64 is what the numpy functions compute in."""
    import sympy as sp

    big = {n: sp.Float(n) for n in d.atoms(sp.Rational)
           if max(abs(n.p), abs(n.q)) > 2 ** 62}
    return d.xreplace(big) if big else d


def _short(expr: str) -> str:
    return expr if len(expr) <= 60 else expr[:57] + "..."


def _real(values, what: str):
    """float64 values of ℓ or a derivative; a complex result is refused, never truncated."""
    arr = np.asarray(values)
    if np.iscomplexobj(arr):
        imag = np.abs(arr.imag)
        if np.any(np.isfinite(imag) & (imag > 0)):
            raise ValueError(f"argument 'p': {what} is not real-valued here (imaginary part up to "
                             f"{float(np.max(np.where(np.isfinite(imag), imag, 0))):.3g})")
        arr = arr.real
    return np.asarray(arr, dtype=np.float64)


def from_expression(expr: str, *, name: str | None = None, y_domain: str = "real",
                    check_convex: bool = True) -> Loss:
    """A reviewer's own loss from an expression in ``p`` and ``y`` (e.g. ``"log(1 + exp(-y*p))"``),
    parsed by :func:`theorems.core.expressions.parse_expression`: names, numbers, arithmetic and
    the functions listed in ``expressions.FUNCTIONS`` only; nothing in the string is executed.

    SymPy derives ℓ', ℓ'', ℓ''' (each refused beforehand if its estimated size exceeds
    ``MAX_DERIVATIVE_SIZE``); a :class:`NotTwiceDifferentiableError` is raised if ℓ'' is not a
    function of p (a kink: ``abs``, ``max``, the hinge loss), a ``ValueError`` if ℓ is not
    real-valued on the convexity grid, and convexity (Assumption 1) is checked on that grid: a
    :class:`NonConvexLossError` names the first point where ℓ'' < 0.

    ``check_convex=False`` is for the suite's own negative controls (a claim without Assumption 1)
    and exists only in Python: a spec read back by :func:`from_spec` is always checked.
    """
    import sympy as sp

    if y_domain not in ("real", "pm1"):
        raise ValueError(f"argument 'y_domain': expected 'real' or 'pm1', got {y_domain!r}")
    # parsed by the allow-list parser, never by sympify (which evaluates Python: a replayed
    # instance file could otherwise run code)
    try:
        e = parse_expression(expr, ("p", "y"))
    except UnsafeExpressionError as err:
        raise ValueError(f"argument 'expr': {err}") from None
    p, y = sp.Symbol("p", real=True), sp.Symbol("y", real=True)
    derivs = _derivatives(e, p, expr)
    np_fns = [sp.lambdify((p, y), _float_constants(d), modules="numpy") for d in derivs]
    mp_fns = [sp.lambdify((p, y), d, modules="mpmath") for d in derivs]

    def make(j):
        def f(pp, yy):
            if B.is_mp(pp, yy):
                pa, ya = np.broadcast_arrays(np.asarray(pp, dtype=object), np.asarray(yy, dtype=object))
                out = np.empty(pa.shape, dtype=object)
                for i in np.ndindex(pa.shape):
                    v = mp_fns[j](pa[i], ya[i])
                    if getattr(v, "imag", 0) != 0:
                        raise ValueError(f"argument 'p': {_PRIMES[j]} of {name or expr!r} is not "
                                         f"real-valued at p = {pa[i]}, y = {ya[i]}")
                    out[i] = getattr(v, "real", v)
                return out if out.ndim else out[()]
            return _real(np_fns[j](pp, yy), _PRIMES[j]) + 0.0 * np.asarray(pp, dtype=np.float64)
        return f

    spec = {"name": "expression", "expr": expr, "y_domain": y_domain}
    if not check_convex:
        # recorded so that a reader of a saved instance sees a control; from_spec ignores it
        spec["check_convex"] = False
    loss = Loss(name or f"expr[{expr}]", spec,
                value=make(0), d1=make(1), d2=make(2), d3=make(3), y_domain=y_domain)
    try:
        _check_real(loss, np_fns[0])
        if check_convex:
            _check_convex(loss)
    except (TypeError, AttributeError, ArithmeticError) as err:     # a numpy function refused it
        raise ValueError(f"argument 'expr': ℓ = {_short(expr)} cannot be evaluated in float64 "
                         f"({type(err).__name__}: {str(err)[:80]})") from None
    return loss


def _grid(loss: Loss):
    ps = np.concatenate([np.linspace(-20, 20, 401), np.geomspace(1e-3, 1e3, 61), -np.geomspace(1e-3, 1e3, 61)])
    ys = np.array([-1.0, 1.0]) if loss.y_domain == "pm1" else np.array([-3.0, -1.0, -0.3, 0.0, 0.5, 1.0, 2.0])
    return np.meshgrid(ps, ys)


def _check_real(loss: Loss, value) -> None:
    """ℓ must be real-valued (Sec. 2: ℓ maps to R). Evaluated at complex points with zero imaginary
    part, a square root or logarithm of a negative number shows as an imaginary part (in float64
    it would be a silent NaN, and in mpmath a complex number)."""
    P, Y = _grid(loss)
    with np.errstate(all="ignore"):
        v = np.asarray(value(P.astype(complex), Y.astype(complex)), dtype=complex) + 0 * P
    imag = np.abs(v.imag)
    bad = np.isfinite(imag) & (imag > 1e-12 * (1 + np.abs(np.where(np.isfinite(v.real), v.real, 0))))
    if np.any(bad):
        i = tuple(np.argwhere(bad)[0])
        raise ValueError(f"argument 'expr': loss {loss.name!r} is not real-valued: ℓ(p={P[i]:.4g}; "
                         f"y={Y[i]:.4g}) = {complex(v[i]):.4g}, but a loss maps to R (Sec. 2)")


def _check_convex(loss: Loss) -> None:
    P, Y = _grid(loss)
    with np.errstate(all="ignore"):
        d2 = np.asarray(loss.d2(P, Y), dtype=np.float64)
    ok = np.isfinite(d2)
    bad = ok & (d2 < -1e-9 * (1 + np.abs(np.where(ok, d2, 0))))
    if np.any(bad):
        i = np.argwhere(bad)[0]
        raise NonConvexLossError(
            f"loss {loss.name!r} is not convex in p: ℓ''(p={P[tuple(i)]:.4g}; y={Y[tuple(i)]:.4g}) = "
            f"{d2[tuple(i)]:.4g} < 0, but Assumption 1 (Sec. 2) requires ℓ convex in p")


# ---------------------------------------------------------------- lookup

_FACTORIES = {
    "squared": squared, "logistic": logistic, "logcosh": logcosh, "softplus": softplus,
    "exponential": exponential, "pseudo_huber": pseudo_huber, "linear": linear,
}


def names() -> list[str]:
    """Names accepted by :func:`by_name`."""
    return sorted(_FACTORIES)


def by_name(name: str, **params) -> Loss:
    if not isinstance(name, str) or name not in _FACTORIES:
        raise ValueError(f"argument 'name': unknown loss {name!r}; known losses: {', '.join(names())}")
    return _FACTORIES[name](**params)


def from_spec(spec: dict) -> Loss:
    """Rebuild a loss from its serialized ``spec`` (see ``Loss.spec``)."""
    kind = spec.get("name")
    if kind == "combination":
        return combination([(c, from_spec(s)) for c, s in spec["terms"]])
    if kind == "affine":
        return affine(from_spec(spec["loss"]), spec["a"], spec["c"])
    if kind == "expression":
        # A file cannot switch off a hypothesis check: "check_convex": false (which the suite's
        # negative controls record) is never honoured here, so a replayed instance whose loss is
        # not convex is refused as outside Assumption 1, instead of giving a verdict on a theorem
        # whose hypothesis does not hold. The controls build their loss in Python.
        try:
            return from_expression(spec["expr"], y_domain=spec.get("y_domain", "real"))
        except NonConvexLossError as err:
            raise NonConvexLossError(f"hypothesis not met: {err}") from None
    params = {k: v for k, v in spec.items() if k != "name"}
    return by_name(kind, **params)


def _finite(x, argname):
    try:
        xf = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"argument {argname!r}: expected a real number, got {x!r}") from None
    if not math.isfinite(xf):
        raise ValueError(f"argument {argname!r}: must be finite, got {x!r}")
    return xf


def _finite_positive(x, argname):
    xf = _finite(x, argname)
    if xf <= 0:
        raise ValueError(f"argument {argname!r}: must be > 0, got {x!r}")
    return xf
