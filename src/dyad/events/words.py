"""Word lists that steer the coder, read from versioned YAML files and validated at load.

Each file (``events/data/words/*.yaml``, ``actors/data/words.yaml``) is a mapping with
``version: 1`` and one key per list; every list holds non-empty strings, written exactly as
the coder compares them (lemmas or lower-case words). A module names the lists it needs: a
missing, extra or malformed list is a :class:`~dyad.errors.KnowledgeBaseError` naming the
file and the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from dyad.errors import KnowledgeBaseError

WordLists = Mapping[str, frozenset[str]]


def parse_word_lists(path: Path, names: Iterable[str]) -> WordLists:
    """Read ``path`` and check that it holds exactly the lists ``names``."""
    import yaml

    wanted = tuple(names)

    def fail(reason: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(str(path), f"{reason}; fix the file (see its header)")

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise fail(f"cannot read the word lists ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("version") != 1:
        raise fail("expected a mapping with version: 1")
    lists = {k: v for k, v in raw.items() if k != "version"}
    missing = sorted(set(wanted) - set(lists))
    extra = sorted(set(lists) - set(wanted))
    if missing or extra:
        raise fail(f"lists missing {missing}, unknown {extra}")
    out: dict[str, frozenset[str]] = {}
    for name in wanted:
        value = lists[name]
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise fail(f"{name!r} must be a list of non-empty words")
        out[name] = frozenset(value)
    return MappingProxyType(out)


@cache
def load_word_lists(path: Path, names: tuple[str, ...]) -> WordLists:
    """The word lists of one bundled file, read once per process (through the cache of
    compiled tables, :mod:`dyad.cache`: the YAML is parsed and checked only when it changed)."""
    from dyad.cache import cached

    return cached(
        f"words-{path.stem}",
        [path, Path(__file__)],
        lambda: parse_word_lists(path, names),
        key="\0".join(names),
    )
