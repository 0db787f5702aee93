"""Suite-wide settings: Hypothesis examples are judged on their result, not on how fast a
shared machine generated them (its health checks for slow generation fail under load);
the cache of compiled tables in a folder of the test's own (``cache_in``)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from dyad import cache

settings.register_profile(
    "dyad", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("dyad")


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The cache of compiled tables in a fresh folder of this test's own (returned)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    cache.cache_dir.cache_clear()
    yield folder
    cache.cache_dir.cache_clear()
