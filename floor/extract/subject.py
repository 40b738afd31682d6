"""Stage 3 of extraction: whom a matched phrase is about.

The entity is read locally: backward from where the glue starts (:meth:`NameReader.backward`) for
``entity="before"`` phrases, or the validated ``{NAME:entity}`` group for ``entity="group"`` phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import NameReader
from .phrases import Compiled


@dataclass(frozen=True, slots=True)
class Entity:
    """Who a match is about: ``name`` as written, the span it was read from (``start == end`` when it was not
    read there), and ``how`` it was chosen (``"local"``: the words next to the phrase)."""

    name: str
    start: int
    end: int
    how: str


class SubjectResolver:
    """Chooses the entity of each matched phrase."""

    def __init__(self, names: NameReader):
        self.names = names

    def entity(self, text: str, pos: int, c: Compiled, m: re.Match, glue: int) -> Entity | None:
        """The entity of phrase ``c`` matched as ``m`` at the hit ``pos``, its glue starting at ``glue``."""
        if c.entity_group is None:
            span = self.names.backward(text, glue, c.phrase.subject)
        else:
            s, e = m.span(c.entity_group)
            span = self.names.forward(text, s, e)
        if span is None:
            return None
        return Entity(text[span[0]:span[1]], span[0], span[1], "local")
