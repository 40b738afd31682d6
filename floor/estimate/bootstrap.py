"""Bootstrap resampling of a profile from iNEXT's estimated community (Chao & Jost 2012; Chao et al. 2014).

The estimated community (iNEXT ``EstiBootComm.Ind``) gives each observed fact with count x_i the probability

    p̂_i = (x_i/n) (1 − w (1 − x_i/n)^n),   w = a / Σ_j (x_j/n)(1 − x_j/n)^n,   a = (f1/n) A,

and adds ceil(f̂0) unseen facts of probability a / ceil(f̂0) each (w = 0 when f̂0 = 0). A bootstrap replicate is a
multinomial sample of n mentions from this community.

How a replicate is drawn, and why it stays fast for large corpora
-----------------------------------------------------------------
All facts with the same observed count k share one probability, and so do the unseen facts: the community is a
handful of *classes* (at most the number of distinct counts, plus one). A multinomial sample over all facts is
drawn in two stages:

1. the mentions falling in each class, ``M_c ~ Multinomial(n, size_c · p_c)`` (numpy's multinomial; its cost does
   not depend on n, so n = 1e12 is as cheap as n = 100);
2. within a class, ``M_c`` mentions spread uniformly over its ``size_c`` facts, by the cheapest method:
   * a class of one fact takes all ``M_c``;
   * exactly, with one ``Multinomial(M_c, uniform)`` per replicate (cost ~ size_c), or by letting each mention
     pick a fact uniformly and counting (cost ~ M_c, for a class of many rarely seen facts such as the unseen);
   * when both would cost more than ``EXACT_CLASS_SIZE`` (and more than the approximation) per replicate, as an
     *occupancy profile* (how many of its facts get 0, 1, 2, … mentions): facts' counts are i.i.d.
     Poisson(M_c / size_c) (one multinomial over count values), then the total is brought back to exactly
     ``M_c``: first by shifting every fact by the same whole number of mentions when the total is off by more
     than one per fact (for the near-Gaussian counts of that regime, that *is* conditioning on the sum), then
     by moving single mentions into uniformly chosen facts, or out of mention-weighted facts. Conditioning
     i.i.d. Poisson counts on their sum is exactly the uniform multinomial; the moves are the first-order form
     of that conditioning (their expected effect on each f_k is the regression of f_k on the total), so the
     error is O(1/sqrt(size_c)) and only affects classes of thousands of facts (the tests compare both ways).
     Its cost depends on the spread of counts, not on the number of facts, so a class of 1e11 unseen facts
     costs the same as one of 1e4.

Each replicate keeps exactly n mentions. Besides the replicate's singletons and doubletons, the draw records
its *missing mass* M* (the estimated-community probability of the facts the replicate did not see), which the
missing-mass interval needs: it bootstraps the error sr − M, not sr alone (see
:func:`floor.estimate.missing_mass.bootstrap_interval`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..profile import Profile
from ._common import basic, check_int, check_profile
from .extrapolate import chao_jost_one_minus_a, f0_hat

#: A class is resampled exactly whenever that costs at most this much work per replicate.
EXACT_CLASS_SIZE = 4096
_PAD = 3
_MAX_MOVES = 200


@dataclass(frozen=True)
class EstimatedCommunity:
    """iNEXT's estimated community, grouped into classes of facts with equal probability.

    ``observed[c]`` is the sample count of the class's facts (0 for the unseen class), ``sizes[c]`` how many facts
    it has (float64: the unseen class can be astronomically large), ``probs[c]`` the probability of each of them.
    """

    n: int
    observed: np.ndarray
    sizes: np.ndarray
    probs: np.ndarray
    unseen_mass: float
    unseen_facts: float
    w: float

    @property
    def masses(self) -> np.ndarray:
        return self.sizes * self.probs


def estimated_community(p: Profile) -> EstimatedCommunity:
    """iNEXT ``EstiBootComm.Ind`` for a profile, grouped by observed count (see the module docstring)."""
    p = check_profile(p)
    n, _, f1, _ = basic(p)
    if n == 0:
        empty = np.zeros(0)
        return EstimatedCommunity(0, np.zeros(0, dtype=np.int64), empty, empty, 0.0, 0.0, 0.0)
    ks = p.ks.astype(np.float64)
    fs = p.fs.astype(np.float64)
    rel = ks / n
    with np.errstate(divide="ignore"):
        tail = np.exp(n * np.log1p(-rel))  # (1 - x/n)^n, 0 for x = n
    f0 = f0_hat(p)
    oma = chao_jost_one_minus_a(p)
    a = (f1 / n) * (1.0 - oma) if f1 > 0 else 0.0
    terms = fs * rel * tail
    b = float(terms.sum())
    w = a / b if (f0 > 0 and b > 0) else 0.0
    shrink = 1.0 - w * tail
    if w > 0 and p.ks[0] == 1:
        # for singletons w·(1 − 1/n)^n can be 1 − 1e-17: 1 − w·tail = [(f1/n) tail (1 − A) + Σ_(k>=2) terms] / b
        shrink[0] = (terms[0] * oma + float(terms[1:].sum())) / b
    probs = rel * np.clip(shrink, 0.0, 1.0)
    observed = p.ks.copy()
    sizes = fs
    unseen = float(math.ceil(f0)) if f0 > 0 else 0.0
    if unseen > 0 and a > 0:
        observed = np.append(observed, 0)
        sizes = np.append(sizes, unseen)
        probs = np.append(probs, a / unseen)
    return EstimatedCommunity(int(p.mentions), observed, sizes, probs, a, unseen, w)


@dataclass(frozen=True)
class BootstrapDraw:
    """Statistics of ``R`` replicates: singletons, doubletons, missing mass, and (if asked) the profiles."""

    n: int
    singletons: np.ndarray
    doubletons: np.ndarray
    missing_mass: np.ndarray
    profiles: list[Profile] | None

    @property
    def singleton_rates(self) -> np.ndarray:
        return self.singletons / self.n if self.n else np.full(self.singletons.shape, np.nan)


def bootstrap_draw(p: Profile, replicates: int = 200, seed: int | np.random.Generator = 0, *,
                   profiles: bool = False) -> BootstrapDraw:
    """Draw ``replicates`` multinomial samples of n mentions from the estimated community of ``p``.

    Seeded: the same ``seed`` gives the same replicates. With ``profiles=True`` the replicate profiles are
    returned as well (needed for predictions at other sizes); otherwise only f1, f2 and the missing mass.
    """
    p = check_profile(p)
    replicates = check_int("replicates", replicates, 1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    comm = estimated_community(p)
    return _draw(comm, replicates, rng, profiles=profiles, exact_class_size=EXACT_CLASS_SIZE)


def _draw(comm: EstimatedCommunity, R: int, rng: np.random.Generator, *, profiles: bool,
          exact_class_size: int) -> BootstrapDraw:
    n = comm.n
    if n == 0 or comm.sizes.size == 0:
        nan = np.full(R, np.nan)
        empty = [Profile([], []) for _ in range(R)] if profiles else None
        return BootstrapDraw(n, np.zeros(R), np.zeros(R), nan, empty)
    masses = comm.masses
    class_p = masses / masses.sum()
    totals = rng.multinomial(n, class_p, size=R)  # (R, C)
    missing = np.zeros(R)
    reps, vals, cnts = [], [], []

    singles = np.flatnonzero(comm.sizes == 1)
    if singles.size:
        x = totals[:, singles]  # (R, K1): each single-fact class's count
        occ = x > 0
        missing += (masses[singles][None, :] * ~occ).sum(axis=1)
        r = np.broadcast_to(np.arange(R)[:, None], x.shape)
        reps.append(r[occ])
        vals.append(x[occ].astype(np.float64))
        cnts.append(np.ones(int(occ.sum())))

    for c in np.flatnonzero(comm.sizes > 1):
        size = comm.sizes[c]
        m = totals[:, c]
        r, v, k = _spread(m, size, rng, exact_class_size)
        reps.append(r)
        vals.append(v)
        cnts.append(k)
        occupied = np.bincount(r, weights=k, minlength=R)
        missing += masses[c] - comm.probs[c] * occupied

    rep = np.concatenate(reps) if reps else np.zeros(0, dtype=np.int64)
    val = np.concatenate(vals) if vals else np.zeros(0)
    cnt = np.concatenate(cnts) if cnts else np.zeros(0)
    one, two = val == 1, val == 2
    f1 = np.bincount(rep[one], weights=cnt[one], minlength=R)
    f2 = np.bincount(rep[two], weights=cnt[two], minlength=R)
    missing = np.clip(missing, 0.0, 1.0)
    out_profiles = _assemble(rep, val, cnt, R) if profiles else None
    return BootstrapDraw(n, f1, f2, missing, out_profiles)


def _spread(m: np.ndarray, size: float, rng: np.random.Generator, exact_class_size: int):
    """Spread each replicate's class total over the class's facts by the cheapest exact method, or by the
    occupancy approximation when every exact method would cost more than ``exact_class_size`` per replicate."""
    mean_m = float(m.mean())
    lam = mean_m / size
    window = 2.0 * (6.0 * math.sqrt(lam) + 6.0) + 2 * _PAD
    cost_multinomial = size
    cost_balls = 2.0 * mean_m if size < 2**53 else math.inf
    cost_approx = 3.0 * window
    best_exact = min(cost_multinomial, cost_balls)
    if best_exact <= max(exact_class_size, cost_approx):
        if cost_multinomial <= cost_balls:
            return _spread_multinomial(m, int(size), rng)
        return _spread_balls(m, int(size), rng)
    return _occupancy(m, size, rng)


def _spread_multinomial(m: np.ndarray, s: int, rng: np.random.Generator):
    """Exact: ``m[r]`` mentions over ``s`` equally likely facts, one multinomial per replicate (cost R·s)."""
    return _dense_triples(rng.multinomial(m, np.full(s, 1.0 / s)))


def _spread_balls(m: np.ndarray, s: int, rng: np.random.Generator):
    """Exact: each of the ``m[r]`` mentions picks one of ``s`` facts uniformly (cost Σ m[r], for m << s)."""
    R = m.size
    rep = np.repeat(np.arange(R, dtype=np.int64), m)
    if rep.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    key = rep * s + rng.integers(0, s, size=rep.size, dtype=np.int64)
    if R * s <= 4 * rep.size + 65536:  # dense is cheap: per-fact counts as an (R, s) table
        return _dense_triples(np.bincount(key, minlength=R * s).reshape(R, s))
    key.sort()
    new = np.ones(key.size, dtype=bool)
    new[1:] = key[1:] != key[:-1]
    start = np.flatnonzero(new)
    per_fact = np.diff(np.append(start, key.size))  # mentions of each hit fact
    fact_rep = key[start] // s
    return _sparse_triples(fact_rep, per_fact)


def _dense_triples(x: np.ndarray):
    """(replicate, value >= 1, number of facts) from an (R, s) table of per-fact counts."""
    R = x.shape[0]
    vmax = int(x.max()) if x.size else 0
    if vmax == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    if R * (vmax + 1) <= 4 * x.size + 65536:
        table = np.bincount((np.arange(R, dtype=np.int64)[:, None] * (vmax + 1) + x).ravel(),
                            minlength=R * (vmax + 1)).reshape(R, vmax + 1)
        table[:, 0] = 0
        r, v = np.nonzero(table)
        return r.astype(np.int64), v.astype(np.float64), table[r, v].astype(np.float64)
    occ = x > 0  # large counts are nearly all distinct: leave the (replicate, value) pairs unaggregated
    r = np.broadcast_to(np.arange(R, dtype=np.int64)[:, None], x.shape)[occ]
    return r, x[occ].astype(np.float64), np.ones(r.size)


def _sparse_triples(rep: np.ndarray, value: np.ndarray):
    """Count equal (replicate, value) pairs."""
    value = np.asarray(value, dtype=np.int64)
    order = np.lexsort((value, rep))
    rep, value = rep[order], value[order]
    new = np.ones(rep.size, dtype=bool)
    new[1:] = (rep[1:] != rep[:-1]) | (value[1:] != value[:-1])
    start = np.flatnonzero(new)
    k = np.diff(np.append(start, rep.size)).astype(np.float64)
    return rep[start].astype(np.int64), value[start].astype(np.float64), k


def _window(lam_lo: float, lam_hi: float, size: float, R: int) -> tuple[int, int]:
    """Count values that hold all but a negligible share (< 1e-3 facts in all replicates) of Poisson mass."""
    z = max(6.0, math.sqrt(2.0 * math.log(max(size, 1.0) * R * 1e3)))
    lo = max(0, math.floor(lam_lo - z * math.sqrt(lam_lo) - z) - _PAD)
    hi = math.ceil(lam_hi + z * math.sqrt(lam_hi) + z) + _PAD
    return lo, hi


def _occupancy(m: np.ndarray, size: float, rng: np.random.Generator):
    """Occupancy profile of ``m[r]`` mentions spread uniformly over ``size`` facts, for each replicate r.

    Returns triples (replicate, count value >= 1, number of facts) — see the module docstring for the method.
    When the total is off by more than one mention per fact (large counts), every fact is first shifted by the
    same whole number of mentions — for near-Gaussian counts, conditioning on the sum is exactly that shift —
    and only the remainder is placed by single moves.
    """
    from scipy.stats import poisson

    R = m.size
    m = m.astype(np.float64)
    lam = m / size
    lo, hi = _window(float(lam.min()), float(lam.max()), size, R)
    values = np.arange(lo, hi + 1, dtype=np.float64)
    pmf = poisson.pmf(values[None, :], lam[:, None])
    if lo == 0:
        pmf[:, 0] += np.clip(1.0 - pmf.sum(axis=1), 0.0, None)  # mass below the window is at 0
    pmf /= pmf.sum(axis=1, keepdims=True)
    if size < 2**62:
        boxes = rng.multinomial(int(size), pmf).astype(np.float64)
    else:  # so many facts that the non-empty cells are independent Poisson counts
        cells = size * pmf
        cells[:, values < 1] = 0.0
        boxes = rng.poisson(cells).astype(np.float64)
        boxes[:, values < 1] = size - boxes.sum(axis=1, keepdims=True)
    deficit = m - boxes @ values
    shift = np.trunc(deficit / size) if size < 2**53 else np.zeros(R)
    shift = np.maximum(shift, -float(lo))  # counts stay >= 0
    deficit -= shift * size
    vals = values[None, :] + shift[:, None]  # (R, W): per-replicate count values
    for _ in range(_MAX_MOVES):
        up, down = deficit > 0, deficit < 0
        if not (up.any() or down.any()):
            break
        if up.any():
            b = boxes[up]
            weight = b.copy()
            weight[:, -1] = 0.0  # the top value cannot move up
            picks = np.minimum(_multinomial_rows(rng, deficit[up], weight), b)
            b -= picks
            b[:, 1:] += picks[:, :-1]
            boxes[up] = b
        if down.any():
            b = boxes[down]
            weight = b * vals[down]
            weight[:, 0] = 0.0  # the bottom value cannot move down
            picks = np.minimum(_multinomial_rows(rng, -deficit[down], weight), b)
            b -= picks
            b[:, :-1] += picks[:, 1:]
            boxes[down] = b
        deficit = m - np.einsum("rw,rw->r", boxes, vals)
    keep = (vals >= 1) & (boxes > 0)
    r = np.broadcast_to(np.arange(R)[:, None], boxes.shape)[keep]
    v = vals[keep]
    k = boxes[keep]
    stuck = np.flatnonzero(deficit != 0)
    if stuck.size:  # practically unreachable: put the remainder on one fact of the most common value >= 1
        r, v, k = list(r), list(v), list(k)
        for i in stuck:
            row = np.where(vals[i] >= 1, boxes[i], 0.0)
            j = int(np.argmax(row))
            if row[j] > 0:
                r.append(i), v.append(vals[i, j]), k.append(-1.0)
                r.append(i), v.append(vals[i, j] + deficit[i]), k.append(1.0)
            else:
                r.append(i), v.append(deficit[i]), k.append(1.0)
        r, v, k = np.asarray(r, dtype=np.int64), np.asarray(v), np.asarray(k)
        good = v >= 1
        r, v, k = r[good], v[good], k[good]
    return np.asarray(r, dtype=np.int64), np.asarray(v, dtype=np.float64), np.asarray(k, dtype=np.float64)


def _multinomial_rows(rng: np.random.Generator, counts: np.ndarray, weight: np.ndarray) -> np.ndarray:
    total = weight.sum(axis=1, keepdims=True)
    ok = total[:, 0] > 0
    out = np.zeros_like(weight)
    if ok.any():
        pv = weight[ok] / total[ok]
        out[ok] = rng.multinomial(counts[ok].astype(np.int64), pv).astype(np.float64)
    return out


def _assemble(rep: np.ndarray, val: np.ndarray, cnt: np.ndarray, R: int) -> list[Profile]:
    """Sum (replicate, value, count) triples into one profile per replicate."""
    if rep.size == 0:
        return [Profile([], []) for _ in range(R)]
    order = np.lexsort((val, rep))
    rep, val, cnt = rep[order], val[order], cnt[order]
    new = np.ones(rep.size, dtype=bool)
    new[1:] = (rep[1:] != rep[:-1]) | (val[1:] != val[:-1])
    start = np.flatnonzero(new)
    rep_u, val_u = rep[start], val[start]
    cnt_u = np.add.reduceat(cnt, start)
    bounds = np.searchsorted(rep_u, np.arange(R + 1))
    out = []
    for i in range(R):
        sl = slice(bounds[i], bounds[i + 1])
        ks = val_u[sl].astype(np.int64)
        fs = np.rint(cnt_u[sl]).astype(np.int64)
        keep = fs > 0
        out.append(Profile(ks[keep], fs[keep]))
    return out
