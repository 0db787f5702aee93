"""The event lexicon and frames: coverage, ranking, frame mapping and load-time validation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

from dyad.errors import KnowledgeBaseError
from dyad.events.lexicon import (
    DEFAULT_FRAMES,
    Frame,
    Lexicon,
    Pattern,
    TriggerWords,
    load_lexicon,
)
from dyad.events.ontology import ROOTS, load_ontology
from dyad.model import STATUSES


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def words(
    *,
    obj: str | None = None,
    particle: str | None = None,
    prep: str | None = None,
    modifiers: Sequence[str] = (),
    compound_head: str | None = None,
) -> TriggerWords:
    """Trigger words as a parse would give them; ``obj`` hangs off ``prep`` when one is given."""
    found = frozenset({obj} if obj else ())
    return TriggerWords(
        objects=frozenset() if prep else found,
        particles=frozenset({particle} if particle else ()),
        preps={prep: found} if prep else {},
        modifiers=frozenset(modifiers),
        compound_head=compound_head,
    )


def test_size_and_version(lex: Lexicon) -> None:
    assert lex.version == "1"
    assert len(lex) >= 1500
    assert len(list(lex.patterns())) == len(lex)


def test_default_is_cached() -> None:
    assert load_lexicon() is load_lexicon()
    assert load_lexicon(ontology=load_ontology()) is load_lexicon()


def test_every_root_is_covered_by_verbs_and_nouns(lex: Lexicon) -> None:
    counts = lex.count_by_root()
    assert set(counts) == set(ROOTS)
    assert {root: n for root, n in counts.items() if n < 25} == {}
    for root in ROOTS:
        kinds = {p.pos for p in lex.patterns() if p.root == root}
        assert kinds == {"VERB", "NOUN"}, root


def test_every_pattern_codes_into_the_ontology(lex: Lexicon) -> None:
    onto = load_ontology()
    for p in lex.patterns():
        assert p.code in onto
        assert 0.0 < p.confidence <= 1.0
        assert p.target
        assert p.source


@pytest.mark.parametrize(
    "noun",
    [
        "invasion", "attack", "airstrike", "shelling", "bombardment", "blockade", "ceasefire",
        "truce", "visit", "summit", "talk", "negotiation", "agreement", "treaty", "deal",
        "accord", "memorandum", "sanction", "embargo", "aid", "assistance", "loan", "donation",
        "protest", "demonstration", "rally", "strike", "boycott", "arrest", "detention", "raid",
        "crackdown", "expulsion", "deportation", "abduction", "kidnapping", "assassination",
        "massacre", "coup", "condemnation", "criticism", "accusation", "threat", "ultimatum",
        "warning", "apology", "praise", "endorsement", "recognition", "investment",
        "partnership", "cooperation", "friendship", "lifeline", "occupation", "siege",
    ],
)  # fmt: skip
def test_event_nouns_are_covered(lex: Lexicon, noun: str) -> None:
    assert lex.nouns(noun), noun


@pytest.mark.parametrize(
    ("pos", "lemma", "given", "code"),
    [
        ("VERB", "meet", {}, "040"),
        ("VERB", "hold", {"obj": "talk"}, "040"),
        ("VERB", "hold", {"obj": "negotiation"}, "046"),
        ("VERB", "hold", {"obj": "protest"}, "141"),
        ("VERB", "negotiate", {}, "046"),
        ("VERB", "visit", {}, "042"),
        ("VERB", "visit", {"obj": "shrine"}, "017"),
        ("VERB", "impose", {"obj": "sanction"}, "163"),
        ("VERB", "impose", {"obj": "curfew"}, "1723"),
        ("VERB", "lift", {"obj": "sanction"}, "085"),
        ("VERB", "lift", {"obj": "blockade"}, "0872"),
        ("VERB", "sign", {"obj": "agreement"}, "057"),
        ("VERB", "sign", {"obj": "ceasefire"}, "0871"),
        ("VERB", "call", {"particle": "off", "obj": "strike"}, "082"),
        ("VERB", "call", {"particle": "off", "obj": "negotiation"}, "164"),
        ("VERB", "call", {"prep": "for", "obj": "ceasefire"}, "0256"),
        ("VERB", "call", {"prep": "for", "obj": "talk"}, "026"),
        ("VERB", "call", {"prep": "on"}, "020"),
        ("VERB", "open", {"obj": "fire"}, "193"),
        ("VERB", "open", {"obj": "investigation"}, "090"),
        ("VERB", "express", {"obj": "concern"}, "012"),
        ("VERB", "express", {"obj": "condolence"}, "018"),
        ("VERB", "act", {"prep": "as", "obj": "lifeline"}, "061"),
        ("VERB", "provide", {"obj": "weapon"}, "072"),
        ("VERB", "provide", {"obj": "loan"}, "071"),
        ("VERB", "provide", {"obj": "food"}, "073"),
        ("VERB", "pledge", {"obj": "aid"}, "033"),
        ("VERB", "expel", {"obj": "diplomat"}, "161"),
        ("VERB", "expel", {"obj": "inspector"}, "1662"),
        ("VERB", "expel", {}, "174"),
        ("VERB", "release", {"obj": "prisoner"}, "0841"),
        ("VERB", "arrest", {}, "173"),
        ("VERB", "crack", {"particle": "down"}, "175"),
        ("VERB", "demolish", {}, "1712"),
        ("VERB", "invade", {}, "190"),
        ("VERB", "shell", {}, "194"),
        ("VERB", "bomb", {}, "195"),
        ("VERB", "violate", {"obj": "ceasefire"}, "196"),
        ("VERB", "violate", {"obj": "sovereignty"}, "128"),
        ("VERB", "massacre", {}, "202"),
        ("VERB", "say", {}, "010"),
        ("VERB", "stag", {"obj": "protest"}, "141"),
        ("VERB", "attack", {"obj": "policy"}, "111"),
        ("VERB", "attack", {}, "190"),
        ("VERB", "accuse", {"prep": "of", "obj": "espionage"}, "1125"),
        ("VERB", "threaten", {"obj": "sanction"}, "1312"),
        ("VERB", "deploy", {"obj": "troop"}, "154"),
        ("NOUN", "strike", {"modifiers": ["air"]}, "195"),
        ("NOUN", "strike", {"modifiers": ["hunger"]}, "142"),
        ("NOUN", "strike", {"modifiers": ["general"]}, "143"),
        ("NOUN", "strike", {}, "190"),
        ("NOUN", "fire", {"modifiers": ["cease"]}, "0871"),
        ("NOUN", "bombing", {"modifiers": ["suicide"]}, "1831"),
        ("NOUN", "bombing", {"modifiers": ["car"]}, "1832"),
        ("NOUN", "bombing", {}, "183"),
        ("NOUN", "aid", {"modifiers": ["military"]}, "072"),
        ("NOUN", "aid", {"modifiers": ["humanitarian"]}, "073"),
        ("NOUN", "aid", {}, "070"),
        ("NOUN", "talk", {"modifiers": ["peace"]}, "046"),
        ("NOUN", "talk", {"modifiers": ["phone"]}, "041"),
        ("NOUN", "talk", {}, "040"),
        ("NOUN", "invasion", {}, "190"),
        ("NOUN", "occupation", {}, "192"),
        ("NOUN", "law", {"modifiers": ["martial"]}, "1724"),
        ("NOUN", "state", {"prep": "of", "obj": "emergency"}, "1724"),
        ("NOUN", "exercise", {"modifiers": ["joint"]}, "062"),
        ("NOUN", "cleansing", {"modifiers": ["ethnic"]}, "203"),
        ("NOUN", "sanction", {}, "163"),
        ("NOUN", "demand", {}, "100"),
        ("NOUN", "demand", {"prep": "for", "obj": "release"}, "1053"),
        ("NOUN", "call", {"modifiers": ["phone"]}, "041"),
        ("NOUN", "call", {"prep": "for", "obj": "aid"}, "023"),
    ],
)
def test_best_pattern(
    lex: Lexicon, pos: Literal["VERB", "NOUN"], lemma: str, given: dict[str, Any], code: str
) -> None:
    match = lex.match(pos, lemma, words(**given))
    assert match is not None, (lemma, given)
    assert match.code == code


@pytest.mark.parametrize(
    ("pos", "lemma", "given"),
    [
        ("VERB", "release", {"obj": "report"}),
        ("VERB", "strike", {"obj": "balance"}),
        ("VERB", "recognize", {"obj": "need"}),
        ("NOUN", "attack", {"modifiers": ["heart"]}),
        ("NOUN", "attack", {"compound_head": "ad"}),
        ("NOUN", "call", {}),
        ("NOUN", "responsibility", {}),
        ("NOUN", "recognition", {"modifiers": ["facial"]}),
        ("VERB", "give", {"obj": "speech"}),
        ("VERB", "take", {"obj": "photo"}),
    ],
)
def test_ordinary_language_is_not_coded(
    lex: Lexicon, pos: Literal["VERB", "NOUN"], lemma: str, given: dict[str, Any]
) -> None:
    assert lex.match(pos, lemma, words(**given)) is None


def test_inverted_verbs(lex: Lexicon) -> None:
    receive = lex.match("VERB", "receive", words(obj="weapon"))
    assert receive is not None and receive.code == "072" and receive.inverted
    assert receive.source == ("from",)
    invade = lex.match("VERB", "invade", words())
    assert invade is not None and not invade.inverted


def test_weak_verbs_need_a_target(lex: Lexicon) -> None:
    for lemma in ("say", "tell", "comment", "beat", "hit"):
        bare = [p for p in lex.verbs(lemma) if p.specificity == 0]
        assert bare and all(p.requires_target for p in bare), lemma


def test_specific_patterns_rank_first(lex: Lexicon) -> None:
    for lemma in ("hold", "call", "release", "strike", "attack", "impose"):
        for patterns in (lex.verbs(lemma), lex.nouns(lemma)):
            ranks = [p.specificity for p in patterns]
            assert ranks == sorted(ranks, reverse=True), lemma
    assert lex.verbs("release")[-1].specificity == 0
    assert lex.verbs("release")[0].obj


@pytest.mark.parametrize(
    ("pattern", "specificity"),
    [
        (Pattern(code="040", pos="VERB", lemma="meet"), 0),
        (Pattern(code="040", pos="VERB", lemma="hold", obj=("talk",)), 1),
        (Pattern(code="082", pos="VERB", lemma="call", particle="off", obj=("strike",)), 2),
        (Pattern(code="0256", pos="VERB", lemma="call", prep="for", obj=("truce",)), 2),
        (Pattern(code="195", pos="NOUN", lemma="strike", modifiers=("air",)), 1),
        (Pattern(code="190", pos="NOUN", lemma="attack", exclude_obj=("heart",)), 0),
    ],
)
def test_specificity(pattern: Pattern, specificity: int) -> None:
    assert pattern.specificity == specificity


def test_symmetric_events(lex: Lexicon) -> None:
    assert lex.verbs("meet")[-1].symmetric
    sign = lex.match("VERB", "sign", words(obj="treaty"))
    invade = lex.match("VERB", "invade", words())
    assert sign is not None and sign.symmetric
    assert invade is not None and not invade.symmetric


def test_defaults_for_slots(lex: Lexicon) -> None:
    invade = lex.verbs("invade")[0]
    assert invade.target == ("dobj",) and invade.source == ("nsubj",)
    invasion = lex.nouns("invasion")[0]
    assert invasion.source == ("poss", "by", "amod", "compound")


def test_yaml_words_on_and_off_stay_words(lex: Lexicon) -> None:
    assert "on" in lex.verbs("call")[0].target or any(p.prep == "on" for p in lex.verbs("call"))
    assert any(p.particle == "off" for p in lex.verbs("call"))


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize(
    ("word", "complement", "code"),
    [
        ("threaten", None, "130"),
        ("threaten", "190", "1384"),
        ("threaten", "193", "1384"),
        ("threaten", "19", "138"),
        ("threaten", "191", "1381"),
        ("threaten", "192", "1382"),
        ("threaten", "1831", "1383"),
        ("threaten", "2041", "1385"),
        ("threaten", "163", "1312"),
        ("threaten", "161", "1313"),
        ("threaten", "162", "1311"),
        ("threaten", "164", "134"),
        ("threaten", "141", "133"),
        ("threaten", "173", "131"),
        ("urge", None, "020"),
        ("urge", "046", "026"),
        ("urge", "040", "026"),
        ("urge", "0871", "0256"),
        ("urge", "0841", "0253"),
        ("urge", "072", "0232"),
        ("urge", "061", "0211"),
        ("urge", "0831", "0241"),
        ("urge", "045", "028"),
        ("pledge", "072", "0332"),
        ("pledge", "042", "036"),
        ("pledge", "0871", "0356"),
        ("pledge", "195", "1384"),
        ("offer", "045", "039"),
        ("agree", "0871", "0356"),
        ("agree", "1041", "0831"),
        ("agree", "045", "038"),
        ("demand", "0841", "1053"),
        ("demand", "0874", "1056"),
        ("demand", "040", "106"),
        ("demand", None, "100"),
        ("reject", "026", "125"),
        ("reject", "106", "125"),
        ("reject", "1053", "1243"),
        ("reject", "112", "016"),
        ("reject", "057", "127"),
        ("refuse", "0841", "1243"),
        ("refuse", "010", "011"),
        ("refuse", "190", "120"),
        ("deny", None, "016"),
        ("deny", "190", "190"),
        ("deny", "1121", "016"),
        ("accuse", "190", "1123"),
        ("accuse", "202", "1124"),
        ("accuse", "1822", "1122"),
        ("accuse", None, "112"),
    ],
)
def test_verb_frames(lex: Lexicon, word: str, complement: str | None, code: str) -> None:
    frame = lex.frame_for_verb(word)
    assert frame is not None, word
    assert frame.code_for(complement) == code


@pytest.mark.parametrize(
    ("word", "lemma", "code"),
    [
        ("accuse", "corruption", "1121"),
        ("accuse", "espionage", "1125"),
        ("accuse", "genocide", "1124"),
        ("demand", "resignation", "1041"),
        ("urge", "restraint", "0256"),
        ("refuse", "comment", "011"),
        ("deny", "involvement", "016"),
    ],
)
def test_frames_by_complement_word(lex: Lexicon, word: str, lemma: str, code: str) -> None:
    frame = lex.frame_for_verb(word)
    assert frame is not None
    assert frame.code_for(None, lemma) == code


def test_frames_with_prepositions(lex: Lexicon) -> None:
    assert lex.frame_for_verb("call") is None
    assert lex.frame_for_verb("call", "off") is None
    for prep in ("for", "on"):
        frame = lex.frame_for_verb("call", prep)
        assert frame is not None and frame.family == "appeal"
    rule_out = lex.frame_for_verb("rule", "out")
    assert rule_out is not None and rule_out.family == "reject"
    assert lex.frame_for_verb("urge", "for") is not None


@pytest.mark.parametrize(
    ("noun", "family", "complement", "code"),
    [
        ("threat", "threaten", "190", "1384"),
        ("ultimatum", "ultimatum", "0874", "139"),
        ("call", "appeal", "0871", "0256"),
        ("demand", "demand", "0841", "1053"),
        ("pledge", "intent", "073", "0333"),
        ("accusation", "accuse", None, "112"),
        ("denial", "deny", None, "016"),
        ("refusal", "refuse", "046", "125"),
    ],
)
def test_noun_frames(
    lex: Lexicon, noun: str, family: str, complement: str | None, code: str
) -> None:
    frame = lex.frame_for_noun(noun)
    assert frame is not None and frame.family == family
    assert frame.code_for(complement) == code


def test_frames_are_consistent(lex: Lexicon) -> None:
    onto = load_ontology()
    families = {f.family for f in lex.frames()}
    expected = {"appeal", "intent", "offer", "agree", "demand", "reject", "refuse"}
    assert families >= expected | {"threaten", "accuse", "deny"}
    for frame in lex.frames():
        assert frame.status in STATUSES
        assert frame.default in onto
        assert all(code in onto for code in frame.by_code.values())
        assert all(root in ROOTS for root in frame.by_root)
        for code in onto:
            assert frame.code_for(code.code) in onto


def test_frame_rejects_malformed_codes(lex: Lexicon) -> None:
    frame = lex.frame_for_verb("threaten")
    assert frame is not None
    with pytest.raises(ValueError, match="'19x'"):
        frame.code_for("19x")


# --------------------------------------------------------------------------- validation

GOOD_FRAMES = """\
version: 1
frames:
  - family: threaten
    verbs: [threaten]
    default: "130"
    by_root: {"19": "138"}
    target: [dobj]
    status: future
"""


def _write(folder: Path, entries: str, frames: str = GOOD_FRAMES, name: str = "04.yaml") -> Path:
    lexdir = folder / "lexicon"
    lexdir.mkdir(exist_ok=True)
    (lexdir / name).write_text("version: 1\nentries:\n" + entries, encoding="utf-8")
    (folder / "frames.yaml").write_text(frames, encoding="utf-8")
    return lexdir


def test_small_lexicon_loads(tmp_path: Path) -> None:
    lexdir = _write(
        tmp_path,
        '  - {code: "040", verb: meet, target: [with, dobj], symmetric: true}\n'
        '  - {code: "046", verb: hold, obj: [negotiation], target: [on]}\n',
    )
    lex = load_lexicon(lexdir)
    assert len(lex) == 2
    assert lex.verbs("hold")[0].target == ("on",)
    frame = lex.frame_for_verb("threaten")
    assert isinstance(frame, Frame) and frame.code_for("190") == "138"
    single = load_lexicon(lexdir / "04.yaml")
    assert len(single) == 2 and single.frame_for_verb("threaten") is None
    explicit = load_lexicon(lexdir / "04.yaml", frames_path=tmp_path / "frames.yaml")
    assert explicit.frame_for_verb("threaten") is not None


def test_bundled_frames_path_exists() -> None:
    assert DEFAULT_FRAMES.is_file()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ('  - {code: "040", verb: meet, taget: [with]}\n', "unknown field(s) taget"),
        ('  - {code: "040", verb: meet, noun: meeting}\n', "exactly one of 'verb' or 'noun'"),
        ('  - {code: "040", target: [with]}\n', "exactly one of 'verb' or 'noun'"),
        ('  - {code: "047", verb: meet}\n', "code 047 is not in the CAMEO ontology"),
        ("  - {code: 40, verb: meet}\n", "must be a quoted CAMEO code"),
        ("  - {verb: meet}\n", "no 'code'"),
        ('  - {code: "040", verb: Meet}\n', "verb 'Meet' must be one lower-case word"),
        ('  - {code: "040", verb: sit down}\n', "must be one lower-case word"),
        ('  - {code: "040", verb: meet, target: [beside_of]}\n', "target slot 'beside_of'"),
        ('  - {code: "040", noun: talk, source: [nsubjpass]}\n', "source slot 'nsubjpass'"),
        ('  - {code: "040", verb: meet, confidence: 0}\n', "outside (0, 1]"),
        ('  - {code: "040", verb: meet, confidence: 1.5}\n', "outside (0, 1]"),
        ('  - {code: "040", verb: meet, confidence: high}\n', "is not a number"),
        ('  - {code: "040", verb: meet, symmetric: yes}\n', "must be true or false"),
        ('  - {code: "040", verb: meet, modifiers: [peace]}\n', "applies to nouns only"),
        ('  - {code: "040", noun: talk, particle: up}\n', "applies to verbs only"),
        ('  - {code: "040", noun: talk, obj: [peace]}\n', "needs 'prep'"),
        ('  - {code: "040", verb: meet, prep: amongst}\n', "not a known preposition"),
        ('  - {code: "040", verb: hold, obj: []}\n', "non-empty list"),
        ('  - {code: "040", verb: hold, obj: [talk, talk]}\n', "lists a word twice"),
        ('  - {code: "040", verb: hold, obj: [talk], exclude_obj: [talk]}\n', "repeats required"),
        ('  - {code: "190", verb: invade}\n', "belongs in 19.yaml, not 04.yaml"),
        (
            '  - {code: "040", verb: meet}\n  - {code: "040", verb: meet, target: [with]}\n',
            "the same pattern as",
        ),
        (
            '  - {code: "040", verb: meet}\n  - {code: "046", verb: meet}\n',
            "the same pattern as",
        ),
        (
            '  - {code: "040", verb: hold, obj: [talk, meeting]}\n'
            '  - {code: "046", verb: hold, obj: [talk]}\n',
            "cannot be told apart",
        ),
        (
            '  - {code: "040", noun: talk, modifiers: [peace]}\n'
            '  - {code: "046", noun: talk, modifiers: [peace, trade]}\n',
            "cannot be told apart",
        ),
        ('  - {code: "040", verb: meet, target: [with], target: [dobj]}\n', "given twice"),
        ("  - just a string\n", "expected a mapping"),
        ('  - {code: "040", verb: meet, irregular: "043"}\n', "same root"),
        ('  - {code: "040", verb: meet, irregular: "9999"}\n', "not in the CAMEO ontology"),
        ('  - {code: "040", verb: meet\n', "not valid YAML"),
    ],
)
def test_entry_validation(tmp_path: Path, entries: str, message: str) -> None:
    lexdir = _write(tmp_path, entries)
    with pytest.raises(KnowledgeBaseError) as info:
        load_lexicon(lexdir)
    assert message in str(info.value)
    assert "04.yaml" in str(info.value)


def test_entry_errors_name_the_entry_and_line(tmp_path: Path) -> None:
    lexdir = _write(
        tmp_path,
        '  - {code: "040", verb: meet}\n  - {code: "040", verb: confer, taget: [with]}\n',
    )
    with pytest.raises(KnowledgeBaseError, match=r"entry 2 \(line 4\) \(verb 'confer'\)"):
        load_lexicon(lexdir)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: []\n", "no 'version' given"),
        ("version: 1\n", "'entries' must be a list"),
        ("version: 1\nentries: []\nextra: 1\n", "unknown top-level keys: extra"),
        ("- 1\n", "expected a mapping"),
    ],
)
def test_file_validation(tmp_path: Path, text: str, message: str) -> None:
    lexdir = tmp_path / "lexicon"
    lexdir.mkdir()
    (lexdir / "04.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        load_lexicon(lexdir)


def test_versions_must_agree(tmp_path: Path) -> None:
    lexdir = _write(tmp_path, '  - {code: "040", verb: meet}\n')
    (lexdir / "05.yaml").write_text(
        'version: 2\nentries:\n  - {code: "051", verb: praise}\n', encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match="version 2 differs"):
        load_lexicon(lexdir)


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_lexicon(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeBaseError, match=r"no \.yaml files"):
        load_lexicon(tmp_path / "empty")


FRAME = """\
version: 1
frames:
  - family: threaten
    verbs: [threaten]
    default: "130"
    target: [dobj]
    status: future
"""


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (FRAME.replace("default: ", "defualt: "), "unknown field(s) defualt"),
        (FRAME.replace('"130"', '"139x"'), "must be a quoted CAMEO code"),
        (FRAME.replace('"130"', '"999"'), "default 999 is not in the CAMEO ontology"),
        (FRAME.replace("future", "someday"), "status 'someday' is not one of"),
        (FRAME.replace("[dobj]", "[dobject]"), "target slot 'dobject'"),
        (FRAME.replace("[threaten]", "[threaten, threaten]"), "listed twice"),
        (FRAME.replace("[threaten]", '["threaten zzz"]'), "not a known preposition"),
        (FRAME.replace("[threaten]", '["make a threat"]'), "must be a lemma"),
        (FRAME.replace("[threaten]", "[]"), "needs 'verbs' or 'nouns'"),
        (FRAME + '    by_root: {"21": "138"}\n', "must be a quoted CAMEO root"),
        (FRAME + '    by_code: {"190": "1386"}\n', "not in the CAMEO ontology"),
        (FRAME + "    keep_complement: maybe\n", "must be true or false"),
        (FRAME + FRAME.split("frames:\n")[1], "family 'threaten' is defined twice"),
        (
            FRAME + FRAME.split("frames:\n")[1].replace("family: threaten", "family: warn"),
            "already opens frame 'threaten'",
        ),
        (FRAME.replace("    status: future\n", ""), "no 'status'"),
    ],
)
def test_frame_validation(tmp_path: Path, frames: str, message: str) -> None:
    lexdir = _write(tmp_path, '  - {code: "040", verb: meet}\n', frames)
    with pytest.raises(KnowledgeBaseError) as info:
        load_lexicon(lexdir)
    assert message in str(info.value)
    assert "frames.yaml" in str(info.value)


def test_frame_shared_tables_and_merges(tmp_path: Path) -> None:
    frames = """\
version: 1
shared:
  war: &war {"19": "138"}
frames:
  - family: threaten
    verbs: [threaten, "warn against"]
    nouns: [threat]
    default: "130"
    by_root:
      <<: *war
      "18": "1383"
    status: future
"""
    lex = load_lexicon(_write(tmp_path, '  - {code: "040", verb: meet}\n', frames))
    frame = lex.frame_for_noun("threat")
    assert frame is not None
    assert frame.code_for("190") == "138" and frame.code_for("181") == "1383"
    assert lex.frame_for_verb("warn") is None
    assert lex.frame_for_verb("warn", "against") is frame


# --------------------------------------------------------------------------- with spaCy


def _trigger_words(tok: Any) -> TriggerWords:
    """TriggerWords read off a spaCy token; a preposition the parser hung on the direct
    object counts too ("accused [the neighbour of espionage]")."""
    preps: dict[str, set[str]] = {}
    holders = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    for child in (c for h in holders for c in h.children):
        if child.dep_ in ("prep", "agent", "dative"):
            preps.setdefault(child.lower_, set()).update(
                g.lemma_.lower() for g in child.children if g.dep_ in ("pobj", "pcomp")
            )
    head = tok.head.lemma_.lower() if tok.dep_ == "compound" else None
    return TriggerWords(
        objects=frozenset(c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"),
        particles=frozenset(c.lower_ for c in tok.children if c.dep_ == "prt"),
        preps={k: frozenset(v) for k, v in preps.items()},
        modifiers=frozenset(
            c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound")
        ),
        compound_head=head,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "trigger", "code"),
    [
        ("The foreign ministers held talks in Geneva on Tuesday.", "held", "040"),
        ("Kenya imposed sanctions on two militia leaders.", "imposed", "163"),
        ("The union called off the strike after a pay deal.", "called", "082"),
        ("The council called for an immediate ceasefire in the region.", "called", "0256"),
        ("Protesters staged a rally outside the parliament.", "staged", "141"),
        ("Dockworkers went on strike over pay.", "went", "143"),
        ("Air strikes hit the port city overnight.", "strikes", "195"),
        ("The prisoner began a hunger strike last week.", "strike", "142"),
        ("Rival factions signed a peace agreement in Doha.", "signed", "057"),
        ("Soldiers opened fire on the convoy.", "opened", "193"),
        ("Brazil expelled two diplomats over the affair.", "expelled", "161"),
        ("The court ordered the release of the detained journalists.", "release", "0841"),
        ("The army declared a ceasefire on Sunday.", "declared", "0871"),
        ("Authorities imposed a curfew in the capital.", "imposed", "1723"),
        ("The government declared martial law.", "law", "1724"),
        ("Gunmen abducted a local official.", "abducted", "181"),
        ("A suicide bombing killed nine people at the market.", "bombing", "1831"),
        ("The minister accused the neighbour of espionage.", "accused", "1125"),
        ("Beijing acts as an economic lifeline for the regime.", "acts", "061"),
        ("The two navies held joint exercises in the strait.", "exercises", "062"),
        ("The embassy released a statement on Monday.", "released", None),
        ("He suffered a heart attack at home.", "attack", None),
    ],
)
def test_patterns_fit_spacy_parses(
    lex: Lexicon, sentence: str, trigger: str, code: str | None
) -> None:
    from dyad.parse import parse_one

    doc = parse_one(sentence)
    tok = next(t for t in doc if t.text == trigger)
    pos: Literal["VERB", "NOUN"] = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN"
    match = lex.match(pos, tok.lemma_.lower(), _trigger_words(tok))
    assert (match.code if match else None) == code, [(t.text, t.lemma_, t.dep_) for t in doc]
