"""Reading never silently loses or truncates data: damaged compressed files, malformed JSONL and Parquet.

Either every intact record is read (all of them when nothing is damaged; under ``--on-error skip`` exactly the
ones before the damage, and the damage counted once), or a one-line InputError names the file. Never another
exception, never a partial output.
"""

from __future__ import annotations

import bz2
import codecs
import functools
import gzip
import json
import lzma
import subprocess
import sys
import zlib
from array import array
from contextlib import ExitStack
from unittest import mock

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import floor.sources.streams as streams_module
from floor.errors import InputError, SkipLog
from floor.extract import Extractor
from floor.sources import read_documents, read_texts

COMPRESS = {
    ".gz": lambda data: gzip.compress(data, mtime=0),
    ".bz2": lambda data: bz2.compress(data, 1),
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor(write_checksum=True).compress(data),  # as the zstd tool writes
}
# The stdlib's one-shot decoders, for what a damaged file holds that can be decoded.
DECOMPRESSOR = {
    ".gz": lambda: zlib.decompressobj(wbits=31),
    ".bz2": bz2.BZ2Decompressor,
    ".xz": lzma.LZMADecompressor,
    ".zst": lambda: zstandard.ZstdDecompressor().decompressobj(),
}
NAME = {".gz": "gzip member", ".bz2": "bz2 stream", ".xz": "xz stream", ".zst": "zstd frame"}
PADDING = {".gz": 1, ".xz": 4}  # zero bytes allowed after a stream, in multiples of this
COMPRESSED_KINDS = {"truncated_compressed", "corrupt_compressed"}
LINE_KINDS = {"malformed_json", "invalid_utf8", "not_an_object", "cr_line_endings", "missing_text_field",
              "non_string_text", "bad_id"}


def record_lines(start: int, count: int, width: int = 40) -> bytes:
    return b"".join(orjson.dumps({"id": i, "text": f"record {i} " + "w" * (i * 7 % width)}) + b"\n"
                    for i in range(start, start + count))


def multi_stream(suffix: str, counts: list[int]) -> tuple[list[bytes], list[str]]:
    """Compressed streams holding ``counts`` records each, numbered on; and all the records' ids."""
    streams, start = [], 0
    for count in counts:
        streams.append(COMPRESS[suffix](record_lines(start, count)))
        start += count
    return streams, [str(i) for i in range(start)]


def decodable_lines(suffix: str, data: bytes) -> tuple[int, bool]:
    """Complete lines that can be decoded from ``data`` (streams one after the other, no padding), and whether
    every stream in it ends."""
    out, ended = [], True
    while data:
        stream = DECOMPRESSOR[suffix]()
        try:
            out.append(stream.decompress(data))
        except (OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError):
            ended = False
            break
        if not stream.eof:
            ended = False
            break
        data = stream.unused_data
    return b"".join(out).count(b"\n"), ended


_EXTRACTOR = []


def prefilter():
    if not _EXTRACTOR:
        _EXTRACTOR.append(Extractor())
    return _EXTRACTOR[0].prefilter("python")


def read_all(path: str, on_error: str, scanning: bool = False):
    """(doc ids read, skip counts, the InputError raised or None)."""
    skips = SkipLog(on_error=on_error)
    ids = []
    try:
        if scanning:
            for doc_id, _, _, _, _ in read_texts(path, skips=skips, prefilter=prefilter()):
                ids.append(doc_id)
        else:
            for doc in read_documents(path, skips=skips):
                ids.append(doc.doc_id)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}:")
        return ids, dict(skips.counts), exc
    return ids, dict(skips.counts), None


def check_both_modes(path: str, ids: list[str], skipped: dict):
    """Under skip: exactly ``ids`` and the ``skipped`` counts; under fail: the same ids, then the one error."""
    for scanning in (False, True):
        assert read_all(path, "skip", scanning) == (ids, skipped, None)
        got, counts, error = read_all(path, "fail", scanning)
        assert got == ids and counts == {}
        if skipped:
            (kind,) = skipped
            assert error is not None and error.kind == kind
            if kind in COMPRESSED_KINDS and ids:
                assert str(error).startswith(f"{path}:after line {len(ids)}: ")
        else:
            assert error is None


# --- damaged compressed files, case by case ----------------------------------------------------------------


def _damage(stream: bytes, how: str) -> bytes:
    if how == "truncated":
        return stream[: len(stream) // 2]
    return bytes(b ^ 0xFF for b in stream[:4]) + stream[4:]  # no stream starts like that


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
@pytest.mark.parametrize("how", ["truncated", "corrupt start", "trailing garbage"])
def test_damage_after_the_first_stream_keeps_every_record_before_it(tmp_path, suffix, how):
    (first, second), ids = multi_stream(suffix, [1000, 1000])
    path = tmp_path / f"two.jsonl{suffix}"
    if how == "trailing garbage":
        path.write_bytes(first + second + b"garbage!")
        kept = ids
    else:
        damaged = _damage(second, how)
        path.write_bytes(first + damaged)
        kept = ids[: 1000 + (decodable_lines(suffix, damaged)[0] if how == "truncated" else 0)]
    kind = "truncated_compressed" if how == "truncated" else "corrupt_compressed"
    check_both_modes(str(path), kept, {kind: 1})
    error = read_all(str(path), "fail")[2]
    start = len(first) + (len(second) if how == "trailing garbage" else 0)
    stream = 3 if how == "trailing garbage" else 2
    assert f": {NAME[suffix]} {stream} (from byte {start}) is {kind.split('_')[0]}" in str(error)


def test_zstd_keeps_the_records_of_a_frame_read_in_the_same_chunk_as_a_corrupt_one(tmp_path):
    (first, second), ids = multi_stream(".zst", [1000, 1000])
    corrupt = second[:20] + bytes(b ^ 0x55 for b in second[20:60]) + second[60:]
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(first + corrupt)
    assert len(first + corrupt) < streams_module._CHUNK  # one read holds both frames
    check_both_modes(str(path), ids[:1000], {"corrupt_compressed": 1})


@pytest.mark.parametrize("suffix, padding, ok", [
    (".gz", b"\0", True), (".gz", b"\0" * 1000, True), (".xz", b"\0" * 4, True), (".xz", b"\0" * 12, True),
    (".xz", b"\0" * 3, False), (".xz", b"\0" * 5, False), (".bz2", b"\0" * 4, False), (".zst", b"\0" * 4, False),
    (".gz", b"\0\0x", False),
])
def test_zero_padding_after_streams(tmp_path, suffix, padding, ok):
    """gzip (GNU gzip and Python's gzip module) and xz (its format: runs of four) allow zero bytes after a
    stream; bzip2 and zstd do not, and bytes after the zeros must start a stream."""
    streams, ids = multi_stream(suffix, [10, 10])
    path = tmp_path / f"p.jsonl{suffix}"
    path.write_bytes(streams[0] + padding + streams[1] + padding)
    if ok:
        check_both_modes(str(path), ids, {})
    else:
        check_both_modes(str(path), ids[:10], {"corrupt_compressed": 1})


def test_zeros_alone_are_not_a_gzip_file(tmp_path):
    path = tmp_path / "z.jsonl.gz"
    path.write_bytes(bytes(512))
    check_both_modes(str(path), [], {"corrupt_compressed": 1})


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_many_small_reads_and_highly_compressed_data(tmp_path, suffix):
    """Streams and outputs far larger than one read: every byte arrives, in order, whatever the read sizes."""
    text = "x" * 50_000
    data = b"".join(orjson.dumps({"id": i, "text": text}) + b"\n" for i in range(40))
    skippable = b"\x50\x2a\x4d\x18\x03\x00\x00\x00abc" if suffix == ".zst" else b""
    path = tmp_path / f"big.jsonl{suffix}"
    path.write_bytes(COMPRESS[suffix](data[:1_000_000]) + skippable + COMPRESS[suffix](data[1_000_000:]))
    for chunk, output in [(3, 1000), (1 << 17, 1 << 20)]:
        with mock.patch.object(streams_module, "_CHUNK", chunk), \
                mock.patch.object(streams_module, "_MAX_OUTPUT", output):
            check_both_modes(str(path), [str(i) for i in range(40)], {})
            assert [doc.text for doc in read_documents(str(path), skips=SkipLog())] == [text] * 40


# --- fuzzing -------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def damaged_files(draw):
    """(suffix, file bytes, ids of its records, how it is damaged, records in the streams before the damage,
    bytes appended)."""
    suffix = draw(st.sampled_from(sorted(COMPRESS)))
    counts = draw(st.lists(st.integers(0, 30), min_size=1, max_size=3))
    streams, ids = multi_stream(suffix, counts)
    data = b"".join(streams)
    ends = [sum(map(len, streams[: i + 1])) for i in range(len(streams))]
    how = draw(st.sampled_from(["none", "truncate", "flip", "garbage", "corrupt stream"]))
    before, tail = len(ids), b""
    if how == "truncate":
        data = data[: draw(st.integers(1, len(data) - 1))]
    elif how == "flip":
        damaged = bytearray(data)
        for at in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=3, unique=True)):
            damaged[at] ^= draw(st.integers(1, 255))
        first = min(i for i in range(len(data)) if damaged[i] != data[i])
        before = sum(count for count, end in zip(counts, ends) if end <= first)
        data = bytes(damaged)
    elif how == "garbage":
        tail = draw(st.binary(min_size=1, max_size=20))
        data += tail
    elif how == "corrupt stream":
        which = draw(st.integers(0, len(streams) - 1))
        start = ends[which] - len(streams[which])
        data = data[:start] + _damage(streams[which], how) + data[ends[which]:]
        before = sum(counts[:which])
    return suffix, data, ids, how, before, tail


def _is_padding(suffix: str, tail: bytes) -> bool:
    return suffix in PADDING and not tail.strip(b"\0") and len(tail) % PADDING[suffix] == 0


@FUZZ
@given(case=damaged_files(), scanning=st.booleans(), chunk=st.sampled_from([5, 64, 1 << 17]),
       output=st.sampled_from([7, 1 << 20]))
def test_fuzz_damaged_compressed_files(tmp_path_factory, case, scanning, chunk, output):
    suffix, data, ids, how, before, tail = case
    path = str(tmp_path_factory.mktemp("fuzz") / f"f.jsonl{suffix}")
    with open(path, "wb") as handle:
        handle.write(data)
    with ExitStack() as patches:  # small reads and outputs: streams and lines cross their boundaries
        patches.enter_context(mock.patch.object(streams_module, "_CHUNK", chunk))
        patches.enter_context(mock.patch.object(streams_module, "_MAX_OUTPUT", output))
        got, skipped, error = read_all(path, "skip", scanning)
        failing = read_all(path, "fail", scanning)
    assert error is None and set(skipped) <= COMPRESSED_KINDS | LINE_KINDS | {"empty_file"}
    damage = [kind for kind in skipped if kind in COMPRESSED_KINDS]
    if how == "truncate":
        lines, ended = decodable_lines(suffix, data)
        assert got == ids[:lines]
        assert skipped == ({"truncated_compressed": 1} if not ended else {"empty_file": 1} if not lines else {})
    elif how == "corrupt stream" or how == "garbage" and not _is_padding(suffix, tail):
        assert got == ids[:before] and len(damage) == 1 and skipped == {damage[0]: 1}
    elif how == "flip" and damage:
        assert got[:before] == ids[:before] and skipped[damage[0]] == 1
    else:  # undamaged, padding, or a flipped byte that changes nothing decoded (a gzip header's time stamp, say)
        assert got == ids and skipped == ({} if ids else {"empty_file": 1})
    # Failing, the same records are read up to the first problem, which is raised
    assert failing[1] == {} and (failing[2] is None) == (not skipped)
    if how == "flip":
        assert failing[0][:before] == ids[:before]
    else:
        assert failing[0] == got
        if skipped:
            assert str(failing[2]).startswith(f"{path}:after line {len(got)}: " if got else f"{path}: ")


_JUNK = st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")) | st.sampled_from(
    [b'{"text": "a"}\r{"text": "b"}', b'{"text": "a",}', b'{"text": "caf\xe9"}', b"[1]", b"\r", b"  \t",
     codecs.BOM_UTF8])


def _parses_to_object(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


@FUZZ
@given(items=st.lists(st.integers(0, 10**6) | _JUNK, max_size=12), final_newline=st.booleans(),
       suffix=st.sampled_from(["", *sorted(COMPRESS)]))
def test_fuzz_malformed_jsonl(tmp_path_factory, items, final_newline, suffix):
    """Good records among junk lines: every good one is read, every junk line that is not blank is one skip,
    and failing stops at the first of them."""
    items = [item for item in items if not (isinstance(item, bytes) and _parses_to_object(item))]
    lines = [orjson.dumps({"id": f"r{item}", "text": "t"}) if isinstance(item, int) else item for item in items]
    if lines and lines[0].startswith(codecs.BOM_UTF8):
        lines[0] = b"{}" + lines[0]  # a byte order mark at the start of the file is allowed; elsewhere it is junk
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    good = [(n, f"r{item}") for n, item in enumerate(items, 1) if isinstance(item, int)]
    bad = [n for n, (item, line) in enumerate(zip(items, lines), 1)
           if isinstance(item, bytes) and line and not line.isspace()]
    ids = [doc_id for _, doc_id in good]
    path = str(tmp_path_factory.mktemp("jsonl") / f"m.jsonl{suffix}")
    with open(path, "wb") as handle:
        handle.write(COMPRESS[suffix](data) if suffix else data)
    for scanning in (False, True):
        got, skipped, error = read_all(path, "skip", scanning)
        assert error is None and got == ids
        failing = read_all(path, "fail", scanning)
        if not good and not bad:
            assert skipped == {"empty_file": 1} and failing[2].kind == "empty_file"
        elif bad:
            assert sum(skipped.values()) == len(bad) and set(skipped) <= LINE_KINDS
            assert failing[2].location == bad[0] and failing[0] == [doc_id for n, doc_id in good if n < bad[0]]
        else:
            assert skipped == {} and failing == (ids, {}, None)


@functools.cache
def parquet_bytes() -> bytes:
    sink = pa.BufferOutputStream()
    table = pa.table({"id": [f"p{i}" for i in range(300)], "text": [f"row {i} " * 5 for i in range(300)]})
    pq.write_table(table, sink, row_group_size=100)
    return sink.getvalue().to_pybytes()


@FUZZ
@given(truncate=st.booleans(), data=st.data())
def test_fuzz_damaged_parquet(tmp_path_factory, truncate, data):
    """A truncated Parquet file is refused whole (its footer is at the end); flipped bytes give an InputError
    naming the file, or rows (Parquet has no checksums: a flipped byte of a value may go unnoticed)."""
    damaged = bytearray(parquet_bytes())
    if truncate:
        damaged = damaged[: data.draw(st.integers(1, len(damaged) - 1), label="size")]
    else:
        for at in data.draw(st.lists(st.integers(0, len(damaged) - 1), min_size=1, max_size=4, unique=True),
                            label="flips"):
            damaged[at] ^= data.draw(st.integers(1, 255))
    path = str(tmp_path_factory.mktemp("pq") / "d.parquet")
    with open(path, "wb") as handle:
        handle.write(damaged)
    for scanning in (False, True):
        got, skipped, error = read_all(path, "skip", scanning)
        assert error is None
        if truncate:
            assert got == [] and skipped == {"bad_parquet": 1}
        else:
            assert len(got) <= 300 and set(skipped) <= {"bad_parquet", "invalid_utf8", "non_string_text", "bad_id",
                                                        "missing_column", "empty_file"}
        read_all(path, "fail", scanning)  # an InputError naming the file, or rows: checked inside


def test_invalid_utf8_in_the_id_column_of_parquet_is_skipped_when_scanning(tmp_path):
    ids = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(array("i", [0, 2, 4]).tobytes()),
                                                 pa.py_buffer(b"\xb4xok")])
    path = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"id": ids, "text": ["a", "b"]}), str(path))
    for scanning in (False, True):
        assert read_all(str(path), "skip", scanning) == (["ok"], {"invalid_utf8": 1}, None)


def test_invalid_utf8_in_a_parquet_column_name_is_bad_parquet(tmp_path):
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": ["a"], "text": ["b"]}), sink, store_schema=False)
    path = tmp_path / "names.parquet"
    path.write_bytes(sink.getvalue().to_pybytes().replace(b"\x18\x02id", b"\x18\x02\xe9d"))  # thrift: "id"
    for scanning in (False, True):
        assert read_all(str(path), "skip", scanning) == ([], {"bad_parquet": 1}, None)
        error = read_all(str(path), "fail", scanning)[2]
        assert error.kind == "bad_parquet" and str(error).startswith(f"{path}: not a valid Parquet file (")


# --- through the command line ------------------------------------------------------------------------------


def test_damaged_parquet_column_metadata_is_an_error_not_an_abort(tmp_path):
    """pyarrow aborts the process when asked for the metadata of a column chunk whose size statistics do not
    fit its schema; floor never asks, and reading the file reports it."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"id": ["a", "b"], "text": ["x", "y"]}), sink)
    path = tmp_path / "required.parquet"
    # thrift: the schema element "id" made REQUIRED, while its column chunk keeps the levels of an OPTIONAL one
    path.write_bytes(sink.getvalue().to_pybytes().replace(b"%\x02\x18\x02id", b"%\x00\x18\x02id"))
    proc = subprocess.run([sys.executable, "-m", "floor", "run", str(path), "-q"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith(f"floor: error: {path}: not a valid Parquet file (")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=damaged_files(), on_error=st.sampled_from(["fail", "skip"]))
def test_fuzz_cli_reports_exactly_what_was_read(tmp_path_factory, case, on_error):
    """``floor run`` counts the documents the API reads, or fails with one line and writes nothing."""
    suffix, data = case[:2]
    folder = tmp_path_factory.mktemp("cli")
    path = str(folder / f"f.jsonl{suffix}")
    with open(path, "wb") as handle:
        handle.write(data)
    ids, skipped, error = read_all(path, on_error)
    out = folder / "report.json"
    proc = subprocess.run([sys.executable, "-m", "floor", "run", path, "--json", str(out), "--on-error", on_error,
                           "-q"], capture_output=True, text=True)
    if error is not None:
        assert proc.returncode == 2 and not out.exists()
        assert proc.stderr.strip() == f"floor: error: {error}"
    elif not ids:
        # Nothing to measure: a run that counted no document fails, with the skips in its one line.
        assert proc.returncode == 2 and not out.exists()
        assert proc.stderr.startswith("floor: error: no document was counted") and proc.stderr.count("\n") == 1
    else:
        assert proc.returncode == 0, proc.stderr
        report = json.loads(out.read_text())
        assert report["documents"] == len(ids) and report["skipped"]["by_reason"] == skipped


@pytest.mark.parametrize("max_output", [7, 1 << 20])
def test_a_truncated_bz2_stream_gives_every_line_decoded_before_its_end(tmp_path, max_output):
    """bz2 says it needs input once it has taken every input byte, though output decoded from them may still be
    pending: at the file's end that output is drained before the stream is reported truncated."""
    text = "".join(json.dumps({"id": str(i), "text": "x"}) + "\n" for i in range(21))
    data = bz2.compress(text.encode())[:-10]  # the end-of-stream marker and checksum cut off
    assert bz2.BZ2Decompressor().decompress(data).count(b"\n") == 21
    path = tmp_path / "f.jsonl.bz2"
    path.write_bytes(data)
    with mock.patch.object(streams_module, "_MAX_OUTPUT", max_output):
        for scanning in (False, True):
            got, skipped, error = read_all(str(path), "skip", scanning)
            assert (got, skipped, error) == ([str(i) for i in range(21)], {"truncated_compressed": 1}, None)
