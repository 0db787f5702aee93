"""The event lexicon on whole sentences: the main event of each sentence gets the right code.

Every sentence here was written for this table (none comes from a development set). Each is
parsed, resolved and coded once; the *main* event is the most confident one (the first of
equals), as the evaluation takes it. An expected code of two digits checks the CAMEO root
only; three or four digits check the full code. The second half checks single patterns on
hand-made trigger words, without the spaCy model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

import pytest

from dyad.actors.resolve import find_mentions
from dyad.draft import EventDraft
from dyad.events.coder import code_events
from dyad.events.lexicon import Lexicon, TriggerWords, load_lexicon
from dyad.parse import parse_one

PUBLISHED = date(2024, 3, 14)


@cache
def _events(text: str) -> tuple[EventDraft, ...]:
    doc = parse_one(text)
    return tuple(code_events(doc, find_mentions(doc, PUBLISHED)))


def _main(events: Sequence[EventDraft]) -> EventDraft | None:
    best: EventDraft | None = None
    for e in events:
        if best is None or e.confidence > best.confidence:
            best = e
    return best


def _summary(events: Sequence[EventDraft]) -> str:
    return "; ".join(
        f"{e.cameo} src={[a.code for a in e.source]} tgt={[a.code for a in e.target]} "
        f"conf={e.confidence}"
        for e in events
    )


CASES = [
    # 01: comments, weighing options, symbolic acts
    pytest.param(
        "The Kremlin voiced concern over the deployment of NATO troops in Poland.",
        "012",
        id="voice-concern-over-event",
    ),
    pytest.param(
        "Japan expressed optimism about the outcome of the trade talks with China.",
        "013",
        id="express-optimism-over-talks",
    ),
    pytest.param(
        "The Dutch embassy conveyed serious concerns about the new media law to the Hungarian "
        "government.",
        "012",
        id="convey-concerns",
    ),
    pytest.param("Canada is considering sending troops to Haiti.", "014", id="consider-sending"),
    pytest.param(
        "The Chilean government is weighing imposing tariffs on Chinese steel.",
        "014",
        id="weigh-imposing",
    ),
    pytest.param(
        "The Norwegian government is exploring the possibility of joining the mission.",
        "014",
        id="explore-possibility",
    ),
    pytest.param(
        "The Senegalese cabinet will consider the proposal next week.",
        "014",
        id="consider-proposal",
    ),
    pytest.param(
        "Spain rejected accusations of spying on Moroccan diplomats.",
        "016",
        id="reject-accusations",
    ),
    pytest.param(
        "The Kenyan government dismissed allegations of abuse by its police officers.",
        "016",
        id="dismiss-allegations",
    ),
    pytest.param(
        "Ecuador's foreign ministry said it hoped to resume talks with Peru.",
        "036",
        id="hope-to-meet",
    ),
    pytest.param(
        "The Thai government hopes Cambodia will release the detained fishermen.",
        "013",
        id="hope-frame",
    ),
    pytest.param(
        "The German president attended a memorial ceremony in Warsaw.",
        "017",
        id="attend-ceremony",
    ),
    # 02: appeals
    pytest.param(
        "Mozambique asked help from South Africa to fight the insurgency.",
        "023",
        id="ask-help-from",
    ),
    # 04 and 05: consultation and diplomatic cooperation
    pytest.param(
        "Egypt mediated talks between Israel and Hamas.", "045", id="mediate-talks-between"
    ),
    pytest.param(
        "Italy welcomed Tunisia's invitation to a regional summit on migration.",
        "051",
        id="welcome-invitation",
    ),
    pytest.param(
        "The Mexican president forgave the protesters who had blocked the highway.",
        "056",
        id="forgave-lemma",
    ),
    pytest.param(
        "Chile sent its condolences to Mexico after the earthquake.",
        "018",
        id="send-condolences",
    ),
    # 06 and 07: cooperation and aid
    pytest.param(
        "Indian and French navies held joint war games in the Arabian Sea.",
        "062",
        id="joint-war-games",
    ),
    pytest.param(
        "Norway donated USD5 million to the World Food Programme for Yemen.",
        "07",
        id="donate-bare",
    ),
    pytest.param(
        "Japan handed over medical equipment to the health ministry of Cambodia.",
        "070",
        id="hand-over-equipment",
    ),
    pytest.param(
        "The European Union is mobilising funds to rebuild schools in Lebanon.",
        "070",
        id="mobilise-funds",
    ),
    pytest.param(
        "Displaced families in Sudan have received food and clothing from the Red Crescent.",
        "073",
        id="receive-food",
    ),
    pytest.param(
        "Britain provided training to the Somali army.",
        "070",
        id="provide-training",
    ),
    pytest.param(
        "Ireland is deploying 150 troops to the UN peacekeeping mission in Lebanon.",
        "074",
        id="deploy-to-mission",
    ),
    pytest.param(
        "Uruguay offered to send troops to the UN mission in Congo.",
        "0334",
        id="offer-troops",
    ),
    pytest.param(
        "The African Union deployed election observers to Malawi.",
        "074",
        id="deploy-observers",
    ),
    pytest.param(
        "Qatar deposited two billion dollars in Egypt's central bank.",
        "071",
        id="deposit-dollars",
    ),
    pytest.param(
        "The European Investment Bank disbursed EUR200 million to Morocco.",
        "07",
        id="disburse-bare",
    ),
    # 08: yielding
    pytest.param(
        "The Peruvian government conceded to the demands of striking miners.",
        "083",
        id="concede-to-demands",
    ),
    pytest.param(
        "France suspended a digital tax on American technology companies.",
        "081",
        id="suspend-tax",
    ),
    pytest.param(
        "Italy returned three stolen paintings to the government of Greece.",
        "0842",
        id="return-paintings",
    ),
    pytest.param(
        "The United States returned ancient fossils to Mongolia.",
        "0842",
        id="return-fossils",
    ),
    pytest.param(
        "The dockworkers' union lifted its boycott of Israeli goods.",
        "085",
        id="lift-boycott-of",
    ),
    pytest.param("Jordan eased the curfew in Amman.", "0813", id="ease-curfew"),
    pytest.param(
        "Sudan's army pulled its troops out of the capital.", "0874", id="pull-troops-out-of"
    ),
    pytest.param(
        "The Syrian army said it had ceased military operations in the province.",
        "087",
        id="cease-operations",
    ),
    pytest.param(
        "Ukrainian troops withdrew from the northern sector of the front.",
        "0874",
        id="withdraw-from-sector",
    ),
    # 12: rejection
    pytest.param(
        "The Serbian interior ministry refused a request by Croatia to hand over the suspects.",
        "12",
        id="refuse-request",
    ),
    pytest.param(
        "The Uruguayan unions accepted a formula for ending the dispute with the government.",
        "037",
        id="accept-formula",
    ),
    pytest.param(
        "Investigators said Iran had breached the ban on enriching uranium above 60 percent.",
        "128",
        id="violate-ban",
    ),
    # 14: strikes
    pytest.param(
        "About 2,000 dock workers in Rotterdam stopped work on Monday.",
        "143",
        id="stop-work",
    ),
    pytest.param(
        "Nurses at three public hospitals in Madrid walked out on Thursday to demand more staff.",
        "143",
        id="walk-out",
    ),
    pytest.param("Dockers walked off the job in Antwerp.", "143", id="walk-off-the-job"),
    pytest.param("Doctors in Kenya downed tools over unpaid salaries.", "143", id="down-tools"),
    pytest.param(
        "Teachers in Peru joined a strike for higher wages.",
        "143",
        id="strike-for-wages",
    ),
    # 15: shows of force
    pytest.param(
        "Egyptian troops remained on high alert along the border with Libya.",
        "152",
        id="remain-on-alert",
    ),
    pytest.param(
        "Turkey has strengthened its forces along the Syrian border.",
        "154",
        id="strengthen-forces",
    ),
    pytest.param(
        "Chinese and Russian warships staged naval war games in the Sea of Japan.",
        "15",
        id="war-games",
    ),
    # 16: reducing relations
    pytest.param(
        "Qatar withdrew its peacekeepers from the border between Djibouti and Eritrea.",
        "1661",
        id="withdraw-peacekeepers-from",
    ),
    pytest.param(
        "The Burundian government expelled aid workers from the refugee camps.",
        "1663",
        id="expel-aid-workers",
    ),
    pytest.param("Germany suspended food supplies to Eritrea.", "162", id="suspend-supplies"),
    pytest.param(
        "The World Food Programme has suspended aid deliveries to northern Ethiopia.",
        "162",
        id="suspend-aid-deliveries",
    ),
    pytest.param(
        "Britain advised against travel to Tunisia after the attack.",
        "160",
        id="travel-advisory",
    ),
    pytest.param(
        "Israel froze tax revenues collected for the Palestinian Authority.",
        "163",
        id="freeze-revenues",
    ),
    pytest.param(
        "Russia cut gas supplies to Bulgaria and Poland.",
        "163",
        id="cut-supplies",
    ),
    # 17: coercion, cyber operations
    pytest.param(
        "North Korea launched cyber warfare against South Korean banks.",
        "170",
        id="cyber-warfare",
    ),
    pytest.param(
        "Hackers linked to China breached the networks of the Australian parliament.",
        "170",
        id="breach-networks",
    ),
    pytest.param(
        "Russian hackers attacked Estonian government websites.",
        "170",
        id="attack-websites",
    ),
    pytest.param(
        "On Sunday riot police tear-gassed the protesters in Tbilisi.",
        "175",
        id="tear-gassed",
    ),
    pytest.param(
        "The Malian junta suspended the broadcasts of two French radio stations.",
        "1721",
        id="suspend-broadcasts",
    ),
    # 18 to 20: violence
    pytest.param(
        "Soldiers raped women in a village in eastern Congo, the UN said.",
        "1821",
        id="raped-lemma",
    ),
    pytest.param("Russia waged war on Ukraine in February 2022.", "190", id="waged-lemma"),
    pytest.param("Gunmen sniped at police officers in Kirkuk.", "193", id="sniped-lemma"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "cameo"), CASES)
def test_main_event_code(text: str, cameo: str) -> None:
    events = _events(text)
    main = _main(events)
    assert main is not None, f"no event in {text!r}"
    assert main.cameo.startswith(cameo) if len(cameo) == 2 else main.cameo == cameo, _summary(
        events
    )


NO_EVENT = [
    pytest.param("Aid reached the war-torn country by road.", "190", id="war-torn"),
    pytest.param(
        "The tribunal heard evidence of war crimes in the region.", "190", id="war-crimes"
    ),
    pytest.param("The court rapped the ministry over the delays in the case.", "1821", id="rapped"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "absent"), NO_EVENT)
def test_no_such_event(text: str, absent: str) -> None:
    events = _events(text)
    assert all(not e.cameo.startswith(absent) for e in events), _summary(events)


# -- single patterns, without the model ---------------------------------------------------------


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def _words(
    *,
    obj: str | None = None,
    particle: str | None = None,
    prep: str | None = None,
    modifiers: Sequence[str] = (),
    compound_head: str | None = None,
) -> TriggerWords:
    found = frozenset({obj} if obj else ())
    return TriggerWords(
        objects=frozenset() if prep else found,
        particles=frozenset({particle} if particle else ()),
        preps={prep: found} if prep else {},
        modifiers=frozenset(modifiers),
        compound_head=compound_head,
    )


PATTERNS = [
    pytest.param("VERB", "donate", _words(obj="usd1"), "070", id="donate-any-object"),
    pytest.param("VERB", "earmark", _words(obj="euro"), "070", id="earmark"),
    pytest.param("VERB", "stop", _words(obj="work"), "143", id="stop-work"),
    pytest.param("VERB", "down", _words(obj="tool"), "143", id="down-tools"),
    pytest.param("VERB", "lay", _words(obj="tool", particle="down"), "143", id="lay-down-tools"),
    pytest.param("VERB", "walk", _words(obj="job", prep="off"), "143", id="walk-off-job"),
    pytest.param("NOUN", "strike", _words(obj="wage", prep="for"), "1432", id="strike-for-wages"),
    pytest.param("NOUN", "strike", _words(obj="pay", prep="over"), "1432", id="strike-over-pay"),
    pytest.param("VERB", "remain", _words(obj="alert", prep="on"), "152", id="remain-on-alert"),
    pytest.param("VERB", "strengthen", _words(obj="force"), "154", id="strengthen-forces"),
    pytest.param("VERB", "strengthen", _words(obj="tie"), "050", id="strengthen-ties"),
    pytest.param("NOUN", "game", _words(modifiers=["joint", "war"]), "062", id="joint-war-games"),
    pytest.param("NOUN", "game", _words(modifiers=["war"]), "150", id="war-games"),
    pytest.param("NOUN", "warfare", _words(modifiers=["cyber"]), "170", id="cyber-warfare"),
    pytest.param("VERB", "attack", _words(obj="website"), "170", id="attack-website"),
    pytest.param("VERB", "attack", _words(obj="convoy"), "190", id="attack-convoy"),
    pytest.param("VERB", "gas", _words(obj="protester"), "175", id="gas-protesters"),
    pytest.param("VERB", "rap", _words(obj="girl"), "1821", id="rap-girl"),
    pytest.param("VERB", "wag", _words(obj="war"), "190", id="wag-war"),
    pytest.param("VERB", "fin", _words(obj="bank"), "116", id="fin-bank"),
    pytest.param("VERB", "forgave", _words(), "056", id="forgave"),
    pytest.param("VERB", "return", _words(obj="painting"), "0842", id="return-painting"),
    pytest.param("VERB", "suspend", _words(obj="supply"), "162", id="suspend-supply"),
    pytest.param("VERB", "suspend", _words(obj="sale"), "1622", id="suspend-sale"),
    pytest.param("VERB", "suspend", _words(obj="tax"), "081", id="suspend-tax"),
    pytest.param(
        "VERB", "concede", _words(obj="demand", prep="to"), "083", id="concede-to-demands"
    ),
    pytest.param("VERB", "deploy", _words(obj="mission", prep="to"), "074", id="deploy-mission"),
    pytest.param("VERB", "withdraw", _words(obj="peacekeeper"), "1661", id="withdraw-peacekeepers"),
    pytest.param(
        "VERB", "advise", _words(obj="travel", prep="against"), "160", id="advise-against-travel"
    ),
    pytest.param("VERB", "explore", _words(obj="possibility"), "014", id="explore-possibility"),
    pytest.param("VERB", "mediate", _words(obj="talk"), "045", id="mediate-talks"),
    pytest.param("VERB", "cease", _words(obj="operation"), "087", id="cease-operations"),
    pytest.param("VERB", "cease", _words(obj="fire"), "0871", id="cease-fire"),
]


@pytest.mark.parametrize(("pos", "lemma", "words", "code"), PATTERNS)
def test_pattern(lex: Lexicon, pos: str, lemma: str, words: TriggerWords, code: str) -> None:
    assert pos in ("VERB", "NOUN")
    p = lex.match("VERB" if pos == "VERB" else "NOUN", lemma, words)
    assert p is not None and p.code == code, p


BLOCKED = [
    pytest.param("NOUN", "war", _words(compound_head="crime"), id="war-crimes"),
    pytest.param("NOUN", "war", _words(compound_head="game"), id="war-game"),
    pytest.param("NOUN", "war", _words(modifiers=["cold"]), id="cold-war"),
    pytest.param(
        "NOUN", "ceasefire", _words(compound_head="resolution"), id="ceasefire-resolution"
    ),
    pytest.param("NOUN", "truce", _words(compound_head="talk"), id="truce-talks"),
    pytest.param("VERB", "rap", _words(obj="government"), id="rapped-government"),
    pytest.param("VERB", "gas", _words(), id="gas-alone-is-chemical"),
]


@pytest.mark.parametrize(("pos", "lemma", "words"), BLOCKED)
def test_blocked(lex: Lexicon, pos: str, lemma: str, words: TriggerWords) -> None:
    p = lex.match("VERB" if pos == "VERB" else "NOUN", lemma, words)
    if lemma == "gas":
        assert p is not None and p.code == "2041", p
    else:
        assert p is None, p


def test_frames_added(lex: Lexicon) -> None:
    consider = lex.frame_for_verb("consider")
    hope = lex.frame_for_verb("hope")
    offer = lex.frame_for_verb("offer")
    assert consider is not None and consider.code_for("070") == "014"
    assert consider.code_for("190") == "014"
    assert hope is not None and hope.code_for("0841") == "013"
    assert hope.code_for("046") == "036"
    assert offer is not None and offer.code_for("154") == "0334"
    assert lex.frame_for_verb("hop") is hope  # "hoped", as the small model lemmatizes it
