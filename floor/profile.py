"""The frequency-of-frequencies profile: the unit every estimator consumes.

A profile says, for each count k >= 1, how many distinct facts were seen exactly k times (f_k, also written
Phi_k). Every estimator in :mod:`floor.estimate` is a function of a profile alone, so profiles are read and
written as first-class files: a TSV of ``count<TAB>facts`` rows, optionally with a leading ``category`` column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
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
        """N = sum_k k f_k."""
        return int(np.dot(self.ks, self.fs)) if self.ks.size else 0

    @property
    def distinct(self) -> int:
        """S = sum_k f_k."""
        return int(self.fs.sum())

    @property
    def singletons(self) -> int:
        return self.f(1)

    @property
    def doubletons(self) -> int:
        return self.f(2)

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


def read_profile_tsv(path: str, text: str | None = None) -> dict[str, Profile]:
    """Read ``[category<TAB>]count<TAB>facts`` rows into ``{category: Profile}``.

    A header row (any non-numeric count field on the first data row), ``#`` comments and blank lines are
    allowed. Without a category column every row belongs to category ``"all"``. Repeated counts within a
    category are added.
    """
    if text is None:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise FloorError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise FloorError(f"{path}: cannot read profile: {exc}") from None
    rows: dict[str, dict[int, int]] = {}
    width = None
    seen_data = False
    for lineno, line in enumerate(io.StringIO(text), start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) not in (2, 3):
            raise InputError(path, lineno, f"expected 'count<TAB>facts' or 'category<TAB>count<TAB>facts', got {len(fields)} fields")
        if not seen_data and not _is_int(fields[-1]):
            seen_data = True  # header row
            width = len(fields)
            continue
        seen_data = True
        if width is None:
            width = len(fields)
        elif len(fields) != width:
            raise InputError(path, lineno, f"expected {width} fields like the rows above, got {len(fields)}")
        category = fields[0] if width == 3 else ALL
        count_text, facts_text = fields[-2], fields[-1]
        if not (_is_int(count_text) and _is_int(facts_text)):
            raise InputError(path, lineno, f"count and facts must be whole numbers, got {count_text!r} and {facts_text!r}")
        count, facts = int(count_text), int(facts_text)
        if count < 1 or facts < 0:
            raise InputError(path, lineno, f"count must be >= 1 and facts >= 0, got {count} and {facts}")
        per_category = rows.setdefault(category, {})
        per_category[count] = per_category.get(count, 0) + facts
    if not rows:
        raise InputError(path, None, "profile has no rows")
    return {category: Profile.from_mapping(mapping) for category, mapping in rows.items()}


def format_profile_tsv(profiles: Mapping[str, Profile]) -> str:
    """The TSV that :func:`read_profile_tsv` reads, with a header and a category column."""
    lines = ["category\tcount\tfacts"]
    for category, profile in profiles.items():
        lines.extend(f"{category}\t{int(k)}\t{int(f)}" for k, f in zip(profile.ks, profile.fs))
    return "\n".join(lines) + "\n"


def _is_int(text: str) -> bool:
    return text.isdigit()
