"""The cache of compiled tables: hits, invalidation, corruption and fallbacks."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from dyad import cache


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    weight: int


def builder(calls: list[int], value: object) -> object:
    def build() -> object:
        calls.append(1)
        return value

    return build


def test_built_once_then_read(cache_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    calls: list[int] = []
    value = {"entries": (Entry("Kyiv", 3),), "index": MappingProxyType({"kyiv": 0})}
    first = cache.cached("t", [source], builder(calls, value))
    second = cache.cached("t", [source], builder(calls, value))
    assert calls == [1]
    assert second == first and second is not first
    assert isinstance(second["index"], MappingProxyType)  # type: ignore[index]
    assert [p.name.startswith("t-") for p in cache_in.iterdir()] == [True]


def test_changed_source_rebuilds_and_keeps_the_recent_entries(
    cache_in: Path, tmp_path: Path
) -> None:
    source = tmp_path / "table.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    calls: list[int] = []
    assert cache.cached("t", [source], builder(calls, 1)) == 1
    source.write_text("a: 2\n", encoding="utf-8")
    assert cache.cached("t", [source], builder(calls, 2)) == 2
    assert calls == [1, 1]
    assert len(list(cache_in.glob("t-*.pickle"))) == 2


def _age_all(folder: Path) -> None:
    """Date every entry a little further back, so the next use is clearly the latest."""
    import os

    for path in folder.iterdir():
        st = path.stat()
        os.utime(path, (st.st_atime - 10, st.st_mtime - 10))


@dataclass(frozen=True, slots=True)
class Lazy:
    """A table that reads its source again later, as the gazetteer's indexes do."""

    source: Path

    def read(self) -> str:
        return self.source.read_text(encoding="utf-8")


def test_another_installations_entry_is_not_read(cache_in: Path, tmp_path: Path) -> None:
    """Two installations with identical files (an old venv since deleted, a new one) must not
    share a pickle that holds the old one's paths."""
    old, new = tmp_path / "old-venv", tmp_path / "new-venv"
    for where in (old, new):
        where.mkdir()
        (where / "places.yaml").write_text("kyiv: UKR\n", encoding="utf-8")
    first = cache.cached("lazy", [old / "places.yaml"], lambda: Lazy(old / "places.yaml"))
    assert first.read() == "kyiv: UKR\n"
    (old / "places.yaml").unlink()
    old.rmdir()
    second = cache.cached("lazy", [new / "places.yaml"], lambda: Lazy(new / "places.yaml"))
    assert second.source == new / "places.yaml"
    assert second.read() == "kyiv: UKR\n"


def test_switching_back_to_a_kept_version_does_not_rebuild(cache_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.yaml"
    calls: list[int] = []
    for n in range(cache.KEEP):  # KEEP versions of the table, version 0 the oldest
        source.write_text(f"a: {n}\n", encoding="utf-8")
        assert cache.cached("t", [source], builder(calls, n)) == n
        _age_all(cache_in)
    source.write_text("a: 0\n", encoding="utf-8")
    assert cache.cached("t", [source], builder(calls, -1)) == 0  # read, and marked as used
    assert len(calls) == cache.KEEP
    _age_all(cache_in)
    source.write_text("a: new\n", encoding="utf-8")
    assert cache.cached("t", [source], builder(calls, "new")) == "new"
    assert len(list(cache_in.glob("t-*.pickle"))) == cache.KEEP
    source.write_text("a: 0\n", encoding="utf-8")  # version 0 was used lately: still there
    assert cache.cached("t", [source], builder(calls, -1)) == 0
    source.write_text("a: 1\n", encoding="utf-8")  # version 1, the least recently used: gone
    assert cache.cached("t", [source], builder(calls, 1)) == 1
    assert len(calls) == cache.KEEP + 2


def test_pruning_leaves_tables_whose_names_extend_this_one(cache_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    cache.cached("t-extra", [source], lambda: "other")
    for n in range(cache.KEEP + 2):
        source.write_text(f"a: {n}\n", encoding="utf-8")
        cache.cached("t", [source], builder([], n))
    assert len(list(cache_in.glob("t-extra-*.pickle"))) == 1


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", pickle.dumps(1)[:-3]])
def test_corrupt_entry_is_rebuilt(cache_in: Path, tmp_path: Path, garbage: bytes) -> None:
    source = tmp_path / "table.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    calls: list[int] = []
    cache.cached("t", [source], builder(calls, "v"))
    [entry] = cache_in.glob("t-*.pickle")
    entry.write_bytes(garbage)
    assert cache.cached("t", [source], builder(calls, "v")) == "v"
    assert calls == [1, 1]
    assert cache.cached("t", [source], builder(calls, "v")) == "v"
    assert calls == [1, 1]


def test_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    cache.cache_dir.cache_clear()
    calls: list[int] = []
    try:
        cache.cached("t", [], builder(calls, 1))
        cache.cached("t", [], builder(calls, 1))
    finally:
        cache.cache_dir.cache_clear()
    assert calls == [1, 1]


def test_unusable_folder_falls_back_to_a_private_temporary_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "sub"))
    monkeypatch.setattr(cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    cache.cache_dir.cache_clear()
    try:
        folder = cache.cache_dir()
    finally:
        cache.cache_dir.cache_clear()
    assert folder is not None and folder.parent == tmp_path / "tmp"
    assert folder.stat().st_mode & 0o077 == 0


def test_unpicklable_value_is_returned_not_stored(cache_in: Path) -> None:
    calls: list[int] = []
    value = (lambda: 1,)
    assert cache.cached("t", [], builder(calls, value)) is value
    assert not list(cache_in.glob("t-*.pickle"))


def test_bundled_gazetteer_round_trips(cache_in: Path) -> None:
    from dyad.geo.gazetteer import build_gazetteer

    gaz = build_gazetteer()
    data = cache.dumps(gaz)
    assert len(data) < 300_000  # the places stay in the name index's file
    again = pickle.loads(data)
    assert len(again) == len(gaz)
    assert again.lookup("Kyiv") == gaz.lookup("Kyiv")
    assert again.neighbours("UKR") == gaz.neighbours("UKR")


def _arrays() -> dict[str, np.ndarray]:
    return {
        "table": np.arange(12, dtype=np.float16).reshape(3, 4),
        "labels": np.array(["en", "fr", "es"]),
        "moves": np.array([0, 7, 65535], dtype=np.uint16),
        "empty": np.zeros((0, 5), dtype=np.int32),
    }


def counted(calls: list[int]) -> Callable[[], dict[str, np.ndarray]]:
    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return _arrays()

    return build


def _equal(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> bool:
    return got.keys() == want.keys() and all(
        got[k].dtype == want[k].dtype and np.array_equal(got[k], want[k]) for k in want
    )


def test_arrays_mapped_back_read_only(cache_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    calls: list[int] = []
    first = cache.cached_arrays("a", [source], counted(calls))
    second = cache.cached_arrays("a", [source], counted(calls))
    assert calls == [1]
    assert _equal(first, _arrays()) and _equal(second, _arrays())
    assert isinstance(second["table"], np.memmap)
    assert not second["table"].flags.writeable
    source.write_bytes(b"other weights")
    cache.cached_arrays("a", [source], counted(calls))
    assert calls == [1, 1]
    source.write_bytes(b"third weights")
    cache.cached_arrays("a", [source], counted(calls))
    assert len(list(cache_in.glob("a-*.arrays"))) == cache.KEEP_ARRAYS


@pytest.mark.parametrize("cut", [0, 5, 20, 200])
def test_truncated_array_entry_is_rebuilt(cache_in: Path, tmp_path: Path, cut: int) -> None:
    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    calls: list[int] = []
    cache.cached_arrays("a", [source], counted(calls))
    [entry] = cache_in.glob("a-*.arrays")
    entry.write_bytes(entry.read_bytes()[:cut])
    assert _equal(cache.cached_arrays("a", [source], counted(calls)), _arrays())
    assert calls == [1, 1]


def test_a_cached_file_is_built_once_and_kept_whole(cache_in: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.tsv"
    source.write_text("a\t1\n", encoding="utf-8")
    calls: list[Path] = []

    def build(path: Path) -> None:
        calls.append(path)
        path.write_bytes(b"index")

    first = cache.cached_file("ix", [source], build)
    assert first is not None and first.read_bytes() == b"index"
    assert cache.cached_file("ix", [source], build) == first
    assert len(calls) == 1 and calls[0] != first  # written aside, renamed into place
    assert [p.name for p in cache_in.iterdir()] == [first.name]


def test_a_cached_file_is_none_when_caching_is_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    cache.cache_dir.cache_clear()
    try:
        assert cache.cached_file("ix", [tmp_path], lambda p: p.write_bytes(b"")) is None
    finally:
        cache.cache_dir.cache_clear()


def _hashes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every file that is actually read and hashed."""
    read: list[Path] = []
    real = cache._sha256

    def counting(path: Path) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(cache, "_sha256", counting)
    return read


def test_a_large_files_digest_is_remembered_until_it_changes(
    cache_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import os

    monkeypatch.setattr(cache, "REMEMBER_BYTES", 1000)
    big = tmp_path / "towns.tsv"
    big.write_bytes(b"x" * 5000)
    read = _hashes(monkeypatch)
    first = cache.file_sha256(big)
    assert first == hashlib.sha256(b"x" * 5000).digest()
    assert cache.file_sha256(big) == first
    assert read == [big]  # the second time from the remembered digest
    big.write_bytes(b"y" * 5000)  # same size, new modification time
    st = big.stat()
    os.utime(big, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cache.file_sha256(big) == hashlib.sha256(b"y" * 5000).digest()
    assert read == [big, big]


@pytest.mark.parametrize("memo", ["", "garbage", "1 2 3 not-hex", "\x00\xff"])
def test_an_unreadable_remembered_digest_is_recomputed(
    cache_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: str
) -> None:
    import hashlib

    monkeypatch.setattr(cache, "REMEMBER_BYTES", 1000)
    big = tmp_path / "cities.json"
    big.write_bytes(b"z" * 3000)
    cache.file_sha256(big)
    [path] = cache_in.glob("sha256-*.txt")
    path.write_bytes(memo.encode("latin-1"))
    assert cache.file_sha256(big) == hashlib.sha256(b"z" * 3000).digest()


def test_small_files_are_hashed_every_time(
    cache_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = tmp_path / "table.yaml"
    small.write_text("a: 1\n", encoding="utf-8")
    read = _hashes(monkeypatch)
    cache.file_sha256(small)
    cache.file_sha256(small)
    assert read == [small, small]
    assert not list(cache_in.glob("sha256-*"))
