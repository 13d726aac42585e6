"""Univariate polynomials as ascending coefficient lists, on floats and on mpf.

Used for the stationary-point quintic and the circle-valley quartic of Figure 1 (Sec. 4,
:mod:`theorems.model.figure1`): products, sums and the real roots (mpmath.polyroots at the working
precision for mpf coefficients; numpy's companion-matrix roots polished by Newton steps for floats).
"""

from __future__ import annotations

import mpmath
import numpy as np

__all__ = ["poly_mul", "poly_add", "real_roots"]


def poly_mul(a, b):
    """The product of two polynomials (ascending coefficients)."""
    out = [0 * a[0]] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] = out[i + j] + x * y
    return out


def poly_add(a, b):
    """The sum of two polynomials (ascending coefficients)."""
    n = max(len(a), len(b))
    a, b = a + [0 * a[0]] * (n - len(a)), b + [0 * b[0]] * (n - len(b))
    return [x + y for x, y in zip(a, b)]


def real_roots(asc, mp):
    """Real roots, sorted, of the polynomial with ascending coefficients ``asc`` (floats or mpf).

    A root counts as real when its imaginary part is below 10^(−dps/3)·(1 + |z|) (mpf) or
    10⁻⁷·(1 + |z|) (floats)."""
    while len(asc) > 1 and asc[-1] == 0:
        asc = asc[:-1]
    desc = asc[::-1]
    if mp:
        roots = mpmath.polyroots(desc, maxsteps=400, extraprec=4 * mpmath.mp.prec)
        tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3))
        out = [mpmath.re(z) for z in roots if abs(mpmath.im(z)) <= tol * (1 + abs(z))]
    else:
        roots = np.roots(np.array([float(x) for x in desc]))
        out = [float(z.real) for z in roots if abs(z.imag) <= 1e-7 * (1 + abs(z))]
        out = [_newton(desc, x) for x in out]
    return sorted(out)


def _newton(desc, x, steps=3):
    """A few Newton steps on the float polynomial with descending coefficients ``desc``."""
    for _ in range(steps):
        p, dp = 0.0, 0.0
        for a in desc:
            dp = dp * x + p
            p = p * x + float(a)
        if dp == 0:
            break
        x = x - p / dp
    return x
