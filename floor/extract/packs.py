"""Packs: kinds of fact and the phrasings that state them, as TOML files a user writes without Python.

A pack declares its language, its categories (name, value kind, answer space |E| and the reason for it), its
phrases (a keyword and a pattern with slots), the word lists its phrases and the engine need, and examples that
``floor packs check`` runs like doctests. The format is in README.md ("Write your own pack"); in short::

    [pack]
    name = "organizations"
    language = "en"

    [[category]]
    name = "founding_year"
    value = "year"
    answer_space = 199
    reason = "two centuries of plausible founding years, one right"

    [[phrase]]
    keyword = "founded"
    pattern = "{subject} was founded in {founding_year}"

    [[example]]
    text = "Acme Corporation was founded in 1902 in Boston."
    facts = [["founding_year", "Acme Corporation", "1902"]]

A pattern is a regular expression in the RE2 subset (:mod:`.linear`), matched as written but for its spaces
(each stands for any run of whitespace) and its slots: ``{subject}`` (whom the fact is about: before the
keyword, read backward from it as the English phrasings read their names; after it, matched there; absent, the
document's single subject) and ``{<category>}`` (a value of that category, read by the category's kind), and
``{DASH}`` (a dash between spaces) and ``{STOP}`` (the value before it may not be joined to another: ``1815 or
1816``). A pack's phrases run on RE2, in time linear in the text, through the same engine as floor's English
phrasings: keyword prefilter, subject attribution, normalization, the language gate.

A phrase may also be written in the engine's own form (``after``, ``before``, ``entity``, ``anchor``: the fields of
:class:`~.phrases.Phrase`), with macros that are patterns or lists of words, and a pack may give its keywords'
prefilter patterns (``[prefilter]``): floor's built-in packs, the English one among them, are such files, read as
a user's is.

A pack inherits the word lists of floor's built-in pack of its language (English: the biography pack's); each
list it gives replaces the inherited one.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from ..errors import FloorError
from . import linear
from .categories import CATEGORIES, NORMALIZERS, VALUE_KINDS, Category, register
from .dates import word_source
from .facts import normalize_entity, normalize_value
from .names import NameLexicon
from .charclass import alternation
from .phrases import ANCHORS, BUILTINS, ENTITIES, LAST, SLOT_KINDS, Language, Phrase
from .places import PlaceLexicon, normalize_place
from .prefilter import raw_pattern, raw_problem
from .subject import SubjectLexicon

PACK_DIR = Path(__file__).resolve().parent.parent / "packs"
"""Where floor's built-in packs live (``<name>.toml``)."""
ENGLISH_PACK = "biography-en"
"""The built-in English biography pack, the one a scan of English text uses by default."""
BIOGRAPHY = "biography"
"""The built-in biography packs are ``biography-<language>``."""

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}\Z")
_SLOT = re.compile(r"(?<!\\[pPx])\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z_][a-z0-9_]*))?\}")
"""A slot, macro or built-in in a pattern (not a class name of RE2's: ``\\p{Lu}``, ``\\x{a0}``)."""
_RESERVED = frozenset({"subject", "entity", "stop", "all"})
_SLOT_KINDS = {"date": "DATE", "year": "DATE", "place": "PLACE", "name": "NAME", "number": "NUMBER",
               "pattern": "VALUE"}
_BUILTIN_SLOTS = {"DASH": "{DASH}", "STOP": "{STOP}"}


@dataclass(frozen=True)
class Example:
    """A pack's example: a text and the facts extraction must give for it, no more, no fewer."""

    text: str
    facts: tuple[tuple[str, str, str], ...]
    title: str | None
    line: int


@dataclass(frozen=True)
class Pack:
    """One pack: its categories (those it declares), its phrasings as the engine's :class:`~.phrases.Language`,
    and its examples. ``source`` is its file (or ``built-in``); ``digest`` identifies its content."""

    name: str
    language: str
    description: str
    categories: tuple[Category, ...]
    phrasing: Language
    examples: tuple[Example, ...]
    source: str
    digest: str
    lines: tuple[tuple[str, int], ...] = ()
    """``(phrase name, line)`` of each phrase in the pack's file."""
    text: str = ""
    """The pack's TOML text."""
    builtin: bool = False

    @property
    def gives(self) -> tuple[str, ...]:
        """Every category its phrases give (declared or built in, implied ones included), in registry order."""
        named = {c for ph in self.phrasing.phrases for c in _GROUP.findall(ph.after)}
        named |= {CATEGORIES[c].implies for c in named if c in CATEGORIES and CATEGORIES[c].implies}
        return tuple(c for c in CATEGORIES if c in named)

    def as_params(self) -> dict:
        """The pack as a counts directory's manifest records it: what identifies it, and its categories' answer
        spaces (an estimate in another process knows a user pack's |E| from them)."""
        return {"name": self.name, "language": self.language, "source": self.source, "digest": self.digest,
                "answer_spaces": {c: CATEGORIES[c].answer_space for c in self.gives}}

    def describe(self) -> dict:
        """The pack as ``floor packs`` lists it."""
        return {"name": self.name, "language": self.language, "description": self.description,
                "source": self.source, "digest": self.digest,
                "categories": {c: {"value": CATEGORIES[c].value_kind, "answer_space": CATEGORIES[c].answer_space}
                               for c in self.gives}}


_GROUP = re.compile(r"\{[A-Z]+:([a-z_][a-z0-9_]*)\}")


class PackError(FloorError):
    """A pack that cannot be used: the message names its file, line and key."""


class _Locator:
    """Lines of a TOML text's tables and keys (the standard library's reader gives none): ``[pack]``,
    ``[[phrase]]`` number ``i``, a key in either."""

    _ARRAY = re.compile(r"\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
    _TABLE = re.compile(r"\[\s*([A-Za-z0-9_.-]+)\s*\]")
    _KEY = re.compile(r"([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        counts: dict[str, int] = {}
        table: tuple = (None, None)
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if m := self._ARRAY.match(stripped):
                index = counts.get(m[1], 0)
                counts[m[1]] = index + 1
                table = (m[1], index)
            elif m := self._TABLE.match(stripped):
                table = (m[1], None)
            elif m := self._KEY.match(stripped):
                self.lines.setdefault((*table, m[1].strip('"')), number)
                continue
            else:
                continue
            self.lines.setdefault((*table, None), number)

    def line(self, table: str | None, index: int | None = None, key: str | None = None) -> int:
        return self.lines.get((table, index, key)) or self.lines.get((table, index, None)) or 1


class _Reader:
    """Reads one pack's TOML data, each problem a :class:`PackError` naming the file, line and key."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.locate = _Locator(text)

    def fail(self, problem: str, table: str | None = None, index: int | None = None, key: str | None = None):
        where = table or ""
        if index is not None:
            where += f"[{index + 1}]"
        if key is not None:
            where += f".{key}" if where else key
        raise PackError(f"{self.source}:{self.locate.line(table, index, key)}: {where + ': ' if where else ''}"
                        f"{problem}")

    def table(self, data: dict, name: str, allowed: dict[str, type], required: tuple[str, ...] = (),
              index: int | None = None) -> dict:
        """``data`` as table ``name``: its keys known, required ones present, each of its type."""
        if not isinstance(data, dict):
            self.fail("must be a table", name, index)
        for key, value in data.items():
            if key not in allowed:
                self.fail(f"unknown key (known: {', '.join(allowed)})", name, index, key)
            kind = allowed[key]
            if kind is list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.fail("must be a list of strings", name, index, key)
            elif kind is list_of_tables:
                if not isinstance(value, list) or not all(isinstance(v, (dict, list)) for v in value):
                    self.fail("must be a list", name, index, key)
            elif kind is int:
                if not isinstance(value, int) or isinstance(value, bool):
                    self.fail("must be a whole number", name, index, key)
            elif kind is dict:
                if not isinstance(value, dict):
                    self.fail("must be a table", name, index, key)
            elif not isinstance(value, kind):
                self.fail(f"must be a {'string' if kind is str else kind.__name__}", name, index, key)
        for key in required:
            if key not in data:
                self.fail(f"needs the key {key!r}", name, index)
        return data


def read_pack(text: str, source: str = "<pack>") -> Pack:
    """The pack a TOML ``text`` declares (``source`` names it in errors); its categories are registered."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{source}: not valid TOML: {exc}") from None
    reader = _Reader(text, source)
    reader.table(data, "", {"pack": dict, "category": list_of_tables, "phrase": list_of_tables,
                            "dates": dict, "names": dict, "places": dict, "subject": dict, "words": dict,
                            "macros": dict, "prefilter": dict, "example": list_of_tables})
    head = reader.table(data.get("pack"), "pack", {"name": str, "language": str, "description": str,
                                                   "version": str}, ("name", "language"))
    name, language = head["name"], head["language"]
    if not _PACK_NAME.match(name):
        reader.fail("must be letters, digits, '.', '-' or '_'", "pack", None, "name")
    if not _LANGUAGE.match(language):
        reader.fail("must be a language code of two or three lowercase letters (ISO 639: en, fr, de)", "pack",
                    None, "language")
    categories = tuple(_category(reader, entry, i, name) for i, entry in enumerate(data.get("category", [])))
    declared = {c.name: c for c in categories}
    for i, category in enumerate(categories):
        if category.implies is not None:
            implied = declared.get(category.implies) or CATEGORIES.get(category.implies)
            if category.value_kind != "date":
                reader.fail("only a date category implies another (its year)", "category", i, "implies")
            if implied is None or implied.value_kind != "year":
                reader.fail(f"must name a year category ({category.implies!r} is not one)", "category", i,
                            "implies")
    base = _base(language, name)
    phrasing_base = _words(reader, data, base, language)
    macros = _macros(reader, data.get("macros", {}), declared, phrasing_base)
    phrases = tuple(_phrase(reader, entry, i, declared, macros)
                    for i, entry in enumerate(data.get("phrase", [])))
    if not phrases:
        reader.fail("a pack needs at least one [[phrase]]")
    months_needed = any(declared.get(c, CATEGORIES.get(c)).value_kind in ("date", "year")
                        for ph in phrases for c in _GROUP.findall(ph.after) if c != "entity")
    if months_needed and not phrasing_base.months:
        reader.fail(f"its phrases read dates, and floor has no month names for {language!r}: give them",
                    "dates", None, "months")
    prefilter = _prefilter(reader, data.get("prefilter", {}), phrases, macros)
    phrasing = replace(phrasing_base, phrases=phrases, **prefilter)
    examples = tuple(_example(reader, entry, i) for i, entry in enumerate(data.get("example", [])))
    first: dict[str, int] = {}  # each keyword's first phrase
    for i, phrase in enumerate(phrases):
        j = first.setdefault(phrase.keyword, i)
        if phrase.line != phrases[j].line:
            reader.fail(f"the phrases of {phrase.keyword!r} must all be matched within their line, or none (phrase"
                        f"[{j + 1}] is{'' if phrases[j].line else ' not'})", "phrase", i, "within_line")
    names = [ph.name for ph in phrases]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        reader.fail(f"two phrases are named {twice[0]!r}", "phrase", names.index(twice[0], names.index(twice[0]) + 1),
                    "name")
    lines = tuple((ph.name, reader.locate.line("phrase", i)) for i, ph in enumerate(phrases))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    for i, category in enumerate(categories):  # last: a pack refused registers nothing
        try:
            register(category)
        except FloorError as exc:
            reader.fail(str(exc), "category", i, "name")
    return Pack(name, language, head.get("description", ""), categories, phrasing, examples, source, digest, lines,
                text)


class list_of_tables:  # noqa: N801 - a type tag for _Reader.table
    """A key whose value is a list of tables (``[[phrase]]``)."""


def _category(reader: _Reader, entry, i: int, pack: str) -> Category:
    entry = reader.table(entry, "category", {"name": str, "value": str, "answer_space": int, "reason": str,
                                             "implies": str, "pattern": str, "normalize": str,
                                             "description": str, "one_value": bool},
                         ("name", "value", "answer_space", "reason"), i)
    name, kind = entry["name"], entry["value"]
    if not _NAME.match(name) or name in _RESERVED:
        reader.fail("must be lowercase letters, digits and '_', starting with a letter (not subject, entity, stop"
                    " or all)", "category", i, "name")
    if kind not in VALUE_KINDS:
        reader.fail(f"must be one of {', '.join(VALUE_KINDS)}", "category", i, "value")
    if entry["answer_space"] < 1:
        reader.fail("must be at least 1 (the number of plausible wrong answers)", "category", i, "answer_space")
    if not entry["reason"].strip():
        reader.fail("must say why the answer space is that size", "category", i, "reason")
    pattern = entry.get("pattern")
    if (kind == "pattern") != (pattern is not None):
        reader.fail("a category of value 'pattern' needs a pattern, and only it", "category", i,
                    "pattern" if pattern is not None else "value")
    if pattern is not None:
        problem = linear.check(pattern)
        if problem is not None:
            reader.fail(problem, "category", i, "pattern")
        if re.search(r"\(\?P?<", pattern):
            reader.fail("may not name groups (the slot is its group)", "category", i, "pattern")
    normalize = entry.get("normalize", "text")
    if normalize not in NORMALIZERS:
        reader.fail(f"must be one of {', '.join(NORMALIZERS)}", "category", i, "normalize")
    if "normalize" in entry and kind != "pattern":
        reader.fail("is for a category of value 'pattern'", "category", i, "normalize")
    description = entry.get("description", "") or f"{name} ({kind})"
    description += f" answer_space {entry['answer_space']}: {entry['reason'].strip()}"
    return Category(name, kind, entry["answer_space"], description, entry.get("implies"),
                    None if pattern is None else linear.spaces_to_runs(pattern), normalize, pack,
                    entry.get("one_value", True))


def _macros(reader: _Reader, given: dict, declared: dict[str, Category], words: Language) -> dict[str, str]:
    """A pack's ``[macros]``: named parts of patterns (``{birth_tail}``), each with its own macros expanded; a
    list of words stands for any one of them, as written (longest first), and so does a word list of the pack
    named in a macro (``{subject.person_nouns}``: a table and its key, from ``words``)."""
    for name, value in given.items():
        if not isinstance(value, str) and not (isinstance(value, list) and value
                                               and all(isinstance(w, str) and w for w in value)):
            reader.fail("must be a pattern, or a list of words", "macros", None, name)
        problem = _in_class(value) if isinstance(value, str) else None
        if problem is not None:
            reader.fail(problem, "macros", None, name)

    def word_list(name: str, m: re.Match) -> str:
        table, key = m[1], m[2]
        listed = getattr(getattr(words, _LEXICONS[table]), key, None) if table in _LEXICONS else None
        if not isinstance(listed, frozenset) or not listed:
            reader.fail(f"{{{table}.{key}}} is no word list the pack has (its word lists: {{names.<key>}}, "
                        "{places.<key>}, {subject.<key>})", "macros", None, name)
        return f"(?:{alternation(listed)})"

    given = {name: _WORD_LIST.sub(lambda m: word_list(name, m), value) if isinstance(value, str)
             else alternation(value) for name, value in given.items()}
    for name in given:
        if not _NAME.match(name) or name in _RESERVED or name in declared or name in CATEGORIES:
            reader.fail("a macro's name must be lowercase letters, digits and '_', and no category's", "macros",
                        None, name)
    expanded: dict[str, str] = {}

    def expand(name: str, seen: tuple[str, ...]) -> str:
        if name in seen:
            reader.fail(f"refers to itself ({' -> '.join((*seen, name))})", "macros", None, seen[0])
        if name not in expanded:
            expanded[name] = _SLOT.sub(
                lambda m: f"(?:{expand(m[1], (*seen, name))})" if m[1] in given and not m[2] else m[0], given[name])
        return expanded[name]

    for name in given:
        expand(name, ())
        problem = linear.check(linear.spaces_to_runs(_SLOT.sub("(?:x)", expanded[name])))
        if problem is not None:
            reader.fail(problem, "macros", None, name)
    return expanded


_WORD_LIST = re.compile(r"(?<!\\[pPx])\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
"""A word list of the pack named in a macro (``{subject.person_nouns}``: a table and its key)."""
_LEXICONS = {"names": "names", "places": "places", "subject": "subjects"}
"""A pack's tables of word lists and the :class:`~.phrases.Language` field each gives."""
_CHECK_KEYS = ("follow", "not_after", "excluding")
"""What a lookaround would check, as the engine checks it (:class:`~.phrases.Phrase`)."""
_CLASSES = ("{SP}", "{U}", "{L}", "{W}", "{DASH}")
_CHECK_PLACEHOLDERS = {"follow": "a follow may open with {LAST}", "not_after": "a not_after takes no placeholder",
                       "excluding": f"an excluding may hold {', '.join(_CLASSES)}"}
_ENGINE_KEYS = {"after": str, "before": str, "entity": str, "anchor": str, "subject": bool, "prepositional": bool}
"""The keys of a phrase in the engine's own form (:class:`~.phrases.Phrase`), where ``pattern`` is sugar."""


def _phrase(reader: _Reader, entry, i: int, declared: dict[str, Category], macros: dict[str, str]) -> Phrase:
    entry = reader.table(entry, "phrase", {"keyword": str, "pattern": str, "name": str, "within_line": bool,
                                           **dict.fromkeys(_CHECK_KEYS, str), **_ENGINE_KEYS}, ("keyword",), i)
    engine_form = "after" in entry
    if engine_form == ("pattern" in entry):
        reader.fail("needs a 'pattern' (or, in the engine's own form, 'after'), and only one of them", "phrase", i)
    for key in _ENGINE_KEYS:
        if key in entry and not engine_form:
            reader.fail("belongs to a phrase in the engine's form, with 'after' (not 'pattern')", "phrase", i, key)
    for key in ("pattern", "after", "before", *_CHECK_KEYS):
        problem = _written_problem(entry[key]) if key in entry else None
        if problem is not None:
            reader.fail(problem, "phrase", i, key)
    # In the engine's form a pattern is taken as written; a 'pattern''s spaces stand for runs of whitespace.
    written = (lambda source: source) if engine_form else linear.spaces_to_runs
    checks = {key: written(_with_macros(entry[key], macros)) for key in _CHECK_KEYS if key in entry}
    for key, source in checks.items():
        source = source.removeprefix(LAST) if key == "follow" else source
        for m in _SLOT.finditer(source):
            if key != "excluding" or m[0] not in _CLASSES:
                reader.fail(f"{m[0]} is no macro of the pack ({_CHECK_PLACEHOLDERS[key]})", "phrase", i, key)
        problem = linear.check(_SLOT.sub("(?:x)", source)) if source.strip() else "may not be empty"
        if problem is not None:
            reader.fail(problem, "phrase", i, key)
    body = _with_macros(entry["after" if engine_form else "pattern"], macros)
    if "excluding" in checks and "(?P<free>" not in body:
        reader.fail("needs a group (?P<free>...) in the pattern, the part that may not hold it", "phrase", i,
                    "excluding")
    keyword = entry["keyword"]
    if not keyword.strip():
        reader.fail("may not be empty", "phrase", i, "keyword")
    name = entry.get("name") or f"phrase-{i + 1}"
    line = entry.get("within_line", False)
    if engine_form:
        return _engine_phrase(reader, entry, i, declared, body, _with_macros(entry.get("before", ""), macros), name,
                              line, checks)
    pattern = body
    problem = _named_group(pattern)
    if problem is not None:
        reader.fail(problem, "phrase", i, "pattern")
    at = _keyword_at(pattern, keyword)
    if at is None:
        reader.fail(f"must hold the keyword {keyword!r} as a literal "
                    f"({re.escape(keyword).replace(chr(92) + ' ', ' ')!r})", "phrase", i, "pattern")
    start, end = at
    before, after = pattern[:start], pattern[end:]
    if _open_groups(before):
        reader.fail(f"the keyword {keyword!r} stands inside a group: write it outside any group (it is matched as "
                    "written, case and all; a case-insensitive part goes before or after it)", "phrase", i,
                    "pattern")
    for slot, argument in _SLOT.findall(pattern):
        if slot == "SAME":
            place = declared.get(argument) or CATEGORIES.get(argument)
            if place is None or place.value_kind != "place":
                reader.fail(f"{{SAME:{argument}}} needs a place category ({argument!r} is none)", "phrase", i,
                            "pattern")
        elif argument or slot != "subject" and slot not in _BUILTIN_SLOTS and slot not in declared \
                and slot not in CATEGORIES:
            reader.fail(f"{{{slot}}} is no category or macro of the pack, nor a built-in category (built in: "
                        f"{', '.join(c for c in CATEGORIES if CATEGORIES[c].pack is None)})", "phrase", i,
                        "pattern")
    for part in (before, after):
        problem = linear.check(linear.spaces_to_runs(_SLOT.sub("(?:x)", part)))
        if problem is not None:
            reader.fail(problem, "phrase", i, "pattern")
    named = [slot for slot, _ in _SLOT.findall(pattern)]
    if named.count("subject") > 1:
        reader.fail("may hold {subject} once", "phrase", i, "pattern")
    if any(slot != "subject" for slot, _ in _SLOT.findall(before)):
        reader.fail("values come after the keyword: only {subject} may stand before it", "phrase", i, "pattern")
    if not any(slot not in ("subject", *_BUILTIN_SLOTS) for slot, _ in _SLOT.findall(after)):
        reader.fail("needs a value slot after the keyword (e.g. {birth_year})", "phrase", i, "pattern")

    def slots(m: re.Match) -> str:
        slot = m[1]
        if slot == "subject":
            return "{NAME:entity}"
        if slot == "SAME":
            return f"{{SAME:{m[2]}}}"
        if slot in _BUILTIN_SLOTS:
            return _BUILTIN_SLOTS[slot]
        category = declared.get(slot) or CATEGORIES[slot]
        return f"{{{_SLOT_KINDS[category.value_kind]}:{slot}}}"

    after_source = linear.spaces_to_runs(_SLOT.sub(slots, after))
    if before.startswith("{subject}"):
        between = before[len("{subject}"):]
        glue = linear.spaces_to_runs(between) or "(?:)"
        # "X (1815–1852)": a parenthetical attached to a name, attributed as floor's own are (a description
        # block's subject, "daughter of X (…)", an office's term), not as a clause's subject.
        attached = keyword.startswith("(") and not between.strip()
        # A pack's names are read as a clause's subject is, before a parenthesis too (a preposition before a name
        # rejects it: "la guerre de Cent Ans (1337-1453)").
        return Phrase(name, keyword, after_source, entity="before", before=glue, subject=not attached,
                      prepositional=False, line=line, **checks)
    if "{subject}" in before:
        reader.fail("{subject} before the keyword must open the pattern", "phrase", i, "pattern")
    context = linear.spaces_to_runs(before)
    return Phrase(name, keyword, after_source, entity="group" if "{subject}" in after else "page",
                  before=context, line=line, **checks)


def _engine_phrase(reader: _Reader, entry: dict, i: int, declared: dict[str, Category], after: str, before: str,
                   name: str, line: bool, checks: dict[str, str]) -> Phrase:
    """A phrase in the engine's own form: ``after`` matched after the keyword, ``before`` the glue (or context)
    before it, with the engine's placeholders (``{DATE:birth_date}``, ``{NAME:entity}``, ``{SP}``)."""
    entity, anchor = entry.get("entity", "before"), entry.get("anchor", "keyword")
    if entity not in ENTITIES:
        reader.fail(f"must be one of {', '.join(ENTITIES)}", "phrase", i, "entity")
    if anchor not in ANCHORS:
        reader.fail(f"must be one of {', '.join(ANCHORS)}", "phrase", i, "anchor")
    if entity == "before" and not before:
        reader.fail("needs a 'before' glue, where the subject read backward ends (entity 'before')", "phrase", i)
    for key, source in (("after", after), ("before", before)):
        for m in _SLOT.finditer(source):
            problem = _placeholder_problem(m[1], m[2], declared)
            if problem is None and key == "before" and m[0] not in _CLASSES:
                problem = f"{m[0]}: a glue reads no value, and may hold {', '.join(_CLASSES)}"
            if problem is not None:
                reader.fail(problem, "phrase", i, key)
        problem = linear.check(_SLOT.sub("(?:x)", source)) if source else None
        if problem is not None:
            reader.fail(problem, "phrase", i, key)
    problem = _named_group(after)
    if problem is not None:
        reader.fail(problem, "phrase", i, "after")
    if (entity == "group") != ("{NAME:entity}" in after):
        reader.fail("holds {NAME:entity} exactly when the phrase's entity is 'group'", "phrase", i, "after")
    if not any(argument and argument != "entity" for _, argument in _SLOT.findall(after)):
        reader.fail("needs a value placeholder (e.g. {DATE:birth_date})", "phrase", i, "after")
    return Phrase(name, entry["keyword"], after, entity=entity, before=before, subject=entry.get("subject", True),
                  prepositional=entry.get("prepositional", True), line=line, anchor=anchor, **checks)


def _placeholder_problem(slot: str, argument: str, declared: dict[str, Category]) -> str | None:
    """What is wrong with the placeholder ``{slot:argument}`` of a phrase in the engine's form (``None``: good)."""
    if not argument:
        return None if slot in BUILTINS else f"{{{slot}}} is no macro of the pack nor a placeholder of the engine " \
            f"({', '.join(sorted(BUILTINS))}; with a category: {', '.join(SLOT_KINDS)})"
    kinds = SLOT_KINDS.get(slot)
    if kinds is None:
        return f"{{{slot}:{argument}}} is no placeholder of the engine (with a category: {', '.join(SLOT_KINDS)})"
    if argument == "entity":
        return None if slot == "NAME" else f"{{{slot}:entity}}: only {{NAME:entity}} reads the entity"
    category = declared.get(argument) or CATEGORIES.get(argument)
    if category is None:
        return f"{{{slot}:{argument}}}: {argument!r} is no category of the pack nor a built-in one"
    if category.value_kind not in kinds:
        return f"{{{slot}:{argument}}} needs a category of value {' or '.join(kinds)}, and {argument!r} is " \
            f"{category.value_kind}"
    return None


def _in_class(source: str) -> str | None:
    """A placeholder or macro written inside a character class of ``source`` (``[{SP},]``), as a problem: it stands
    for a pattern, not for characters."""
    for token in linear._CLASS_OR_ESCAPE.finditer(source):
        slot = _SLOT.search(token[0]) if token[0].startswith("[") else None
        if slot is not None:
            return f"{slot[0]} stands inside the character class {token[0]}: a placeholder or macro is a pattern"
    return None


def _written_problem(source: str) -> str | None:
    """What a phrase's or a prefilter's pattern may not hold as written: a placeholder or macro in a character
    class, a word list named outside a macro (where it would be matched as the literal text ``{subject.x}``)."""
    listed = _WORD_LIST.search(source)
    if listed is not None:
        return f"{listed[0]}: a word list is named in a macro ([macros] words = '{listed[0]}', used as {{words}})"
    return _in_class(source)


_GROUP_NAME = re.compile(rf"\\.|{linear._CLASS}|\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", re.DOTALL)
_MARKED_GROUPS = ("(?P<ahead>", "(?P<free>")
"""The groups a phrase's pattern may name (:mod:`.phrases`): its values' groups are its placeholders'."""


def _named_group(source: str) -> str | None:
    """A group ``source`` names, other than what must follow it and a part that may not hold something, as a
    problem."""
    for m in _GROUP_NAME.finditer(source):
        if m[1] and m[0] not in _MARKED_GROUPS:
            return (f"names a group {m[0]}...): only (?P<ahead>...) and (?P<free>...) may be named (a value's "
                    "group is its placeholder's)")
    return None


def _with_macros(source: str, macros: dict[str, str]) -> str:
    """``source`` with the pack's macros written out, each a group of its own."""
    return _SLOT.sub(lambda m: f"(?:{macros[m[1]]})" if m[1] in macros and not m[2] else m[0], source)


def _keyword_at(pattern: str, keyword: str) -> tuple[int, int] | None:
    """Where ``keyword`` stands in ``pattern``, regex-escaped (``\\(\\*`` for ``(*``; a word as it is)."""
    # A keyword with a character regular expressions give a meaning to must be written escaped: "(" in "(?:" is
    # no keyword.
    spelling = re.escape(keyword).replace("\\ ", " ")
    masked = _SLOT.sub(lambda m: "\0" * len(m[0]), pattern)  # not in a slot's name: "{copyright_year}"
    at = masked.find(spelling)
    return None if at < 0 else (at, at + len(spelling))


def _open_groups(source: str) -> int:
    """How many groups are open at the end of regex ``source`` (escapes and character classes skipped)."""
    depth, i = 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = linear._class_end(source, i)
            continue
        depth += (c == "(") - (c == ")")
        i += 1
    return depth


def _example(reader: _Reader, entry, i: int) -> Example:
    entry = reader.table(entry, "example", {"text": str, "facts": list_of_tables, "title": str}, ("text", "facts"),
                         i)
    facts = entry["facts"]
    if not all(isinstance(f, list) and len(f) == 3 and all(isinstance(x, str) for x in f) for f in facts):
        reader.fail('must be a list of [category, entity, value] lists of strings (or [] for none)', "example", i,
                    "facts")
    return Example(entry["text"], tuple(tuple(f) for f in facts), entry.get("title"),
                   reader.locate.line("example", i))


_PREFILTER_TABLES = ("guards", "raw_guards", "raw_contexts")


def _prefilter(reader: _Reader, given: dict, phrases: tuple[Phrase, ...], macros: dict[str, str]) -> dict:
    """A pack's ``[prefilter]`` tables, keyword by keyword (:class:`~.phrases.Language`): ``guards``, what must
    follow a keyword on the text for its phrases to be tried; ``raw_guards`` and ``raw_contexts``, the same and
    more over a record's encoded bytes (ASCII, a byte beyond it written ``\\x80``). Each a pattern of the RE2
    subset: each runs in time linear in the text, on RE2 or hyperscan, as a phrase's pattern does."""
    reader.table(given, "prefilter", dict.fromkeys(_PREFILTER_TABLES, dict))
    keywords = {ph.keyword for ph in phrases}
    out: dict[str, dict] = {}
    for table in _PREFILTER_TABLES:
        where = f"prefilter.{table}"
        entries = out[table] = {}
        written = given.get(table, {})
        for keyword, source in reader.table(written, where, dict.fromkeys(written, str)).items():
            if keyword not in keywords:
                reader.fail("is no keyword of the pack's phrases", where, None, keyword)
            expanded = _with_macros(source, macros)
            problem = _prefilter_problem(table, keyword, source, expanded)
            if problem is not None:
                reader.fail(problem, where, None, keyword)
            entries[keyword] = expanded if table == "guards" else expanded.encode()
    return out


def _prefilter_problem(table: str, keyword: str, written: str, source: str) -> str | None:
    """What is wrong with a ``[prefilter]`` pattern as ``written`` for ``keyword`` in ``table`` (``source``: with
    the pack's macros written out), or ``None``: a raw one must run on RE2 over bytes and on hyperscan (where it
    loads) as the prefilter runs it, after its keyword (a raw guard) or alone (a raw context)."""
    placeholder = _SLOT.search(source)
    if placeholder is not None:
        return f"{placeholder[0]} is no macro of the pack (a prefilter's pattern takes no placeholder)"
    if table != "guards" and not source.isascii():
        return "must be ASCII: a raw pattern matches bytes (one beyond ASCII written \\x80 to \\xff)"
    problem = _written_problem(written) or (linear.check(source) if source else "may not be empty")
    if problem is not None or table == "guards":
        return problem
    return raw_problem(raw_pattern(keyword, source.encode()) if table == "raw_guards" else source.encode())


_WORD_TABLES = {"names": NameLexicon, "places": PlaceLexicon, "subject": SubjectLexicon}
"""The tables of word lists and the engine's lexicon each gives: its word lists (``frozenset[str]`` fields),
numbers (``int``) and switches (``bool``), and the shape of an entity (``names.pattern``)."""
_FIELD_KINDS = {"frozenset[str]": list, "int": int, "bool": bool}
_NOT_GIVEN = {"names": {"months"}, "places": set(), "subject": set()}
"""Word lists a pack does not give: the names' months are its dates' month names."""


def _words(reader: _Reader, data: dict, base: Language, language: str) -> Language:
    """``base`` with the word lists ``data`` gives in place of its own."""
    updates = {}
    for table, kind in _WORD_TABLES.items():
        given = data.get(table, {})
        allowed = {f.name: _FIELD_KINDS[f.type] for f in fields(kind)
                   if f.type in _FIELD_KINDS and f.name not in _NOT_GIVEN[table]}
        if table == "names":
            allowed["pattern"] = str  # the one pattern of a lexicon a pack gives (RE2, checked below)
        reader.table(given, table, allowed)
        if "pattern" in given:
            problem = linear.check(linear.spaces_to_runs(given["pattern"])) if given["pattern"] else None
            if problem is not None:
                reader.fail(problem, table, None, "pattern")
            given = {**given, "pattern": linear.spaces_to_runs(given["pattern"])}
        current = getattr(base, _LEXICONS[table])
        changed = {k: frozenset(v) if isinstance(v, list) else v for k, v in given.items()}
        updates[_LEXICONS[table]] = replace(current, **changed)
    dates = reader.table(data.get("dates", {}), "dates", {
        "months": dict, "ordinals": list, "day_month": list, "month_year": list, "month_first": bool,
        "era_bc": list, "era_ad": list, "ad_first": bool, "circa": list, "numeric": str, "day_first": bool})
    if "numeric" in dates and dates["numeric"] not in ("/", ".", "-"):
        reader.fail("must be '/', '.' or '-'", "dates", None, "numeric")
    months = dict(base.months)
    if "months" in dates:
        months = {}
        for month, number in dates["months"].items():
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 12:
                reader.fail(f"{month!r} must be a month's number, 1 to 12", "dates", None, "months")
            months[month.casefold()] = number
    forms = base.dates
    forms = replace(forms, **{k: tuple(dates[k]) for k in ("ordinals", "day_month", "month_year") if k in dates},
                    **{k: dates[k] for k in ("month_first", "numeric", "day_first") if k in dates},
                    **({"era_ad_first": dates["ad_first"]} if "ad_first" in dates else {}),
                    **{k: word_source(dates[k]) for k in ("era_bc", "era_ad", "circa") if k in dates})
    words = reader.table(data.get("words", {}), "words", {"common": list, "markers": list, "alternatives": list,
                                                          "ranges": list, "same_place": list, "units": list})
    names = updates["names"]
    if "months" in dates:
        names = replace(names, months=frozenset(m.capitalize() for m in months if m.isalpha()))
    return replace(base, code=language, months=months, dates=forms, names=names, places=updates["places"],
                   subjects=updates["subjects"],
                   common_words=tuple(words.get("common", base.common_words)),
                   markers=tuple(words.get("markers", base.markers)),
                   checks=replace(base.checks, **{k: tuple(words[k]) for k in ("alternatives", "ranges", "same_place",
                                                                              "units") if k in words}),
                   guards={}, raw_guards={}, raw_contexts={})


_EMPTY = Language(
    code="", phrases=(), months={},
    names=NameLexicon(particles=frozenset(), leading_particles=frozenset(), elisions=frozenset(),
                      suffixes=frozenset(), strip_leading=frozenset(), reject_leading=frozenset(),
                      non_names=frozenset(), reject_preceding=frozenset(), months=frozenset()),
    places=PlaceLexicon(particles=frozenset(), abbreviations=frozenset(), articles=frozenset(),
                        not_places=frozenset()),
)
"""What a pack of a language floor has no built-in pack for starts from (and a built-in biography pack itself): no
words at all."""


def _base(language: str, name: str) -> Language:
    """The phrasing a pack of ``language`` inherits its word lists from: the built-in biography pack's of that
    language, or nothing (the built-in pack itself)."""
    builtin = f"{BIOGRAPHY}-{language}"
    if name == builtin or not (PACK_DIR / f"{builtin}.toml").exists():
        return _EMPTY
    return builtin_pack(builtin).phrasing


@cache
def builtin_pack(name: str) -> Pack:
    """One of floor's built-in packs, by name."""
    path = PACK_DIR / f"{name}.toml"
    if not path.is_file():
        raise FloorError(f"no built-in pack {name!r}; built in: {', '.join(builtin_names())}")
    return replace(read_pack(path.read_text(encoding="utf-8"), f"{name} (built in)"), builtin=True)


def builtin_names() -> tuple[str, ...]:
    """The names of floor's built-in packs, English biographies first."""
    return (ENGLISH_PACK, *sorted(p.stem for p in PACK_DIR.glob("*.toml") if p.stem != ENGLISH_PACK))


def check_pack(pack: Pack) -> list[str]:
    """What is wrong with ``pack`` beyond what reading it checks, each problem a line naming its file and line:
    a phrase RE2 cannot compile once its slots are expanded (a built-in pack's: a user's is refused when read), an
    example whose facts differ from what the pack extracts from its text (each missing and each unexpected fact
    named), an example whose facts the keyword prefilter turns away (its record as a JSON line, escaped or not, on each backend: a ``[prefilter]`` pattern
    that does not allow what its keyword's phrases match)."""
    from . import Extractor  # the extractor is built from packs

    problems = compile_problems(pack)
    if problems:
        return problems
    extractor = Extractor(packs=[pack])
    for i, example in enumerate(pack.examples):
        unknown = sorted({c for c, _, _ in example.facts} - set(pack.gives))
        if unknown:
            problems.append(f"{pack.source}:{example.line}: example[{i + 1}].facts: {', '.join(unknown)} "
                            f"{'is no category' if len(unknown) == 1 else 'are no categories'} the pack gives "
                            f"({', '.join(pack.gives)})")
            continue
        facts = extractor.extract(example.text, title=example.title)
        found = {(f.category, f.entity_key, f.value.casefold()): f for f in facts}
        wanted = {(c, normalize_entity(e)[1], _expected_value(c, v)): (c, e, v) for c, e, v in example.facts}
        missing = [wanted[k] for k in wanted if k not in found]
        extra = [(f.category, f.entity, f.value) for k, f in found.items() if k not in wanted]
        if missing or extra:
            said = "; ".join(part for part in (
                "missing " + ", ".join(map(_fact, missing)) if missing else "",
                "unexpected " + ", ".join(map(_fact, extra)) if extra else "",
                _guarded(pack, example, missing)) if part)
            problems.append(f"{pack.source}:{example.line}: example[{i + 1}]: {said}")
            continue
        turned_away = _turned_away(extractor, example, facts)
        if turned_away:
            problems.append(f"{pack.source}:{example.line}: example[{i + 1}]: {turned_away}")
    return problems


def compile_problems(pack: Pack) -> list[str]:
    """A line naming the file and line of each phrase of ``pack`` that RE2 cannot compile once its slots are
    expanded (a slot under a large repeat: ``{birth_year}{1000}``)."""
    from . import Extractor

    problems = []
    lines = dict(pack.lines)
    for engine in Extractor(packs=[pack])._engines:
        for name, line in pack.lines:
            try:
                engine.compile_phrase(name)
            except FloorError as exc:
                problems.append(f"{pack.source}:{lines[name]}: phrase {name!r}: {exc}".replace(
                    f"phrase {name}: ", ""))
    return problems


def _guarded(pack: Pack, example: Example, missing: list[tuple[str, str, str]]) -> str:
    """Whether the pack's own ``[prefilter.guards]`` are what keeps the ``missing`` facts from the example: said
    when the pack without them gives one (empty: not so, or the pack has none)."""
    from . import Extractor

    if not missing or not pack.phrasing.guards:
        return ""
    unguarded = replace(pack, phrasing=replace(pack.phrasing, guards={}, raw_guards={}, raw_contexts={}))
    found = {(f.category, f.entity_key, f.value.casefold()) for f in
             Extractor(packs=[unguarded]).extract(example.text, title=example.title)}
    kept_away = [fact for fact in missing if (fact[0], normalize_entity(fact[1])[1],
                                              _expected_value(fact[0], fact[2])) in found]
    return (f"the pack's [prefilter.guards] turn away {', '.join(map(_fact, kept_away))}: a guard does not allow "
            "what its keyword's phrases match" if kept_away else "")


def _turned_away(extractor, example: Example, facts: list) -> str:
    """What the keyword prefilter keeps of ``facts`` from the example's record (a JSON line, escaped or not), on
    each backend floor has here: a fact it turns away, named (empty: none)."""
    from .prefilter import hyperscan_available

    for backend in ("python", "hyperscan") if hyperscan_available() else ("python",):
        prefilter = extractor.prefilter(backend)
        for ascii_only in (False, True):
            record = json.dumps({"text": example.text}, ensure_ascii=ascii_only).encode("utf-8")
            kept = extractor.extract(example.text, prefilter.mask(record), example.title)
            lost = [(f.category, f.entity, f.value) for f in facts if f not in kept]
            if lost:
                return (f"the prefilter ({backend}) turns away {', '.join(map(_fact, lost))}: a [prefilter] pattern "
                        "does not allow what its keyword's phrases match")
    return ""


def _expected_value(category: str, value: str) -> str:
    """An example's value as extraction normalizes it (a place's first comma component, a name's spaces)."""
    kind = CATEGORIES[category].value_kind
    if kind == "place":
        return normalize_place(value).casefold()
    if kind in ("date", "year"):
        return value.casefold()
    return (normalize_value(value, CATEGORIES[category]) or value).casefold()


def _fact(fact: tuple[str, str, str]) -> str:
    return "[" + ", ".join(f'"{part}"' for part in fact) + "]"


@dataclass(frozen=True)
class PackSource:
    """A pack as a scan's options carry it to worker processes and Ray tasks (plain data): a built-in pack by
    name, a user's by its file's name and text (read once, so every worker reads the same pack)."""

    ref: str
    text: str | None = None

    def load(self) -> Pack:
        return builtin_pack(self.ref) if self.text is None else _read_once(self.text, self.ref)


@cache
def _read_once(text: str, source: str) -> Pack:
    """A user's pack, read and every phrase compiled (on RE2, where it runs): one that cannot be compiled is refused
    here, before any input is read, not at its keyword's first hit in a long run."""
    pack = read_pack(text, source)
    problems = compile_problems(pack)
    if problems:
        raise PackError(problems[0])
    return pack


def pack_source(ref: "str | Pack | PackSource") -> PackSource:
    """The :class:`PackSource` of a built-in pack's name, a pack file's path or a loaded :class:`Pack`; the pack
    is read and checked here, so a bad pack is refused before any input is read."""
    if isinstance(ref, PackSource):
        ref.load()
        return ref
    if isinstance(ref, Pack):
        return PackSource(ref.name) if ref.builtin else PackSource(ref.source, ref.text)
    if _is_name(ref):
        builtin_pack(ref)
        return PackSource(ref)
    source = PackSource(ref, _read_text(ref))
    source.load()
    return source


def _is_name(ref: str) -> bool:
    return "/" not in ref and "\\" not in ref and not ref.endswith(".toml")


def _read_text(ref: str) -> str:
    try:
        return Path(ref).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FloorError(f"{ref}: no such pack file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FloorError(f"{ref}: cannot read the pack: {exc}") from None


def load_pack(ref: str) -> Pack:
    """A pack by built-in name or by the path of its TOML file."""
    if _is_name(ref):
        return builtin_pack(ref)
    return _read_once(_read_text(ref), ref)


def default_packs() -> tuple[Pack, ...]:
    """The packs a scan uses when none is named: the built-in biography packs, one a language."""
    return tuple(builtin_pack(n) for n in builtin_names() if n.startswith(BIOGRAPHY + "-"))
