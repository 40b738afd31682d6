"""Inputs named by URL: read through fsspec from servers the tests start on loopback (HTTP, S3 by moto)."""

from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import floor
from floor.cli import main
from floor.errors import FloorError
from floor.sources import expand_inputs, remote

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "part-001.jsonl.gz"


def sample_lines(start: int, count: int) -> list[bytes]:
    """``count`` lines of the shipped sample from line ``start`` (documents that state facts, and some that
    do not)."""
    with gzip.open(SAMPLE, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    return lines[start:start + count]


def write_parquet(path: Path, lines: list[bytes]) -> None:
    records = [json.loads(line) for line in lines]
    pq.write_table(pa.table({"id": [r["id"] for r in records], "text": [r["text"] for r in records]}), path)


def as_local(report, url: str, local: str) -> dict:
    """The report with every ``url`` in it spelt ``local``: what the same corpus read locally reports."""
    return json.loads(json.dumps(report, default=str).replace(url, local))


def run(inputs) -> tuple[dict, list[str]]:
    """The report of ``inputs``, and the warnings of the run."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = floor.run(inputs, workers=1)
    return json.loads(json.dumps(report, default=str)), [str(w.message) for w in caught]


# --- HTTP -----------------------------------------------------------------------------------------------------


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Files of a directory, with the byte ranges that reading a Parquet file asks for."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        wanted = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        first, _, last = wanted.removeprefix("bytes=").partition("-")
        start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end + 1 - start))
        self.end_headers()
        return io.BytesIO(data[start:end + 1])


@pytest.fixture
def http_root(tmp_path):
    """``(base URL, directory)``: an HTTP server on a free loopback port serving the directory."""
    pytest.importorskip("aiohttp", reason="fsspec reads HTTP through aiohttp (extra 'http')")
    served = tmp_path / "served"
    served.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_RangeHandler, directory=served))
    server.handle_error = lambda request, address: None  # a client that closes a ranged read early is no error
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("name", ["x.jsonl.gz", "x.jsonl.zst", "x.parquet"])
def test_a_file_over_http_reports_as_the_local_file(http_root, name):
    base, served = http_root
    lines = sample_lines(0, 400)
    if name.endswith(".gz"):
        (served / name).write_bytes(gzip.compress(b"".join(lines)))
    elif name.endswith(".zst"):
        import zstandard

        (served / name).write_bytes(zstandard.ZstdCompressor().compress(b"".join(lines)))
    else:
        write_parquet(served / name, lines)
    remote, _ = run(f"{base}/{name}")
    local, _ = run(str(served / name))
    assert remote["documents"] == local["documents"] == 400
    assert sum(group["mentions"] for group in local["groups"]) > 0
    assert remote["inputs"] == [f"{base}/{name}"]
    assert as_local(remote, base, str(served)) == local


@pytest.mark.parametrize("suffix", ["/", "/*.jsonl.gz"])
def test_http_urls_name_single_files(http_root, suffix):
    base, _ = http_root
    with pytest.raises(FloorError, match=r"^http://127\.0\.0\.1:\d+/\S*: http servers cannot list files; name each "
                                         r"file by its URL$"):
        floor.run(base + suffix)


def test_a_missing_file_over_http_is_one_line(http_root):
    base, _ = http_root
    result = CliRunner().invoke(main, ["run", f"{base}/gone.jsonl"])
    assert result.exit_code == 2
    assert result.output == f"floor: error: no such file or directory: {base}/gone.jsonl\n"


# --- S3 (moto) --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3():
    """A boto3 client of an S3 server (moto's) on a free loopback port, which s3fs finds through the
    AWS_ENDPOINT_URL variable, with made-up credentials; bucket ``bucket`` is empty."""
    for module in ("moto", "s3fs", "flask"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"the S3 tests need {module} (installed by the 'test' extra)")
    import boto3
    import s3fs
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server._server.server_address[1]}")
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.setenv(name, "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
            env.delenv(name, raising=False)
        s3fs.S3FileSystem.clear_instance_cache()  # an earlier instance would keep its endpoint
        client = boto3.client("s3")
        client.create_bucket(Bucket="bucket")
        try:
            yield client
        finally:
            s3fs.S3FileSystem.clear_instance_cache()
            server.stop()


@pytest.fixture(scope="module")
def corpus_tree(s3, tmp_path_factory) -> Path:
    """corpus/ with two shards (a.jsonl.gz, sub/b.parquet), a stray README.md, a dataset's state.json and hidden
    files (.cache/x.jsonl, .y.jsonl), locally and under s3://bucket/corpus/."""
    root = tmp_path_factory.mktemp("tree") / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.jsonl.gz").write_bytes(gzip.compress(b"".join(sample_lines(0, 300))))
    write_parquet(root / "sub" / "b.parquet", sample_lines(300, 200))
    (root / "README.md").write_text("# a corpus\n")
    (root / "state.json").write_text('{\n  "_data_files": []\n}\n')
    (root / ".cache").mkdir()
    (root / ".cache" / "x.jsonl").write_text("not JSON\n")  # hidden: never read
    (root / ".y.jsonl").write_text("not JSON\n")
    for path in root.rglob("*"):
        if path.is_file():
            s3.put_object(Bucket="bucket", Key=f"corpus/{path.relative_to(root)}", Body=path.read_bytes())
    return root


def test_an_s3_prefix_reports_as_the_same_tree_read_locally(corpus_tree):
    remote, remote_warnings = run("s3://bucket/corpus/")
    local, local_warnings = run(str(corpus_tree))
    assert remote["documents"] == local["documents"] == 500
    assert remote["inputs"] == ["s3://bucket/corpus/a.jsonl.gz", "s3://bucket/corpus/sub/b.parquet"]
    assert as_local(remote, "s3://bucket/corpus", str(corpus_tree)) == local
    assert remote_warnings == ["left out 1 file found among the inputs, of no format floor reads, by the "
                               "extension: s3://bucket/corpus/README.md",
                               "left out 1 file found among the inputs, one JSON document, not JSON lines (a "
                               "dataset's metadata, such as state.json): s3://bucket/corpus/state.json"]
    assert [w.replace("s3://bucket/corpus", str(corpus_tree)) for w in remote_warnings] == local_warnings


def test_domains_by_path_under_an_s3_prefix_are_those_under_the_local_directory(corpus_tree):
    remote_report = floor.run("s3://bucket/corpus", domain_from="path", exclude=["state.json", "README.md"], workers=1)
    local_report = floor.run(str(corpus_tree), domain_from="path", exclude=["state.json", "README.md"], workers=1)
    domains = {group["domain"] for group in local_report["groups"]}
    assert domains == {None, "(none)", "sub"}
    assert as_local(remote_report, "s3://bucket/corpus", str(corpus_tree)) == \
        json.loads(json.dumps(local_report, default=str))


@pytest.mark.parametrize("pattern", ["*", "*.jsonl*", "**/*.parquet", ".*", "sub"])
def test_an_s3_glob_selects_what_a_local_glob_does(corpus_tree, pattern):
    remote_left_out, local_left_out = [], []
    remote_files = expand_inputs([f"s3://bucket/corpus/{pattern}"], remote_left_out)
    local_files = expand_inputs([f"{corpus_tree}/{pattern}"], local_left_out)
    assert [path.replace("s3://bucket/corpus", str(corpus_tree)) for path in remote_files] == local_files
    assert [(path.replace("s3://bucket/corpus", str(corpus_tree)), reason) for path, reason in remote_left_out] \
        == local_left_out
    assert local_files


def test_an_s3_glob_through_the_command_line(corpus_tree):
    result = CliRunner().invoke(main, ["run", "s3://bucket/corpus/*.jsonl.gz", "--json", "-", "--workers", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["inputs"] == ["s3://bucket/corpus/a.jsonl.gz"] and report["documents"] == 300
    selected, _ = run("s3://bucket/corpus/**/*.parquet")
    assert selected["inputs"] == ["s3://bucket/corpus/sub/b.parquet"] and selected["documents"] == 200


def test_facts_extracted_from_s3_are_those_of_the_local_tree(corpus_tree, tmp_path):
    runner = CliRunner()
    for source, out in (("s3://bucket/corpus/", "remote.jsonl"), (str(corpus_tree), "local.jsonl")):
        result = runner.invoke(main, ["extract", source, "--exclude", "state.json", "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    remote_facts = (tmp_path / "remote.jsonl").read_text()
    assert remote_facts.count("\n") > 100
    assert remote_facts.replace("s3://bucket/corpus", str(corpus_tree)) == (tmp_path / "local.jsonl").read_text()


@pytest.mark.parametrize("url, message", [
    ("s3://bucket/corpus/missing.jsonl", "no such file or directory: s3://bucket/corpus/missing.jsonl"),
    ("s3://bucket/corpus/*.tsv", "glob matched no files: s3://bucket/corpus/*.tsv"),
])
def test_what_s3_does_not_hold_is_a_one_line_error(corpus_tree, url, message):
    result = CliRunner().invoke(main, ["run", url])
    assert result.exit_code == 2
    assert result.output == f"floor: error: {message}\n"


def test_a_resumed_scan_of_s3_inputs_knows_them_by_their_version(corpus_tree, s3, tmp_path):
    out = tmp_path / "counts"
    scan = functools.partial(floor.scan, "s3://bucket/corpus/", exclude=["state.json", "README.md"], output=out,
                             workers=1)
    assert scan().metadata()["documents"] == 500
    assert scan(resume=True).metadata()["documents"] == 500  # nothing left to do
    key = "corpus/a.jsonl.gz"
    original = s3.get_object(Bucket="bucket", Key=key)["Body"].read()
    s3.put_object(Bucket="bucket", Key=key, Body=gzip.compress(b"".join(sample_lines(0, 299))))
    try:
        with pytest.raises(FloorError, match=r"s3://bucket/corpus/a\.jsonl\.gz changed since"):
            scan(resume=True)
    finally:
        s3.put_object(Bucket="bucket", Key=key, Body=original)


def test_a_large_remote_jsonl_file_is_read_in_splits_as_a_local_one_is(s3, http_root, tmp_path):
    from floor.engines.tasks import ScanOptions, plan_tasks

    lines = b"".join(sample_lines(0, 600))
    s3.put_object(Bucket="bucket", Key="big/x.jsonl", Body=lines)
    base, served = http_root
    (served / "x.jsonl").write_bytes(lines)
    (tmp_path / "x.jsonl").write_bytes(lines)
    whole = floor.run(str(tmp_path / "x.jsonl"), workers=1, split_bytes=10**9)
    for url in ("s3://bucket/big/x.jsonl", f"{base}/x.jsonl"):
        tasks = plan_tasks([url], ScanOptions(), split_bytes=len(lines) // 3)
        assert [t.split.index for t in tasks] == [0, 1, 2, 3][:len(tasks)] and len(tasks) >= 3
        split = floor.run(url, workers=2, split_bytes=len(lines) // 3)
        assert split["groups"] == whole["groups"] and split["documents"] == 600


def test_a_counts_directory_on_s3_gives_the_local_report(corpus_tree, s3, tmp_path):
    from floor.count.remote_counts import working_copy

    local = floor.scan(str(corpus_tree), exclude=["state.json", "README.md"], output=tmp_path / "counts", workers=1)
    result = CliRunner().invoke(main, ["scan", str(corpus_tree), "--exclude", "state.json", "-o",
                                       "s3://bucket/counts", "--workers", "1"])
    assert result.exit_code == 0, result.output
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket="bucket", Prefix="counts/")["Contents"]}
    assert "counts/manifest.json" in keys and any(k.endswith("/part.json") for k in keys)
    assert not any(k.endswith(".lock") or k.endswith(".tmp") for k in keys)
    assert floor.estimate("s3://bucket/counts")["groups"] == floor.estimate(local)["groups"]
    remote_prediction = floor.predict("s3://bucket/counts", [2], replicates=0)
    assert remote_prediction["predictions"] == floor.predict(local, [2], replicates=0)["predictions"]
    again = CliRunner().invoke(main, ["scan", str(corpus_tree), "-o", "s3://bucket/counts"])
    assert again.exit_code == 2 and again.output == ("floor: error: s3://bucket/counts: counts directory exists; pass "
                                                     "--resume to continue it, or choose a new path\n")
    # another machine resumes from what the store holds: nothing left to do
    shutil.rmtree(working_copy("s3://bucket/counts"))
    resumed = floor.scan(str(corpus_tree), exclude=["state.json", "README.md"], output="s3://bucket/counts",
                         resume=True, workers=1)
    assert resumed.metadata()["documents"] == 500
    merged = floor.merge(["s3://bucket/counts"], tmp_path / "merged")
    assert floor.estimate(merged)["groups"] == floor.estimate(local)["groups"]
    with pytest.raises(FloorError, match="merge writes a local counts directory"):
        floor.merge([local.path], "s3://bucket/merged")
    missing = CliRunner().invoke(main, ["estimate", "s3://bucket/nothing-here"])
    assert missing.exit_code == 2 and "s3://bucket/nothing-here: not a counts directory" in missing.output


def test_a_killed_scan_to_s3_resumes_to_the_local_report(s3, tmp_path):
    from floor.count.remote_counts import working_copy

    shards = sorted((ROOT / "data" / "sample").glob("part-*.jsonl.gz"))
    reference = floor.run([str(p) for p in shards], workers=1)
    url = "s3://bucket/killed-counts"
    parts = working_copy(url) / "parts"
    cmd = [sys.executable, "-m", "floor", "scan", *map(str, shards), "-o", url, "--workers", "1", "--quiet"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and \
            len(list(parts.glob("[!.]*")) if parts.is_dir() else []) < 1:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    assert len(list(parts.glob("[!.]*"))) in (1, 2)
    assert "Contents" not in s3.list_objects_v2(Bucket="bucket", Prefix="killed-counts/")  # nothing put yet
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, env=env, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert floor.estimate(url)["groups"] == reference["groups"]


# --- without a server ---------------------------------------------------------------------------------------------


def test_a_listed_version_is_the_version_a_store_gives_per_file():
    # S3 lists a modification time in ms and gives it per object (HTTP header) in whole seconds.
    listed = {"size": 10, "ETag": '"abc"', "LastModified": datetime.datetime(2024, 1, 2, 3, 4, 5, 678000,
                                                                             tzinfo=datetime.timezone.utc)}
    head = {"size": 10, "ETag": '"abc"', "LastModified": datetime.datetime(2024, 1, 2, 3, 4, 5,
                                                                           tzinfo=datetime.timezone.utc)}
    header = {"size": 10, "ETag": '"abc"', "Last-Modified": "Tue, 02 Jan 2024 03:04:05 GMT"}
    iso = {"size": 10, "etag": '"abc"', "last_modified": "2024-01-02T03:04:05.678Z"}
    expected = (10, 1704164645 * 10 ** 9, '"abc"')
    assert [remote.version(info) for info in (listed, head, header, iso)] == [expected] * 4
    assert remote.version({"size": None, "mtime": 1704164645.5}) == (None, 1704164645 * 10 ** 9, "")


@pytest.mark.skipif(importlib.util.find_spec("gcsfs") is not None, reason="gcsfs is installed")
def test_a_protocol_whose_package_is_missing_names_the_extra():
    with pytest.raises(FloorError, match=r"^gs://bucket/corpus/: reading gs:// URLs needs an extra: "
                                         r"pip install 'hallucination-floor\[gcs\]'$"):
        floor.run("gs://bucket/corpus/")


def test_a_file_url_is_the_local_file(tmp_path):
    shard = tmp_path / "a.jsonl"
    shard.write_bytes(b"".join(sample_lines(0, 50)))
    report, _ = run(f"file://{shard}")
    assert report["inputs"] == [str(shard)] and report["documents"] == 50
