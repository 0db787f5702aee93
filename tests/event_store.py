"""A small hand-built store for the query, frame, export and plot tests.

Happenings (by article): Poland expels Russian diplomats on 2024-03-05, reported by three
wires (one codes it 1661, one names no target); Russia expels Polish diplomats on 2024-03-12
(conflict, the other way round); Lavrov meets Wang Yi in Beijing on 2024-04-09, reported
twice (once the other way round); China and Russia (compound source) sign a deal with Iran on
2024-05-20; a negated Russian attack on Ukraine on 2024-05-21.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dyad.model import Actor, Article, ArticleRef, DateSpan, Event, Place, Plover, TextSpan
from dyad.store import ingest, open_store

POL = Actor("Poland", "POLGOV", "POL", ("GOV",))
RUS = Actor("Russia", "RUS", "RUS")
CHN = Actor("China", "CHN", "CHN")
IRN = Actor("Iran", "IRN", "IRN")
UKR = Actor("Ukraine", "UKR", "UKR")
LAVROV = Actor("Lavrov", "RUSGOV", "RUS", ("GOV",), name="Sergey Lavrov", role="Foreign Minister")
WANG = Actor("Wang Yi", "CHNGOV", "CHN", ("GOV",), name="Wang Yi", role="Foreign Minister")

WARSAW = Place("Warsaw", "Warsaw", "POL", None, 52.23, 21.01)
BEIJING = Place("Beijing", "Beijing", "CHN", None, 39.9, 116.4)

EVIDENCE = "Poland expelled three Russian diplomats on Tuesday."
TEXT = EVIDENCE + " The diplomats were given 48 hours to leave."


def event(
    eid: str,
    aid: str,
    source: tuple[Actor, ...],
    target: tuple[Actor, ...],
    cameo: str,
    quad: int,
    day: date,
    *,
    status: str = "asserted",
    goldstein: float = -5.0,
    plover: str = "COERCE",
    place: Place | None = None,
    conf: float = 0.8,
) -> Event:
    return Event(
        id=eid,
        article=ArticleRef(aid, f"https://wire-{aid}.example/story", day),
        sentence=0,
        evidence=TextSpan(EVIDENCE, 0, len(EVIDENCE)),
        status=status,  # type: ignore[arg-type]
        confidence=conf,
        coder="dyad/test",
        attributed_to=None,
        source=source,
        target=target,
        trigger=TextSpan("expelled", 7, 15),
        cameo=cameo,
        cameo_root=cameo[:2],
        quad_class=quad,
        goldstein=goldstein,
        plover=Plover(plover, None, ("diplomatic",)),
        date=DateSpan(day, day, "day"),
        location=place,
    )


MAR5, MAR12, APR9 = date(2024, 3, 5), date(2024, 3, 12), date(2024, 4, 9)
MAY20, MAY21 = date(2024, 5, 20), date(2024, 5, 21)

ARTICLES: dict[str, list[Event]] = {
    "w1": [event("e1", "w1", (POL,), (RUS,), "166", 4, MAR5, place=WARSAW, conf=0.9)],
    "w2": [event("e2", "w2", (POL,), (RUS,), "1661", 4, MAR5, place=WARSAW)],
    "w3": [event("e3", "w3", (POL,), (), "166", 4, MAR5)],
    "r1": [event("e4", "r1", (RUS,), (POL,), "166", 4, MAR12)],
    "m1": [
        event(
            "e5",
            "m1",
            (LAVROV,),
            (WANG,),
            "040",
            1,
            APR9,
            goldstein=1.0,
            plover="CONSULT",
            place=BEIJING,
        )
    ],
    "m2": [
        event(
            "e6",
            "m2",
            (WANG,),
            (LAVROV,),
            "040",
            1,
            APR9,
            goldstein=1.0,
            plover="CONSULT",
            place=BEIJING,
        )
    ],
    "d1": [event("e7", "d1", (CHN, RUS), (IRN,), "057", 1, MAY20, goldstein=8.0, plover="AGREE")],
    "n1": [
        event(
            "e8",
            "n1",
            (RUS,),
            (UKR,),
            "190",
            4,
            MAY21,
            status="negated",
            goldstein=-10.0,
            plover="ASSAULT",
        )
    ],
}


def build(path: Path) -> Path:
    """Ingest the articles above into a new store at ``path``."""
    items = [
        (
            Article(
                id=aid,
                text=TEXT,
                published=evs[0].article.published,
                source=f"Wire {aid}",
                url=evs[0].article.url,
            ),
            TEXT,
            evs,
        )
        for aid, evs in ARTICLES.items()
    ]
    with open_store(path) as store:
        ingest(store, items)
    return path
