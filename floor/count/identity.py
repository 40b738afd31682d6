"""What an input file *is*, whatever its path is spelled like: the identity a counts directory records per input.

An identity is the file's real path (symbolic links resolved), its device and inode on the host that scanned
it, and a version: size, modification time (ns) and a content fingerprint (xxh3 of the size and of the first and
last 64 KiB, so it costs two reads however large the file). Comparisons:

* the *same file* within one scan: the same device and inode (hard links, symbolic links and spellings such as
  ``./a`` and ``/abs/a`` are one file, counted once);
* the *same version* on resume: size, mtime and fingerprint unchanged (the device number is left out: it may
  differ after a reboot or remount);
* the *same input* across directories (merge): the same content at the same real path, or the same inode on
  the same host. Two machines may hold different files under one path, so a path alone never matches; a copy
  of a file at another path is another input, as two copies given to one scan are.

Stdin and other non-regular inputs have no identity (``None``). An inode number 0 (file systems that have none)
never makes two files the same.

A remote input (a URL, :mod:`floor.sources.remote`) is its URL: its version is what its filesystem lists (size,
modification time and the first of ETag, version id, generation or checksum that it reports, fingerprinted
with the size; without any, the edges of its content, as for a local file), with device and inode 0 and no host.
"""

from __future__ import annotations

import functools
import os
import socket
import stat
from dataclasses import asdict, dataclass

import xxhash

from ..errors import FloorError
from ..sources import remote

_EDGE_BYTES = 64 << 10
_FIELDS = {"path": str, "real": str, "size": int, "mtime_ns": int, "fingerprint": str, "device": int, "inode": int,
           "host": str}


@dataclass(frozen=True)
class InputIdentity:
    path: str  # as the scan that planned it was given it
    real: str
    size: int
    mtime_ns: int
    fingerprint: str
    device: int
    inode: int
    host: str

    @property
    def key(self) -> tuple:
        """Unique among the inputs of one counts directory: the content at one place."""
        return (self.real, self.size, self.fingerprint)

    def same_version(self, other: "InputIdentity") -> bool:
        return (self.size, self.mtime_ns, self.fingerprint) == (other.size, other.mtime_ns, other.fingerprint)

    def same_input(self, other: "InputIdentity") -> bool:
        """The same input, possibly scanned under another spelling or into another directory (see module doc)."""
        if (self.size, self.fingerprint) != (other.size, other.fingerprint):
            return False
        return self.real == other.real or (self.inode != 0 and (self.host, self.device, self.inode) ==
                                           (other.host, other.device, other.inode))

    def change(self, now: "InputIdentity") -> str:
        """How ``now`` differs from this version, in words ('' if it does not)."""
        if self.size != now.size:
            return f"{self.size:,} bytes then, {now.size:,} now"
        if self.fingerprint != now.fingerprint:
            return "its content differs"
        if self.mtime_ns != now.mtime_ns:
            return "it was modified since"
        return ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data, where: str) -> "InputIdentity":
        """The identity :meth:`as_dict` wrote; a FloorError naming ``where`` if it is not one."""
        if not isinstance(data, dict):
            raise FloorError(f"{where}: an input identity must be an object, not {type(data).__name__}")
        for name, kind in _FIELDS.items():
            value = data.get(name)
            if type(value) is not kind or (kind is int and value < 0 and name != "mtime_ns"):
                raise FloorError(f"{where}: input identity field {name!r} must be a{'' if kind is str else ' whole'} "
                                 f"{'string' if kind is str else 'number >= 0'}, not {value!r}")
        return cls(**{name: data[name] for name in _FIELDS})


def identify(path: str, fresh: bool = False) -> InputIdentity | None:
    """The identity of the regular file at ``path``; ``None`` for stdin, pipes and what cannot be read now (the
    map task that reads it reports why). A remote file's is as its filesystem last listed it (``fresh``: as its
    server says now)."""
    if remote.is_url(path):
        return _remote_identity(path, fresh)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None
        real = os.path.realpath(path)
        fingerprint = _fingerprint(real, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        return None
    return InputIdentity(path=path, real=real, size=info.st_size, mtime_ns=info.st_mtime_ns, fingerprint=fingerprint,
                         device=info.st_dev, inode=info.st_ino, host=_host())


@functools.lru_cache(maxsize=1 << 16)
def _fingerprint(real: str, device: int, inode: int, size: int, mtime_ns: int, ctime_ns: int) -> str:
    # Cached by what stat says, so planning a scan twice (the API, then the engine) reads each file once, and
    # forked workers checking their input inherit the answer. Any write (or a reset mtime) changes the ctime.
    digest = xxhash.xxh3_64(size.to_bytes(8, "little"))
    with open(real, "rb") as handle:
        _edges(handle, size, digest)
    return digest.hexdigest()


def _edges(handle, size: int, digest) -> None:
    """Feed ``digest`` the first and last 64 KiB of the open file of ``size`` bytes."""
    digest.update(handle.read(_EDGE_BYTES))
    if size > _EDGE_BYTES:
        handle.seek(max(_EDGE_BYTES, size - _EDGE_BYTES))
        digest.update(handle.read(_EDGE_BYTES))


def _remote_identity(url: str, fresh: bool) -> InputIdentity | None:
    try:
        size, mtime_ns, label = remote.version(remote.info(url, fresh))
        if size is None:  # a server that does not say: its content cannot be followed either
            return None
        digest = xxhash.xxh3_64(size.to_bytes(8, "little"))
        if label:
            digest.update(label.encode())
        else:
            with remote.open_file(url) as handle:
                _edges(handle, size, digest)
    except OSError:
        return None
    return InputIdentity(path=url, real=url, size=size, mtime_ns=mtime_ns, fingerprint=digest.hexdigest(),
                         device=0, inode=0, host="")


@functools.cache
def _host() -> str:
    return socket.gethostname()
