"""Progress reporting: map tasks publish counters, the monitor samples them, sinks render; nothing else prints."""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
import time

import pytest
import zstandard
from click.testing import CliRunner

from floor import api, progress
from floor.cli import main
from floor.count import CountsDir
from floor.engines.local import scan_to_dir
from floor.engines.tasks import ScanOptions

BIO = "Ada Lovelace (10 December 1815 – 27 November 1852) was a mathematician. "
FILLER = "The council met again (see page 4) and the storm died down by noon. "


def write_corpus(tmp_path, n_files=3, docs=300):
    paths = []
    for f in range(n_files):
        lines = "".join(json.dumps({"id": f"{f}-{i}", "text": (BIO if i % 3 == 0 else "") + FILLER * 5}) + "\n"
                        for i in range(docs)).encode()
        suffix = ["", ".gz", ".zst"][f % 3]
        data = {"": lambda d: d, ".gz": gzip.compress, ".zst": zstandard.ZstdCompressor().compress}[suffix](lines)
        path = tmp_path / f"part-{f}.jsonl{suffix}"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


class Recorder:
    def __init__(self):
        self.snapshots = []
        self.closed = None

    def update(self, snapshot):
        self.snapshots.append(snapshot)

    def close(self, snapshot, ok):
        self.closed = (snapshot, ok)


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("workers", [1, 2])
def test_scan_reports_every_input_to_the_sink(tmp_path, workers):
    paths = write_corpus(tmp_path)
    sink = Recorder()
    counts = CountsDir.create(tmp_path / "counts", unit="document", params=ScanOptions().as_params())
    scan_to_dir(paths, ScanOptions(), counts, workers=workers, progress=sink)
    final, ok = sink.closed
    assert ok
    assert [i.path for i in final.inputs] == paths
    assert all(i.state == progress.DONE for i in final.inputs)
    assert final.documents == counts.metadata()["documents"] == 900
    assert final.facts == 100 * 4 * 3  # 4 facts in every third document
    # Bytes are counted as stored: compressed bytes for compressed inputs.
    sizes = [i.size for i in final.inputs]
    assert sizes == [len(open(p, "rb").read()) for p in paths] and final.bytes == sum(sizes) == final.total
    assert final.eta == 0 and final.rate > 0
    for snap in sink.snapshots:  # counters only grow
        assert all(0 <= i.bytes <= i.size and 0 <= i.documents <= 300 for i in snap.inputs)


def test_no_sink_no_board(tmp_path, monkeypatch):
    paths = write_corpus(tmp_path, n_files=1)
    made = []
    monkeypatch.setattr(progress, "Monitor", lambda *a, **k: made.append(a))
    counts = CountsDir.create(tmp_path / "counts", unit="document", params=ScanOptions().as_params())
    scan_to_dir(paths, ScanOptions(), counts, workers=1)
    assert made == []


def test_ambient_sink_and_failure(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{nope\n')
    sink = Recorder()
    with progress.use(sink), pytest.raises(Exception):
        api.scan([str(bad)])
    assert progress.current() is None
    assert sink.closed is not None and sink.closed[1] is False


def test_meter_publishes_every_few_documents(tmp_path):
    board = progress.Board(1)
    meter = progress.Meter(board, 0, position=lambda: 123)
    meter.start()
    meter.documents, meter.facts = 7, 3
    meter.publish()
    assert board.row(0) == (123, 7, 3, progress.RUNNING, 0)  # no text bytes told
    meter.finish()
    assert board.row(0)[3] == progress.DONE
    assert not progress.NULL_METER.active
    progress.NULL_METER.publish()  # a no-op


def _snapshot(elapsed, done_bytes, total=1000, state=progress.RUNNING):
    return progress.Snapshot((progress.InputProgress("/data/a.jsonl.zst", total, done_bytes, 10, 2, state),),
                             elapsed)


def test_log_sink_is_silent_for_short_runs_and_periodic_otherwise():
    out = io.StringIO()
    sink = progress.LogSink(out, every=10)
    sink.update(_snapshot(3, 100))
    sink.close(_snapshot(4, 1000, state=progress.DONE), True)
    assert out.getvalue() == ""
    sink = progress.LogSink(out, every=10)
    for t in (5, 10.1, 12, 20.5, 25):
        sink.update(_snapshot(t, int(t * 20)))
    sink.close(_snapshot(30, 1000, state=progress.DONE), True)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # at 10 s, at 20 s, and the final line
    assert re.match(r"floor: 0\.0 MB of 0\.0 MB \(20\.2%\), 0/1 inputs, 10 documents, 2 facts, .* MB/s, ETA \d+s; "
                    r"running: a\.jsonl\.zst 20%", lines[0]), lines[0]
    assert lines[-1].startswith("floor: scanned") and "10 documents, 2 facts" in lines[-1]


def test_bar_sink_draws_total_and_running_inputs():
    out = TTY()
    sink = progress.BarSink(out)
    sink.update(_snapshot(1, 250))
    sink.update(_snapshot(2, 500))
    sink.close(_snapshot(3, 1000, state=progress.DONE), True)
    text = out.getvalue()
    assert "total" in text and "a.jsonl.zst" in text and "10 docs, 2 facts" in text
    assert text.rstrip().splitlines()[-1].split("\r")[-1].startswith("floor: scanned")


def test_sink_for_picks_by_terminal():
    assert progress.sink_for(io.StringIO(), quiet=True) is None
    assert isinstance(progress.sink_for(io.StringIO()), progress.LogSink)
    assert isinstance(progress.sink_for(TTY()), progress.BarSink)


def test_snapshot_arithmetic():
    snap = progress.Snapshot((progress.InputProgress("a", 100, 50, 1, 0, progress.RUNNING),
                              progress.InputProgress("b", 300, 0, 0, 0, progress.DONE),
                              progress.InputProgress("c", 100, 0, 0, 0, progress.PENDING)), 2.0)
    assert (snap.total, snap.bytes, snap.done, snap.rate) == (500, 350, 1, 175.0)
    assert snap.eta == pytest.approx(150 / 175)
    stdin = progress.Snapshot((progress.InputProgress("-", None, 0, 5, 0, progress.RUNNING),), 1.0)
    assert stdin.eta is None and stdin.running[0].fraction is None


def test_cli_quiet_and_non_terminal_short_runs_print_nothing(tmp_path):
    paths = write_corpus(tmp_path, n_files=2)
    for n, extra in enumerate(([], ["--quiet"], ["-q"])):
        out = tmp_path / f"c{n}"
        proc = subprocess.run([sys.executable, "-m", "floor", "scan", *paths, "-o", str(out), *extra],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.splitlines() == [f"600 documents from 2 inputs -> {out}"]
    result = CliRunner().invoke(main, ["run", *paths, "-q"], catch_exceptions=False)
    assert result.exit_code == 0 and "birth_date" in result.output


def test_monitor_survives_a_failing_sink(tmp_path):
    class Broken(Recorder):
        def update(self, snapshot):
            raise RuntimeError("rendering failed")

    paths = write_corpus(tmp_path, n_files=1)
    sink = Broken()
    monitor = progress.Monitor(paths, sink, interval=0.001)
    with monitor:
        time.sleep(0.02)
    assert sink.closed[1] is True


def test_the_speed_shown_is_of_text_and_the_share_of_bytes_read(tmp_path):
    """A compressed input: the share done and the ETA come from the bytes read, the speed from the text."""
    import gzip

    from floor.sources.streams import Position, open_binary

    text = b"".join(b'{"text": "Jane Doe was born in Cork in %d."}\n' % i for i in range(20000))
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(text))
    position = Position()
    with open_binary(str(path), position=position) as stream:
        assert stream.read() == text
        assert position() == path.stat().st_size and position.text() == len(text)
    assert position.text() == len(text)  # still told once the file is closed
    board = progress.Board(1)
    meter = progress.Meter(board, 0, position=position)
    meter.finish(path.stat().st_size)
    assert board.row(0) == (path.stat().st_size, 0, 0, progress.DONE, len(text))
    snap = progress.Snapshot((progress.InputProgress(str(path), path.stat().st_size, *board.row(0)),), 2.0)
    assert snap.speed() == f"{len(text) / 2e6:.1f} MB/s of text ({path.stat().st_size / 2e6:.1f} MB/s read)"
    assert f"({len(text) / 1e6:,.1f} MB of text)" in progress.final_line(snap)
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(text)
    position = Position()
    with open_binary(str(plain), position=position) as stream:
        stream.read()
    assert position.text() == len(text)
    parquet = Position()
    with open_binary(str(path), decompress=False, position=parquet):
        assert parquet.text() is None  # Parquet's pages are not text
