"""Progress of a scan: map tasks count, a monitor thread in the parent samples, a sink renders.

Nothing in the pipeline prints. A scan that has a sink (``local.scan_to_dir(progress=...)``, or the ambient one
set with :func:`use`) gets a :class:`Board`: five shared 64-bit counters per input (bytes read as stored --
compressed bytes for a compressed file, for the share done and the ETA --, documents, facts, state, and bytes of
text read -- decompressed --, for the speed shown) in shared memory that worker processes
inherit. A map task writes its own slot through a :class:`Meter` every :data:`EVERY_DOCUMENTS` documents (a
few stores and one ``tell``, no locks, no messages); a :class:`Monitor` thread in the parent reads the board
a few times a second and hands a :class:`Snapshot` to the sink.

Sinks (anything with ``update(snapshot)`` and ``close(snapshot, ok)``):

* :class:`BarSink` -- tqdm bars on a terminal: the total and one per running input (bytes, MB/s, ETA,
  documents, facts);
* :class:`LogSink` -- one line every ``every`` seconds (default 10) for logs; a short run prints nothing;
* :func:`sink_for` picks one for a stream (``None`` when quiet).
"""

from __future__ import annotations

import contextlib
import contextvars
import multiprocessing
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO, Iterator, Protocol, Sequence

PENDING, RUNNING, DONE = 0, 1, 2
_WIDTH = 5  # counters per input: bytes, documents, facts, state, text bytes
EVERY_DOCUMENTS = 64
"""A map task publishes its counters after this many documents (and when it ends)."""


# --- worker side ------------------------------------------------------------------------------------------------

class Board:
    """Shared counters of the inputs of one scan (``multiprocessing.RawArray``: inherited by forked workers,
    passed to spawned ones through the pool initializer)."""

    def __init__(self, inputs: int, array=None):
        self.inputs = inputs
        self.array = array if array is not None else multiprocessing.RawArray("q", _WIDTH * max(1, inputs))

    def row(self, i: int) -> tuple[int, int, int, int, int]:
        a, b = self.array, _WIDTH * i
        return a[b], a[b + 1], a[b + 2], a[b + 3], a[b + 4]


class Meter:
    """A map task's handle on its slot. ``position()`` gives the bytes read so far, or ``None`` if unknown;
    ``position.text()``, if it has one, the bytes of text read (:class:`floor.sources.streams.Position`)."""

    __slots__ = ("_array", "_base", "position", "documents", "facts")

    def __init__(self, board: Board | None, slot: int | None, position=None):
        self._array = board.array if board is not None and slot is not None else None
        self._base = _WIDTH * (slot or 0)
        self.position = position
        self.documents = 0
        self.facts = 0

    @property
    def active(self) -> bool:
        return self._array is not None

    def start(self) -> None:
        if self._array is not None:
            self._array[self._base + 3] = RUNNING

    def publish(self) -> None:
        a = self._array
        if a is None:
            return
        b = self._base
        pos = self.position() if self.position is not None else None
        if pos is not None:
            a[b] = pos
        text = getattr(self.position, "text", None)
        text = text() if text is not None else None
        if text is not None:
            a[b + 4] = text
        a[b + 1] = self.documents
        a[b + 2] = self.facts

    def finish(self, size: int | None = None) -> None:
        if self._array is not None:
            self.publish()
            if size is not None:
                self._array[self._base] = size
            self._array[self._base + 3] = DONE


NULL_METER = Meter(None, None)

_WORKER_BOARD: Board | None = None


def init_worker(array, inputs: int) -> None:
    """Pool initializer: the board of the scan this worker process serves (``array`` None: no progress)."""
    global _WORKER_BOARD
    _WORKER_BOARD = Board(inputs, array) if array is not None else None


@contextlib.contextmanager
def serving(board: Board | None) -> Iterator[None]:
    """Map tasks run in this process (no pool) report to ``board`` inside the block."""
    global _WORKER_BOARD
    previous, _WORKER_BOARD = _WORKER_BOARD, board
    try:
        yield
    finally:
        _WORKER_BOARD = previous


def worker_board() -> Board | None:
    return _WORKER_BOARD


# --- parent side ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InputProgress:
    path: str
    size: int | None  # bytes as stored, None for stdin
    bytes: int
    documents: int
    facts: int
    state: int
    text: int = 0  # bytes of text read (decompressed); 0 where unknown

    @property
    def fraction(self) -> float | None:
        if self.state == DONE:
            return 1.0
        if not self.size:
            return None
        return min(1.0, self.bytes / self.size)


@dataclass(frozen=True)
class Snapshot:
    inputs: tuple[InputProgress, ...]
    elapsed: float

    @property
    def total(self) -> int:
        return sum(i.size or 0 for i in self.inputs)

    @property
    def bytes(self) -> int:
        return sum((i.size or i.bytes) if i.state == DONE else i.bytes for i in self.inputs)

    @property
    def documents(self) -> int:
        return sum(i.documents for i in self.inputs)

    @property
    def facts(self) -> int:
        return sum(i.facts for i in self.inputs)

    @property
    def done(self) -> int:
        return sum(1 for i in self.inputs if i.state == DONE)

    @property
    def running(self) -> list[InputProgress]:
        return [i for i in self.inputs if i.state == RUNNING]

    @property
    def rate(self) -> float:
        """Bytes (as stored) per second so far."""
        return self.bytes / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def text(self) -> int:
        """Bytes of text read (decompressed); 0 where no input says (Parquet, stdin)."""
        return sum(i.text for i in self.inputs)

    @property
    def text_rate(self) -> float:
        """Bytes of text per second so far: the speed of the scan whatever the compression."""
        return self.text / self.elapsed if self.elapsed > 0 else 0.0

    def speed(self) -> str:
        """``"5.5 MB/s of text (0.9 MB/s read)"``, or the read rate alone where no input tells its text."""
        read = f"{self.rate / 1e6:.1f} MB/s"
        if not self.text or self.text == self.bytes:
            return read + (" of text" if self.text else "")
        return f"{self.text_rate / 1e6:.1f} MB/s of text ({read} read)"

    @property
    def eta(self) -> float | None:
        rate, left = self.rate, self.total - self.bytes
        if rate <= 0 or left < 0 or any(i.size is None for i in self.inputs):
            return None
        return left / rate


class Sink(Protocol):
    def update(self, snapshot: Snapshot) -> None: ...

    def close(self, snapshot: Snapshot, ok: bool) -> None: ...


class Monitor:
    """Samples a :class:`Board` from a daemon thread every ``interval`` seconds and feeds ``sink``."""

    def __init__(self, paths: Sequence[str], sink: Sink, interval: float = 0.25,
                 sizes: Sequence[int | None] | None = None):
        self.paths = list(paths)  # names shown: input paths, or "path [i/n]" for splits
        self.sizes = list(sizes) if sizes is not None else [_size(p) for p in self.paths]
        self.board = Board(len(self.paths))
        self.sink = sink
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = time.monotonic()

    def snapshot(self) -> Snapshot:
        rows = (self.board.row(i) for i in range(len(self.paths)))
        inputs = tuple(InputProgress(p, s, *row) for p, s, row in zip(self.paths, self.sizes, rows))
        return Snapshot(inputs, time.monotonic() - self._start)

    def __enter__(self) -> "Monitor":
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="floor-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self.sink.close(self.snapshot(), exc_type is None)
        except Exception:  # rendering must not fail a scan, nor hide why it failed
            pass

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.sink.update(self.snapshot())
            except Exception:  # a rendering problem must never break the scan
                pass


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path) if path != "-" else None
    except OSError:
        return None


# --- ambient sink -----------------------------------------------------------------------------------------------

_CURRENT: contextvars.ContextVar[Sink | None] = contextvars.ContextVar("floor_progress", default=None)


@contextlib.contextmanager
def use(sink: Sink | None) -> Iterator[Sink | None]:
    """Make ``sink`` the progress sink of the scans started inside the block (``None``: no progress)."""
    token = _CURRENT.set(sink)
    try:
        yield sink
    finally:
        _CURRENT.reset(token)


def current() -> Sink | None:
    return _CURRENT.get()


# --- rendering --------------------------------------------------------------------------------------------------

def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def summary_line(snap: Snapshot) -> str:
    """One line: bytes, share, documents, facts, MB/s, ETA and the running inputs."""
    total = snap.total
    share = f" of {_mb(total)} ({100 * snap.bytes / total:.1f}%)" if total else ""
    line = (f"floor: {_mb(snap.bytes)}{share}, {snap.done}/{len(snap.inputs)} inputs, {snap.documents:,} documents, "
            f"{snap.facts:,} facts, {snap.speed()}, ETA {_duration(snap.eta)}")
    running = snap.running
    if running:
        parts = []
        for i in running[:4]:
            frac = i.fraction
            parts.append(f"{os.path.basename(i.path)} {'?' if frac is None else f'{100 * frac:.0f}%'}")
        more = f" +{len(running) - 4}" if len(running) > 4 else ""
        line += f"; running: {', '.join(parts)}{more}"
    return line


def final_line(snap: Snapshot) -> str:
    text = f" ({_mb(snap.text)} of text)" if snap.text and snap.text != snap.bytes else ""
    return (f"floor: scanned {_mb(snap.bytes)}{text} from {len(snap.inputs)} inputs in {_duration(snap.elapsed)}, "
            f"{snap.speed()}: {snap.documents:,} documents, {snap.facts:,} facts")


class LogSink:
    """A line on ``stream`` every ``every`` seconds; a run shorter than that prints nothing at all."""

    def __init__(self, stream: IO[str] | None = None, every: float = 10.0):
        self.stream = stream
        self.every = every
        self._next = every
        self._printed = False

    def _write(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def update(self, snap: Snapshot) -> None:
        if snap.elapsed >= self._next:
            self._next = snap.elapsed - snap.elapsed % self.every + self.every
            self._printed = True
            self._write(summary_line(snap))

    def close(self, snap: Snapshot, ok: bool) -> None:
        if ok and self._printed:
            self._write(final_line(snap))


class BarSink:
    """tqdm bars on a terminal: the total and one per running input. Cleared at the end, leaving one line.
    ``notebook``: tqdm's notebook bars (``tqdm.auto``: widgets in a Jupyter kernel that has them)."""

    def __init__(self, stream: IO[str] | None = None, mininterval: float = 0.2, notebook: bool = False):
        self.stream = stream
        self.mininterval = mininterval
        self.notebook = notebook
        self._total = None
        self._bars: dict[str, tuple[object, int]] = {}
        self._lock = threading.Lock()

    def _bar(self, **kw):
        if self.notebook:
            from tqdm.auto import tqdm
        else:
            from tqdm import tqdm

        stream = self.stream or sys.stderr
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            width = 0
        # A terminal that reports no width (a pty without a size) gets a fixed one rather than empty bars.
        size = dict(dynamic_ncols=True) if width > 0 else dict(ncols=100)
        return tqdm(file=stream, unit="B", unit_scale=True, unit_divisor=1000, leave=False, mininterval=0,
                    miniters=0, smoothing=0.1, **size, **kw)

    def update(self, snap: Snapshot) -> None:
        with self._lock:
            if self._total is None:
                self._total = self._bar(total=snap.total or None, desc="total", position=0)
            self._set(self._total, snap.bytes, snap.documents, snap.facts,
                      f"{snap.done}/{len(snap.inputs)} inputs, {snap.speed()}")
            running = {i.path: i for i in snap.running}
            for path in [p for p in self._bars if p not in running]:
                self._bars.pop(path)[0].close()
            taken = {pos for _, pos in self._bars.values()}
            for path, i in running.items():
                entry = self._bars.get(path)
                if entry is None:
                    pos = next(n for n in range(1, len(taken) + 2) if n not in taken)
                    taken.add(pos)
                    entry = self._bars[path] = (self._bar(total=i.size, desc=os.path.basename(path)[-28:],
                                                          position=pos), pos)
                self._set(entry[0], i.bytes, i.documents, i.facts)

    @staticmethod
    def _set(bar, done: int, documents: int, facts: int, extra: str = "") -> None:
        if done > bar.n:
            bar.update(done - bar.n)
        postfix = f"{documents:,} docs, {facts:,} facts" + (f", {extra}" if extra else "")
        bar.set_postfix_str(postfix, refresh=False)
        bar.refresh()

    def close(self, snap: Snapshot, ok: bool) -> None:
        with self._lock:
            for bar, _ in self._bars.values():
                bar.close()
            self._bars.clear()
            if self._total is not None:
                self._total.close()
                self._total = None
            if ok:
                stream = self.stream or sys.stderr
                stream.write(final_line(snap) + "\n")
                stream.flush()


def in_notebook() -> bool:
    """Running in a Jupyter kernel (an IPython shell that talks to a notebook)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


@contextlib.contextmanager
def for_call(show: bool | None) -> Iterator[None]:
    """The progress of a call of floor's API: ``None``, the ambient sink (the command line's), else notebook bars
    in a Jupyter kernel, else none; ``False``, none; ``True``, the ambient sink or bars (a terminal) or log lines
    on stderr."""
    if show is None and (current() is not None or not in_notebook()):
        yield
        return
    sink = None if show is False else current() or (BarSink(notebook=True) if show is None else sink_for())
    with use(sink):
        yield


def sink_for(stream: IO[str] | None = None, *, quiet: bool = False, every: float = 10.0) -> Sink | None:
    """The sink for ``stream`` (default stderr): bars on a terminal, log lines otherwise, none when quiet."""
    if quiet:
        return None
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return BarSink(stream) if tty else LogSink(stream, every=every)
