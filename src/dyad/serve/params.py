"""Query-string parameters to :class:`dyad.query.Filters`, with the CLI's error messages.

Every parameter arrives as text (an HTML form sends empty fields as empty strings, which mean
"any"), so that a bad value is reported the way ``dyad events`` reports it, naming the option
and how to write it, rather than as a generic validation error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dyad.errors import QueryError
from dyad.query import Filters

MAX_PAGE = 500
"""The hard maximum page size of every paged endpoint."""
DEFAULT_PAGE = 50


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def parse_float(value: str | None, option: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise QueryError(f"{option} {value!r} is not a number") from None
    if number != number:  # NaN
        raise QueryError(f"{option} {value!r} is not a number")
    return number


def parse_ints(values: Sequence[str], option: str) -> tuple[int, ...]:
    out = []
    for v in values:
        if not v:
            continue
        try:
            out.append(int(v))
        except ValueError:
            raise QueryError(f"{option} {v!r} is not a whole number") from None
    return tuple(out)


def parse_dyad(values: Sequence[str]) -> tuple[str, str] | None:
    given = [v.strip() for v in values if v.strip()]
    if not given:
        return None
    if len(given) != 2:
        raise QueryError(f"--dyad takes two actors (codes or names), got {len(given)}")
    return given[0], given[1]


@dataclass(frozen=True, slots=True)
class RawFilters:
    """The filter parameters as the request gave them."""

    actor: str | None = None
    dyad: tuple[str, ...] = ()
    directed: str | None = None
    since: str | None = None
    until: str | None = None
    status: tuple[str, ...] = ()
    min_confidence: str | None = None
    quad: tuple[str, ...] = ()
    cameo: str | None = None
    plover: str | None = None
    country: str | None = None

    def filters(
        self, *, limit: int | None = None, offset: int = 0, status: Sequence[str] = ()
    ) -> Filters:
        """Checked :class:`Filters` (``status``: the default when the request gives none)."""
        chosen = tuple(s for s in self.status if s) or tuple(status)
        return Filters(
            actor=self.actor or None,
            dyad=parse_dyad(self.dyad),
            directed=(self.directed or "").lower() in ("1", "true", "yes", "on"),
            since=parse_day(self.since, "--since"),
            until=parse_day(self.until, "--until"),
            status=chosen,
            min_confidence=parse_float(self.min_confidence, "--min-confidence"),
            quad_class=parse_ints(self.quad, "--quad"),
            cameo=self.cameo or None,
            plover=self.plover or None,
            country=self.country or None,
            limit=limit,
            offset=offset,
        ).check()

    def query_items(self) -> list[tuple[str, str]]:
        """The non-empty parameters, for links that keep the current filters."""
        items: list[tuple[str, str]] = []
        for name in ("actor", "directed", "since", "until", "min_confidence"):
            value = getattr(self, name)
            if value:
                items.append((name, value))
        for name in ("cameo", "plover", "country"):
            value = getattr(self, name)
            if value:
                items.append((name, value))
        items += [("dyad", v) for v in self.dyad if v]
        items += [("status", v) for v in self.status if v]
        items += [("quad", v) for v in self.quad if v]
        return items
