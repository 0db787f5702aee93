"""The bundled event model: it loads from the package, matches its card, and reads sensibly."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from dyad.errors import EventModelError
from dyad.models import runtime
from dyad.models.runtime import DATA, ROOT_TO_PENTA, get_model, load_model, read_info

FIXTURE = Path(__file__).parent / "fixtures" / "sentences.tsv"
WORD = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")

MAX_BYTES = 30 * 1024 * 1024
FLOOR_ACCURACY = 0.7
"""The share of the fixture's sentences whose class (none or penta) the model must get right."""
QUANTIZATION_NOISE = 0.1
"""How far a probability may move with the batch a sentence is read in: the int8 graph
quantizes activations dynamically, with one scale per tensor, i.e. per batch."""
CLEAR = 0.1
"""A margin between the two most probable sentence labels that this noise does not flip;
nearer ties may read either way."""
ROLE_CLEAR = 0.4
"""The same for a word's role tag: the token head moves more (measured up to about 0.2)."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_model_files_are_in_the_package_and_small() -> None:
    onnx = DATA / "events.onnx"
    assert onnx.is_file()
    assert onnx.stat().st_size <= MAX_BYTES
    assert (DATA / "tokenizer.json").is_file()


def test_sha256_matches_metadata_and_model_card() -> None:
    digest = _sha256(DATA / "events.onnx")
    meta = json.loads((DATA / "events.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == digest
    card = (DATA / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert re.search(rf"sha256[^\n]*`{digest}`", card), "MODEL_CARD.md states another sha256"


def test_labels_cover_every_root_and_penta_class() -> None:
    info = read_info(DATA)
    assert info.penta_labels == ("none", "0", "1", "2", "3", "4")
    assert set(info.root_labels) == {"none", *ROOT_TO_PENTA}
    assert info.token_labels == ("O", "S", "T", "R")
    assert info.penta_temperature > 0 and info.root_temperature > 0


def _fixture() -> list[tuple[str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, text = line.partition("\t")
            rows.append((label, text))
    return rows


def test_reads_the_fixture_above_the_floor() -> None:
    rows = _fixture()
    readings = get_model().read_words([WORD.findall(t) for _, t in rows])
    right = sum(r.label == gold for (gold, _), r in zip(rows, readings, strict=True))
    assert right / len(rows) >= FLOOR_ACCURACY, f"{right} of {len(rows)} right"


def test_reading_is_consistent() -> None:
    words = ["Police", "in", "Lima", "arrested", "dozens", "of", "protesters", "on", "Monday", "."]
    (r,) = get_model().read_words([words])
    probs = dict(r.probabilities)
    assert abs(sum(probs.values()) - 1) < 1e-3
    assert probs[r.label] == max(probs.values()) == r.probability
    assert len(r.roles) == len(words)
    if r.label != "none":
        assert r.root is not None and ROOT_TO_PENTA[r.root] == r.label
    else:
        assert r.root is None


def test_batches_read_like_single_sentences() -> None:
    rows = [WORD.findall(t) for _, t in _fixture()[:6]]
    together = get_model().read_words(rows)
    alone = [get_model().read_words([w])[0] for w in rows]
    assert [r.label for r in together] == [r.label for r in alone]
    for a, b in zip(together, alone, strict=True):
        assert a.probability == pytest.approx(b.probability, abs=QUANTIZATION_NOISE)


def _top(probs: Sequence[float]) -> tuple[int, float]:
    """The most probable index and its margin over the runner-up."""
    ranked = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)
    return ranked[0], probs[ranked[0]] - probs[ranked[1]]


def test_padded_batches_read_like_equal_length_batches() -> None:
    """Sentences of many lengths in one padded batch read as in batches of one length."""
    padded = load_model()
    if not padded.info.padded:
        pytest.skip("the bundled export is unpadded (events.json has no padded: true)")
    rows = [WORD.findall(t) for _, t in _fixture()]
    assert len({len(padded.tokenizer.encode(w, is_pretokenized=True).ids) for w in rows}) > 4
    unpadded = load_model()
    unpadded.info = dataclasses.replace(unpadded.info, padded=False)
    for a, b in zip(padded.read_words(rows), unpadded.read_words(rows), strict=True):
        assert a.probability == pytest.approx(b.probability, abs=QUANTIZATION_NOISE)
        if _top([p for _, p in b.probabilities])[1] > CLEAR:
            assert a.label == b.label
        for pa, pb in zip(a.roles, b.roles, strict=True):
            if _top(pb)[1] > ROLE_CLEAR:
                assert _top(pa)[0] == _top(pb)[0]


@pytest.mark.parametrize(
    ("lengths", "slack", "want"),
    [
        ([3, 3, 5, 5, 5, 9], 1.0, [[0, 1], [2, 3, 4], [5]]),
        ([3, 3, 5, 5, 5, 9], 2.0, [[0, 1, 2, 3, 4], [5]]),
        ([10, 11, 12, 13, 14], 1.25, [[0, 1, 2], [3, 4]]),
        ([4] * 40, 1.0, [list(range(32)), list(range(32, 40))]),
        ([4] * 40, 1.25, [list(range(32)), list(range(32, 40))]),
        ([], 1.25, []),
    ],
)
def test_batches_by_length(lengths: list[int], slack: float, want: list[list[int]]) -> None:
    assert runtime._batches(list(range(len(lengths))), lengths, slack) == want


def test_padding_fills_with_zeros_and_masks_them() -> None:
    ids, mask = runtime._padded([[101, 7, 102], [101, 102]])
    assert ids.tolist() == [[101, 7, 102], [101, 102, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 1, 0]]


def test_a_padded_flag_that_is_not_true_or_false_is_refused(tmp_path: Path) -> None:
    meta = json.loads((DATA / "events.json").read_text(encoding="utf-8"))
    meta["padded"] = "yes"
    (tmp_path / "events.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(EventModelError, match="padded"):
        read_info(tmp_path)


def test_empty_input_reads_nothing() -> None:
    assert get_model().read_words([]) == []


def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    for name in ("events.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    blob = bytearray((DATA / "events.onnx").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (tmp_path / "events.onnx").write_bytes(bytes(blob))
    with pytest.raises(EventModelError, match="sha256"):
        load_model(tmp_path)


def test_missing_metadata_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(EventModelError, match="--no-models"):
        load_model(tmp_path)
