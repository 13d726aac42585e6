"""Figure 1 (b), (c) of Sec. 4: Example 1's F with a regularizer or under a norm constraint.

Text (Sec. 4): F(w, v) from Example 1 (ε = 1) with and without R(w, v) = (λ/2)(w² + v²), λ = 1/2,
and F under the hard constraint ‖(w, v)‖ ≤ 2. The text's F is Example 1's ½(w(1 + εv) − 1)²; the
caption's, (w(1 + v) − 1)² (no ½). Both readings are instances of (:class:`Objective2D`)

    G(w, v) = c·(w(1 + εv) − 1)² + (λ/2)(w² + v²),   on the disk ‖(w, v)‖ ≤ radius,

with the paper's parameters in :data:`PAPER_READINGS`: *text* c = ½, λ = ½, ε = 1; *caption* c = 1,
λ = ½, ε = 1; radius 2.

**All stationary points of G** (:func:`regularized_stationary_points`). ∂G/∂w = 0 gives
w = 2cu/(2cu² + λ), u = 1 + εv, and then ∂G/∂v = 0 becomes the quintic

    P(v) = v·(2c(1 + εv)² + λ)² − 4c²ε(1 + εv) = 0,

one stationary point per real root (the resultant of the two partial derivatives in w, up to a
constant). Each is classified by the eigenvalues of ∇²G = ((2cu², 2cε(2wu − 1)), (2cε(2wu − 1),
2cε²w²)) + λI. For Example 1's F (c = ½, ε = 1) a spurious local minimum exists iff 0 < λ < λ*,
:data:`LAMBDA_STAR` ≈ 0.390418 the root in (0, 1) of the discriminant of P,
256λ⁶ + 768λ⁵ + 3040λ³ + 864λ² − 96λ − 283.

**KKT points of min F s.t. ‖(w, v)‖ ≤ R** (:func:`constrained_kkt_points`). Interior: the valley
{F = 0} (global minima) and the saddle (0, −1/ε) when 1/ε < R. On the circle, ∇F ∥ (w, v) iff F = 0
(valley ∩ circle: w = 1/(1 + εv), 1 + v²(1 + εv)² − R²(1 + εv)² = 0) or εw² = v(1 + εv), i.e.
2εv² + v − εR² = 0, w = ±√(R² − v²). With ∇F = −μ(w, v), a boundary point is a local minimum iff
μ > 0 and f'' > 0, f(t) the restriction of F to the circle, f'' = τᵀ∇²Fτ − ⟨∇F, (w, v)⟩, τ = (−v, w).

Classification thresholds are √u·scale (u the unit roundoff of the arithmetic of the instance).
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from theorems.core import backend as B
from theorems.core.serialization import MP_SCALAR, Instance

from .planar import sym2_eigs
from .polynomial import poly_add, poly_mul, real_roots

__all__ = ["Objective2D", "PAPER_READINGS", "LAMBDA_STAR", "paper_objective", "regularized_stationary_points",
           "constrained_kkt_points", "spurious_minima"]

# the two readings of Figure 1 the paper gives: c is the factor of (w(1 + εv) − 1)² in F
#   "text":    F = ½(w(1+εv) − 1)² (Example 1), R = (λ/2)(w² + v²), λ = ½, ε = 1
#   "caption": F = (w(1+v) − 1)² (Figure 1 (a)), (b) F + ¼(w² + v²), (c) ‖(w, v)‖ ≤ 2
PAPER_READINGS = {"text": dict(c=0.5, lam=0.5, eps=1.0, radius=2.0),
                  "caption": dict(c=1.0, lam=0.5, eps=1.0, radius=2.0)}

LAMBDA_STAR = 0.39041830349458177    # root in (0, 1) of 256λ⁶ + 768λ⁵ + 3040λ³ + 864λ² − 96λ − 283


@dataclass(frozen=True, repr=False)
class Objective2D(Instance):
    """G(w, v) = c·(w(1 + εv) − 1)² + (λ/2)(w² + v²), and the disk ‖(w, v)‖ ≤ radius."""

    CODECS = {"c": MP_SCALAR, "lam": MP_SCALAR, "eps": MP_SCALAR, "radius": MP_SCALAR}

    c: object
    lam: object
    eps: object = 1.0
    radius: object = 2.0
    reading: str = ""

    def __post_init__(self):
        for name in ("c", "lam", "eps", "radius"):
            x = getattr(self, name)
            if not isinstance(x, (int, float, mpmath.mpf, np.floating)) or not mpmath.isfinite(x):
                raise ValueError(f"argument {name!r}: expected a finite real number, got {x!r}")
        if not (self.c > 0 and self.eps > 0 and self.radius > 0 and self.lam >= 0):
            raise ValueError(f"arguments: need c > 0, ε > 0, radius > 0, λ ≥ 0; got {self.describe()}")

    @property
    def is_mp(self):
        return isinstance(self.c, mpmath.mpf)

    def describe(self):
        return (f"G = {float(self.c):.6g}·(w(1+{float(self.eps):.6g}v) − 1)² + ({float(self.lam):.6g}/2)(w² + v²), "
                f"radius {float(self.radius):.6g}" + (f" [{self.reading} reading]" if self.reading else ""))

    # the objective and its derivatives
    def F(self, w, v):
        return self.c * (w * (1 + self.eps * v) - 1) ** 2

    def G(self, w, v):
        return self.F(w, v) + self.lam / 2 * (w * w + v * v)

    def grad_F(self, w, v):
        r, u = w * (1 + self.eps * v) - 1, 1 + self.eps * v
        return 2 * self.c * r * u, 2 * self.c * r * self.eps * w

    def hess_F(self, w, v):
        c, e, u = self.c, self.eps, 1 + self.eps * v
        return 2 * c * u * u, 2 * c * e * (2 * w * u - 1), 2 * c * e * e * w * w

    def grad_G(self, w, v):
        gw, gv = self.grad_F(w, v)
        return gw + self.lam * w, gv + self.lam * v


def paper_objective(name: str) -> Objective2D:
    """The objective of one of the paper's readings of Figure 1 (``"text"`` or ``"caption"``)."""
    return Objective2D(**PAPER_READINGS[name], reading=name)


def _threshold(obj, scale):
    u = mpmath.mpf(2) ** (-mpmath.mp.prec) if obj.is_mp else 2.0 ** -53
    return B.sqrt(u) * scale


def _classify(lo, hi, tol):
    if lo > tol:
        return "local min"
    if hi < -tol:
        return "local max"
    if lo < -tol and hi > tol:
        return "saddle"
    return "degenerate"


def _require_regularized(obj: Objective2D):
    """Sec. 4's regularizer R(w, v) = (λ/2)(w² + v²) is a regularizer only for λ > 0; at λ = 0, G = F
    has the valley {w(1 + εv) = 1} of stationary points, which the quintic's roots do not describe
    (its root v = −1/ε divides by 2cu² + λ = 0)."""
    if not obj.lam > 0:
        raise ValueError(f"argument 'lambda': λ = {float(obj.lam):.6g}, but the stationary points of "
                         "G = F + (λ/2)(w² + v²) need the hypothesis λ > 0 [Sec. 4, Figure 1 (b)]")


def regularized_stationary_points(obj: Objective2D) -> list[dict]:
    """Every stationary point of G, with G, F, the Hessian eigenvalues and the class (λ > 0)."""
    _require_regularized(obj)
    c, lam, e = obj.c, obj.lam, obj.eps
    q = [2 * c + lam, 4 * c * e, 2 * c * e * e]                        # 2c(1 + εv)² + λ
    P = poly_add(poly_mul([0 * c, 1 + 0 * c], poly_mul(q, q)), [-4 * c * c * e, -4 * c * c * e * e])
    pts = []
    for v in real_roots(P, obj.is_mp):
        u = 1 + e * v
        w = 2 * c * u / (2 * c * u * u + lam)
        hww, hwv, hvv = obj.hess_F(w, v)
        lo, hi = sym2_eigs(hww + lam, hwv, hvv + lam)
        tol = _threshold(obj, abs(hww) + abs(hwv) + abs(hvv) + lam + 1)
        pts.append(dict(w=w, v=v, G=obj.G(w, v), F=obj.F(w, v), eig_min=lo, eig_max=hi,
                        cls=_classify(lo, hi, tol), where="interior"))
    return pts


def constrained_kkt_points(obj: Objective2D) -> list[dict]:
    """KKT points of min F s.t. w² + v² ≤ R² other than the interior valley (a curve of global
    minima): the interior saddle (0, −1/ε) if inside, and every boundary point where ∇F ∥ (w, v)."""
    c, e, R = obj.c, obj.eps, obj.radius
    mp = obj.is_mp
    pts = []
    if 1 / e < R:
        w, v = 0 * e, -1 / e
        lo, hi = sym2_eigs(*obj.hess_F(w, v))
        pts.append(dict(w=w, v=v, F=obj.F(w, v), eig_min=lo, eig_max=hi, mu=0 * e, cls="saddle", where="interior"))
    cand = []
    # εw² = v(1 + εv) on the circle: 2εv² + v − εR² = 0
    disc = B.sqrt(1 + 8 * e * e * R * R)
    for v in ((-1 + disc) / (4 * e), (-1 - disc) / (4 * e)):
        s = R * R - v * v
        if s > 0:
            cand += [(B.sqrt(s), v), (-B.sqrt(s), v)]
        elif s == 0:
            cand.append((0 * e, v))
    # valley ∩ circle: w = 1/(1 + εv), 1 + v²(1 + εv)² − R²(1 + εv)² = 0
    one = 1 + 0 * e
    u2 = [one, 2 * e, e * e]
    quart = poly_add([one], poly_mul(poly_add([0 * e, 0 * e, one], [-R * R]), u2))
    for v in real_roots(quart, mp):
        if 1 + e * v != 0:
            cand.append((1 / (1 + e * v), v))
    for w, v in cand:
        gw, gv = obj.grad_F(w, v)
        hww, hwv, hvv = obj.hess_F(w, v)
        radial = gw * w + gv * v
        mu = -radial / (R * R)
        f2 = hww * v * v - 2 * hwv * v * w + hvv * w * w - radial
        Fv = obj.F(w, v)
        tol = _threshold(obj, (abs(hww) + abs(hwv) + abs(hvv) + abs(gw) + abs(gv)) * R * R + c)
        if Fv <= tol:
            cls = "global min"
        elif mu > tol and f2 > tol:
            cls = "local min"
        elif mu < -tol and f2 < -tol:
            cls = "local max"
        elif abs(mu) > tol and abs(f2) > tol:
            cls = "saddle"
        else:
            cls = "degenerate"
        pts.append(dict(w=w, v=v, F=Fv, mu=mu, f2=f2, cls=cls, where="boundary"))
    return pts


def spurious_minima(points: list[dict], key: str):
    """(best, spurious): the least value of ``key`` over the (local or global) minima among
    ``points``, and the local minima whose value exceeds it by more than 2⁻²⁰·(1 + |best|)."""
    mins = [p for p in points if p["cls"] in ("local min", "global min")]
    best = min(p[key] for p in mins) if mins else None
    scale = 1 + (abs(best) if best is not None else 0)
    return best, [p for p in mins if p["cls"] == "local min" and p[key] - best > 2.0 ** -20 * scale]


# -- Sec. 4, "Other regularization choices can also lead to the same phenomenon" -----------------------
# R(w, v) = λ·(ρ(w) + ρ(v)) with ρ one of these smooth even penalties; each entry is (ρ, ρ', ρ'')
OTHER_REGULARIZERS = {
    # quartic: ρ(t) = t⁴/4
    "quartic": (lambda t: t ** 4 / 4, lambda t: t ** 3, lambda t: 3 * t * t),
    # smooth ℓ1 (pseudo-Huber): ρ(t) = √(1 + t²) − 1, ≈ |t| for large |t|
    "pseudo_huber": (lambda t: B.sqrt(1 + t * t) - 1, lambda t: t / B.sqrt(1 + t * t),
                     lambda t: 1 / (B.sqrt(1 + t * t) * (1 + t * t))),
}

# where the descent for a spurious minimum starts: the figure's bottom-left minimum (−1, −1.6)
SPURIOUS_START = (-1.0, -1.6)


@dataclass(frozen=True, repr=False)
class OtherRegularized2D(Instance):
    """G(w, v) = c·(w(1 + εv) − 1)² + λ·(ρ(w) + ρ(v)), ρ from :data:`OTHER_REGULARIZERS`."""

    CODECS = {"lam": MP_SCALAR, "c": MP_SCALAR, "eps": MP_SCALAR}

    regularizer: str
    lam: object
    c: object = 0.5
    eps: object = 1.0

    def __post_init__(self):
        if self.regularizer not in OTHER_REGULARIZERS:
            raise ValueError(f"argument 'regularizer': unknown {self.regularizer!r}; known: "
                             f"{', '.join(OTHER_REGULARIZERS)}")
        for name in ("lam", "c", "eps"):
            x = getattr(self, name)
            if not isinstance(x, (int, float, mpmath.mpf, np.floating)) or not mpmath.isfinite(x):
                raise ValueError(f"argument {name!r}: expected a finite real number, got {x!r}")
        if not (self.c > 0 and self.eps > 0 and self.lam >= 0):
            raise ValueError(f"arguments: need c > 0, ε > 0, λ ≥ 0; got {self.describe()}")

    @property
    def is_mp(self):
        return isinstance(self.lam, mpmath.mpf)

    def describe(self):
        return (f"G = {float(self.c):.6g}·(w(1+{float(self.eps):.6g}v) − 1)² + {float(self.lam):.6g}·(ρ(w) + ρ(v)), "
                f"ρ = {self.regularizer}")

    def F(self, w, v):
        return self.c * (w * (1 + self.eps * v) - 1) ** 2

    def G(self, w, v):
        rho = OTHER_REGULARIZERS[self.regularizer][0]
        return self.F(w, v) + self.lam * (rho(w) + rho(v))

    def grad_G(self, w, v):
        d1 = OTHER_REGULARIZERS[self.regularizer][1]
        r, u = w * (1 + self.eps * v) - 1, 1 + self.eps * v
        return 2 * self.c * r * u + self.lam * d1(w), 2 * self.c * r * self.eps * w + self.lam * d1(v)

    def hess_G(self, w, v):
        d2 = OTHER_REGULARIZERS[self.regularizer][2]
        c, e, u = self.c, self.eps, 1 + self.eps * v
        return (2 * c * u * u + self.lam * d2(w), 2 * c * e * (2 * w * u - 1),
                2 * c * e * e * w * w + self.lam * d2(v))


def _newton_step(obj, w, v):
    gw, gv = obj.grad_G(w, v)
    hww, hwv, hvv = obj.hess_G(w, v)
    det = hww * hvv - hwv * hwv
    if hww > 0 and det > 0:
        return -(hvv * gw - hwv * gv) / det, -(hww * gv - hwv * gw) / det, True
    h = abs(hww) + abs(hwv) + abs(hvv) + 1
    return -gw / h, -gv / h, False


def _grad_norm(obj, w, v):
    gw, gv = obj.grad_G(w, v)
    return B.sqrt(gw * gw + gv * gv)


def descend(obj, start, *, steps=200):
    """A local minimiser of ``obj.G`` from ``start``, in the arithmetic of ``obj``: damped steps
    (Newton where ∇²G ≻ 0, gradient steps elsewhere, halved until G decreases) until G stops
    decreasing, then plain Newton steps while they reduce ‖∇G‖ (quadratic convergence down to the
    working precision, where G itself no longer resolves a decrease). Returns (w, v)."""
    one = 1 + 0 * obj.lam
    w, v = start[0] * one, start[1] * one
    g0 = obj.G(w, v)
    for _ in range(steps):
        dw, dv, _ = _newton_step(obj, w, v)
        t, moved = one, False
        for _ in range(60):
            g1 = obj.G(w + t * dw, v + t * dv)
            if g1 < g0:
                w, v, g0, moved = w + t * dw, v + t * dv, g1, True
                break
            t = t / 2
        if not moved:
            break
    gn = _grad_norm(obj, w, v)
    for _ in range(steps):
        dw, dv, newton = _newton_step(obj, w, v)
        if not newton:
            break
        gn1 = _grad_norm(obj, w + dw, v + dv)
        if not gn1 < gn:
            break
        w, v, gn = w + dw, v + dv, gn1
    return w, v


def certified_spurious_minimum(obj, start=SPURIOUS_START) -> dict:
    """The local minimum of G reached from ``start`` and what certifies it as spurious: ``stationary``
    (‖∇G‖ ≤ 2¹⁰·u·scale, rounding level: Newton's last steps reach it), ``strict`` (λ_min(∇²G) above
    the classification threshold √u·scale), ``worse`` (G above its value at the linear predictor
    (w, v) = (1, 0), where F(1, 0) = F_lin(1) = 0, by more than that threshold, so the point is not a
    global minimum of G) and ``bottom_left`` (w < 0, v < 0). scale = (|H_ww| + |H_wv| + |H_vv| + 1)·
    (|w| + |v| + 1), the size of the gradient's terms. A stationary point with ∇²G ≻ 0 is a strict
    local minimum; at 60 digits the computed point is within ‖∇G‖/λ_min ≈ 10⁻⁵⁵ of an exact one."""
    w, v = descend(obj, start)
    gw, gv = obj.grad_G(w, v)
    hww, hwv, hvv = obj.hess_G(w, v)
    lo, hi = sym2_eigs(hww, hwv, hvv)
    one = 1 + 0 * obj.lam
    G_lin = obj.G(one, 0 * one)
    scale = (abs(hww) + abs(hwv) + abs(hvv) + one) * (abs(w) + abs(v) + one)
    u = mpmath.mpf(2) ** (-mpmath.mp.prec) if obj.is_mp else 2.0 ** -53
    tol = _threshold(obj, scale)
    gnorm = B.sqrt(gw * gw + gv * gv)
    Gp = obj.G(w, v)
    return dict(w=w, v=v, G=Gp, F=obj.F(w, v), G_lin=G_lin, grad_norm=gnorm, eig_min=lo, eig_max=hi,
                stationary=bool(gnorm <= 2 ** 10 * u * scale), strict=bool(lo > tol), worse=bool(Gp - G_lin > tol),
                bottom_left=bool(w < 0 and v < 0))
