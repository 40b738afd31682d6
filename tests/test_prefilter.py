"""The raw-bytes keyword prefilter and the scanning readers: masks over-approximate, both backends agree, and
extraction with masks gives exactly the facts of a full scan (with hyperscan and with the pure-Python fallback).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import floor.sources.records as records_module
from floor.engines import tasks
from floor.errors import InputError, SkipLog
from floor.extract import Extractor
from floor.extract import linear
from floor.extract.packs import builtin_pack
from floor.extract.prefilter import Prefilter, hyperscan_available
from floor.sources import read_documents, read_texts

from .test_sources import _parquet_with_invalid_utf8

EX = Extractor(languages="en")  # the English pack alone: its keywords and guards
ENGINE = EX._engines[0]
BACKENDS = ["python"] + (["hyperscan"] if hyperscan_available() else [])
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"

SPACES = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and chr(c).isspace()]
# Characters the ``(?i:...)`` month alternatives of the "(" guard may match: every case variant Python's re knows.
CASE_VARIANTS = [chr(c) for c in range(sys.maxunicode + 1)
                 if not 0xD800 <= c <= 0xDFFF and c > 127 and re.fullmatch(r"(?i:[a-z])", chr(c))]
DIGITS = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and re.fullmatch(r"\d", chr(c))]


def encodings(text: str) -> list[bytes]:
    """The ways a text reaches the prefilter: JSON lines (orjson, json with and without ensure_ascii) and the
    UTF-8 of a Parquet value."""
    record = {"id": "x", "text": text}
    return [orjson.dumps(record), json.dumps(record).encode(), json.dumps(record, ensure_ascii=False).encode(),
            text.encode("utf-8", "surrogatepass"), html_safe(orjson.dumps(record))]


def assert_masks_keep_facts(extractor, texts, backend: str) -> None:
    """Each text gives facts, and the same facts with the mask the prefilter computes on each of its encodings."""
    pf = extractor.prefilter(backend)
    for text in texts:
        expected = extractor.extract(text)
        assert expected, text
        for raw in encodings(text):
            assert extractor.extract(text, mask=pf.mask(raw)) == expected, (text, raw)


def html_safe(line: bytes) -> bytes:
    """A JSON line as encoders that escape for HTML write it (Go: < > &; Gson also = and ')."""
    for char in b"&'<=>":
        line = line.replace(bytes([char]), b"\\u%04x" % char)
    return line


def keywords_hit(text: str) -> set[str]:
    return {kw for _, kw in ENGINE.hits(text)}


def keywords_matching(text: str) -> set[str]:
    """The keywords at a hit of which one of their phrases matches: its pattern after the keyword, and its glue
    before it (what a raw context must cover)."""
    out = set()
    for pos, kw in ENGINE.hits(text):
        for _, phrases in ENGINE._matcher.matching(text, pos, kw):
            if any(
                c.before is None or c.before.search(text, max(0, pos - 128), pos) for c in phrases
            ):
                out.add(kw)
    return out


def assert_covers(text: str, backend: str) -> None:
    """The masks of every encoding of ``text`` have the bit of every keyword that may yield a fact there: every
    hit for the fallback (raw guards), every hit where a phrase matches for hyperscan (raw contexts)."""
    pf = EX.prefilter(backend)
    hit = keywords_hit(text) if backend == "python" else keywords_matching(text)
    for raw in encodings(text):
        mask = pf.mask(raw)
        if mask & pf.unknown:
            continue
        for kw in hit:
            assert mask >> pf.keywords.index(kw) & 1, (kw, text, raw)


# --- masks -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_mask_bits(backend):
    pf = EX.prefilter(backend)
    bit = {kw: 1 << i for i, kw in enumerate(pf.keywords)}
    assert pf.mask(b'{"text":"nothing to see here"}') == 0
    assert pf.mask(b'{"text":"Ada was born in 1815"}') == bit["born"]
    assert pf.mask(b'{"text":"stubborn."}') == 0  # "born" not followed by a space cannot pass its guard
    assert pf.mask(b'{"text":"Born in 1815, Ada died on 1 May (1815\\u20131852)"}') == bit["Born"] | bit["died"] | bit["("]
    assert pf.mask(b'{"text":"a (the above)"}') == 0
    assert pf.mask(b'{"text":"Ada b\\u006frn"}') & pf.unknown  # an ASCII escape could spell a keyword
    assert pf.mask(b'{"text":"Tom \\u0026 Jerry \\u003cb\\u003e"}') == 0  # HTML-safe escapes spell nothing
    # the fallback's raw guard of "b." looks after it only: a genealogy's "X, b. 1815" and this look alike
    b = bit["b."] if backend == "python" else 0
    assert pf.mask(html_safe(orjson.dumps({"text": "Ada (b. 1815) & <i>Jo</i>"}))) == bit["("] | b


def test_mask_bits_of_raw_contexts():
    """With hyperscan a bit is set only where a phrase of its keyword may match, not wherever the keyword occurs."""
    if not hyperscan_available():
        pytest.skip("hyperscan is not installed")
    hs, py = EX.prefilter("hyperscan"), EX.prefilter("python")
    bit = {kw: 1 << i for i, kw in enumerate(hs.keywords)}
    for text, keyword in [
        ("he died young", "died"), ("he was born to rule", "born"), ("a (see above)", "("),
        ("(c. 1869)", "("), ("(1990)", "("), ("stubborn as", "born"), ("Born leaders", "Born"),
    ]:
        raw = orjson.dumps({"text": text})
        assert py.mask(raw) == bit[keyword] and hs.mask(raw) == 0, text
    for text, keyword in [
        ("Ada died on 27 November 1852", "died"), ("Ada, born c. 1815", "born"), ("Ada (b. 1815)", "("),
        ("Ada (1815\u20131852)", "("), ("Ada (1815 to 1852)", "("), ("Ada\nborn\tin London", "born"),
        ("Ada (pp. 12-15)", "("),  # an over-approximation: a page range has the shape of a lifespan
    ]:
        assert hs.mask(orjson.dumps({"text": text})) == bit[keyword], text


def test_hyperscan_masks_are_within_the_fallbacks():
    if not hyperscan_available():
        pytest.skip("hyperscan is not installed")
    lines = [orjson.dumps({"id": i, "text": text}) + b"\n" for i, text in enumerate(TEXTS * 20)]
    block = b"".join(lines)
    ends, pos = [], 0
    for line in lines:
        pos += len(line)
        ends.append(pos)
    tight = EX.prefilter("hyperscan").masks(block, ends)
    loose = EX.prefilter("python").masks(block, ends)
    assert all(t & ~p == 0 for t, p in zip(tight, loose)) and tight != loose


TEXTS = [
    "Ada Lovelace (10 December 1815 – 27 November 1852) was a mathematician.",
    "Ada Lovelace was born on 10 December 1815 in London.\nShe died in 1852.",
    "Born in London, England, Ada Lovelace studied mathematics.",
    "The stubborn mule (see page 3) was newborn; the storm died\u00a0down (ca. 1900).",
    "Nothing here at all, just prose and a (parenthetical remark).",
    "Ünïcödé “quotes” — and (Ǳ) (ſep 1990) (K) née\u2028born\u3000died",
    'Escapes: "quoted" \\ back\tslash \u0000 control',
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_masks_cover_every_hit_in_every_encoding(backend):
    for text in TEXTS:
        assert_covers(text, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_paren_guard_raw_form_covers_unicode(backend):
    """Every whitespace, every case variant of a month letter and every digit Python's re accepts after "("."""
    guard = linear.guard(builtin_pack("biography-en").phrasing.guards["("], backtracking=True)
    texts = [f"x ({w}1815–1852)" for w in SPACES] + [f"x ({d}815–1852)" for d in DIGITS]
    texts += [f"x ({c}{tail} 1815–1852)" for c in CASE_VARIANTS for tail in ("ep", "ec", "an", "ov", "ept")]
    checked = 0
    for text in texts:
        if guard(text, text.index("(") + 1):
            checked += 1
            assert_covers(text, backend)
    assert checked > len(SPACES)  # the case variants (such as the long s) did reach the raw guard


@pytest.mark.parametrize("backend", BACKENDS)
def test_keyword_guards_raw_form_covers_unicode_spaces(backend):
    for kw in ("born", "Born", "died"):
        for w in SPACES:
            assert_covers(f"Ada {kw}{w}on 10 May 1815", backend)
            assert_covers(f"Ada was{w}{kw} on 10 May 1815", backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_raw_contexts_cover_lifespans_in_every_form(backend):
    """Every dash and digit a lifespan may hold, every date form and circa word after a keyword. (A digit of
    another script reads no date -- phrases read ASCII's, as RE2 does -- but the prefilter lets it through.)"""
    dashes = ["-", "--", " to ", "\u2212"] + [chr(c) for c in range(0x2010, 0x2016)]
    for d in DIGITS[::7]:
        assert_covers(f"Ada Lovelace ({d}815-1852)", backend)
    lifespans = [f"Ada Lovelace ({d}815{dash}1852)" for d in "0123456789" for dash in dashes]
    assert all(keywords_matching(text) for text in lifespans)
    texts = lifespans + [f"Ada Lovelace (born Ada Byron; 10 Dec. 1815{dash}c. 1852?)" for dash in dashes]
    for start in ("10 December 1815", "December 10, 1815", "1815-12-10", "c. 1815", "ca. 1815", "circa 1815",
                  "approx. 1815", "about 1815", "around 1815", "~1815", "AD 815", "A.D. 815", "CE 815",
                  "on the 10th of December 1815", "in London", "\u017fept. 1815", "DECEMBER 1815"):
        texts += [f"Ada Lovelace was born {start}.", f"Ada died {start}.", f"Born {start}, Ada Lovelace wrote",
                  f"Ada, born {start}, wrote", f"Ada (born {start})", f"Ada (d. {start})"]
    matched = 0
    for text in texts:
        matched += bool(keywords_matching(text))
        assert_covers(text, backend)
    assert matched > len(texts) * 0.8


_alphabet = st.sampled_from(
    list("bornBdie(0123456789 ~.,;ACnsSjJmMaéſK\\\"\n\t-–)") + ["\u00a0", "\u2028", "\u3000", "\x1c", "\x85",
                                                                  "born", "died", "Born", "(b. ", "(c. ", "(née ",
                                                                  " to ", " was ", " on ", " in ", "1815", " May ",
                                                                  "&", "<", "=", "'", ">"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_masks_cover_random_texts(text):
    for backend in BACKENDS:
        assert_covers(text, backend)


def test_prefilter_is_not_pickled():
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(Prefilter(("born",)))


# --- extraction with masks ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_sample_facts_identical_with_masks(backend):
    """The shipped sample: facts with the masks of either backend are exactly the facts of a full scan."""
    skips = SkipLog()
    n = with_hits = 0
    for path in sorted(SAMPLE.iterdir()):
        for doc_id, text, mask, _, _ in read_texts(str(path), skips=skips, prefilter=EX.prefilter(backend)):
            assert EX.extract(text, mask) == EX.extract(text), doc_id
            n += 1
            with_hits += mask is not None and mask != 0
    assert n == 30000 and 0 < with_hits <= n


@pytest.mark.parametrize("backend", [*BACKENDS, "off"])
def test_map_task_paths_agree(tmp_path, monkeypatch, backend):
    """document_facts (the map task) with hyperscan, the fallback, or no prefilter: the same facts."""
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(TEXTS * 3)))
    expected = [(str(i), EX.extract(t), None) for i, t in enumerate(TEXTS * 3)]
    monkeypatch.setenv("FLOOR_PREFILTER", backend)
    got = list(tasks.document_facts(str(path), tasks.ScanOptions(), SkipLog()))
    assert got == expected


# --- the scanning JSONL reader is the plain reader ------------------------------------------------------------------

_line = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": f"d{i}", "text": t}), st.integers(0, 99), st.text(max_size=30)),
    st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False), st.sampled_from(TEXTS)),
    st.just(""), st.just("   "), st.just("\r"), st.just('{"text": 3}'), st.just('{"id": [1], "text": "x"}'),
    st.just("[1, 2]"), st.just('{"text": "unterminated'), st.just('{"other": "x"}'), st.just("null"),
)


def _read_all(reader, path, **kw):
    skips = SkipLog(on_error="skip")
    out = [(d.doc_id, d.text) if hasattr(d, "doc_id") else d[:2] for d in reader(str(path), skips=skips, **kw)]
    return out, dict(skips.counts)


def _first_error(reader, path, **kw):
    try:
        for _ in reader(str(path), skips=SkipLog(on_error="fail"), **kw):
            pass
    except InputError as exc:
        return str(exc), exc.kind
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=12), bom=st.booleans(), final_newline=st.booleans(),
       crlf=st.booleans(), block=st.integers(1, 64))
def test_scanning_reader_matches_plain_reader(tmp_path_factory, lines, bom, final_newline, crlf, block):
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    sep = "\r\n" if crlf else "\n"
    data = sep.join(lines) + (sep if final_newline and lines else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    original = records_module._BLOCK_SIZE
    records_module._BLOCK_SIZE = block  # lines cut across many reads
    try:
        for backend in BACKENDS:
            pf = EX.prefilter(backend)
            assert _read_all(read_texts, path, prefilter=pf) == _read_all(read_documents, path)
            assert _first_error(read_texts, path, prefilter=pf) == _first_error(read_documents, path)
    finally:
        records_module._BLOCK_SIZE = original


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_scanning_reader_keeps_records_before_truncation(tmp_path, suffix):
    data = "".join(json.dumps({"id": f"d{i}", "text": TEXTS[i % len(TEXTS)] * 30}) + "\n" for i in range(400))
    packed = gzip.compress(data.encode()) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data.encode())
    path = tmp_path / f"c.jsonl{suffix}"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    for backend in BACKENDS:
        got = _read_all(read_texts, path, prefilter=EX.prefilter(backend))
        assert got == _read_all(read_documents, path)
        assert 0 < len(got[0]) < 400 and got[1] == {"truncated_compressed": 1}


def test_read_texts_other_formats_have_no_mask(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(TEXTS[0])
    assert list(read_texts(str(path), skips=SkipLog(), prefilter=EX.prefilter())) == [(str(path), TEXTS[0], None, None, None)]


# --- Parquet: masks from the text column's Arrow data -----------------------------------------------------------

PARQUET_TEXTS = [*TEXTS, "", "plain prose", "Ada (b. 1815)" * 3]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string()])
def test_parquet_masks_give_the_facts_of_a_full_scan(tmp_path, backend, text_type):
    path = tmp_path / "c.parquet"
    texts = PARQUET_TEXTS * 40
    table = pa.table({"id": [f"d{i}" for i in range(len(texts))], "text": pa.array(texts, type=text_type)})
    pq.write_table(table, path, row_group_size=37)  # batches of many sizes
    got = list(read_texts(str(path), skips=SkipLog(), prefilter=EX.prefilter(backend)))
    assert [(d, t) for d, t, _, _, _ in got] == [(f"d{i}", t) for i, t in enumerate(texts)]
    assert all(mask is not None for _, _, mask, _, _ in got)
    assert any(mask == 0 for _, _, mask, _, _ in got)
    assert [EX.extract(t, m) for _, t, m, _, _ in got] == [EX.extract(t) for t in texts]


def test_parquet_masks_of_a_sliced_column():
    """A batch may be a slice of a larger array: offsets start at the slice, not at the buffer."""
    pf = EX.prefilter()
    column = pa.array(PARQUET_TEXTS * 3).slice(5, 17)
    masks = records_module._string_masks(column, pf)
    assert masks == [pf.mask(t.encode()) for t in column.to_pylist()]


@pytest.mark.parametrize("text", [pa.array(["Ada (b. 1815)", None, "x"]), pa.array([1, 2, 3]),
                                  pa.array([b"Ada (b. 1815)", b"x", b"y"])])
def test_parquet_text_columns_that_are_not_clean_strings_read_as_before(tmp_path, text):
    """Nulls, numbers, binary: the batch is read row by row, with the same records and errors as without masks."""
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": text}), path)
    assert _read_all(read_texts, path, prefilter=EX.prefilter()) == _read_all(read_documents, path)
    assert _first_error(read_texts, path, prefilter=EX.prefilter()) == _first_error(read_documents, path)


def _lean(documents):
    """What ``unmatched_texts=False`` gives for these ``(id, text, mask)``: no text where the mask is 0."""
    return [(d, None if m == 0 else t, m, title, domain) for d, t, m, title, domain in documents]


def _read_texts_outcome(path, **kw):
    skips = SkipLog(on_error="skip")
    return list(read_texts(str(path), skips=skips, prefilter=EX.prefilter(), **kw)), dict(skips.counts)


def test_parquet_text_field_that_is_also_the_id_field(tmp_path):
    """``--id-field`` naming the text column: the id is the text, so the text is decoded even where no keyword
    can match."""
    path = tmp_path / "c.parquet"
    texts = ["plain prose", "Ada died 27 November 1852 in London."]
    pq.write_table(pa.table({"text": texts}), path)
    options = tasks.ScanOptions(text_field="text", id_field="text")
    assert list(tasks.document_facts(str(path), options, SkipLog())) == [(t, EX.extract(t), None) for t in texts]


def test_parquet_repeated_column_names(tmp_path):
    """A repeated column name: the last column of that name counts, with or without masks."""
    path = tmp_path / "c.parquet"
    table = pa.Table.from_arrays([pa.array(["a", "b"]), pa.array(["Ada (1815\u20131852)", "x"]), pa.array(["c", "d"])],
                                 names=["id", "text", "id"])
    pq.write_table(table, path)
    assert _read_all(read_documents, path) == ([("c", "Ada (1815\u20131852)"), ("d", "x")], {})
    full, skipped = _read_texts_outcome(path)
    assert [(d, t) for d, t, _, _, _ in full] == [("c", "Ada (1815\u20131852)"), ("d", "x")] and not skipped
    assert _read_texts_outcome(path, unmatched_texts=False) == (_lean(full), {})


def test_parquet_invalid_utf8_is_an_error_with_or_without_decoding(tmp_path):
    """A batch holding invalid UTF-8 is read row by row, so the bad rows are errors even where no keyword could
    match (a text left undecoded must still be valid)."""
    path = _parquet_with_invalid_utf8(tmp_path / "c.parquet")
    expected = ([("b", "fine", None, None, None)], {"invalid_utf8": 2})
    assert _read_texts_outcome(path) == expected
    assert _read_texts_outcome(path, unmatched_texts=False) == expected


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_unmatched_texts_are_left_out_on_request(tmp_path, suffix):
    """``unmatched_texts=False``: a document with mask 0 comes without its text (a Parquet one is not decoded);
    every other document, id and error is as before."""
    texts = PARQUET_TEXTS * 3
    path = tmp_path / f"c{suffix}"
    if suffix == ".parquet":
        pq.write_table(pa.table({"id": [str(i) for i in range(len(texts))], "text": texts}), path)
    else:
        path.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)))
    full = list(read_texts(str(path), skips=SkipLog(), prefilter=EX.prefilter()))
    lean = list(read_texts(str(path), skips=SkipLog(), prefilter=EX.prefilter(), unmatched_texts=False))
    assert lean == _lean(full)
    assert sum(t is None for _, t, _, _, _ in lean) >= len(texts) // 3
