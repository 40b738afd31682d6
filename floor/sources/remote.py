"""Inputs named by URL (``s3://``, ``gs://``, ``az://``, ``hf://``, ``https://``...), read through fsspec.

A URL names one file, a directory (a prefix, on an object store) or a glob, as a local path does; the bytes are
then read by the same readers. The filesystem of each protocol comes from a package of its own, installed with
an extra of floor's (:data:`EXTRAS`); a URL whose package is missing is a one-line error naming the command that
installs it. ``file://`` URLs are local paths (:func:`local_path`).
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import glob
import io
import re
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from floor.errors import FloorError

DISTRIBUTION = "hallucination-floor"
EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs", "az": "azure", "abfs": "azure", "abfss": "azure",
          "adl": "azure", "hf": "hf", "http": "http", "https": "http"}
"""The extra of floor that installs the filesystem of each protocol."""
UNLISTED = ("http", "https")
"""Protocols whose servers cannot list a directory: their URLs name single files."""
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_VERSION_FIELDS = ("ETag", "etag", "VersionId", "version_id", "generation", "md5Hash", "content_md5", "blob_id",
                   "Content-MD5", "Digest")
_MTIME_FIELDS = ("LastModified", "last_modified", "mtime", "updated", "Last-Modified")


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://...``) rather than a local path."""
    return _URL.match(path) is not None


def protocol(url: str) -> str:
    return url.split("://", 1)[0].lower()


def local_path(path: str) -> str:
    """A ``file://`` URL as the local path it names (other paths unchanged): local files keep their inode
    identity and can be read in splits."""
    if protocol(path) == "file" and is_url(path):
        return path[len("file://"):]
    return path


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it; a FloorError naming the extra to install when the
    protocol's package is missing."""
    try:
        from fsspec.core import url_to_fs
        return url_to_fs(url)
    except ImportError:
        extra = EXTRAS.get(protocol(url))
        if extra is None:
            raise FloorError(f"{url}: reading {protocol(url)}:// URLs needs a package floor does not know; "
                             "install the fsspec filesystem of that protocol") from None
        raise FloorError(f"{url}: reading {protocol(url)}:// URLs needs an extra: "
                         f"pip install '{DISTRIBUTION}[{extra}]'") from None
    except ValueError as exc:
        raise FloorError(f"{url}: {exc}") from None


def errors() -> tuple[type[BaseException], ...]:
    """What remote filesystems raise on failed requests besides OSError (only of the packages already loaded:
    the others cannot have raised anything)."""
    found: list[type[BaseException]] = []
    if "aiohttp" in sys.modules:
        found.append(sys.modules["aiohttp"].ClientError)
    if "botocore.exceptions" in sys.modules:
        found.extend((sys.modules["botocore.exceptions"].BotoCoreError,
                      sys.modules["botocore.exceptions"].ClientError))
    if "huggingface_hub.errors" in sys.modules:
        found.append(sys.modules["huggingface_hub.errors"].HfHubHTTPError)
    return tuple(found)


def failure(url: str, doing: str, exc: BaseException) -> FloorError:
    """The one-line error of a request about ``url`` that failed."""
    if isinstance(exc, FileNotFoundError):
        return FloorError(f"no such file or directory: {url}")
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return FloorError(f"cannot {doing} {url}: {detail}")


def info(url: str, fresh: bool = False) -> dict:
    """What the filesystem says of ``url`` (``type``, ``size``, versions), as its last listing said (``fresh``:
    asked of the server again); an OSError when the request fails."""
    fs, path = filesystem(url)
    with as_os_error():
        if fresh:
            fs.invalidate_cache(path)
        return fs.info(path)


def open_file(url: str, seekable: bool = True) -> BinaryIO:
    """``url`` opened for reading, as a raw binary file whose ``tell`` follows the bytes read and whose every
    failure is an OSError. ``seekable=False``: to be read from start to end, as one stream where the protocol has
    streams (HTTP: one request, where a seekable file asks for a range at a time, which not every server grants)."""
    fs, path = filesystem(url)
    with as_os_error():
        if not seekable and protocol(url) in UNLISTED:
            return _RemoteFile(fs.open(path, "rb", block_size=0))
        return _RemoteFile(fs.open(path, "rb"))


@contextlib.contextmanager
def as_os_error() -> Iterator[None]:
    """Failed requests as OSErrors, which the readers report as unreadable files. (ValueError: fsspec's HTTP
    file raises it when a server does not grant the range requests that seeking needs.)"""
    try:
        yield
    except OSError:
        raise
    except ValueError as exc:  # its first sentence says what; the others are advice for fsspec's callers
        raise OSError(errno.EIO, str(exc).split(". ")[0].rstrip(".")) from exc
    except errors() as exc:
        raise OSError(errno.EIO, " ".join(str(exc).split()) or type(exc).__name__) from exc


class _RemoteFile(io.RawIOBase):
    """An fsspec file whose failures are OSErrors (:func:`as_os_error`)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._inner.seekable()

    def readinto(self, buffer) -> int:
        with as_os_error():
            data = self._inner.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        with as_os_error():
            return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:
        if not self.closed:
            with as_os_error():
                self._inner.close()
        super().close()


def is_pattern(url: str) -> bool:
    """Whether ``url`` is a glob (on a server that cannot list, a ``?`` starts a query, so only ``*`` counts)."""
    return "*" in url if protocol(url) in UNLISTED else glob.has_magic(url)


def list_files(url: str) -> list[tuple[str, str | None]]:
    """``(file URL, root)`` of every file of the directory ``url`` (recursive; root: the directory, for patterns
    relative to it) or of the glob ``url`` (root ``None``; matched directories are listed as directories), or
    ``[(url, None)]`` for a single file; ``[]`` when nothing is there."""
    fs, path = filesystem(url)
    if protocol(url) in UNLISTED:
        if is_pattern(url) or url.endswith("/"):
            raise FloorError(f"{url}: {protocol(url)} servers cannot list files; name each file by its URL")
    try:
        fs.invalidate_cache()  # listings are cached for the life of the process; a new run lists anew
        if protocol(url) in UNLISTED:
            return [(url, None)] if fs.exists(path) else []
        if is_pattern(url):
            found = []
            for match, detail in sorted(fs.glob(path, detail=True).items()):
                if _hidden(path, match):
                    continue
                found.extend(_under(fs, match) if detail["type"] == "directory" else [(fs.unstrip_protocol(match),
                                                                                       None)])
            return found
        if fs.isdir(path):
            return _under(fs, path)
        return [(url, None)] if fs.exists(path) else []
    except (OSError, *errors()) as exc:
        raise failure(url, "list", exc) from None


def _hidden(pattern: str, match: str) -> bool:
    """A hidden file or directory that a wildcard matched, which a local glob leaves out (a pattern that names
    hidden names with a ``.`` of its own keeps them)."""
    if "/." in "/" + pattern:
        return False
    parts = pattern.split("/")
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    return any(part.startswith(".") for part in match.split("/")[fixed:])


def _under(fs, directory: str) -> list[tuple[str, str]]:
    root = fs.unstrip_protocol(directory.rstrip("/"))
    return [(fs.unstrip_protocol(path), root) for path in fs.find(directory)]


def is_directory(url: str) -> bool:
    """Whether ``url`` is a directory (a prefix) of a filesystem that lists (``False`` if it cannot be told)."""
    if protocol(url) in UNLISTED:
        return False
    fs, path = filesystem(url)
    try:
        return fs.isdir(path)
    except (OSError, *errors()):
        return False


def version(detail: dict) -> tuple[int | None, int, str]:
    """``(size, mtime in ns, version)`` of a file from its info: the version is the first of its ETag, version
    id, generation or checksum the filesystem reports ('' if none)."""
    size = detail.get("size")
    stamp = next((detail[name] for name in _MTIME_FIELDS if detail.get(name) is not None), None)
    label = next((str(detail[name]) for name in _VERSION_FIELDS if detail.get(name)), "")
    return size if isinstance(size, int) else None, _nanoseconds(stamp), label


def _nanoseconds(stamp) -> int:
    """A modification time in any of the forms filesystems give it, in whole seconds since the epoch, as ns (0:
    unknown). Whole seconds, because a store may list a time in ms that its per-file answer rounds to seconds
    (S3's listing, and its HTTP header)."""
    if isinstance(stamp, str):
        try:
            stamp = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            try:
                from email.utils import parsedate_to_datetime
                stamp = parsedate_to_datetime(stamp)
            except (TypeError, ValueError):
                return 0
    if isinstance(stamp, datetime.datetime):
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=datetime.timezone.utc)
        return int(stamp.timestamp()) * 1_000_000_000
    if isinstance(stamp, (int, float)):
        return int(stamp) * 1_000_000_000
    return 0
