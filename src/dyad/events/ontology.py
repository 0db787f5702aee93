"""The event ontology: every CAMEO event code with its Goldstein weight and PLOVER 2.0 mapping.

The table lives in ``data/cameo.tsv`` (tab-separated, ``# version: N`` before the column
header). It holds the 20 roots (``01``..``20``), every three-digit base code and every
four-digit code. A root's own row stands for its "not further specified" meaning; base codes
ending in ``0`` (``040``, ``190``) are the explicit "not further specified" codes.

``quad_class``, ``root`` and ``parent`` are derived from the code itself: a three-digit code's
parent is its root, a four-digit code's parent is its three-digit base.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dyad.errors import KnowledgeBaseError

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "cameo.tsv"

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
"""The sixteen PLOVER 2.0 event types."""

OTHER_TYPE = "OTHER"
"""dyad's label for CAMEO public-statement codes that PLOVER 2.0 does not treat as events."""

KNOWN_TYPES: frozenset[str] = frozenset((*PLOVER_TYPES, OTHER_TYPE))

COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "goldstein",
    "plover_type",
    "plover_mode",
    "plover_context",
)

ROOTS: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 21))

_CODE_RE = re.compile(r"^\d{2,4}$")
_LABEL_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_VERSION_RE = re.compile(r"^#\s*version\s*:\s*(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class Code:
    """One CAMEO event code."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    root: str
    parent: str | None
    plover_type: str
    plover_mode: str | None
    plover_context: tuple[str, ...]

    @property
    def depth(self) -> int:
        """1 for a root, 2 for a three-digit base code, 3 for a four-digit code."""
        return len(self.code) - 1


def quad_class_of(root: str) -> int:
    """The quad class of a root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4.

    1 is verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    A longer code is accepted and read by its first two digits.
    """
    if not _CODE_RE.match(root):
        raise ValueError(f"CAMEO code {root!r}: expected 2 to 4 digits")
    n = int(root[:2])
    if not 1 <= n <= 20:
        raise ValueError(f"CAMEO code {root!r}: root {root[:2]} is not between 01 and 20")
    if n <= 5:
        return 1
    if n <= 8:
        return 2
    if n <= 13:
        return 3
    return 4


def _parent_of(code: str) -> str | None:
    if len(code) == 2:
        return None
    if len(code) == 3:
        return code[:2]
    return code[:3]


class Ontology:
    """All CAMEO codes, looked up by code string (``"040"``, ``"1712"``)."""

    __slots__ = ("_by_code", "_children", "path", "version")

    def __init__(self, codes: tuple[Code, ...], version: str, path: str = "<memory>") -> None:
        self.version = version
        self.path = path
        self._by_code: dict[str, Code] = {c.code: c for c in codes}
        children: dict[str, list[Code]] = {}
        for c in codes:
            if c.parent is not None:
                children.setdefault(c.parent, []).append(c)
        self._children: dict[str, tuple[Code, ...]] = {
            k: tuple(sorted(v, key=lambda x: x.code)) for k, v in children.items()
        }

    def __getitem__(self, code: str) -> Code:
        found = self._by_code.get(code)
        if found is None:
            raise KeyError(
                f"{code!r} is not a CAMEO event code in {self.path} "
                "(codes are 2 to 4 digits as strings, e.g. '04', '040', '0871')"
            )
        return found

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def roots(self) -> tuple[Code, ...]:
        """The 20 roots, in order."""
        return tuple(self._by_code[r] for r in ROOTS if r in self._by_code)

    def children(self, code: str) -> tuple[Code, ...]:
        """The codes one level below ``code`` (none for a four-digit code)."""
        self[code]
        return self._children.get(code, ())

    def descendants(self, code: str) -> tuple[Code, ...]:
        """Every code below ``code``, depth first."""
        out: list[Code] = []
        for child in self.children(code):
            out.append(child)
            out.extend(self.descendants(child.code))
        return tuple(out)

    def __iter__(self) -> Iterator[Code]:
        return iter(sorted(self._by_code.values(), key=lambda c: c.code))

    def __len__(self) -> int:
        return len(self._by_code)

    def __repr__(self) -> str:
        return f"Ontology(version={self.version!r}, codes={len(self)}, path={self.path!r})"


def _parse_row(cells: list[str], n: int, where: str) -> Code:
    if len(cells) != len(COLUMNS):
        raise KnowledgeBaseError(
            where, f"line {n}: expected {len(COLUMNS)} tab-separated columns, got {len(cells)}"
        )
    code, name, goldstein_s, ptype, pmode, pcontext = (c.strip() for c in cells)
    if not _CODE_RE.match(code):
        raise KnowledgeBaseError(where, f"line {n}: code {code!r} is not 2 to 4 digits")
    root = code[:2]
    if root not in ROOTS:
        raise KnowledgeBaseError(where, f"line {n}: code {code}: root {root} is not 01..20")
    if not name:
        raise KnowledgeBaseError(where, f"line {n}: code {code} has an empty name")
    try:
        goldstein = float(goldstein_s)
    except ValueError:
        raise KnowledgeBaseError(
            where, f"line {n}: code {code}: goldstein {goldstein_s!r} is not a number"
        ) from None
    if not -10.0 <= goldstein <= 10.0:
        raise KnowledgeBaseError(
            where, f"line {n}: code {code}: goldstein {goldstein} is outside [-10, 10]"
        )
    if ptype not in KNOWN_TYPES:
        raise KnowledgeBaseError(
            where,
            f"line {n}: code {code}: PLOVER type {ptype!r} is not one of "
            + ", ".join(sorted(KNOWN_TYPES)),
        )
    if pmode and not _LABEL_RE.match(pmode):
        raise KnowledgeBaseError(
            where, f"line {n}: code {code}: PLOVER mode {pmode!r} is not a lower-case label"
        )
    contexts = tuple(c.strip() for c in pcontext.split(",") if c.strip()) if pcontext else ()
    for ctx in contexts:
        if not _LABEL_RE.match(ctx):
            raise KnowledgeBaseError(
                where, f"line {n}: code {code}: PLOVER context {ctx!r} is not a lower-case label"
            )
    return Code(
        code=code,
        name=name,
        goldstein=goldstein,
        quad_class=quad_class_of(root),
        root=root,
        parent=_parent_of(code),
        plover_type=ptype,
        plover_mode=pmode or None,
        plover_context=contexts,
    )


def parse_ontology(text: str, where: str = "<memory>") -> Ontology:
    """Read and validate the text of a ``cameo.tsv`` table; ``where`` names it in errors."""
    version: str | None = None
    header_seen = False
    codes: list[Code] = []
    lines: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            m = _VERSION_RE.match(line.strip())
            if m:
                if version is not None:
                    raise KnowledgeBaseError(where, f"line {n}: a second '# version' line")
                version = m.group(1)
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != COLUMNS:
                raise KnowledgeBaseError(
                    where,
                    f"line {n}: expected the column header {' | '.join(COLUMNS)} "
                    f"(tab-separated), got {line!r}",
                )
            header_seen = True
            continue
        entry = _parse_row(cells, n, where)
        if entry.code in lines:
            raise KnowledgeBaseError(
                where, f"line {n}: code {entry.code} repeats line {lines[entry.code]}"
            )
        lines[entry.code] = n
        codes.append(entry)
    if version is None:
        raise KnowledgeBaseError(where, "no '# version: N' line before the column header")
    if not header_seen:
        raise KnowledgeBaseError(where, "no column header row")
    known = set(lines)
    for c in codes:
        if c.parent is not None and c.parent not in known:
            raise KnowledgeBaseError(
                where, f"line {lines[c.code]}: code {c.code} has no parent code {c.parent}"
            )
    missing = [r for r in ROOTS if r not in known]
    if missing:
        raise KnowledgeBaseError(where, f"missing root codes: {', '.join(missing)}")
    return Ontology(tuple(codes), version, where)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(str(path), f"cannot read the ontology table ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(str(path), f"not UTF-8 text ({exc})") from exc


@cache
def _load_default() -> Ontology:
    onto = parse_ontology(_read(DEFAULT_PATH), str(DEFAULT_PATH))
    log.debug("loaded %d CAMEO codes (version %s)", len(onto), onto.version)
    return onto


def load_ontology(path: Path | None = None) -> Ontology:
    """The ontology from ``path`` (default: the bundled table, read once per process)."""
    if path is None or path.resolve() == DEFAULT_PATH:
        return _load_default()
    return parse_ontology(_read(path), str(path))
