"""Compiled knowledge tables, kept between runs so that a command starts fast.

Building the gazetteer, the actor knowledge base, the office tables and the lexicons from
their YAML and JSON sources takes seconds; unpickling the result takes a fraction of that.
:func:`cached` returns a table from the cache when one was compiled from exactly the same
inputs, and builds (and stores) it otherwise.

* **Key**: dyad's version, the Python version, the table's name and the SHA-256 of every
  source file (the data files *and* the module that compiles them), so an edited table or a
  new release never reads a stale entry; a pickled table's key also holds the sources' paths,
  so one installation never reads another's (whose files may be gone). The digest of a large
  file is remembered beside the entries while its size, modification time and inode stay the
  same (:func:`file_sha256`).
* **Where**: ``$DYAD_CACHE_DIR`` when set; else the user cache folder of the platform
  (``platformdirs``: ``~/.cache/dyad`` on Linux, honouring ``XDG_CACHE_HOME``); else, when
  that cannot be created, a private folder in the system's temporary directory.
  ``DYAD_CACHE_DIR=off`` (or ``0``) turns caching off. The :data:`KEEP` most recently used
  entries of each table are kept (reading one marks it used), so that switching between
  checkouts or versions that share the folder does not rebuild every time.
* **Safety**: entries are written to a temporary file and renamed into place (atomic on
  POSIX and Windows), so a reader never sees half a file; an entry that cannot be read or
  unpickled is deleted and rebuilt, never an error. The cache folder is created private to
  the user (mode 0700): entries are pickles, which only the user who wrote them may load.
* **Large arrays** (the language detector's tables, tens of megabytes): :func:`cached_arrays`
  stores them raw, one file per table, and maps them into memory when read, so that a run
  reads only the pages it touches (and forked workers share them).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from dyad._version import __version__

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

T = TypeVar("T")

ENV = "DYAD_CACHE_DIR"
_OFF = frozenset({"off", "0", "no", "false"})
KEEP = 4
"""Entries kept per table: the most recently used ones (one per checkout or version in use)."""
KEEP_ARRAYS = 2
"""The same for raw arrays, which are tens of megabytes each."""
_KEY_CHARS = 24
REMEMBER_BYTES = 1 << 20
"""Files at least this large have their digest remembered (see :func:`file_sha256`)."""


@cache
def cache_dir() -> Path | None:
    """The folder holding compiled tables, created when missing; None when caching is off."""
    override = os.environ.get(ENV)
    if override is not None and override.strip().lower() in _OFF:
        return None
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override))
    else:
        from platformdirs import user_cache_dir

        candidates.append(Path(user_cache_dir("dyad", appauthor=False)))
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    candidates.append(Path(tempfile.gettempdir()) / f"dyad-cache-{uid}")
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            log.debug("cache folder %s unusable (%s)", folder, exc)
            continue
        if os.access(folder, os.W_OK):
            return folder
    log.info("no writable cache folder; tables are compiled on every run")
    return None


def _digest(name: str, sources: Iterable[Path], key: str = "", *, where: bool = False) -> str:
    """The entry's key; ``where`` adds each source's absolute path (see :func:`cached`)."""
    h = hashlib.sha256()
    h.update(f"{name}\0{__version__}\0{sys.version_info[:3]}\0{key}\0".encode())
    for path in sorted(sources, key=str):
        label = os.path.abspath(path) if where else path.name
        h.update(label.encode() + b"\0")
        try:
            h.update(file_sha256(path))
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()[:_KEY_CHARS]


def _sha256(path: Path) -> bytes:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").digest()


def file_sha256(path: Path) -> bytes:
    """The SHA-256 of a file's bytes (OSError when it cannot be read).

    A file of :data:`REMEMBER_BYTES` or more (the bundled towns table, GeoNames' city list)
    takes milliseconds to hash on every run; its digest is remembered in the cache folder
    with the file's size, modification time and inode, and read back while all three are
    unchanged (as ``make`` trusts modification times).
    """
    stat = path.stat()
    folder = cache_dir()
    if folder is None or stat.st_size < REMEMBER_BYTES:
        return _sha256(path)
    stamp = f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"
    where = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:_KEY_CHARS]
    memo = folder / f"sha256-{where}.txt"
    with contextlib.suppress(OSError, ValueError):
        seen, _, hexdigest = memo.read_text(encoding="ascii").rpartition(" ")
        if seen == stamp:
            return bytes.fromhex(hexdigest)
    digest = _sha256(path)
    with contextlib.suppress(OSError):  # not remembered: hashed again next time
        fd, tmp = tempfile.mkstemp(prefix=".sha256-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(f"{stamp} {digest.hex()}")
            os.replace(tmp, memo)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return digest


def _files(sources: Iterable[Path]) -> list[Path]:
    """Source paths with folders expanded to the files under them."""
    out: list[Path] = []
    for path in sources:
        if path.is_dir():
            out.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            )
        else:
            out.append(path)
    return out


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], *, key: str = "") -> T:
    """``build()``'s result, read from the cache when it was compiled from the same sources.

    ``sources`` are the files (or folders) the result depends on: its data files and the
    module(s) that compile them; ``key`` stands for any other input (a digest of tables built
    in memory, a model's name and version). Any failure to read or write the cache falls back to
    ``build()``; the cache never turns a run into an error.

    The key holds the sources' absolute paths as well as their digests: a compiled table may
    keep the paths it was built from (the gazetteer's indexes rebuild from them), so an entry
    written by another installation, perhaps deleted since, is never read in this one.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_digest(name, _files(sources), key, where=True)}.pickle"
    loaded = _load(path)
    if loaded is not None:
        log.debug("cache: %s read from %s", name, path)
        _touch(path)
        return cast(T, loaded)
    value = build()
    _store(path, value, name)
    return value


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _positional(cls: type) -> bool:
    """True for a slotted dataclass whose fields all go through ``__init__``."""
    return (
        dataclasses.is_dataclass(cls)
        and "__slots__" in cls.__dict__
        and all(f.init for f in dataclasses.fields(cls))
    )


class _Pickler(pickle.Pickler):
    """Pickles read-only mappings, and slotted dataclasses as constructor calls (several
    times faster to load than the field-by-field state that frozen slotted classes get)."""

    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[MappingProxyType] = lambda m: (_proxy, (dict(m),))

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if isinstance(obj, type) or not _positional(cls):
            return NotImplemented
        return cls, tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def dumps(value: object) -> bytes:
    """``value`` pickled as the cache stores it."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


def _load(path: Path) -> object | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("cache: cannot read %s (%s)", path, exc)
        return None
    enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: the collector only slows loading down
    try:
        value: object = pickle.loads(data)
    except Exception as exc:  # a truncated, corrupt or incompatible entry: rebuild it
        log.warning("cache: ignoring unreadable %s (%s: %s)", path, type(exc).__name__, exc)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    finally:
        if enabled:
            gc.enable()
    return value


def _store(path: Path, value: object, name: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(dumps(value))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception as exc:  # unpicklable value, full disk, read-only folder
        log.info("cache: %s not stored (%s: %s)", name, type(exc).__name__, exc)
        return
    _prune(path, name)


def _touch(path: Path) -> None:
    """Mark an entry as just used (its modification time), for :func:`_prune`."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _entries(folder: Path, name: str, suffix: str) -> list[Path]:
    """The entries of table ``name`` (any key) in ``folder``, most recently used first."""
    found: list[tuple[float, Path]] = []
    for path in folder.glob(f"{name}-*{suffix}"):
        key = path.name[len(name) + 1 : len(path.name) - len(suffix)]
        if len(key) != _KEY_CHARS or not all(c in "0123456789abcdef" for c in key):
            continue  # another table whose name starts with this one's
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime, path))
    return [p for _, p in sorted(found, key=lambda tp: tp[0], reverse=True)]


def _prune(keep: Path, name: str, most: int = KEEP) -> None:
    """Delete all but the ``most`` most recently used entries of the same table, so the
    cache stays small while switching between checkouts or versions rebuilds nothing."""
    old = [p for p in _entries(keep.parent, name, keep.suffix) if p != keep]
    for path in old[most - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()


# --- raw arrays, memory-mapped -------------------------------------------------------------

_MAGIC = b"DYADARR1"
_ALIGN = 64


def cached_arrays(
    name: str, sources: Iterable[Path], build: Callable[[], Mapping[str, NDArray[Any]]]
) -> dict[str, NDArray[Any]]:
    """Like :func:`cached` for a mapping of numpy arrays: stored raw in one file and read
    back as read-only memory maps (only the pages used are ever read from disk)."""
    folder = cache_dir()
    if folder is None:
        return dict(build())
    path = folder / f"{name}-{_digest(name, _files(sources))}.arrays"
    loaded = _map_arrays(path)
    if loaded is not None:
        log.debug("cache: %s mapped from %s", name, path)
        _touch(path)
        return loaded
    value = dict(build())
    _store_arrays(path, value, name)
    return value


def _aligned(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def _map_arrays(path: Path) -> dict[str, NDArray[Any]] | None:
    """The arrays of an entry (layout: magic, header length, JSON header, aligned data)."""
    import numpy as np

    try:
        with path.open("rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not an array entry")
            size = int.from_bytes(fh.read(8), "little")
            header = json.loads(fh.read(size))
        base = _aligned(len(_MAGIC) + 8 + size)
        out: dict[str, NDArray[Any]] = {}
        for key, (dtype, shape, offset) in header.items():
            if 0 in shape:
                out[key] = np.zeros(shape, dtype=np.dtype(dtype))
            else:
                out[key] = np.memmap(
                    path, dtype=np.dtype(dtype), mode="r", offset=base + offset, shape=tuple(shape)
                )
        return out
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:  # truncated or foreign: rebuild
        log.warning("cache: ignoring unreadable %s (%s: %s)", path, type(exc).__name__, exc)
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _store_arrays(path: Path, arrays: Mapping[str, NDArray[Any]], name: str) -> None:
    import numpy as np

    header: dict[str, tuple[str, list[int], int]] = {}
    offset = 0
    for key, arr in arrays.items():
        header[key] = (arr.dtype.str, list(arr.shape), offset)
        offset = _aligned(offset + arr.nbytes)
    head = json.dumps(header).encode()
    base = _aligned(len(_MAGIC) + 8 + len(head))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + len(head).to_bytes(8, "little") + head)
                for key, arr in arrays.items():
                    fh.seek(base + header[key][2])
                    fh.write(np.ascontiguousarray(arr).tobytes())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception as exc:  # full disk, read-only folder
        log.info("cache: %s not stored (%s: %s)", name, type(exc).__name__, exc)
        return
    _prune(path, name, KEEP_ARRAYS)


# --- files built by the caller (indexes) ------------------------------------------------------


def cached_file(name: str, sources: Iterable[Path], build: Callable[[Path], None]) -> Path | None:
    """The path of a file that ``build(path)`` writes (an index, say), built once per set of
    ``sources`` and kept in the cache; None when caching is off or the file cannot be written
    (the caller then builds what it needs in memory). ``build`` writes a temporary file that
    is renamed into place when complete, so a reader never sees half an index."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{name}-{_digest(name, _files(sources))}.db"
    if path.is_file():
        return path
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        os.close(fd)
        Path(tmp).unlink()  # the builder creates the file itself
        try:
            build(Path(tmp))
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:  # full disk, read-only folder
        log.info("cache: %s not stored (%s: %s)", name, type(exc).__name__, exc)
        return None
    _prune(path, name)
    return path
