"""Unicode character classes for regex sources (the stdlib ``re`` has no ``\\p{Lu}``).

Built once at import from :mod:`unicodedata` over the Basic Multilingual Plane (~20 ms). Letters include
combining marks, so decomposed text (``"Fre\\u0301de\\u0301ric"``) tokenizes like its NFC form.
"""

from __future__ import annotations

import re
import unicodedata


_BMP_CATEGORIES = list(map(unicodedata.category, map(chr, range(0x10000))))
_SURROGATES = slice(0xD800, 0xE000)


def _ranges(pred) -> str:
    """Class ranges of the BMP code points (surrogates excluded) whose general category satisfies ``pred``."""
    # One flag byte per code point, looked up per category rather than computed per code point, then the runs of
    # set flags found by a bytes regex: a few ms instead of tens at every import.
    flag = {category: int(bool(pred(category))) for category in set(_BMP_CATEGORIES)}
    flags = bytearray(map(flag.__getitem__, _BMP_CATEGORIES))
    flags[_SURROGATES] = bytes(_SURROGATES.stop - _SURROGATES.start)
    return "".join(
        _esc(run.start()) if run.end() - run.start() == 1 else f"{_esc(run.start())}-{_esc(run.end() - 1)}"
        for run in re.finditer(rb"\x01+", flags)
    )


def _esc(cp: int) -> str:
    return f"\\u{cp:04x}"


UPPER_CHARS = _ranges(lambda c: c in ("Lu", "Lt"))
LOWER_CHARS = _ranges(lambda c: c == "Ll")
LETTER_CHARS = _ranges(lambda c: c[0] in ("L", "M"))

MARK_CHARS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
"""Combining diacritical marks (the blocks used by decomposed Latin, Greek and Cyrillic text)."""

# Exact classes, for token checks compiled once (e.g. names.NameReader).
U_EXACT = f"[{UPPER_CHARS}]"
W_EXACT = f"[{LETTER_CHARS}]"

# Compact classes for the phrase patterns, where a class may be repeated dozens of times: exact class sizes would
# make patterns of hundreds of KB that take seconds to compile. U over-approximates uppercase letters by whole
# Latin/Greek/Cyrillic blocks (which also hold some lowercase letters), so matched places are re-checked
# procedurally (places.valid_place); L covers the lowercase letters of English text.
U = "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff]"
"""An uppercase letter (approximate, see above)."""
L = "[a-z\u00df-\u00f6\u00f8-\u00ff]"
"""A lowercase letter (Latin-1)."""
# The marks as classes of at most two ranges each: re compiles a class of more ranges beyond Latin-1 through a
# table of the whole 64K-character plane: so W compiles in about half the time, and it occurs hundreds of
# times in the phrase patterns (compiling them is a per-process cost).
_MARK_RANGES = re.findall(".-.", MARK_CHARS)
W = "(?:[^\\W\\d_]|" + "|".join(f"[{''.join(_MARK_RANGES[i:i + 2])}]" for i in range(0, len(_MARK_RANGES), 2)) + ")"
"""A letter or combining mark."""
APOS = "'\u2019"
SP = r"(?:[ \t\u00a0]+(?:\r?\n[ \t\u00a0]*)?|\r?\n[ \t\u00a0]*)"
"""Whitespace containing at most one line break (a blank line ends names and places)."""


def longest_first(alternative: str) -> tuple[int, str]:
    """Sort key for the alternatives of a word list: longest first (so a longer word is tried before its
    prefix), then in a fixed order, so a pattern source does not depend on set iteration order (string hashing)
    and is the same in every process. Equal-length
    literals cannot both match at one position, so their order does not change what matches."""
    return -len(alternative), alternative


def alternation(words, ends: dict[str, str] | None = None) -> str:
    """Regex source matching any of the literal ``words``, longest first, factored into a trie of shared
    prefixes (``(?:Ir(?:aqi|ish)|...)``): it matches what the plain longest-first alternation matches, in the
    same order of preference (words matching at one position are prefixes of one another, and a longer one is
    tried first), but ``re`` tries each first character once instead of each word. Worth it for long lists and
    case-insensitive ones (whose words ``re`` cannot skip by a quick first-character test); a short list
    compiles cheaper as the plain alternation.
    ``ends`` maps a word to a regex source that follows it in its alternative (an abbreviation's ``\\.?``).
    ``(?!)`` (never matches) for no words."""
    ends = ends or {}
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = ends.get(word, "")
    return _trie_source(trie) if trie else "(?!)"


def _trie_source(node: dict) -> str:
    branches = [re.escape(ch) + _trie_source(child) for ch, child in sorted(node.items()) if ch]
    end = node.get("")
    if end:  # a word ends here, followed by its own source: after the longer words
        branches.append(end)
    elif end is not None and branches:  # a word ends here: longer words first, then this one
        return f"{branches[0]}?" if len(branches) == 1 and _one_char(branches[0]) else f"(?:{'|'.join(branches)})?"
    if len(branches) <= 1:
        return "".join(branches)
    if all(map(_one_char, branches)):  # one character of several: a class, shorter to parse
        return f"[{''.join(branches)}]"
    return f"(?:{'|'.join(branches)})"


def _one_char(source: str) -> bool:
    """``source`` is one escaped or plain character."""
    return len(source) == 1 or len(source) == 2 and source[0] == "\\"
