#!/usr/bin/env python3
"""floor's throughput and memory benchmarks, each run end to end in a subprocess, one after the other.

    python scripts/bench.py                          # 200 MB corpus in /tmp/floor-bench, every row, table
    python scripts/bench.py --json /tmp/bench.json   # also write the figures as JSON
    python scripts/bench.py --corpus DIR             # an existing corpus: DIR/*.jsonl and DIR/*.jsonl.zst
    python scripts/bench.py --memory                 # peak RSS at 10 M distinct facts (pre-extracted triples)
    python scripts/bench.py --runs 5                 # each row's fastest of 5 runs (a noisy machine)

Throughput rows (MB/s of uncompressed JSONL; for zstd rows also of compressed bytes):

* ``floor-1w`` / ``floor-2w`` -- ``floor.api.scan`` + ``floor.api.estimate`` (what ``floor run`` does) with 1 and
  2 worker processes on the uncompressed shards, then on the zstd shards. End to end: interpreter start,
  imports, pattern compilation, scanning, writing the counts directory, estimating. The driver also reports
  its own phases, so the table shows the scan phase alone (``scan MB/s``) next to the end-to-end figure;
* ``floor-1w-dedup-near`` / ``floor-1w-dedup-exact`` / ``floor-1w-domain`` / ``floor-1w-domain-field`` --
  ``floor-1w`` with ``--dedup near`` (MinHash signatures of the documents that state facts, clustered at
  estimate time: the ``est. s`` column), ``--dedup exact``, ``--domain-from url`` and ``--domain-field source``:
  what each option costs beside the plain run, on a corpus where a fifth of the documents copy another
  (``--duplicate-share``), half exactly and half nearly, as crawled corpora do before deduplication;
* ``floor-1w-en`` / ``floor-1w-packs`` -- ``floor-1w`` with the English biography pack alone (``--language
  en``), and with an organizations pack besides the four biography packs: what the packs of other languages
  cost an English corpus (the default reads every language), and what a user's pack adds;
* ``floor-1w-nopf`` / ``floor-1w-pypf`` -- 1 worker without the raw-bytes prefilter, and with its
  pure-Python backend instead of hyperscan (the same facts; how much the prefilter buys);
* ``floor-2w-1file`` -- the shards concatenated into one file, read by 2 workers in 4 splits: what splitting
  buys a corpus that comes as one big file;
* ``floor-1w-parquet`` -- 1 worker on a Parquet copy of each shard (Snappy, pyarrow's defaults): masks come
  from the text column's Arrow data, and texts no keyword can match are never decoded;
* ``rg`` -- ripgrep, one thread (``-j1``), ``--count-matches`` with the naive script's 7 patterns on the same
  uncompressed bytes (skipped with a note when ``rg`` is not installed); ``rg-mt`` all threads, for reference;
* ``read-parse`` -- reading, decompressing (zstd) and parsing (orjson) the same files, nothing else: the floor
  under any JSONL pipeline in Python;
* ``read-parquet`` -- the text and id columns of the Parquet copies as Python strings, nothing else;
* ``naive`` -- what a user would write instead: ``json`` + the same 7 Python ``re`` patterns, each starting at a
  capitalised name, over whole documents, + ``collections.Counter``. Slow, so it runs on the first shards only
  (``--naive-mb``, default 50); MB/s is a rate, so the ratio stands.

Peak RSS, sampled from /proc every 20 ms: ``rss`` is the high-water mark of the largest single process of the
run, ``tree`` the largest sum over the run's process tree (the parent plus its workers). Load averages before each row are
recorded: the figures are only as quiet as the machine.

The corpus (generated unless ``--corpus``): English-looking prose built from a Zipf vocabulary of real words and
pseudo-words, with parentheses (citations, years, ranges, abbreviations, page numbers), numbers, dates that are
not facts, names next to verbs, non-ASCII punctuation and letters, and the keywords in non-fact uses
(``stubborn``, ``newborn``, ``the storm died down``); 6% of the documents embed one document of
``scripts/make_sample.py`` (one to three biography statements, plus its traps). Written as ``--shards`` JSONL
shards (real corpora are sharded, and one map task reads one file) and a zstd (level 3) copy of each.

Memory (``--memory``): ``--facts`` distinct facts (default 10 M) plus ``--repeats`` repeated mentions as a
Parquet file of triples (doc_id, entity, relation, value), counted by ``floor run --input-kind triples`` with
one worker; the peak RSS is compared with the target of 32 bytes per distinct fact + 300 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_WORK = Path(tempfile.gettempdir()) / "floor-bench"

# --------------------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------------------

COMMON = """the of and to in a is that for it as was with be by on not he i this are or his from at which but have
an they you were her she there been one all we their has would when if so no will can more out about who them
what some into than also other then its only time two could these may first any new my over after such like
most where our even made many those did well much before should through between while just being under years
three state during without against people same each found both world still life own however since around
several work part city area later government used number known year long although system high following second
called members small end group found often early large late well local public later river north south school
century family water house several national place among within public team based general major received
council report market village harbour bridge station railway church museum library garden farm road street
market company building service history war season album film book song league club population region""".split()

FIRST = """James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph
Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Margaret Mark Sandra Donald Ashley Steven
Emily Paul Donna Andrew Michelle Joshua Carol Kenneth Amanda Kevin Melissa Brian Deborah George Stephanie Helen
Edward Rebecca Ronald Laura Timothy Sharon Jason Cynthia Jeffrey Kathleen Ryan Amy Jacob Anna Gary Shirley
Nicholas Angela Eric Ruth Jonathan Brenda Stephen Pamela Larry Nicole Justin Katherine Scott Virginia Frank
Catherine Brandon Christine Raymond Samantha Gregory Debra Samuel Janet Benjamin Rachel Patrick Carolyn Jack
Emma Dennis Maria Jerry Heather Alexander Diane Tyler Julie Aaron Joyce José Zoë Björn Renée François Łukasz
Søren Inés""".split()

LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell
Mitchell Carter Roberts Marsh Whitfield Okafor Novak Kowalski Dubois Müller Schäfer Østergaard O'Brien
MacLeod D'Angelo Fischer Weber Becker Hoffmann Lindqvist Jansen Moreau Laurent Rossi Bianchi Ferrari Esposito
Romano Costa Silva Santos Pereira Oliveira Almeida Ivanov Petrov Sokolov Kuznetsov Tanaka Suzuki Sato Kim Park
Chen Wang Zhang Liu Singh Patel Kumar Sharma""".split()

TOWNS = """London Paris Berlin Madrid Rome Vienna Prague Warsaw Dublin Lisbon Oslo Stockholm Helsinki Chicago Boston
Denver Seattle Toronto Montreal Sydney Melbourne Auckland Cape Town Nairobi Lagos Cairo Mumbai Delhi Tokyo Osaka
Seoul Manila Jakarta Lima Bogotá Santiago Montevideo Zürich Genève Kraków Malmö São Paulo""".split()

MONTHS = ("January February March April May June July August September October November December").split()
MONTH_ABBR = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
TITLES = ("Dr.", "Professor", "Mr.", "Mrs.", "Ms.", "Senator", "Judge", "Captain", "Coach")
VERBS_SAID = ("said", "told reporters", "argued", "noted", "wrote", "explained", "added", "confirmed")
UNITS = ("km", "miles", "per cent", "percent", "%", "kg", "metres", "hectares", "people", "years")

PARENS = (
    "({last}, {year})", "({last} et al., {year})", "({year})", "(n = {n})", "(see Figure {small})",
    "(see Table {small})", "(UK)", "(US)", "(EU)", "(NATO)", "(about {n} {unit})", "(in {year})", "({month} {year})",
    "(pp. {n}–{n2})", "({year}–{year2})", "(e.g., {w}, {w} and {w})", "(approximately {small}%)", "(c. {year})",
    "(i.e. the {w} {w})", "(formerly {Town})", "(pictured)", "(right)", "(p < 0.05)", "({n} votes)",
    "(then aged {small})", "(now {Town})", "(ISBN 978-{n}-{n2}-{small})", "({first} {last})", "(later {w})",
    "(Aug. {small}, {year})", "(died down)", "(1.{small} million)", "({w})", "({w} {w})",
)
KEYWORD_TRAPS = (
    "The {w} was stubborn and refused to {w}.", "Newborn {w} were kept in the {w} for {small} days.",
    "The idea was born out of a {w} about {w} and {w}.", "By the evening the storm had died down.",
    "Many people died in the floods of {year}, the {w} says.", "The first-born son inherited the {w}.",
    "The project died a quiet death in {year}.", "Most of the hedges died back during the {w} winter.",
    "A born-again {w} spoke at the {w}.", "The engine died on the way to {Town}.",
    "Stubborn {w} and {w} kept the {w} busy.", "The band was born in a garage in {Town}.",
)


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    onsets = "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr r s sh sl sp st str t th tr v w wh".split()
    nuclei = "a e i o u ai ea ee oo ou ie".split()
    codas = ["", "", "n", "r", "l", "s", "t", "nd", "st", "ng", "ck", "m", "rt", "ld"]
    endings = ["", "", "", "ing", "ed", "er", "s", "ly", "tion", "ment", "ness", "al", "ous"]
    words = set(COMMON)
    out = list(dict.fromkeys(COMMON))
    while len(out) < size:
        word = "".join(rng.choice(onsets) + rng.choice(nuclei) + rng.choice(codas)
                       for _ in range(rng.choice((1, 1, 2, 2, 3)))) + rng.choice(endings)
        if word not in words and "born" not in word and "died" not in word and len(word) > 2:
            words.add(word)
            out.append(word)
    return out


class Prose:
    def __init__(self, rng: random.Random, vocab_size: int = 6000):
        self.rng = rng
        self.vocab = _vocabulary(rng, vocab_size)
        weights = [1.0 / (i + 2) ** 1.05 for i in range(len(self.vocab))]
        acc, cum = 0.0, []
        for w in weights:
            acc += w
            cum.append(acc)
        self.cum = cum

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def slot(self, name: str) -> str:
        r = self.rng
        if name == "w":
            return self.words(1)[0]
        if name == "year":
            return str(r.randint(1700, 2024))
        if name == "year2":
            return str(r.randint(1700, 2024))
        if name in ("n", "n2"):
            return str(r.randint(2, 999))
        if name == "small":
            return str(r.randint(1, 60))
        if name == "unit":
            return r.choice(UNITS)
        if name == "month":
            return r.choice(MONTHS)
        if name == "last":
            return r.choice(LAST)
        if name == "first":
            return r.choice(FIRST)
        if name == "Town":
            return r.choice(TOWNS)
        raise KeyError(name)

    def fill(self, template: str) -> str:
        out, i = [], 0
        while True:
            j = template.find("{", i)
            if j < 0:
                out.append(template[i:])
                return "".join(out)
            k = template.index("}", j)
            out.append(template[i:j])
            out.append(self.slot(template[j + 1:k]))
            i = k + 1

    def date(self) -> str:
        r = self.rng
        d, m, y = r.randint(1, 28), r.randrange(12), r.randint(1750, 2024)
        style = r.random()
        if style < 0.4:
            return f"{d} {MONTHS[m]} {y}"
        if style < 0.7:
            return f"{MONTHS[m]} {d}, {y}"
        if style < 0.85:
            return f"{y}-{m + 1:02d}-{d:02d}"
        return f"{d} {MONTH_ABBR[m]} {y}"

    def name(self) -> str:
        r = self.rng
        return f"{r.choice(FIRST)} {r.choice(LAST)}"

    def sentence(self) -> str:
        r = self.rng
        words = self.words(r.randint(6, 24))
        words[0] = words[0].capitalize()
        if r.random() < 0.25:
            words[r.randrange(2, len(words))] += ","
        kind = r.random()
        if kind < 0.07:  # a parenthetical that is not a biography
            words.insert(r.randrange(2, len(words) + 1), self.fill(r.choice(PARENS)))
        elif kind < 0.15:  # dates and years that are not facts
            lead = r.random()
            if lead < 0.4:
                words[0] = words[0].lower()
                words.insert(0, f"On {self.date()},")
            elif lead < 0.7:
                words[0] = words[0].lower()
                words.insert(0, f"In {r.randint(1800, 2024)},")
            else:
                words.append(f"by {r.choice(MONTHS)} {r.randint(1900, 2024)}")
        elif kind < 0.23:  # names next to verbs
            who = self.name() if r.random() < 0.6 else f"{r.choice(TITLES)} {self.name()}"
            if r.random() < 0.5:
                words[0] = words[0].lower()
                words.insert(0, f"{who} {r.choice(VERBS_SAID)} that")
            else:
                words[-1] += f", according to {who}"
        elif kind < 0.29:  # numbers and measures
            words.insert(r.randrange(1, len(words) + 1), f"{r.randint(2, 9999):,} {r.choice(UNITS)}")
        elif kind < 0.34:  # non-ASCII punctuation and letters
            i = r.randrange(1, len(words))
            words[i] = r.choice((f"“{words[i]}”", f"{words[i]}’s", f"{words[i]} — {self.words(1)[0]} —",
                                 "café", "naïve", "façade", "résumé", f"{r.choice(TOWNS)}’s"))
        elif kind < 0.345:  # the keywords in non-fact uses
            return self.fill(r.choice(KEYWORD_TRAPS))
        elif kind < 0.37:
            words.append(f"in {r.choice(TOWNS)}")
        end = "." if r.random() < 0.93 else r.choice(("?", "!", ":"))
        return " ".join(words) + end

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 7)))

    def document(self, target: int) -> str:
        paragraphs, size = [], 0
        while size < target:
            p = self.paragraph()
            paragraphs.append(p)
            size += len(p) + 2
        return "\n\n".join(paragraphs)


def _sample_documents(n: int, seed: int) -> list[str]:
    """``n`` documents of make_sample.py (biography statements with their own filler and traps)."""
    spec = importlib.util.spec_from_file_location("make_sample", HERE / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample", module)
    spec.loader.exec_module(module)
    documents = module.build(seed, max(1, n), module.SAMPLE)[0]
    return [text for _, text in documents]


#: Sources of the generated documents (their ``source`` field, for ``--domain-field source``), and their shares.
SOURCES = {"web": 0.6, "wiki": 0.15, "news": 0.15, "books": 0.1}


def corpus_name(mb: float, shards: int, seed: int, duplicate_share: float) -> str:
    return f"corpus-{mb:g}mb-{shards}x-seed{seed}-dup{duplicate_share:g}"


def _near_copy(rng: random.Random, text: str) -> str:
    """A near-duplicate of ``text`` as crawls hold them: under a header line, or with a few words changed."""
    if rng.random() < 0.5:
        return f"Archived copy, retrieved {rng.randrange(2000, 2025)}-{rng.randrange(1, 13):02d}.\n\n{text}"
    words = text.split(" ")
    for _ in range(max(1, len(words) // 200)):
        words[rng.randrange(len(words))] = rng.choice(("the", "a", "this", "that", "its"))
    return " ".join(words)


def generate_corpus(out: Path, *, mb: float, shards: int, seed: int = 0, fact_share: float = 0.06,
                    duplicate_share: float = 0.2, zstd_level: int = 3) -> dict:
    """Write ``shards`` JSONL shards of about ``mb`` MB in total, and a zstd copy of each, into ``out``.

    A ``duplicate_share`` of the documents copy an earlier document (of any shard), half of them exactly and half
    nearly (:func:`_near_copy`), as crawled corpora do before deduplication; each document has a ``url`` and a
    ``source`` (:data:`SOURCES`)."""
    import zstandard

    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"floor-bench:{seed}")
    prose = Prose(rng)
    per_shard = int(mb * 1e6) // shards
    expected_docs = int(mb * 1e6) // 3000 + 1  # documents average about 3 kB
    samples = _sample_documents(int(expected_docs * fact_share * 1.3) + 10, seed)
    si = docs = fact_docs = copies = 0
    written: list[tuple[str, bool]] = []  # each original document, and whether it states facts
    t0 = time.perf_counter()
    for s in range(shards):
        size, lines = 0, []
        while size < per_shard:
            if written and rng.random() < duplicate_share:
                text, with_facts = rng.choice(written)
                text = text if rng.random() < 0.5 else _near_copy(rng, text)
                copies += 1
            else:
                text = prose.document(int(min(60000, max(300, rng.lognormvariate(7.7, 0.8)))))
                with_facts = rng.random() < fact_share and si < len(samples)
                if with_facts:
                    paragraphs = text.split("\n\n")
                    paragraphs.insert(rng.randrange(len(paragraphs) + 1), samples[si])
                    text = "\n\n".join(paragraphs)
                    si += 1
                written.append((text, with_facts))
            fact_docs += with_facts
            source = rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0]
            line = json.dumps({"id": f"bench-{s:03d}-{len(lines):07d}", "text": text, "source": source,
                               "url": f"https://{source}.example.org/{rng.randrange(10**9)}"}, ensure_ascii=False)
            lines.append(line)
            size += len(line.encode("utf-8")) + 1
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (out / f"shard-{s:03d}.jsonl").write_bytes(data)
        (out / f"shard-{s:03d}.jsonl.zst").write_bytes(zstandard.ZstdCompressor(level=zstd_level).compress(data))
        docs += len(lines)
        log(f"  shard {s}: {len(lines):,} documents, {len(data) / 1e6:.1f} MB ({time.perf_counter() - t0:.0f} s)")
    meta = {"mb": mb, "shards": shards, "seed": seed, "fact_share": fact_share, "duplicate_share": duplicate_share,
            "documents": docs, "fact_documents": fact_docs, "copies": copies, "zstd_level": zstd_level}
    (out / "corpus.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def corpus_files(corpus: Path) -> tuple[list[str], list[str]]:
    jsonl = sorted(str(p) for p in corpus.glob("*.jsonl"))
    zst = sorted(str(p) for p in corpus.glob("*.jsonl.zst"))
    if not jsonl:
        raise SystemExit(f"bench: no *.jsonl files in {corpus}")
    return jsonl, zst


# --------------------------------------------------------------------------------------------------------------
# What is run
# --------------------------------------------------------------------------------------------------------------

# The 7 patterns of the naive script, also given to rg: capitalised name first, then the phrase.
_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*"
_DATE = r"(?:\d{1,2} [A-Z][a-z]+\.? \d{3,4}|[A-Z][a-z]+\.? \d{1,2}, \d{3,4}|\d{4}-\d\d-\d\d)"
NAIVE_PATTERNS = {
    "birth_date": rf"({_NAME}) was born (?:on )?({_DATE})",
    "birth_place": rf"({_NAME}) was born in ({_NAME})",
    "death_date": rf"({_NAME}) died (?:on )?({_DATE})",
    "death_place": rf"({_NAME}) died in ({_NAME})",
    "born_paren": rf"({_NAME}) \((?:born|b\.) ({_DATE}|\d{{3,4}})",
    "lifespan": rf"({_NAME}) \((\d{{3,4}}) ?[–-] ?(\d{{3,4}})\)",
    "born_lead": rf"Born (?:on|in) [^,]{{3,40}}, ({_NAME})()",
}

NAIVE_SCRIPT = textwrap.dedent('''
    import json, re, sys
    from collections import Counter
    patterns = {name: re.compile(p) for name, p in json.loads(sys.argv[1]).items()}
    counts = Counter()
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["text"]
                for name, pattern in patterns.items():
                    for m in pattern.finditer(text):
                        counts[(name, m.group(1), m.group(2))] += 1
    n = sum(counts.values())
    f1 = sum(1 for c in counts.values() if c == 1)
    print(json.dumps({"facts": len(counts), "mentions": n, "singleton_rate": f1 / n if n else 0.0}))
''')

FLOOR_DRIVER = textwrap.dedent('''
    import json, sys, tempfile, time
    t0 = time.perf_counter()
    from floor import api
    t1 = time.perf_counter()
    args = json.loads(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="floor-bench-") as tmp:
        counts = api.scan(args["files"], output=tmp + "/counts", workers=args["workers"], **args["scan"])
        t2 = time.perf_counter()
        report = api.estimate(counts)
        t3 = time.perf_counter()
        documents = counts.metadata()["documents"]
    print(json.dumps({"import_s": t1 - t0, "scan_s": t2 - t1, "estimate_s": t3 - t2, "documents": documents}))
''')

READ_PARSE_DRIVER = textwrap.dedent('''
    import io, sys, orjson, zstandard
    n = 0
    for path in sys.argv[1:]:
        if path.endswith(".parquet"):  # the text and id columns, batch by batch, as Python strings
            import pyarrow.parquet as pq
            for batch in pq.ParquetFile(path).iter_batches(columns=["id", "text"]):
                batch.column("text").to_pylist()
                n += batch.num_rows
            continue
        with open(path, "rb", buffering=0 if path.endswith(".zst") else 1 << 20) as raw:
            stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw), 1 << 20) \\
                if path.endswith(".zst") else raw
            for line in stream:
                orjson.loads(line)
                n += 1
    print(n)
''')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _tree_memory(pid: int, peaks: dict[int, int]) -> int:
    """Resident bytes of ``pid`` and all its descendants now; records each process's high-water mark (VmHWM,
    which exec resets, unlike the rusage of a forked child) in ``peaks``."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                    elif line.startswith("VmHWM:"):
                        peaks[p] = max(peaks.get(p, 0), int(line.split()[1]) * 1024)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


RUNS = 1
"""Times each command is run (``--runs``); a row keeps its fastest run, as ``timeit`` reports the best of its
repeats: a shared machine's noise only ever adds time."""


def measure(cmd: list[str], *, env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``cmd`` :data:`RUNS` times; the fastest run's figures (:func:`measure_once`), and how many runs."""
    return measure_rounds({"": (cmd, env)}, timeout=timeout)[""]


def measure_rounds(commands: dict[str, tuple[list[str], dict | None]], *, timeout: float = 3600) -> dict[str, dict]:
    """Run each command :data:`RUNS` times, in rounds that run every command once, so that a slow spell of a
    shared machine falls on all of them alike rather than on one row's runs; each command's fastest run."""
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, (cmd, env) in commands.items():
            runs[name].append(measure_once(cmd, env=env, timeout=timeout))
    return {name: dict(min(r, key=lambda run: run["wall_s"]), runs=len(r)) for name, r in runs.items()}


def measure_once(cmd: list[str], *, env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``cmd``; wall time, peak RSS (of the largest process, and of the process tree's sum; sampled every
    20 ms from /proc), stdout."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=REPO)
        tree, peaks = 0, {}
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = max(tree, _tree_memory(proc.pid, peaks))
            if time.perf_counter() - t0 > timeout:
                proc.kill()
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:4])} ... failed ({proc.returncode}):\n{stderr[-2000:]}")
    return {"wall_s": wall, "rss_mb": max(peaks.values(), default=0) / 1e6, "rss_tree_mb": tree / 1e6,
            "load_before": load, "stdout": stdout.strip()}


def _size(files: list[str]) -> int:
    return sum(os.path.getsize(f) for f in files)


def _floor_rows(specs: list[tuple], plain_bytes: int) -> list[dict]:
    """floor's rows, measured in rounds (:func:`measure_rounds`): each spec is (name, files, workers, env, scan)."""
    commands = {name: ([sys.executable, "-c", FLOOR_DRIVER,
                        json.dumps({"files": files, "workers": workers, "scan": scan or {}})], env)
                for name, files, workers, env, scan in specs}
    measured = measure_rounds(commands)
    rows = []
    for name, files, workers, _, _ in specs:
        r = dict(measured[name])
        phases = json.loads(r.pop("stdout").splitlines()[-1])
        rows.append({"name": name, "workers": workers, "bytes": plain_bytes, "stored_bytes": _size(files), **r,
                     **phases, "mb_s": plain_bytes / 1e6 / r["wall_s"], "scan_mb_s": plain_bytes / 1e6 / phases["scan_s"]})
    return rows


def _one_file(shards: list[str], path: Path) -> Path:
    """The shards concatenated into one JSONL file (made once)."""
    if not path.exists() or path.stat().st_size != _size(shards):
        with open(path.with_suffix(".tmp"), "wb") as out:
            for shard in shards:
                with open(shard, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        path.with_suffix(".tmp").rename(path)
    return path


def _parquet_copies(shards: list[str], folder: Path) -> list[str]:
    """Each shard as a Parquet file (Snappy, pyarrow's defaults; made once), for the Parquet rows."""
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for shard in shards:
        path = folder / (Path(shard).name.removesuffix(".jsonl") + ".parquet")
        if not path.exists():
            pq.write_table(pa_json.read_json(shard), path.with_suffix(".tmp"))
            path.with_suffix(".tmp").rename(path)
        out.append(str(path))
    return out


def run_throughput(args) -> dict:
    work = Path(args.work)
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = work / corpus_name(args.mb, args.shards, args.seed, args.duplicate_share)
        if not (corpus / "corpus.json").exists():
            log(f"bench: generating a {args.mb:g} MB corpus in {corpus}")
            generate_corpus(corpus, mb=args.mb, shards=args.shards, seed=args.seed,
                            duplicate_share=args.duplicate_share)
    jsonl, zst = corpus_files(corpus)
    plain = _size(jsonl)
    log(f"bench: corpus {corpus}: {len(jsonl)} JSONL shards, {plain / 1e6:.1f} MB; zstd {_size(zst) / 1e6:.1f} MB")
    rows: list[dict] = []
    # floor keeps its compiled patterns across runs (floor.extract.pattern_cache): fill that cache first, as any
    # earlier run on this machine would have, so the first row does not carry a once-per-machine cost.
    measure_once([sys.executable, "-c", "from floor.extract import Extractor; x = Extractor(); x.compile(); "
                  "x.prefilter()"])

    def add(row: dict) -> None:
        rows.append(row)
        scan = f", scan {row['scan_mb_s']:.1f} MB/s" if "scan_mb_s" in row else ""
        log(f"  {row['name']:<16} {row['wall_s']:7.2f} s  {row['mb_s']:7.1f} MB/s{scan}  rss {row['rss_mb']:.0f} MB"
            f"  (load {row['load_before']:.2f})")

    specs = [(f"floor-{workers}w", jsonl, workers, None, None) for workers in (1, 2)]
    specs += [(name, jsonl, 1, None, scan) for name, scan in (
        ("floor-1w-dedup-near", {"dedup": "near"}), ("floor-1w-dedup-exact", {"dedup": "exact"}),
        ("floor-1w-domain", {"domain_from": "url"}), ("floor-1w-domain-field", {"domain_field": "source"}),
        ("floor-1w-en", {"languages": "en"}),
        ("floor-1w-packs", {"packs": ["biography-en", "biography-fr", "biography-de", "biography-es",
                                      "organizations-en"]}))]
    if zst:
        specs += [(f"floor-{workers}w-zst", zst, workers, None, None) for workers in (1, 2)]
    if not args.quick:
        specs.append(("floor-1w-nopf", jsonl, 1, {"FLOOR_PREFILTER": "off"}, None))
        specs.append(("floor-1w-pypf", jsonl, 1, {"FLOOR_PREFILTER": "python"}, None))
        # The same bytes as one file, read by 2 workers in 4 splits (floor.sources.splits)
        one = _one_file(jsonl, work / f"{corpus.name}-one-file.jsonl")
        specs.append(("floor-2w-1file", [str(one)], 2, None, {"split_bytes": -(-plain // 4)}))
        parquet = _parquet_copies(jsonl, work / f"{corpus.name}-parquet")
        specs.append(("floor-1w-parquet", parquet, 1, None, None))
    for row in _floor_rows(specs, plain):
        add(row)
    notes = []
    rg = shutil.which("rg")
    if rg:
        patterns = [x for p in NAIVE_PATTERNS.values() for x in ("-e", p)]
        for name, threads in (("rg", ["-j1"]), ("rg-mt", [])):
            r = measure([rg, *threads, "--count-matches", "--no-filename", *patterns, *jsonl])
            matches = sum(int(x) for x in r.pop("stdout").split())
            add({"name": name, "bytes": plain, **r, "mb_s": plain / 1e6 / r["wall_s"], "matches": matches})
    else:
        notes.append("rg not installed (apt-get install ripgrep): no rg rows, no rg ratio")
        log("bench: " + notes[-1])
    reads = [("read-parse", jsonl), ("read-parse-zst", zst)]
    if not args.quick:
        reads.append(("read-parquet", parquet))
    for name, files in reads:
        if files:
            r = measure([sys.executable, "-c", READ_PARSE_DRIVER, *files])
            r.pop("stdout")
            add({"name": name, "bytes": plain, "stored_bytes": _size(files), **r, "mb_s": plain / 1e6 / r["wall_s"]})
    if args.naive_mb > 0:
        subset, size = [], 0
        for f in jsonl:
            if size >= args.naive_mb * 1e6:
                break
            subset.append(f)
            size += os.path.getsize(f)
        r = measure([sys.executable, "-c", NAIVE_SCRIPT, json.dumps(NAIVE_PATTERNS), *subset])
        result = json.loads(r.pop("stdout"))
        add({"name": "naive", "bytes": size, **r, "mb_s": size / 1e6 / r["wall_s"], **result})
        if size < plain:
            notes.append(f"naive ran on the first {len(subset)} shards ({size / 1e6:.0f} MB)")
    by = {r["name"]: r for r in rows}

    def ratio(a: str, b: str, key_a: str = "mb_s", key_b: str = "mb_s") -> float | None:
        if a in by and b in by and by[b].get(key_b):
            return by[a][key_a] / by[b][key_b]
        return None

    ratios = {
        "floor_1w_over_rg": ratio("floor-1w", "rg"),
        "floor_1w_scan_over_rg": ratio("floor-1w", "rg", "scan_mb_s"),
        "floor_2w_over_1w": ratio("floor-2w", "floor-1w"),
        "floor_2w_over_1w_scan": ratio("floor-2w", "floor-1w", "scan_mb_s", "scan_mb_s"),
        "floor_2w_1file_over_1w": ratio("floor-2w-1file", "floor-1w"),
        "floor_1w_dedup_near_over_1w": ratio("floor-1w-dedup-near", "floor-1w"),
        "floor_1w_dedup_exact_over_1w": ratio("floor-1w-dedup-exact", "floor-1w"),
        "floor_1w_domain_over_1w": ratio("floor-1w-domain", "floor-1w"),
        "floor_1w_domain_field_over_1w": ratio("floor-1w-domain-field", "floor-1w"),
        "floor_1w_over_1w_en": ratio("floor-1w", "floor-1w-en"),
        "floor_1w_packs_over_1w": ratio("floor-1w-packs", "floor-1w"),
        "floor_1w_over_naive": ratio("floor-1w", "naive"),
        "floor_1w_zst_mb_s_per_core": by["floor-1w-zst"]["mb_s"] if "floor-1w-zst" in by else None,
        "floor_1w_zst_scan_mb_s_per_core": by["floor-1w-zst"]["scan_mb_s"] if "floor-1w-zst" in by else None,
        "floor_2w_zst_scan_mb_s_per_core": by["floor-2w-zst"]["scan_mb_s"] / 2 if "floor-2w-zst" in by else None,
        "floor_1w_parquet_mb_s_per_core": by["floor-1w-parquet"]["mb_s"] if "floor-1w-parquet" in by else None,
    }
    targets = {
        "floor_1w_over_rg >= 0.5": ratios["floor_1w_over_rg"],
        "zstd MB/s per core >= 90": ratios["floor_1w_zst_mb_s_per_core"],
        "floor_2w_over_1w >= 1.7": ratios["floor_2w_over_1w"],
        "floor_1w_over_naive >= 20": ratios["floor_1w_over_naive"],
        "floor_1w_dedup_near_over_1w >= 0.75": ratios["floor_1w_dedup_near_over_1w"],
        "floor_1w_dedup_exact_over_1w >= 0.75": ratios["floor_1w_dedup_exact_over_1w"],
        "floor_1w_domain_over_1w >= 0.75": ratios["floor_1w_domain_over_1w"],
        "floor_1w_domain_field_over_1w >= 0.75": ratios["floor_1w_domain_field_over_1w"],
        "floor_1w_over_1w_en >= 0.95": ratios["floor_1w_over_1w_en"],
    }
    return {"corpus": str(corpus), "bytes": plain, "zstd_bytes": _size(zst), "shards": len(jsonl), "rows": rows,
            "ratios": ratios, "targets": targets, "notes": notes}


def print_throughput(result: dict) -> None:
    print(f"\ncorpus: {result['corpus']}  ({result['bytes'] / 1e6:.1f} MB JSONL in {result['shards']} shards, "
          f"{result['zstd_bytes'] / 1e6:.1f} MB zstd)\n")
    print(f"{'run':<16} {'wall s':>7} {'MB/s':>7} {'scan MB/s':>9} {'import s':>8} {'scan s':>7} {'est. s':>6} "
          f"{'rss MB':>7} {'tree MB':>7} {'load':>5}")
    for r in result["rows"]:
        scan = f"{r['scan_mb_s']:9.1f} {r['import_s']:8.2f} {r['scan_s']:7.2f} {r['estimate_s']:6.2f}" \
            if "scan_mb_s" in r else f"{'':9} {'':8} {'':7} {'':6}"
        print(f"{r['name']:<16} {r['wall_s']:7.2f} {r['mb_s']:7.1f} {scan} {r['rss_mb']:7.0f} {r['rss_tree_mb']:7.0f} "
              f"{r['load_before']:5.2f}")
    print("\nMB/s: uncompressed JSONL bytes / wall time of the whole run (scan MB/s: / the scan phase alone)")
    print("ratios:")
    for k, v in result["ratios"].items():
        print(f"  {k:<34} {'n/a' if v is None else f'{v:.2f}'}")
    for note in result["notes"]:
        print(f"note: {note}")


# --------------------------------------------------------------------------------------------------------------
# Memory: 10 M distinct facts
# --------------------------------------------------------------------------------------------------------------

CATEGORIES = ("birth_date", "birth_year", "death_date", "death_year", "birth_place", "death_place")


def generate_triples(path: Path, facts: int, repeats: int, seed: int = 0, per_doc: int = 5) -> None:
    """Parquet triples: ``facts`` distinct (entity, relation, value), then ``repeats`` mentions of random ones
    in further documents; ``per_doc`` triples per document."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    total = facts + repeats
    schema = pa.schema([("doc_id", pa.string()), ("entity", pa.string()), ("relation", pa.string()),
                        ("value", pa.string())])
    chunk = 1_000_000
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for start in range(0, total, chunk):
            rows = np.arange(start, min(total, start + chunk))
            fact = np.where(rows < facts, rows, rng.integers(0, facts, len(rows)))
            entity = [f"Person {i // 6:08d}" for i in fact.tolist()]
            relation = [CATEGORIES[i % 6] for i in fact.tolist()]
            value = [f"{(i * 2654435761) % 1000003:07d}" for i in fact.tolist()]
            doc = [f"d{r // per_doc:09d}" for r in rows.tolist()]
            writer.write_table(pa.Table.from_arrays(
                [pa.array(doc, pa.string()), pa.array(entity, pa.string()), pa.array(relation, pa.string()),
                 pa.array(value, pa.string())], schema=schema))
            log(f"  triples: {min(total, start + chunk):,} / {total:,}")
    tmp.rename(path)


def run_memory(args) -> dict:
    work = Path(args.work)
    path = work / f"triples-{args.facts}-{args.repeats}.parquet"
    if not path.exists():
        log(f"bench: writing {args.facts:,} distinct facts + {args.repeats:,} repeats to {path}")
        generate_triples(path, args.facts, args.repeats)
    out = work / "memory-report.json"
    cmd = [sys.executable, "-m", "floor", "run", str(path), "--input-kind", "triples", "--workers", "1", "-q",
           "--json", str(out)]
    log(f"bench: {' '.join(cmd[2:])}")
    r = measure(cmd)
    r.pop("stdout")
    report = json.loads(out.read_text())
    distinct = args.facts
    target_mb = (32 * distinct + 300e6) / 1e6
    row = {"name": "memory", "file": str(path), "file_bytes": os.path.getsize(path), "distinct_facts": distinct,
           "mentions": args.facts + args.repeats, **r, "target_mb": target_mb,
           "bytes_per_distinct_fact_over_300mb": (r["rss_tree_mb"] * 1e6 - 300e6) / distinct,
           "meets_target": r["rss_tree_mb"] <= target_mb, "documents": report.get("documents")}
    return row


def print_memory(row: dict) -> None:
    print(f"\nmemory: {row['distinct_facts']:,} distinct facts, {row['mentions']:,} mentions "
          f"({row['file_bytes'] / 1e6:.0f} MB Parquet)")
    print(f"  wall {row['wall_s']:.1f} s, peak RSS {row['rss_mb']:.0f} MB (largest process), "
          f"{row['rss_tree_mb']:.0f} MB (process tree), load {row['load_before']:.2f}")
    print(f"  target 32 B x distinct + 300 MB = {row['target_mb']:.0f} MB: "
          f"{'met' if row['meets_target'] else 'MISSED'} "
          f"({row['bytes_per_distinct_fact_over_300mb']:.1f} bytes per distinct fact above 300 MB)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", help="existing corpus directory (*.jsonl and *.jsonl.zst shards)")
    p.add_argument("--work", default=str(DEFAULT_WORK), help=f"where generated inputs go (default {DEFAULT_WORK})")
    p.add_argument("--mb", type=float, default=200, help="size of the generated corpus in MB (default 200)")
    p.add_argument("--shards", type=int, default=4, help="JSONL shards of the generated corpus (default 4)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--duplicate-share", type=float, default=0.2,
                   help="share of generated documents that copy an earlier one, half exactly (default 0.2)")
    p.add_argument("--naive-mb", type=float, default=50, help="MB the naive script reads (0: skip it)")
    p.add_argument("--quick", action="store_true", help="skip the prefilter comparison rows")
    p.add_argument("--memory", action="store_true", help="run the memory benchmark instead")
    p.add_argument("--facts", type=int, default=10_000_000, help="distinct facts for --memory")
    p.add_argument("--repeats", type=int, default=2_000_000, help="repeated mentions for --memory")
    p.add_argument("--generate-only", action="store_true", help="write the corpus (or triples) and stop")
    p.add_argument("--json", help="write the figures as JSON here")
    p.add_argument("--runs", type=int, default=1, help="run each throughput row this many times, keep the fastest")
    args = p.parse_args(argv)
    global RUNS
    RUNS = max(1, args.runs)
    meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "machine": os.uname().machine, "runs": RUNS,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_at_start": os.getloadavg()}
    if args.generate_only:
        if args.memory:
            generate_triples(Path(args.work) / f"triples-{args.facts}-{args.repeats}.parquet", args.facts,
                             args.repeats)
        else:
            generate_corpus(Path(args.work) / corpus_name(args.mb, args.shards, args.seed, args.duplicate_share),
                            mb=args.mb, shards=args.shards, seed=args.seed, duplicate_share=args.duplicate_share)
        return 0
    if args.memory:
        result = {**meta, "memory": run_memory(args)}
        print_memory(result["memory"])
    else:
        result = {**meta, **run_throughput(args)}
        print_throughput(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
