"""The frequency-of-frequencies profile: the unit every estimator consumes.

A profile says, for each count k >= 1, how many distinct facts were seen exactly k times (f_k, also written
Phi_k). Every estimator in :mod:`floor.estimate` is a function of a profile alone, so profiles are read and
written as first-class files: a TSV of ``count<TAB>facts`` rows, optionally with a leading ``category`` column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Iterable, Mapping

import numpy as np

from .errors import FloorError, InputError


@dataclass(frozen=True)
class Profile:
    """Counts ``ks`` (strictly increasing, >= 1) and how many facts ``fs`` (>= 1) were seen that often.

    Integer arithmetic stays in int64, which is exact for corpora of up to ~9e18 mentions; estimators convert
    to float64 themselves.
    """

    ks: np.ndarray
    fs: np.ndarray

    def __post_init__(self):
        ks = np.asarray(self.ks, dtype=np.int64).reshape(-1)
        fs = np.asarray(self.fs, dtype=np.int64).reshape(-1)
        if ks.shape != fs.shape:
            raise ValueError("ks and fs must have the same length")
        if ks.size and (ks.min() < 1 or fs.min() < 0):
            raise ValueError("counts must be >= 1 and fact numbers >= 0")
        if ks.size and np.any(np.diff(ks) <= 0):
            order = np.argsort(ks, kind="stable")
            ks, fs = ks[order], fs[order]
            unique, start = np.unique(ks, return_index=True)
            fs = np.add.reduceat(fs, start)
            ks = unique
        keep = fs > 0
        object.__setattr__(self, "ks", ks[keep])
        object.__setattr__(self, "fs", fs[keep])

    @classmethod
    def from_counts(cls, counts: Iterable[int] | np.ndarray) -> "Profile":
        """Profile of per-fact counts x_i (zeros are ignored, as absent facts)."""
        counts = np.asarray(counts, dtype=np.int64).reshape(-1)
        counts = counts[counts > 0]
        ks, fs = np.unique(counts, return_counts=True)
        return cls(ks, fs)

    @classmethod
    def from_mapping(cls, mapping: Mapping[int, int]) -> "Profile":
        items = sorted((int(k), int(f)) for k, f in mapping.items())
        return cls(np.array([k for k, _ in items], dtype=np.int64), np.array([f for _, f in items], dtype=np.int64))

    def __add__(self, other: "Profile") -> "Profile":
        """Profiles of disjoint fact sets add (e.g. hash buckets); profiles of overlapping shards do not."""
        return Profile(np.concatenate([self.ks, other.ks]), np.concatenate([self.fs, other.fs]))

    def f(self, k: int) -> int:
        """Number of facts seen exactly ``k`` times."""
        i = np.searchsorted(self.ks, k)
        return int(self.fs[i]) if i < self.ks.size and self.ks[i] == k else 0

    @property
    def mentions(self) -> int:
        """N = sum_k k f_k, exactly (in Python integers: an int64 sum wraps around silently past 2^63)."""
        return int(np.dot(self.ks.astype(object), self.fs.astype(object))) if self.ks.size else 0

    @property
    def distinct(self) -> int:
        """S = sum_k f_k."""
        return int(self.fs.sum())

    @cached_property
    def singletons(self) -> int:
        return self.f(1)

    @cached_property
    def doubletons(self) -> int:
        return self.f(2)

    @cached_property
    def float_counts(self) -> tuple[float, float, float, float]:
        """``(N, S, f1, f2)`` as floats, computed once: every estimator of a group asks for them."""
        n = float(np.dot(self.ks.astype(np.float64), self.fs.astype(np.float64))) if self.ks.size else 0.0
        return n, float(self.fs.sum()), float(self.singletons), float(self.doubletons)

    def as_dict(self) -> dict[str, int]:
        """``{"k": f_k}`` with string keys, as JSON wants them."""
        return {str(int(k)): int(f) for k, f in zip(self.ks, self.fs)}

    def counts(self) -> np.ndarray:
        """The per-fact counts x_i, expanded (sorted ascending). Only for small profiles."""
        return np.repeat(self.ks, self.fs)

    def __eq__(self, other) -> bool:
        return isinstance(other, Profile) and np.array_equal(self.ks, other.ks) and np.array_equal(self.fs, other.fs)

    def __repr__(self) -> str:
        return f"Profile(N={self.mentions}, S={self.distinct}, f1={self.singletons}, f2={self.doubletons})"


ALL = "all"

#: Largest number of mentions N (over all rows) that the estimators take: float64 holds N exactly up to here.
MAX_MENTIONS = 2**53
_INT64_MAX = 2**63 - 1

#: Header rows :func:`read_profile_tsv` recognizes (compared case-insensitively), by number of columns.
PROFILE_HEADERS = {
    2: {("count", "facts"), ("k", "f_k")},
    3: {("category", "count", "facts"), ("category", "k", "f_k")},
}
# A whole number as tools write one: digits, optionally with a fraction and an exponent (awk prints 1e+06).
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?", re.ASCII)


def read_profile_tsv(path: str, text: str | None = None) -> dict[str, Profile]:
    """Read ``[category<TAB>]count<TAB>facts`` rows into ``{category: Profile}``.

    The first row may be a header naming the columns (one of :data:`PROFILE_HEADERS`, any case); ``#`` comments
    and blank lines are allowed. Every other row is data: a count >= 1 and a number of facts >= 0, each a whole
    number, which may be written with a fraction or an exponent when it denotes one exactly (``1e+06``,
    ``500.0``). Anything else (``500.5``, ``-5``, ``nan``, an empty cell, a count beyond int64, mentions N beyond
    :data:`MAX_MENTIONS`, a category ``"all"`` beside others) is an :class:`InputError` naming the line. Without a
    category column every row belongs to category ``"all"``. Repeated counts within a category are added.
    """
    if text is None:
        text = _read_text(path)
    rows: dict[str, dict[int, int]] = {}
    width = None
    mentions = 0
    for lineno, line in enumerate(io.StringIO(text), start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) not in PROFILE_HEADERS:
            raise InputError(path, lineno, f"expected 'count<TAB>facts' or 'category<TAB>count<TAB>facts', got {len(fields)} fields")
        first = width is None
        if first and tuple(f.lower() for f in fields) in PROFILE_HEADERS[len(fields)]:
            width = len(fields)
            continue
        if width is None:
            width = len(fields)
        elif len(fields) != width:
            raise InputError(path, lineno, f"expected {width} fields like the rows above, got {len(fields)}")
        try:
            count, facts = _whole_number(fields[-2], "count", 1), _whole_number(fields[-1], "facts", 0)
        except ValueError as exc:
            named = first and not any(c.isdigit() for c in fields[-2] + fields[-1])
            hint = "; a header row names its columns: count<TAB>facts or category<TAB>count<TAB>facts" if named else ""
            raise InputError(path, lineno, f"{exc}{hint}") from None
        mentions += count * facts
        if mentions > MAX_MENTIONS:
            raise InputError(path, lineno, f"the mentions of the rows so far (count × facts, summed) reach "
                                           f"{mentions:,}, beyond 2^53 = {MAX_MENTIONS:,}, the largest N floor "
                                           "estimates from")
        if width == 3 and not fields[0]:
            raise InputError(path, lineno, "the category is empty")
        category = fields[0] if width == 3 else ALL
        if rows and (category == ALL) != (ALL in rows):
            # The report pools several categories into a group named 'all': a category of that name beside
            # others would be a second, different 'all' group.
            raise InputError(path, lineno, f"the category {ALL!r} names the pooled group of the other "
                                           "categories; rename it, or give it alone")
        per_category = rows.setdefault(category, {})
        per_category[count] = per_category.get(count, 0) + facts
    if not rows:
        raise InputError(path, None, "profile has no rows")
    return {category: Profile.from_mapping(mapping) for category, mapping in rows.items()}


def _read_text(path: str) -> str:
    try:
        # utf-8-sig: a byte-order mark (as spreadsheets write) is not part of the first field
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        raise FloorError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FloorError(f"{path}: cannot read profile: {exc}") from None


def _whole_number(text: str, name: str, minimum: int) -> int:
    """The whole number ``text`` denotes exactly, at least ``minimum``; a ``ValueError`` saying why not."""
    if _NUMBER.fullmatch(text):
        value = Decimal(text)  # exact: 1e+06 and 500.0 are whole numbers, 500.5 is not
        if value > _INT64_MAX:
            raise ValueError(f"{name} {text} is beyond 2^63 - 1, the largest count floor holds")
        if value == value.to_integral_value():
            if value < minimum:
                raise ValueError(f"{name} must be >= {minimum}, got {text}")
            return int(value)
    raise ValueError(f"{name} must be a whole number >= {minimum} (such as 12, 500.0 or 1e+06), got {text!r}")


def format_profile_tsv(profiles: Mapping[str, Profile]) -> str:
    """The TSV that :func:`read_profile_tsv` reads, with a header and a category column."""
    lines = ["category\tcount\tfacts"]
    for category, profile in profiles.items():
        lines.extend(f"{category}\t{int(k)}\t{int(f)}" for k, f in zip(profile.ks, profile.fs))
    return "\n".join(lines) + "\n"
