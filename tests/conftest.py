import gzip
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def pattern_cache_of_the_session(tmp_path_factory):
    """Compiled patterns are cached in a folder of this test session (its subprocesses too), not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLOOR_CACHE_DIR", str(tmp_path_factory.mktemp("floor-cache")))
        yield


@pytest.fixture(autouse=True)
def categories_as_built_in():
    """A pack a test reads registers its categories in the process (floor.extract.categories.register): each test
    leaves the registry as it found it (and the packs read since, to be read again)."""
    from floor.extract import packs
    from floor.extract.categories import CATEGORIES

    registry = dict(CATEGORIES)
    yield
    if CATEGORIES != registry:
        CATEGORIES.clear()
        CATEGORIES.update(registry)
        # packs read in this test hold categories no longer registered: the next test reads them again
        packs.builtin_pack.cache_clear()
        packs._read_once.cache_clear()


def sample_rows(count: int) -> list[dict]:
    """The first ``count`` records of the shipped sample's part-001 (JSON Lines, gzip)."""
    with gzip.open(ROOT / "data" / "sample" / "part-001.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(count)]


def report_of_jsonl(rows: list[dict], folder) -> dict:
    """The report of ``rows`` written as a JSON Lines file in ``folder``: what rows read otherwise must equal."""
    import floor

    path = folder / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return floor.run([str(path)])


def load_make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
    if "make_sample" not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_sample"] = module  # dataclasses look their module up while the script loads
        spec.loader.exec_module(module)
    return sys.modules["make_sample"]


@pytest.fixture(scope="session")
def sharded_corpus(tmp_path_factory):
    """A generated biography corpus re-written as six JSONL shards (as real corpora come)."""
    from floor.errors import SkipLog
    from floor.sources import iter_documents

    base = tmp_path_factory.mktemp("sharded")
    load_make_sample().generate(base / "generated", seed=7, docs=3000, heldout=True)
    documents = list(iter_documents([str(base / "generated")], skips=SkipLog()))
    shards = base / "shards"
    shards.mkdir()
    for i in range(6):
        with open(shards / f"shard-{i}.jsonl", "w", encoding="utf-8") as handle:
            for doc in documents[i::6]:
                handle.write(json.dumps({"id": doc.doc_id, "text": doc.text}) + "\n")
    return shards


@pytest.fixture
def read_only_dir(tmp_path):
    """A directory this user may not write to (skipped where permissions are not enforced, e.g. for root)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("this user may write anywhere (root)")
        yield locked
    finally:
        locked.chmod(0o755)
