"""Arrow files, as Hugging Face datasets keep them (save_to_disk folders, the cache): the report of the same rows."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pytest
from click.testing import CliRunner

import floor
from floor.cli import main
from floor.errors import FloorError

from .conftest import report_of_jsonl, sample_rows


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return sample_rows(300)


@pytest.fixture(scope="module")
def as_jsonl(rows, tmp_path_factory) -> dict:
    return report_of_jsonl(rows, tmp_path_factory.mktemp("jsonl"))


def write_stream(path, table: pa.Table, chunk: int = 100) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=chunk):
            writer.write_batch(batch)


def test_a_save_to_disk_folder_gives_the_report_of_its_rows(rows, as_jsonl, tmp_path):
    folder = tmp_path / "dataset"
    folder.mkdir()
    write_stream(folder / "data-00000-of-00001.arrow", pa.Table.from_pylist(rows))
    (folder / "state.json").write_text('{\n  "_data_files": [{"filename": "data-00000-of-00001.arrow"}]\n}\n')
    (folder / "dataset_info.json").write_text('{\n  "features": {"text": {"dtype": "string"}}\n}\n')
    result = CliRunner().invoke(main, ["run", str(folder), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["groups"] == as_jsonl["groups"] and report["documents"] == 300
    assert report["inputs"] == [str(folder / "data-00000-of-00001.arrow")]
    assert "left out 2 files found among the inputs, one JSON document, not JSON lines" in result.output


def test_the_arrow_file_format_too(rows, as_jsonl, tmp_path):
    path = tmp_path / "rows.arrow"
    table = pa.Table.from_pylist(rows)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    assert floor.run([str(path)])["groups"] == as_jsonl["groups"]


def test_bad_arrow_inputs_are_one_line_errors(rows, tmp_path):
    no_text = tmp_path / "no-text.arrow"
    write_stream(no_text, pa.Table.from_pylist([{"body": "x"}]))
    empty = tmp_path / "empty.arrow"
    write_stream(empty, pa.Table.from_pylist(rows).slice(0, 0))
    garbage = tmp_path / "garbage.arrow"
    garbage.write_bytes(b"not arrow at all" * 10)
    packed = tmp_path / "rows.arrow.gz"
    packed.write_bytes(gzip.compress(b"x"))
    for path, message in [(no_text, r"no-text\.arrow: no column 'text'"), (empty, r"empty\.arrow: no rows"),
                          (garbage, r"garbage\.arrow: not a valid Arrow file"),
                          (packed, r"rows\.arrow\.gz: gzip-compressed Arrow is not supported")]:
        with pytest.raises(FloorError, match=message):
            floor.run([str(path)])
    result = CliRunner().invoke(main, ["run", "-", "--format", "arrow"], input=b"")
    assert result.exit_code == 2 and "Arrow cannot be read from stdin" in result.output
