"""The domain of a document, for per-domain floors: a field of its record, the registered domain of a URL field,
or the directory its file lies in, optionally renamed by a domain map.

A rule is plain data (it pickles to worker processes and Ray tasks). Readers take the raw value with
:meth:`DomainRule.raw` for every record (a type check: a value that is not a string is a ``bad_domain`` record
error); :meth:`DomainRule.name` turns it into the domain name (of every document: documents are counted per
domain), and caches what it computed.

* ``field``: the value itself. A dotted path reaches into nested objects (``metadata.source``).
* ``url``: the registered domain of the URL's host under the ICANN section of the Public Suffix List, as the
  ``publicsuffixlist`` package ships it (read from the package, never fetched): ``https://en.wikipedia.org/x``
  is ``wikipedia.org``, ``http://news.bbc.co.uk`` is ``bbc.co.uk``; a host that is an IP address is itself; a
  host under no known suffix (``localhost``) is itself, lowercased.
* ``path``: the first directory under the input root that the file was found in (``documents/<source>/x.gz``
  of the input ``documents`` is in ``<source>``): a directory input is its own root, a glob's root is the part
  before its first wildcard, and a file named alone lies in its root.
* ``language``: the language of the pack that read the document's facts (``fr``), ``other`` for a document in
  which packs found statements in a language no chosen pack reads (it gives no facts), and :data:`NO_DOMAIN` for
  a document without statements (whose language extraction did not need to know).
* A record without the field, or with a null or empty one, a URL without a host (``not a url``,
  ``mailto:x@y``) or whose host is a public suffix alone (``co.uk``), and a file that lies in its root (or is
  stdin) are in the domain :data:`NO_DOMAIN`.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from urllib.parse import urlsplit

from floor.count.summary import NO_DOMAIN
from floor.errors import FloorError, InputError
from floor.sources import remote
from floor.sources.paths import STDIN
from floor.sources.records import json_type

_MAP_DIGEST_CHARS = 16
_SCHEMELESS = re.compile(r"[\w-]+(\.[\w-]+)+\.?(:[0-9]*)?(/|$)")  # a dotted host name first: not 'garbage'
_HOST_NAME = re.compile(r"[\w.-]+")  # letters (IDN too), digits, dots, hyphens: no spaces, no @
_CACHED_NAMES = 1 << 16  # domain names remembered per rule (hosts, for URLs) before the cache starts anew


@dataclass(frozen=True)
class DomainRule:
    """Where a document's domain comes from: ``by`` ``field`` or ``url``, the ``field`` (a dotted path), or
    ``path``, the file's directory under one of the ``roots``, or ``language``, extraction's; then renamed by ``mapping`` (raw domain -> name;
    one not in it keeps its name). ``map_digest`` identifies the map's content in the counts' parameters, so
    that counts made with different maps are never mixed."""

    by: str
    field: str | None
    mapping: tuple[tuple[str, str], ...] | None = None
    map_digest: str | None = None
    roots: tuple[str, ...] = ()  # by path: the absolute roots of the inputs, in input order
    _names: dict = dataclass_field(default_factory=dict, init=False, repr=False, compare=False)
    _lookup: dict = dataclass_field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self._lookup.update(self.mapping or ())

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.field.split("."))

    @property
    def column(self) -> str | None:
        """The top-level field (Parquet column) the domain is read from (``None``: from the file's path, or the
        document's language)."""
        return None if self.field is None else self.path[0]

    def for_inputs(self, inputs: Sequence[str]) -> "DomainRule":
        """The rule for a scan of ``inputs`` (as given: files, directories, globs): by path, their roots."""
        if self.by != "path":
            return self
        if isinstance(inputs, str):
            inputs = [inputs]  # one input, not its characters
        return replace(self, roots=tuple(dict.fromkeys(_root(str(item)) for item in inputs if item != STDIN)))

    def file_domain(self, path: str) -> str | None:
        """By path: the raw domain of every record of the input ``path`` (``None``: in its root, or stdin)."""
        if path == STDIN:
            return None
        url = remote.is_url(path)
        where, sep = (path, "/") if url else (os.path.abspath(path), os.sep)
        for root in self.roots:
            if where.startswith(root.rstrip(sep) + sep):
                inside = where[len(root.rstrip(sep)) + 1:].split(sep)
                return inside[0] if len(inside) > 1 else None
        return None

    def as_params(self) -> dict:
        """The rule as counts record it; by path with its roots, which decide what the domains are (counts made
        under other roots must not be mixed with these)."""
        params = {"by": self.by, "field": self.field, "map": self.map_digest}
        if self.by == "path":
            params["roots"] = sorted(set(self.roots))
        return params

    def raw(self, record: dict, where: str, location) -> str | None:
        """The record's raw domain value (``None``: none); an ``InputError`` if it is not a string."""
        value = record
        for key in self.path:
            value = value.get(key) if isinstance(value, dict) else None
            if value is None:
                return None
        if type(value) is not str:
            reason = f"domain field {self.field!r} is {json_type(value)}, not a string"
            raise InputError(where, location, reason, kind="bad_domain")
        return value or None

    def name(self, raw: str | None) -> str:
        """The domain name of a raw value (see the module docstring), remembered: the same names recur (a URL's
        by its start up to its host, :func:`_site`, so that a URL is parsed once per site, not per document)."""
        url = self.by == "url" and raw is not None
        key = _site(raw) if url else raw
        name = self._names.get(key)
        if name is None:
            if len(self._names) >= _CACHED_NAMES:
                self._names.clear()
            name = self._names[key] = self._rename(registered_domain(_host(key)) if url else key)
        return name

    def _rename(self, domain: str | None) -> str:
        return NO_DOMAIN if domain is None else self._lookup.get(domain, domain)


def _root(item: str) -> str:
    """The absolute root of one input: a directory itself, a glob up to its first wildcard, a file's directory
    (a URL's: the prefix, as spelt)."""
    if remote.is_url(item):
        if glob.has_magic(item):
            return item[:next(i for i, c in enumerate(item) if c in "*?[")].rpartition("/")[0]
        return item.rstrip("/") if remote.is_directory(item) else item.rpartition("/")[0]
    if not os.path.isdir(item) and not os.path.lexists(item) and glob.has_magic(item):
        fixed = []
        for part in item.split(os.sep):
            if glob.has_magic(part):
                break
            fixed.append(part)
        item = os.sep.join(fixed) or os.curdir
    elif not os.path.isdir(item):
        item = os.path.dirname(item) or os.curdir
    return os.path.abspath(item)


def _site(url: str) -> str:
    """``url`` cut before the first '/' after its ``://`` (after its first two characters, without one): the
    same host by :func:`_host`, which finds the host before that '/'. Whole if whitespace precedes the cut,
    which :func:`_host` would strip from the cut URL but not from the whole one."""
    end = url.find("/", url.find("://") + 3)
    return url if end < 0 or url[end - 1].isspace() else url[:end]


def _host(url: str) -> str | None:
    """The host of ``url``: of ``scheme://host...``, or of a URL without a scheme that starts with a dotted
    host name (``en.wikipedia.org/wiki/X``); ``None`` for anything else, or a host that is not a host name."""
    url = url.strip()
    if "://" not in url:
        if not _SCHEMELESS.match(url):
            return None
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    host = (host or "").rstrip(".")
    return host if host and (_HOST_NAME.fullmatch(host) or ":" in host) else None


def registered_domain(host: str | None) -> str | None:
    """The registered domain of a host (``None``: no host, or a public suffix alone)."""
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    return _suffix_list().privatesuffix(host) if "." in host else host


@functools.cache
def _suffix_list():
    from publicsuffixlist import PublicSuffixList  # the list shipped with the package; nothing is downloaded

    return PublicSuffixList(only_icann=True)


def domain_rule(*, domain_field: str | None = None, domain_from: str | None = None,
                domain_map: str | None = None) -> DomainRule | None:
    """The rule of the domain options (``None``: no domains): ``domain_field`` FIELD, or ``domain_from``
    ``url`` / ``url=FIELD`` / ``path`` (then :meth:`DomainRule.for_inputs` gives the roots) / ``language`` (the
    language of the pack that read the document's facts: ``en``, ``fr``...; ``other`` when packs found statements
    in a language no chosen pack reads; a document without statements in none); ``domain_map``: a TSV file of
    ``raw<TAB>domain`` lines."""
    if domain_field is not None and domain_from is not None:
        raise FloorError("give --domain-field or --domain-from, not both")
    if domain_field is not None:
        rule = DomainRule("field", _field_path(domain_field, "--domain-field"))
    elif domain_from is not None:
        by, sep, field = domain_from.partition("=")
        if by not in ("url", "path", "language") or (by in ("path", "language") and sep):
            raise FloorError(f"--domain-from must be url, url=FIELD, path or language, not {domain_from!r}")
        rule = DomainRule(by, None) if by in ("path", "language") else \
            DomainRule(by, _field_path(field if sep else "url", "--domain-from url="))
    else:
        if domain_map is not None:
            raise FloorError("--domain-map renames domains: give --domain-field or --domain-from too")
        return None
    if domain_map is None:
        return rule
    mapping, digest = read_domain_map(domain_map)
    return replace(rule, mapping=mapping, map_digest=digest)


def _field_path(field: str, option: str) -> str:
    if not field or any(not part for part in field.split(".")):
        raise FloorError(f"{option} needs a field name or a dotted path such as metadata.source, not {field!r}")
    return field


def read_domain_map(path: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The ``raw<TAB>domain`` lines of a domain map (blank lines and lines starting with ``#`` ignored) and a
    digest of its content. A malformed line, or a raw value given twice, is an error naming ``path:line``."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FloorError(f"{path}: cannot read domain map ({exc.strerror or exc})") from None
    mapping: dict[str, str] = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        try:
            text = line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            raise FloorError(f"{path}:{lineno}: invalid UTF-8 in the domain map") from None
        if not text.strip() or text.startswith("#"):
            continue
        fields = text.split("\t")
        if len(fields) != 2 or not fields[0] or not fields[1].strip():
            raise FloorError(f"{path}:{lineno}: expected 'raw value<TAB>domain name', got {text!r}")
        raw, domain = fields[0], fields[1].strip()
        if raw in mapping:
            raise FloorError(f"{path}:{lineno}: {raw!r} is mapped twice")
        mapping[raw] = domain
    if not mapping:
        raise FloorError(f"{path}: the domain map has no 'raw value<TAB>domain name' line")
    digest = hashlib.sha256(data).hexdigest()[:_MAP_DIGEST_CHARS]
    return tuple(sorted(mapping.items())), digest
