"""Errors and skip accounting shared by every stage.

Every problem with the user's input becomes an :class:`InputError` that names the file and the line or record,
so the CLI can print it as one line. Where the user asked for skipping, the same problem is counted in a
:class:`SkipLog` by reason instead of stopping the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ON_ERROR_CHOICES = ("fail", "skip")


class FloorError(Exception):
    """A problem the user can fix; its message is one line, shown without a traceback."""


class FloorWarning(UserWarning):
    """Something the user should know about a result that is still sound (e.g. inputs left out); the CLI shows
    it as one line on stderr, a notebook as a warning."""


class InputError(FloorError):
    """Bad input at a known place: ``path:location: reason``."""

    def __init__(self, path: str, location: str | int | None, reason: str, kind: str = "bad_input"):
        self.path = str(path)
        if location is not None and not isinstance(location, (str, int)):
            location = int(location)  # a line of a split, made absolute (floor.sources.splits)
        self.location = location
        self.reason = reason
        self.kind = kind
        where = self.path if location is None else f"{self.path}:{location}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # Rebuilt from its fields when it crosses a process boundary (worker pools, Ray tasks).
        return (type(self), (self.path, self.location, self.reason, self.kind))


@dataclass
class SkipLog:
    """Counts records skipped under ``--on-error skip``, by reason, and remembers the first few places."""

    on_error: str = "fail"
    counts: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)
    max_examples: int = 5

    def __post_init__(self):
        if self.on_error not in ON_ERROR_CHOICES:
            raise FloorError(f"--on-error must be one of {', '.join(ON_ERROR_CHOICES)}, not {self.on_error!r}")

    def handle(self, error: InputError) -> None:
        """Raise ``error`` when failing on errors; otherwise count it as a skipped record."""
        if self.on_error == "fail":
            raise error
        self.counts[error.kind] += 1
        self._keep_examples(error.kind, [str(error)])

    def _keep_examples(self, kind: str, examples: list[str]) -> None:
        # The smallest few, not the first few: then merging logs gives the same examples in any order.
        self.examples[kind] = sorted(set(self.examples.get(kind, [])) | set(examples))[: self.max_examples]

    def merge(self, other: "SkipLog") -> None:
        self.counts.update(other.counts)
        for kind, examples in other.examples.items():
            self._keep_examples(kind, examples)

    def as_dict(self) -> dict:
        return {
            "total": sum(self.counts.values()),
            "by_reason": dict(sorted(self.counts.items())),
            "examples": {k: list(v) for k, v in sorted(self.examples.items())},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "SkipLog":
        """The log that :meth:`as_dict` wrote (with ``on_error="skip"``: it is a record, not a policy)."""
        log = cls(on_error="skip")
        log.counts.update(data.get("by_reason", {}))
        for kind, examples in data.get("examples", {}).items():
            log._keep_examples(kind, examples)
        return log
