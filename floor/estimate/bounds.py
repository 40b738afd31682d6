"""Bounds on the hallucination rate from the singleton rate: Kalai, Nachum, Vempala & Zhang (2025), Theorem 2, and
Kalai & Vempala (2024).

Each bound returns a :class:`Bound` that keeps every term by name, so a report can say which one dominates. The
finite-sample term is never hidden: at small N it is larger than sr itself and the floor is 0 — the note says so.

Inputs that data cannot give:

* ``error_set_size`` — min over prompts of |E_c|, the number of plausible *wrong* answers (birthdays without a
  year: 364). The report calls it ``answer_space`` (``--answer-space``).
* ``delta`` — δ = |p̂(A) − p(A)|, the model's miscalibration at the single threshold 1/min|E_c|; default 0,
  and reported as an assumption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile
from ._common import basic, check_confidence, check_nonnegative, check_profile, fmt, fmt_count, jsonable

_FORMS = ("auto", "99", "general")

_LABELS = {
    "singleton_rate": "singleton rate",
    "calibration": "calibration term 2/min|E|",
    "finite_sample": "finite-sample term",
    "delta": "miscalibration δ",
    "answer_share": "answer-share term sr/(max|E|+1)",
    "miscalibration": "miscalibration",
    "facts_ratio": "facts term 300|Facts|/|possible hallucinations|",
}


@dataclass(frozen=True)
class Bound:
    """A bound on the hallucination rate and the terms it is made of.

    ``value`` is the bound clipped to [0, 1] (for a lower bound: the *floor*, max(0, raw)); ``raw`` the unclipped
    sum; ``terms`` each term's magnitude by name (``signs`` says +1 if added, −1 if subtracted); ``dominant_term``
    the largest subtracted term for a lower bound (the largest added one for an upper bound); ``note`` a sentence
    for reports.
    """

    name: str
    value: float
    raw: float
    terms: dict[str, float]
    signs: dict[str, int]
    dominant_term: str | None
    note: str
    confidence: float
    form: str
    mentions: int
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def floor(self) -> float:
        return self.value

    @property
    def is_lower(self) -> bool:
        return self.name != "theorem2_upper"

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: NaN becomes ``None``; lower bounds also carry their value as ``floor``."""
        out: dict[str, Any] = {"name": self.name}
        if self.is_lower:
            out["floor"] = self.value
        out.update({
            "value": self.value, "raw": self.raw, "terms": dict(self.terms), "signs": dict(self.signs),
            "dominant_term": self.dominant_term, "note": self.note, "confidence": self.confidence,
            "form": self.form, "mentions": self.mentions, "inputs": dict(self.inputs),
        })
        return jsonable(out)


def theorem2_finite_sample_term(n: float, confidence: float = 0.99, form: str = "auto") -> float:
    """The finite-sample term of Theorem 2's lower bound.

    99% form: (35 + 6 ln N)/√N; general form at confidence 1 − γ: 6 ln(3N/γ)/√N. ``form="auto"`` uses the 99%
    form at confidence 0.99 (the paper's stated constant) and the general form otherwise. N = 1e6 → 0.118;
    1e8 → 0.0146; 1e9 → 0.0050. NaN for N <= 0.
    """
    confidence = check_confidence(confidence)
    form = _form(form, confidence)
    if n <= 0:
        return math.nan
    if form == "99":
        return (35.0 + 6.0 * math.log(n)) / math.sqrt(n)
    gamma = 1.0 - confidence
    return 6.0 * math.log(3.0 * n / gamma) / math.sqrt(n)


def _form(form: str, confidence: float) -> str:
    if form not in _FORMS:
        raise ValueError(f"form must be one of {_FORMS}, got {form!r}")
    if form == "auto":
        return "99" if abs(confidence - 0.99) < 1e-12 else "general"
    if form == "99" and abs(confidence - 0.99) > 1e-12:
        raise ValueError("the (35 + 6 ln N)/√N form holds at confidence 0.99 only")
    return form


def _check_error_set(error_set_size: Any) -> float:
    v = check_nonnegative("error_set_size", error_set_size, allow_inf=True)
    if v < 1:
        raise ValueError(f"error_set_size (min |E_c|) must be >= 1, got {error_set_size!r}")
    return v


def theorem2_lower(p: Profile, *, error_set_size: float, delta: float = 0.0, confidence: float = 0.99,
                   form: str = "auto") -> Bound:
    """Lower bound on the hallucination rate of any model trained on the corpus (Kalai et al. 2025, Theorem 2).

    With probability >= ``confidence`` over the training corpus::

        err >= sr − 2/min|E_c| − (35 + 6 ln N)/√N − δ            (99%)
        err >= sr − 2/min|E_c| − 6 ln(3N/γ)/√N − δ               (confidence 1 − γ)

    The floor is max(0, raw). Reference: Kalai, Nachum, Vempala & Zhang (2025), arXiv 2509.04664, Theorem 2.
    Valid range: the arbitrary-facts model (one correct answer per prompt, error sets E_c); any N; for small N
    the finite-sample term exceeds sr and the floor is 0, which the note states. Not estimable for N = 0.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    form = _form(form, confidence)
    e = _check_error_set(error_set_size)
    delta = check_nonnegative("delta", delta)
    n, _, f1, _ = basic(p)
    inputs = {"error_set_size": e, "delta": delta}
    if n == 0:
        return _not_estimable("theorem2_lower", confidence, form, inputs)
    sr = f1 / n
    terms = {"singleton_rate": sr, "calibration": 2.0 / e,
             "finite_sample": theorem2_finite_sample_term(n, confidence, form), "delta": delta}
    signs = {"singleton_rate": 1, "calibration": -1, "finite_sample": -1, "delta": -1}
    raw = sr - terms["calibration"] - terms["finite_sample"] - delta
    value = min(max(raw, 0.0), 1.0)
    dominant = _largest(terms, signs, -1)
    note = _lower_note(sr, terms, dominant, value, n)
    return Bound("theorem2_lower", value, raw, terms, signs, dominant, note, confidence, form, int(n), inputs)


def theorem2_floor_at(singleton_rate: float, mentions: float, *, error_set_size: float, delta: float = 0.0,
                      confidence: float = 0.99) -> float:
    """Theorem 2's floor for a corpus of ``mentions`` whose singleton rate is ``singleton_rate`` (a predicted one:
    the corpus a shard is part of). Formula: max(0, sr − 2/|E| − (35 + 6 ln N')/√N' − δ) at N' = ``mentions``
    (:func:`theorem2_finite_sample_term`; the general form at another ``confidence``). The floor rises with N' at
    a fixed sr, as the finite-sample term shrinks: a floor that is 0 on a shard may be positive for its corpus.
    Reference: Kalai et al. (2025), Theorem 2. NaN when the rate is NaN or N' <= 0."""
    e = _check_error_set(error_set_size)
    delta = check_nonnegative("delta", delta)
    if not (mentions > 0 and math.isfinite(singleton_rate)):
        return math.nan
    raw = singleton_rate - 2.0 / e - theorem2_finite_sample_term(mentions, confidence) - delta
    return min(max(raw, 0.0), 1.0)


def theorem2_upper(p: Profile, *, error_set_size: float, confidence: float = 0.99) -> Bound:
    """Upper bound: some calibrated model trained on the corpus errs at most this often (Kalai et al. 2025, Thm 2).

    With probability >= ``confidence``::

        err <= sr − sr/(max|E_c| + 1) + 13/√N                       (99%)
        err <= sr − sr/(max|E_c| + 1) + 5 √(ln(5/γ)/N)              (confidence 1 − γ)

    ``error_set_size`` here is max|E_c|. The value is clipped to [0, 1]. Reference: as :func:`theorem2_lower`.
    Not estimable for N = 0.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    form = "99" if abs(confidence - 0.99) < 1e-12 else "general"
    e = _check_error_set(error_set_size)
    n, _, f1, _ = basic(p)
    inputs = {"error_set_size": e}
    if n == 0:
        return _not_estimable("theorem2_upper", confidence, form, inputs)
    sr = f1 / n
    fs_term = 13.0 / math.sqrt(n) if form == "99" else 5.0 * math.sqrt(math.log(5.0 / (1.0 - confidence)) / n)
    terms = {"singleton_rate": sr, "answer_share": sr / (e + 1.0), "finite_sample": fs_term}
    signs = {"singleton_rate": 1, "answer_share": -1, "finite_sample": 1}
    raw = sr - terms["answer_share"] + fs_term
    value = min(max(raw, 0.0), 1.0)
    dominant = _largest(terms, signs, +1)
    note = (f"the upper bound is {fmt(value)}: sr {fmt(sr)} minus its answer share {fmt(terms['answer_share'])} "
            f"plus the finite-sample term {fmt(fs_term)} at N = {fmt_count(n)}")
    return Bound("theorem2_upper", value, raw, terms, signs, dominant, note, confidence, form, int(n), inputs)


def monofact_bound(p: Profile, *, facts: float, possible_hallucinations: float, miscalibration: float = 0.0,
                   n: float | None = None) -> Bound:
    """Kalai & Vempala (2024) lower bound: hallucination rate >= monofact rate − miscalibration
    − 300 |Facts| / |possible hallucinations| − 7/√n (informal statement, with probability >= 99%).

    Inputs: ``facts`` = |Facts|, the number of true facts in the domain (e.g. the estimated number of distinct
    facts, :func:`floor.estimate.extrapolate.chao1`); ``possible_hallucinations`` = the number of plausible
    false statements of the same kind (e.g. people × (answer space − 1)); ``miscalibration`` = the model's
    calibration error (unknown from data; default 0); ``n`` = number of training examples (default: N mentions).
    The monofact rate is sr = f1/N. Reference: Kalai, A. T. & Vempala, S. S. (2024) "Calibrated Language Models
    Must Hallucinate", STOC 2024, arXiv 2311.14648. Not estimable for N = 0.
    """
    p = check_profile(p)
    facts = check_nonnegative("facts", facts)
    ph = check_nonnegative("possible_hallucinations", possible_hallucinations, allow_inf=True)
    if ph <= 0:
        raise ValueError("possible_hallucinations must be > 0")
    miscalibration = check_nonnegative("miscalibration", miscalibration)
    big_n, _, f1, _ = basic(p)
    size = big_n if n is None else check_nonnegative("n", n)
    inputs = {"facts": facts, "possible_hallucinations": ph, "miscalibration": miscalibration, "n": size}
    if big_n == 0 or size == 0:
        return _not_estimable("monofact", 0.99, "informal", inputs)
    sr = f1 / big_n
    terms = {"singleton_rate": sr, "miscalibration": miscalibration, "facts_ratio": 300.0 * facts / ph,
             "finite_sample": 7.0 / math.sqrt(size)}
    signs = {"singleton_rate": 1, "miscalibration": -1, "facts_ratio": -1, "finite_sample": -1}
    raw = sr - miscalibration - terms["facts_ratio"] - terms["finite_sample"]
    value = min(max(raw, 0.0), 1.0)
    dominant = _largest(terms, signs, -1)
    note = _lower_note(sr, terms, dominant, value, big_n)
    return Bound("monofact", value, raw, terms, signs, dominant, note, 0.99, "informal", int(big_n), inputs)


def _largest(terms: dict[str, float], signs: dict[str, int], sign: int) -> str | None:
    cands = [(v, k) for k, v in terms.items() if signs[k] == sign]
    return max(cands)[1] if cands else None


def _lower_note(sr: float, terms: dict[str, float], dominant: str | None, value: float, n: float) -> str:
    label = _LABELS.get(dominant, dominant)
    d = terms[dominant]
    where = f"at N = {fmt_count(n)}"
    if value <= 0.0:
        if d >= sr:
            return f"the {label} {fmt(d)} exceeds sr {fmt(sr)} {where}, so the floor is 0"
        subtracted = sum(v for k, v in terms.items() if k != "singleton_rate")
        return (f"the subtracted terms ({fmt(subtracted)} in all, the largest the {label} {fmt(d)}) exceed "
                f"sr {fmt(sr)} {where}, so the floor is 0")
    return f"the floor is {fmt(value)}: sr {fmt(sr)} less the {label} {fmt(d)} and smaller terms {where}"


def _not_estimable(name: str, confidence: float, form: str, inputs: dict) -> Bound:
    return Bound(name, math.nan, math.nan, {}, {}, None, "not estimable: empty profile (N = 0)", confidence, form, 0,
                 inputs)
