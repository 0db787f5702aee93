"""The CAMEO/PLOVER ontology table: structure, facts and load-time validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import KnowledgeBaseError
from dyad.events.ontology import (
    COLUMNS,
    DEFAULT_PATH,
    KNOWN_TYPES,
    PLOVER_TYPES,
    ROOTS,
    Ontology,
    load_ontology,
    parse_ontology,
    quad_class_of,
)

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "reference"


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def test_loads_every_code_once(onto: Ontology) -> None:
    assert onto.version == "1"
    assert 300 <= len(onto) <= 320
    codes = [c.code for c in onto]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)


def test_default_is_cached() -> None:
    assert load_ontology() is load_ontology()
    assert load_ontology(DEFAULT_PATH) is load_ontology()


def test_twenty_roots_in_order(onto: Ontology) -> None:
    assert [r.code for r in onto.roots()] == list(ROOTS)
    assert all(r.parent is None and r.depth == 1 for r in onto.roots())


def test_every_code_hangs_off_its_parent(onto: Ontology) -> None:
    for code in onto:
        if len(code.code) == 2:
            continue
        assert code.parent is not None
        parent = onto[code.parent]
        assert parent.code == (code.code[:2] if len(code.code) == 3 else code.code[:3])
        assert code in onto.children(parent.code)
        assert code.root == code.code[:2]


def test_every_root_has_base_codes(onto: Ontology) -> None:
    for root in onto.roots():
        children = onto.children(root.code)
        assert children, root.code
        assert all(len(c.code) == 3 for c in children)
        assert f"{root.code}0" in {c.code for c in children}


@pytest.mark.parametrize(
    ("root", "quad"),
    [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3), ("13", 3), ("14", 4), ("20", 4)],
)
def test_quad_class_of(root: str, quad: int) -> None:
    assert quad_class_of(root) == quad


@pytest.mark.parametrize("bad", ["", "1", "21", "00", "x4", "12345"])
def test_quad_class_of_rejects_bad_codes(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        quad_class_of(bad)


def test_quad_class_follows_root(onto: Ontology) -> None:
    for code in onto:
        assert code.quad_class == quad_class_of(code.root)


@pytest.mark.parametrize(
    ("code", "goldstein", "plover", "mode"),
    [
        ("01", 0.0, "OTHER", None),
        ("019", 3.4, "AGREE", None),
        ("036", 4.0, "AGREE", None),
        ("040", 1.0, "CONSULT", None),
        ("041", 1.0, "CONSULT", "phone"),
        ("042", 1.9, "CONSULT", "visit"),
        ("046", 7.0, "CONSULT", None),
        ("051", 3.4, "SUPPORT", None),
        ("057", 8.0, "AGREE", None),
        ("061", 6.4, "COOPERATE", None),
        ("072", 8.3, "AID", None),
        ("0841", 7.0, "RETREAT", "release"),
        ("0871", 9.0, "RETREAT", "ceasefire"),
        ("0874", 10.0, "RETREAT", "withdraw"),
        ("091", -2.0, "ACCUSE", "investigate"),
        ("1041", -5.0, "REQUEST", "change"),
        ("111", -2.0, "ACCUSE", "disapprove"),
        ("125", -5.0, "REJECT", "meet"),
        ("138", -7.0, "THREATEN", "violence"),
        ("141", -6.5, "PROTEST", "demo"),
        ("154", -7.2, "MOBILIZE", "troops"),
        ("163", -8.0, "SANCTION", None),
        ("173", -5.0, "COERCE", "arrest"),
        ("1823", -10.0, "ASSAULT", "beat"),
        ("190", -10.0, "ASSAULT", None),
        ("192", -9.5, "COERCE", "occupy"),
        ("195", -10.0, "ASSAULT", "aerial"),
        ("2042", -10.0, "ASSAULT", "wmd"),
    ],
)
def test_facts(onto: Ontology, code: str, goldstein: float, plover: str, mode: str | None) -> None:
    entry = onto[code]
    assert entry.goldstein == goldstein
    assert entry.plover_type == plover
    assert entry.plover_mode == mode
    assert entry.name and entry.name[0].isupper()


def test_only_public_statements_lack_a_plover_type(onto: Ontology) -> None:
    for code in onto:
        assert code.plover_type in KNOWN_TYPES
        if code.root != "01":
            assert code.plover_type in PLOVER_TYPES, code.code
        assert -10.0 <= code.goldstein <= 10.0


def test_contexts_are_parsed(onto: Ontology) -> None:
    assert onto["094"].plover_context == ("military", "legal")
    assert onto["040"].plover_context == ()


def test_lookup_of_unknown_codes(onto: Ontology) -> None:
    with pytest.raises(KeyError, match="'999' is not a CAMEO event code"):
        onto["999"]
    assert onto.get("999") is None
    assert "999" not in onto
    assert 40 not in onto
    assert "040" in onto
    with pytest.raises(KeyError):
        onto.children("99")
    assert onto.children("0871") == ()


def test_descendants(onto: Ontology) -> None:
    codes = [c.code for c in onto.descendants("08")]
    assert "087" in codes and "0871" in codes and "08" not in codes
    assert codes.index("087") < codes.index("0871")


def _reference_weights() -> dict[str, float]:
    path = REFERENCE / "cameo_goldstein.tsv"
    if not path.exists():
        pytest.skip(f"reference data not available at {path}")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return {code.strip(): float(value) for code, value in rows if code.strip()}


def test_goldstein_weights_match_the_standard_table(onto: Ontology) -> None:
    reference = _reference_weights()
    assert {c.code for c in onto} == set(reference)
    mismatched = {c.code: (c.goldstein, reference[c.code]) for c in onto}
    mismatched = {k: v for k, v in mismatched.items() if v[0] != v[1]}
    assert mismatched == {}


# --------------------------------------------------------------------------- validation

HEADER = "\t".join(COLUMNS)


def _table(rows: list[str], *, version: bool = True, header: bool = True) -> str:
    lines = (["# version: 7"] if version else []) + ([HEADER] if header else [])
    roots = [f"{r}\tRoot {r}\t0.0\tOTHER\t\t" for r in ROOTS]
    return "\n".join(lines + roots + rows) + "\n"


def test_minimal_table_parses() -> None:
    onto = parse_ontology(_table(["040\tMeet\t1.0\tCONSULT\tvisit\tdiplomatic,economic"]))
    assert onto.version == "7"
    assert len(onto) == 21
    assert onto["040"].plover_context == ("diplomatic", "economic")
    assert onto["040"].plover_mode == "visit"


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([], {"version": False}, "no '# version: N' line"),
        (["040\tMeet\t1.0\tCONSULT\t\t"], {"header": False}, "expected the column header"),
        (["04a\tMeet\t1.0\tCONSULT\t\t"], {}, "code '04a' is not 2 to 4 digits"),
        (["040\tMeet\t1.0\tCONSULT\t\t", "040\tAgain\t1.0\tCONSULT\t\t"], {}, "repeats line"),
        (["0471\tOrphan\t1.0\tCONSULT\t\t"], {}, "has no parent code 047"),
        (["040\tMeet\t11.0\tCONSULT\t\t"], {}, "outside [-10, 10]"),
        (["040\tMeet\tlots\tCONSULT\t\t"], {}, "is not a number"),
        (["040\tMeet\t1.0\tCHAT\t\t"], {}, "PLOVER type 'CHAT'"),
        (["040\tMeet\t1.0\tCONSULT\tBad Mode\t"], {}, "PLOVER mode 'Bad Mode'"),
        (["040\tMeet\t1.0\tCONSULT\t\tDiplomatic"], {}, "PLOVER context 'Diplomatic'"),
        (["040\tMeet\t1.0\tCONSULT"], {}, "expected 6 tab-separated columns, got 4"),
        (["040\t\t1.0\tCONSULT\t\t"], {}, "empty name"),
        (["240\tNo such root\t1.0\tCONSULT\t\t"], {}, "root 24 is not 01..20"),
    ],
)
def test_validation_errors(
    tmp_path: Path, rows: list[str], kwargs: dict[str, bool], message: str
) -> None:
    path = tmp_path / "cameo.tsv"
    path.write_text(_table(rows, **kwargs), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        load_ontology(path)
    assert message in str(info.value)
    assert info.value.path == str(path)


def test_missing_root_is_reported(tmp_path: Path) -> None:
    text = "# version: 1\n" + HEADER + "\n01\tStatements\t0.0\tOTHER\t\t\n"
    path = tmp_path / "cameo.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="missing root codes: 02, 03"):
        load_ontology(path)


def test_row_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cameo.tsv"
    path.write_text(_table(["040\tMeet\t1.0\tNOPE\t\t"]), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"line 23: code 040"):
        load_ontology(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read the ontology table"):
        load_ontology(tmp_path / "absent.tsv")
