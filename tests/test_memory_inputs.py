"""A corpus held in memory (a notebook's) gives the report of the same rows in a file."""

from __future__ import annotations

import pyarrow as pa
import pytest

import floor
from floor.errors import FloorError

from .conftest import report_of_jsonl, sample_rows


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return sample_rows(400)


@pytest.fixture(scope="module")
def from_file(rows, tmp_path_factory) -> dict:
    return report_of_jsonl(rows, tmp_path_factory.mktemp("jsonl"))


@pytest.mark.parametrize("kind", ["table", "batches", "reader", "dicts", "generator", "dataframe", "texts"])
def test_data_in_memory_gives_the_report_of_the_same_rows_in_a_file(rows, from_file, kind):
    table = pa.Table.from_pylist(rows)
    data = {
        "table": lambda: table,
        "batches": lambda: table.to_batches(max_chunksize=64),
        "reader": lambda: pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=64)),
        "dicts": lambda: rows,
        "generator": lambda: (r for r in rows),
        "dataframe": lambda: pytest.importorskip("pandas").DataFrame(rows),
        "texts": lambda: (r["text"] for r in rows),  # texts alone: ids are line numbers, as in a file without them
    }[kind]()
    report = floor.run(data)
    assert report["groups"] == from_file["groups"] and report["documents"] == 400
    assert report["inputs"] == ["<memory>"]


def test_what_cannot_be_read_from_memory_is_said(rows):
    with pytest.raises(FloorError, match="an in-memory corpus is an iterable of dicts .*or of texts, not of int"):
        floor.run([1, 2])
    with pytest.raises(FloorError, match="<memory>: record 2 is a int, not a text like the records before it"):
        floor.run(iter(["Jane Doe was born in 1902.", 3]))
    with pytest.raises(FloorError, match="holds no records"):
        floor.run(iter([]))
    with pytest.raises(FloorError, match=r"<memory>: record 2 cannot be written as JSON"):
        floor.run([{"text": "a"}, {"text": object()}])
    with pytest.raises(FloorError, match="cannot read int as a corpus"):
        floor.run(5)
    with pytest.raises(FloorError, match="a corpus held in memory is read by floor.run"):
        floor.scan(pa.Table.from_pylist(rows))


def test_a_list_of_strings_names_files_and_a_generator_of_strings_holds_texts():
    with pytest.raises(FloorError, match="no such file or directory: Jane Doe was born in 1902"):
        floor.run(["Jane Doe was born in 1902."])
    texts = floor.run(t for t in ["Jane Doe was born in 1902.", "John Roe was born in 1850."])
    assert texts["documents"] == 2 and texts["inputs"] == ["<memory>"]
    as_body = floor.run(iter(["Jane Doe was born in 1902.", "John Roe was born in 1850."]), text_field="body")
    assert as_body["groups"] == texts["groups"]
    report = floor.run([{"text": t} for t in ["Jane Doe was born in 1902.", "John Roe was born in 1850."]])
    assert report["documents"] == 2
