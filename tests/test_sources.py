"""Tests for the readers stage, floor.sources."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import socket
import sys
import threading
from array import array

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

import floor.sources.records as records_module
import floor.sources.streams as streams_module
from floor.errors import FloorError, InputError, SkipLog
from floor.sources.paths import JSON_DOCUMENT, SPECIAL
from floor.sources import (
    FORMATS,
    Document,
    Triple,
    detect_format,
    expand_inputs,
    iter_documents,
    iter_triples,
    read_documents,
    read_triples,
)

COMPRESSORS = {
    "": lambda data: data,
    ".gz": gzip.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
    ".bz2": lambda data: bz2.compress(data, 1),  # 100 kB blocks: a truncated file still has whole blocks
    ".xz": lzma.compress,
}


def write(path, data: bytes | str) -> str:
    """Write ``data`` to ``path``, compressed according to its suffix; return the path as str."""
    if isinstance(data, str):
        data = data.encode()
    suffix = os.path.splitext(str(path))[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(COMPRESSORS.get(suffix, COMPRESSORS[""])(data))
    return str(path)


def jsonl(*records) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def write_parquet(path, columns: dict, **kw) -> str:
    pq.write_table(pa.table(columns), str(path), **kw)
    return str(path)


def docs(path, on_error="fail", **kw):
    skips = SkipLog(on_error=on_error)
    return list(read_documents(str(path), skips=skips, **kw)), skips


def triples(path, on_error="fail", **kw):
    skips = SkipLog(on_error=on_error)
    return list(read_triples(str(path), skips=skips, **kw)), skips


def fail_error(read, path, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        read(path, "fail", **kw)
    return info.value


# --- formats and compression -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst", ".bz2", ".xz"])
@pytest.mark.parametrize("ext", [".jsonl", ".ndjson", ".json"])
def test_jsonl_every_extension_and_compression(tmp_path, ext, suffix):
    data = jsonl({"id": "a", "text": "Ada was born in 1815."}, {"id": 7, "text": "x"})
    path = write(tmp_path / f"c{ext}{suffix}", data)
    got, skips = docs(path)
    assert got == [Document("a", "Ada was born in 1815.", path), Document("7", "x", path)]
    assert not skips.counts


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst", ".bz2", ".xz"])
def test_text_file_is_one_document(tmp_path, suffix):
    path = write(tmp_path / f"essay.txt{suffix}", "line one\nline two é\n")
    assert docs(path)[0] == [Document(path, "line one\nline two é\n", path)]


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_tsv_documents(tmp_path, suffix):
    path = write(tmp_path / f"d.tsv{suffix}", "id\ttext\textra\nd1\thello\tz\n\t\tq\r\nd3\tbye\t\n")
    got, _ = docs(path)
    assert got == [Document("d1", "hello", path), Document(f"{path}:3", "", path), Document("d3", "bye", path)]


def test_parquet_documents_and_pq_extension(tmp_path):
    path = write_parquet(tmp_path / "a.pq", {"id": ["x", None], "text": ["one", "two"], "other": [1, 2]})
    assert detect_format(path) == "parquet"
    assert docs(path)[0] == [Document("x", "one", path), Document(f"{path}:2", "two", path)]


def test_custom_field_names(tmp_path):
    path = write(tmp_path / "a.jsonl", jsonl({"key": 5, "body": "b"}))
    assert docs(path, text_field="body", id_field="key")[0] == [Document("5", "b", path)]


def test_format_override_reads_unknown_extension(tmp_path):
    path = write(tmp_path / "data.log.gz", jsonl({"text": "t"}))
    assert docs(path, fmt="jsonl")[0] == [Document(f"{path}:1", "t", path)]


def test_concatenated_zstd_frames_and_gzip_members(tmp_path):
    zst = tmp_path / "multi.jsonl.zst"
    zc = zstandard.ZstdCompressor()
    zst.write_bytes(zc.compress(jsonl({"text": "a"})) + zc.compress(jsonl({"text": "b"})))
    gz = tmp_path / "multi.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl({"text": "a"})) + gzip.compress(jsonl({"text": "b"})))
    for path in (zst, gz):
        assert [d.text for d in docs(path)[0]] == ["a", "b"]


def test_large_zstd_stream_crosses_buffers(tmp_path):
    records = [{"id": i, "text": "w" * (i % 500)} for i in range(5000)]
    path = write(tmp_path / "big.jsonl.zst", jsonl(*records))
    got = docs(path)[0]
    assert [d.doc_id for d in got] == [str(i) for i in range(5000)]
    assert all(len(d.text) == i % 500 for i, d in enumerate(got))


def test_blank_lines_ignored_and_line_numbers_kept(tmp_path):
    path = write(tmp_path / "a.jsonl", b'\n  \n{"text":"a"}\r\n\n{"text":"b"}')
    got, skips = docs(path)
    assert [d.doc_id for d in got] == [f"{path}:3", f"{path}:5"]
    assert not skips.counts


def test_byte_order_mark_is_allowed(tmp_path):
    path = write(tmp_path / "a.jsonl", b"\xef\xbb\xbf" + jsonl({"text": "a"}))
    assert [d.text for d in docs(path)[0]] == ["a"]


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(), max_size=8), suffix=st.sampled_from(sorted(COMPRESSORS)))
def test_any_text_round_trips(tmp_path_factory, texts, suffix):
    data = jsonl(*({"id": i, "text": t} for i, t in enumerate(texts))) + b"\n"
    path = write(tmp_path_factory.mktemp("rt") / f"r.jsonl{suffix}", data)
    skips = SkipLog("skip")
    got = list(read_documents(path, skips=skips))
    assert [d.text for d in got] == texts and [d.doc_id for d in got] == [str(i) for i in range(len(texts))]
    assert skips.counts == ({} if texts else {"empty_file": 1})


# --- ids ---------------------------------------------------------------------------------------------------


def test_id_fallback_jsonl_line(tmp_path):
    data = jsonl({"text": "a"}, {"id": None, "text": "b"}, {"id": "", "text": "c"}, {"id": 0, "text": "d"})
    path = write(tmp_path / "a.jsonl", data)
    assert [d.doc_id for d in docs(path)[0]] == [f"{path}:1", f"{path}:2", f"{path}:3", "0"]


@pytest.mark.parametrize("bad", [1.5, True, [1], {"a": 1}])
def test_bad_id(tmp_path, bad):
    path = write(tmp_path / "a.jsonl", jsonl({"id": bad, "text": "a"}, {"id": "ok", "text": "b"}))
    error = fail_error(docs, path)
    assert error.kind == "bad_id" and str(error).startswith(f"{path}:1: ")
    got, skips = docs(path, "skip")
    assert [d.doc_id for d in got] == ["ok"] and skips.counts == {"bad_id": 1}


# --- Parquet streaming -------------------------------------------------------------------------------------


def test_parquet_streams_in_batches_over_row_groups(tmp_path, monkeypatch):
    n = 103
    path = write_parquet(
        tmp_path / "rg.parquet",
        {
            "id": [f"d{i}" if i % 3 else None for i in range(n)],
            "text": [f"text {i}" for i in range(n)],
            "big": ["x" * 100] * n,
        },
        row_group_size=10,
    )
    assert pq.ParquetFile(path).metadata.num_row_groups == 11
    calls = []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kw):
        calls.append(kw)
        for batch in original(self, *args, **kw):
            calls.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    monkeypatch.setattr(records_module, "_PARQUET_BATCH_BYTES", 64)  # forces small batches
    got, _ = docs(path)
    assert [d.text for d in got] == [f"text {i}" for i in range(n)]
    assert [d.doc_id for d in got] == [f"d{i}" if i % 3 else f"{path}:{i + 1}" for i in range(n)]
    assert calls[0]["columns"] == ["text", "id"]  # never the unused "big" column
    batches = calls[1:]
    assert len(batches) > 11 and max(batches) < 10 and sum(batches) == n


def test_parquet_batch_rows_is_bounded(tmp_path):
    path = write_parquet(tmp_path / "a.parquet", {"text": ["y" * 1000] * 50})
    rows = records_module._parquet_batch_rows(pq.ParquetFile(path))
    assert 1 <= rows <= records_module._PARQUET_MAX_BATCH_ROWS


# --- input expansion and formats ---------------------------------------------------------------------------


def test_expand_directory_recursive_sorted_filtered(tmp_path):
    names = ["b.jsonl", "a/z.parquet", "a/c.txt.gz", "a.tsv", "notes.md", ".hidden.jsonl", ".git/x.jsonl"]
    for name in names + ["sub/.h/y.jsonl", "sub/y.ndjson.zst"]:
        write(tmp_path / name, b"x")
    got = expand_inputs([str(tmp_path)])
    rel = [os.path.relpath(p, tmp_path) for p in got]
    assert rel == ["a/c.txt.gz", "a/z.parquet", "a.tsv", "b.jsonl", "sub/y.ndjson.zst"]
    assert expand_inputs([str(tmp_path)]) == got  # deterministic


def test_expand_globs_files_stdin_and_dedup(tmp_path):
    for name in ["s2.jsonl", "s10.jsonl", "s1.jsonl", "other.txt", "d/s3.jsonl"]:
        write(tmp_path / name, b"x")
    pattern = str(tmp_path / "s*.jsonl")
    assert expand_inputs([pattern]) == [str(tmp_path / n) for n in ["s1.jsonl", "s10.jsonl", "s2.jsonl"]]
    assert expand_inputs([str(tmp_path / "**" / "s3.jsonl")]) == [str(tmp_path / "d" / "s3.jsonl")]
    other = str(tmp_path / "other.txt")
    s1 = str(tmp_path / "s1.jsonl")
    expected = ["-", other, s1, str(tmp_path / "s10.jsonl"), str(tmp_path / "s2.jsonl")]
    assert expand_inputs(["-", other, pattern, s1, "-"]) == expected
    assert len(expand_inputs([pattern, pattern])) == 3


def test_expand_errors(tmp_path):
    with pytest.raises(FloorError, match="^no such file or directory: .*missing.jsonl$"):
        expand_inputs([str(tmp_path / "missing.jsonl")])
    with pytest.raises(FloorError, match="^glob matched no files: .*nothing"):
        expand_inputs([str(tmp_path / "nothing*.jsonl")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(FloorError, match="no input files in directory"):
        expand_inputs([str(tmp_path / "empty")])
    _special_files(tmp_path / "pipes")
    with pytest.raises(FloorError, match=r"^no input files in directory: .*pipes \(looked for .*; left out 2 "
                                         r"files that are no corpus files\)$"):
        expand_inputs([str(tmp_path / "pipes")])


def _special_files(folder) -> list[str]:
    """A FIFO and a Unix socket with names a walk would pick up: reading either would block."""
    folder.mkdir(parents=True, exist_ok=True)
    fifo = str(folder / "pipe.jsonl")
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.jsonl"))
    sock.close()  # the socket file stays
    return [fifo, str(folder / "sock.jsonl")]


def test_expand_leaves_out_special_files_found_in_directories_and_globs(tmp_path):
    good = write(tmp_path / "d/a.jsonl", GOOD)
    special = _special_files(tmp_path / "d/sub")
    ignored: list[tuple[str, str]] = []
    assert expand_inputs([str(tmp_path / "d")], ignored) == [good]
    assert ignored == [(path, SPECIAL) for path in special]
    ignored = []
    pattern = str(tmp_path / "d" / "**" / "*.jsonl")
    assert expand_inputs([pattern, str(tmp_path / "d")], ignored) == [good]
    assert ignored == [(path, SPECIAL) for path in special]  # each once
    assert expand_inputs([str(tmp_path / "d")]) == [good]  # without a list, they are left out all the same


def test_expand_keeps_special_file_named_explicitly(tmp_path):
    fifo = _special_files(tmp_path)[0]
    good = write(tmp_path / "a.jsonl", GOOD)
    ignored: list[tuple[str, str]] = []
    assert expand_inputs([fifo, str(tmp_path)], ignored) == [fifo, good]
    assert ignored == [(str(tmp_path / "sock.jsonl"), SPECIAL)]  # the FIFO is read, so it is not reported as left out


def test_a_json_document_in_a_directory_is_left_out_but_json_lines_are_read(tmp_path):
    """A dataset's metadata (``state.json``, pretty-printed) is no corpus file; a ``.json`` of JSON lines is one,
    and so is one whose lines do not parse (its reader names the bad line)."""
    folder = tmp_path / "corpus"
    lines = write(folder / "part-0.json", GOOD)
    (folder / "state.json").write_text('{\n  "_data_files": [{"filename": "data.arrow"}]\n}\n')
    (folder / "list.json").write_text('[\n  1,\n  2\n]\n')
    (folder / "broken.json").write_text('{"text": "a"}\n{"text": \n')
    (folder / "bad-start.json").write_text('{"text": \n{"text": "b"}\n')
    ignored: list[tuple[str, str]] = []
    found = expand_inputs([str(folder)], ignored)
    assert found == [str(folder / "bad-start.json"), str(folder / "broken.json"), lines]
    assert ignored == [(str(folder / "list.json"), JSON_DOCUMENT), (str(folder / "state.json"), JSON_DOCUMENT)]
    # a file the patterns leave out is not looked at, nor reported
    ignored = []
    assert expand_inputs([str(folder)], ignored, exclude=("state.json", "list.json")) == found
    assert ignored == []
    # named explicitly, it is read (and its reader says what is wrong with it)
    assert expand_inputs([str(folder / "state.json")]) == [str(folder / "state.json")]


def test_fifo_named_explicitly_is_read(tmp_path):
    fifo = _special_files(tmp_path)[0]
    writer = threading.Thread(target=lambda: open(fifo, "wb").write(jsonl({"text": "a"}, {"text": "b"})),
                              daemon=True)  # opening blocks until the reader opens the other end
    writer.start()
    assert [d.text for d in iter_documents([fifo], skips=SkipLog())] == ["a", "b"]
    writer.join(10)


@pytest.mark.parametrize(
    "path, fmt",
    [
        ("a.jsonl", "jsonl"), ("a.NDJSON.ZST", "jsonl"), ("a.json.gz", "jsonl"), ("a.parquet", "parquet"),
        ("a.pq", "parquet"), ("a.txt.xz", "text"), ("a.tsv.bz2", "tsv"), ("-", "jsonl"),
    ],
)
def test_detect_format(path, fmt):
    assert detect_format(path) == fmt


def test_detect_format_errors():
    with pytest.raises(FloorError, match=r"a\.csv\.gz.*--format"):
        detect_format("dir/a.csv.gz")
    with pytest.raises(FloorError, match="unknown format 'csv'"):
        detect_format("a.jsonl", "csv")
    assert detect_format("a.csv", "tsv") == "tsv"
    assert FORMATS == ("jsonl", "parquet", "arrow", "text", "tsv")
    assert detect_format("data-00000-of-00001.arrow") == "arrow"


def test_iter_documents_chains_inputs_and_fails_fast(tmp_path):
    a = write(tmp_path / "d/a.jsonl", jsonl({"text": "1"}))
    b = write(tmp_path / "d/b.txt", "2")
    skips = SkipLog()
    assert [d.text for d in iter_documents([str(tmp_path / "d")], skips=skips)] == ["1", "2"]
    write(tmp_path / "x.csv", "text\n")
    with pytest.raises(FloorError, match="x.csv"):
        iter_documents([a, b, str(tmp_path / "x.csv")], skips=skips)  # raised before reading anything


# --- stdin -------------------------------------------------------------------------------------------------


def test_stdin_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(jsonl({"text": "a"}, {"id": 3, "text": "b"}))))
    got, _ = docs("-")
    assert got == [Document("-:1", "a", "-"), Document("3", "b", "-")]


def test_stdin_other_format_and_plain_binary_buffer(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.BytesIO(b"id\ttext\nq\thi\n"))
    assert docs("-", fmt="tsv")[0] == [Document("q", "hi", "-")]


def test_stdin_errors_name_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{oops\n")))
    assert str(fail_error(docs, "-")).startswith("<stdin>:1: malformed JSON")
    with pytest.raises(FloorError, match="stdin"):
        read_documents("-", fmt="parquet", skips=SkipLog())


# --- bad input: each kind, with fail and with skip ---------------------------------------------------------

GOOD = jsonl({"text": "good"})


@pytest.mark.parametrize(
    "line, kind, message",
    [
        (b'{"text": "a",,}', "malformed_json", "malformed JSON ("),
        (b'{"text": "caf\xe9"}', "invalid_utf8", "invalid UTF-8 (byte 0xe9 at column 14)"),
        (b'{"body": "a"}', "missing_text_field", "missing text field 'text'"),
        (b'{"text": null}', "non_string_text", "text field 'text' is null, not a string"),
        (b'{"text": 12}', "non_string_text", "is a number"),
        (b'{"text": ["a"]}', "non_string_text", "is an array"),
        (b"[1, 2]", "not_an_object", "expected a JSON object, got an array"),
        (b"42", "not_an_object", "got a number"),
    ],
)
def test_bad_jsonl_record(tmp_path, line, kind, message):
    path = write(tmp_path / "c.jsonl", GOOD + line + b"\n" + GOOD)
    error = fail_error(docs, path)
    assert error.kind == kind and error.location == 2
    assert str(error).startswith(f"{path}:2: ") and message in str(error) and "\n" not in str(error)
    got, skips = docs(path, "skip")
    assert [d.doc_id for d in got] == [f"{path}:1", f"{path}:3"]
    assert skips.counts == {kind: 1}
    assert skips.examples[kind] == [str(error)]


def test_malformed_json_message_names_column(tmp_path):
    path = write(tmp_path / "c.jsonl", b'{"text": x}\n')
    message = str(fail_error(docs, path))
    assert message.startswith(f"{path}:1: malformed JSON (unexpected character") and message.endswith(" at column 10)")


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ".xz"])
def test_truncated_compressed_yields_good_records_first(tmp_path, suffix):
    records = [{"id": i, "text": f"document number {i} " * 20} for i in range(1200)]
    full = COMPRESSORS[suffix](jsonl(*records))
    path = tmp_path / f"t.jsonl{suffix}"
    path.write_bytes(full[: len(full) * 2 // 3])
    seen = []
    with pytest.raises(InputError) as info:
        for d in read_documents(str(path), skips=SkipLog()):
            seen.append(d)
    error = info.value
    assert error.kind == "truncated_compressed" and str(error).startswith(f"{path}:after line {len(seen)}: ")
    assert 0 < len(seen) < 1200 and [d.doc_id for d in seen] == [str(i) for i in range(len(seen))]
    got, skips = docs(path, "skip")
    assert [d.doc_id for d in got] == [d.doc_id for d in seen] and skips.counts == {"truncated_compressed": 1}


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ".xz"])
def test_corrupt_compressed(tmp_path, suffix):
    full = bytearray(COMPRESSORS[suffix](jsonl(*({"text": f"t{i} " * 30} for i in range(1500)))))
    middle = len(full) // 2
    full[middle : middle + 64] = bytes(64)
    path = tmp_path / f"c.jsonl{suffix}"
    path.write_bytes(bytes(full))
    error = fail_error(docs, path)  # an InputError, never a traceback
    assert error.kind == "corrupt_compressed" and "\n" not in str(error)
    _, skips = docs(path, "skip")
    # a decoder may turn damaged data into garbage lines before a check fails
    assert skips.counts["corrupt_compressed"] == 1
    assert set(skips.counts) <= {"corrupt_compressed", "malformed_json", "invalid_utf8"}


def test_lines_ending_with_cr_alone_are_refused(tmp_path):
    records = jsonl({"text": "a"}, {"text": "b"}, {"text": "c"}).replace(b"\n", b"\r")
    path = write(tmp_path / "mac.jsonl", jsonl({"text": "first"}) + records + b"\n" + jsonl({"text": "last"}))
    error = fail_error(docs, path)
    assert error.kind == "cr_line_endings" and str(error) == \
        f"{path}:2: text after a carriage return (CR): lines must end with LF or CRLF, not with CR alone (old Mac files)"
    got, skips = docs(path, "skip")
    assert [d.text for d in got] == ["first", "last"] and skips.counts == {"cr_line_endings": 1}
    tsv = write(tmp_path / "mac.tsv", "entity\trelation\tvalue\rA\tr\tv\r")
    assert fail_error(triples, tsv).kind == "cr_line_endings"


@pytest.mark.parametrize("data, texts", [
    (b'{"text": "a"}\r', ["a"]),  # one record: the CR is trailing whitespace
    (b'{"text": "a"}\r\n{"text": "b"}\r\n', ["a", "b"]),
    (b'{\r"text":\r"a"\r}\r', ["a"]),  # one object over CR-ended lines is still one JSON value
    (b'{"text": "x\\ry"}\r{"text": 1,}\n', None),  # an escaped CR is text; the raw one ends the line
])
def test_carriage_returns_that_parse(tmp_path, data, texts):
    path = write(tmp_path / "a.jsonl", data)
    if texts is None:
        assert fail_error(docs, path).kind == "cr_line_endings"
    else:
        assert [d.text for d in docs(path)[0]] == texts


def test_malformed_line_with_crlf_is_malformed_json(tmp_path):
    path = write(tmp_path / "a.jsonl", b'{"text": 1,}\r\n{"text": "x\\r"}\r\n')
    assert fail_error(docs, path).kind == "malformed_json"
    got, skips = docs(path, "skip")
    assert [d.text for d in got] == ["x\r"] and skips.counts == {"malformed_json": 1}


def test_not_actually_compressed(tmp_path):
    path = write(tmp_path / "a.jsonl", GOOD)
    os.rename(path, tmp_path / "a.jsonl.gz")
    error = fail_error(docs, tmp_path / "a.jsonl.gz")
    assert error.kind == "corrupt_compressed"
    assert str(error) == f"{tmp_path / 'a.jsonl.gz'}: gzip member 1 (from byte 0) is corrupt " \
        "(Error -3 while decompressing data: incorrect header check)"


def test_truncated_compressed_text_file(tmp_path):
    full = gzip.compress(b"word " * 10000)
    path = tmp_path / "t.txt.gz"
    path.write_bytes(full[: len(full) // 2])
    error = fail_error(docs, path)
    assert error.kind == "truncated_compressed" and error.location is None


def test_invalid_utf8_text_file(tmp_path):
    path = write(tmp_path / "t.txt", b"ok \xff\xfe")
    error = fail_error(docs, path)
    assert error.kind == "invalid_utf8" and str(error) == f"{path}: invalid UTF-8 (byte 0xff at offset 3)"
    assert docs(path, "skip")[1].counts == {"invalid_utf8": 1}


def _parquet_with_invalid_utf8(path):
    """A Parquet string column may hold invalid UTF-8 (writers do not all check): rows 1 and 3 here."""
    values = [b"ok \xff\xfe", b"fine", b"\xc3"]
    offsets = array("i", [0, 3 + 2, 3 + 2 + 4, 3 + 2 + 4 + 1])
    column = pa.Array.from_buffers(pa.string(), 3, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(values))])
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": column}), path)
    return path


def test_invalid_utf8_parquet_value(tmp_path):
    path = _parquet_with_invalid_utf8(tmp_path / "t.parquet")
    error = fail_error(docs, path)
    assert error.kind == "invalid_utf8" and str(error) == \
        f"{path}:1: invalid UTF-8 in a string value (byte 0xff at offset 3)"
    got, skips = docs(path, "skip")
    assert [(d.doc_id, d.text) for d in got] == [("b", "fine")] and skips.counts == {"invalid_utf8": 2}


@pytest.mark.parametrize(
    "name, data",
    [("a.jsonl", b""), ("a.jsonl", b"\n\n  \n"), ("a.jsonl.gz", b""), ("a.jsonl.zst", b""), ("a.txt.xz", b""),
     ("a.tsv", b"entity\trelation\tvalue\n"), ("a.tsv", b""), ("a.txt", b""), ("a.parquet", b"")],
)
def test_empty_file(tmp_path, name, data):
    path = write(tmp_path / name, data)  # compressed names hold a valid stream of no data
    read = triples if name.endswith(".tsv") else docs
    error = fail_error(read, path)
    assert error.kind == "empty_file" and str(error).startswith(f"{path}: ")
    got, skips = read(path, "skip")
    assert got == [] and skips.counts == {"empty_file": 1}


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.jsonl.zst", "a.jsonl.bz2", "a.jsonl.xz"])
def test_zero_byte_compressed_file_is_empty(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    error = fail_error(docs, tmp_path / name)
    assert error.kind == "empty_file" and str(error) == f"{tmp_path / name}: empty file (0 bytes)"


def test_empty_parquet_table(tmp_path):
    path = write_parquet(tmp_path / "e.parquet", {"text": pa.array([], pa.string())})
    assert fail_error(docs, path).kind == "empty_file"


def test_unreadable_file(tmp_path):
    missing = str(tmp_path / "gone.jsonl")
    error = fail_error(docs, missing)
    assert error.kind == "unreadable_file" and str(error) == f"{missing}: cannot read file (No such file or directory)"
    (tmp_path / "dir.jsonl").mkdir()
    assert fail_error(docs, tmp_path / "dir.jsonl").kind == "unreadable_file"
    skips = SkipLog("skip")
    good = write(tmp_path / "good.jsonl", GOOD)
    got = [d.text for p in [missing, str(tmp_path / "dir.jsonl"), good] for d in read_documents(p, skips=skips)]
    assert got == ["good"] and skips.counts == {"unreadable_file": 2}


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.jsonl", GOOD)

    def denied(file, *args, **kw):
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr(streams_module, "open", denied, raising=False)  # works as root too, unlike chmod
    error = fail_error(docs, path)
    assert error.kind == "unreadable_file" and str(error) == f"{path}: cannot read file (Permission denied)"
    assert docs(path, "skip")[1].counts == {"unreadable_file": 1}


def test_missing_column(tmp_path):
    pqt = write_parquet(tmp_path / "a.parquet", {"id": [1], "body": ["x"]})
    tsv = write(tmp_path / "a.tsv", "id\tbody\n1\tx\n")
    for path in (pqt, tsv):
        error = fail_error(docs, path)
        assert error.kind == "missing_column" and str(error).startswith(f"{path}: no column 'text' (has 'id', 'body')")
        assert docs(path, "skip")[1].counts == {"missing_column": 1}
    assert fail_error(triples, tsv).kind == "missing_column"


def test_bad_parquet(tmp_path):
    good = tmp_path / "good.parquet"
    write_parquet(good, {"text": ["a"] * 100})
    cases = {
        "not.parquet": b"this is not parquet at all",
        "truncated.parquet": good.read_bytes()[:-30],
    }
    for name, data in cases.items():
        path = write(tmp_path / name, data)
        error = fail_error(docs, path)
        assert error.kind == "bad_parquet" and str(error).startswith(f"{path}: not a valid Parquet file (")
        assert "\n" not in str(error)
        assert docs(path, "skip")[1].counts == {"bad_parquet": 1}
    gz = write(tmp_path / "x.parquet.gz", good.read_bytes())
    assert fail_error(docs, gz).kind == "bad_parquet"


def test_bad_parquet_corrupt_pages(tmp_path):
    good = tmp_path / "good.parquet"
    write_parquet(good, {"text": [f"row {i}" for i in range(2000)]}, row_group_size=500, compression="none")
    data = bytearray(good.read_bytes())
    data[4:2000] = b"\xff" * 1996  # the first pages, after the magic bytes
    path = write(tmp_path / "corrupt.parquet", bytes(data))
    error = fail_error(docs, path)
    assert error.kind == "bad_parquet" and "\n" not in str(error)


def test_non_string_parquet_text(tmp_path):
    path = write_parquet(tmp_path / "n.parquet", {"text": ["a", None, "c"]})
    error = fail_error(docs, path)
    assert error.kind == "non_string_text" and str(error).startswith(f"{path}:2: ")
    got, skips = docs(path, "skip")
    assert [d.text for d in got] == ["a", "c"] and skips.counts == {"non_string_text": 1}


def test_malformed_tsv_row_and_invalid_utf8(tmp_path):
    path = write(tmp_path / "a.tsv", b"id\ttext\n1\tok\n2\ttoo\tmany\n3\t\xff\n4\tfine\n")
    error = fail_error(docs, path)
    assert error.kind == "malformed_tsv" and str(error) == f"{path}:3: row has 3 fields, header has 2"
    got, skips = docs(path, "skip")
    assert [d.doc_id for d in got] == ["1", "4"] and skips.counts == {"malformed_tsv": 1, "invalid_utf8": 1}


# --- triples -----------------------------------------------------------------------------------------------


def test_triples_every_format(tmp_path):
    ada = {"entity": "Ada Lovelace", "relation": "born_on", "value": "1815-12-10"}
    alan = {"entity": "Alan Turing", "relation": "born_on", "value": "1912-06-23"}
    rows = {key: [ada[key], alan[key]] for key in ada}
    j = write(tmp_path / "t.jsonl.zst", jsonl({**ada, "doc_id": "d1"}, alan))
    p = write_parquet(tmp_path / "t.parquet", {**rows, "doc_id": ["d1", None]})
    tsv = "doc_id\tentity\trelation\tvalue\nd1\tAda Lovelace\tborn_on\t1815-12-10\n\tAlan Turing\tborn_on\t1912-06-23\n"
    t = write(tmp_path / "t.tsv", tsv)
    for path, second_id in [(j, f"{j}:2"), (p, f"{p}:2"), (t, f"{t}:3")]:
        got, skips = triples(path)
        assert got == [
            Triple("d1", "Ada Lovelace", "born_on", "1815-12-10", path),
            Triple(second_id, "Alan Turing", "born_on", "1912-06-23", path),
        ]
    skips = SkipLog()
    assert len(list(iter_triples([j, p, t], skips=skips))) == 6


def test_triples_without_doc_id_column(tmp_path):
    path = write(tmp_path / "t.tsv", "entity\trelation\tvalue\nA\tr\tv\n")
    assert triples(path)[0] == [Triple(f"{path}:2", "A", "r", "v", path)]


@pytest.mark.parametrize(
    "record, message",
    [
        ({"relation": "r", "value": "v"}, "triple field 'entity' is missing"),
        ({"entity": "e", "relation": "", "value": "v"}, "triple field 'relation' is empty"),
        ({"entity": "e", "relation": "r", "value": "  "}, "triple field 'value' is empty"),
        ({"entity": "e", "relation": "r", "value": 1879}, "triple field 'value' is a number, not a string"),
        ({"entity": None, "relation": "r", "value": "v"}, "triple field 'entity' is null, not a string"),
        ({"entity": "e", "relation": "all", "value": "v"},
         "triple relation 'all' is the name of the group that pools every category; rename it"),
    ],
)
def test_bad_triple(tmp_path, record, message):
    good = {"entity": "e", "relation": "r", "value": "v"}
    path = write(tmp_path / "t.jsonl", jsonl(good, record, good))
    error = fail_error(triples, path)
    assert error.kind == "bad_triple" and str(error) == f"{path}:2: {message}"
    got, skips = triples(path, "skip")
    assert len(got) == 2 and skips.counts == {"bad_triple": 1}


def test_bad_triple_in_parquet_names_row(tmp_path):
    path = write_parquet(tmp_path / "t.parquet", {"entity": ["e", "e", ""], "relation": ["r"] * 3, "value": ["v"] * 3})
    assert str(fail_error(triples, path)) == f"{path}:3: triple field 'entity' is empty"


def test_triples_from_text_is_a_usage_error(tmp_path):
    path = write(tmp_path / "a.txt", "x")
    with pytest.raises(FloorError, match="triples cannot be read from text"):
        read_triples(path, skips=SkipLog())
