"""Stage 1 of extraction: where the keywords occur.

Every occurrence of every keyword literal is found with ``str.find`` loops; where the language gives a guard, a
hit counts only if the guard ``.match``-es right after the literal, as ``finditer`` of ``kw(?=guard)`` would. A
reader that scanned the document's raw bytes first (:mod:`floor.extract.prefilter`, hyperscan or ``bytes.find``)
passes a mask of the keywords that may occur: the others are not searched for.
"""

from __future__ import annotations

from typing import Callable

from .prefilter import Prefilter


class KeywordHits:
    """The keyword search of one engine: its keywords in a fixed order (bit ``i`` of a mask is ``keywords[i]``),
    their guards, and the raw-bytes prefilter that proves their absence."""

    def __init__(self, keywords: tuple[str, ...], guards: dict[str, Callable], raw_guards: dict[str, bytes],
                 raw_contexts: dict[str, bytes], markers: tuple[str, ...] = ()):
        """``guards``: a keyword's guard as its ``match(text, pos)`` (:func:`.linear.guard`)."""
        self.keywords = keywords
        self._guards = {k: guards[k] for k in keywords if k in guards}
        self._raw_guards = raw_guards
        self._raw_contexts = raw_contexts
        self._markers = markers
        self._prefilters: dict[str, Prefilter] = {}
        self._plans: dict[int | None, tuple] = {}

    def prefilter(self, backend: str = "auto") -> Prefilter:
        """The raw-bytes prefilter for these keywords (built once per process and backend)."""
        pf = self._prefilters.get(backend)
        if pf is None:
            pf = self._prefilters[backend] = Prefilter(self.keywords, self._raw_guards, backend, self._raw_contexts,
                                                       self._markers)
        return pf

    def hits(self, text: str, mask: int | None = None) -> list[tuple[int, str]]:
        """``(position, keyword)`` of every keyword occurrence (passing its guard), in text order.

        ``mask``: a prefilter mask (bit ``i`` for ``keywords[i]``); keywords whose bit is clear are known to be
        absent and are not searched for.
        """
        plan = self._plans.get(mask)
        if plan is None:
            plan = self._plan(mask)
        out: list[tuple[int, str]] = []
        find = text.find
        for kw, width, guard in plan:
            i = find(kw)
            if guard is None:
                while i >= 0:
                    out.append((i, kw))
                    i = find(kw, i + 1)
            else:
                # As finditer of kw(?=guard) would: after a hit the search goes on past the keyword.
                while i >= 0:
                    if guard(text, i + width) is None:
                        i = find(kw, i + 1)
                    else:
                        out.append((i, kw))
                        i = find(kw, i + width)
        if len(plan) > 1:
            out.sort()
        return out

    def _plan(self, mask: int | None) -> tuple[tuple[str, int, object], ...]:
        """The keywords to search for under ``mask``, each with its length and its guard's ``match``."""
        keywords = [kw for i, kw in enumerate(self.keywords) if mask is None or mask >> i & 1]
        plan = tuple((kw, len(kw), self._guards.get(kw)) for kw in keywords)
        self._plans[mask] = plan
        return plan
