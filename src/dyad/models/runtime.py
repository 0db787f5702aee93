"""The bundled event model, run with onnxruntime and tokenizers (no torch at run time).

One ONNX file (``data/events.onnx``, int8) holds a shared MiniLM encoder and three heads:
the sentence class (``none`` or penta 0-4), the CAMEO root, and a role tag per token
(O, S source, T target, R reciprocal). ``data/events.json`` carries the labels, the
calibration temperatures, the file's sha256 (checked at load) and whether the graph honours
padding (``padded``: then sentences run in length-sorted padded batches, else in batches of
one length). :func:`get_model` loads it once per process, lazily.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

from dyad.errors import EventModelError

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
BATCH = 32
"""Sentences per forward pass (sorted by length first, so padding stays small)."""
PAD_SLACK = 1.25
"""A padded batch's longest sentence is at most this many times its shortest: padding a short
sentence far out costs more than the batch saves (measured on real articles)."""
THREADS = 1
"""onnxruntime threads per process: parallelism comes from worker processes."""

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class WordReading:
    """What the model read in one sentence, given as a list of words."""

    label: str
    """``none`` or a penta class ``"0"``..``"4"``."""
    probability: float
    """Calibrated probability of ``label``."""
    probabilities: tuple[tuple[str, float], ...]
    root: str | None
    """The most probable CAMEO root within ``label``'s penta class (None for ``none``)."""
    root_probability: float | None
    roles: tuple[tuple[float, ...], ...]
    """Per word: the probability of each token label (``token_labels`` order)."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    penta_labels: tuple[str, ...]
    root_labels: tuple[str, ...]
    token_labels: tuple[str, ...]
    penta_temperature: float
    root_temperature: float
    max_length: int
    sha256: str
    padded: bool = False
    """The graph honours the attention mask, so sentences of different lengths can share a
    padded batch (older exports were traced unpadded and ignore the mask)."""


ROOT_TO_PENTA: dict[str, str] = {
    **{r: "0" for r in ("01", "02")},
    **{r: "1" for r in ("03", "04", "05")},
    **{r: "2" for r in ("06", "07", "08")},
    **{r: "3" for r in ("09", "10", "11", "12", "13", "16")},
    **{r: "4" for r in ("14", "15", "17", "18", "19", "20")},
}


def _softmax(x: Floats, t: float = 1.0) -> Floats:
    z = x / t
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: Floats = e / e.sum(axis=-1, keepdims=True)
    return out


def read_info(folder: Path) -> ModelInfo:
    """The model's metadata file, validated."""
    path = folder / "events.json"
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        temps = raw["temperature"]
        return ModelInfo(
            penta_labels=tuple(str(x) for x in raw["penta_labels"]),
            root_labels=tuple(str(x) for x in raw["root_labels"]),
            token_labels=tuple(str(x) for x in raw["token_labels"]),
            penta_temperature=float(temps["penta"]),
            root_temperature=float(temps["root"]),
            max_length=int(raw["max_length"]),
            sha256=str(raw["sha256"]),
            padded=_flag(raw, "padded"),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EventModelError(
            f"{path}: cannot read the event model's metadata ({exc}); reinstall dyad, or "
            "run `make train` in a source checkout, or use --no-models"
        ) from exc


def _flag(raw: dict[str, Any], key: str) -> bool:
    """An optional true/false entry (absent means false)."""
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key!r} must be true or false, not {value!r}")
    return value


class EventModel:
    """The ONNX session and tokenizer, with the labels and calibration."""

    def __init__(self, folder: Path) -> None:
        self.info = read_info(folder)
        onnx_path = folder / "events.onnx"
        try:
            blob = onnx_path.read_bytes()
        except OSError as exc:
            raise EventModelError(
                f"{onnx_path}: cannot read the event model ({exc}); reinstall dyad or use "
                "--no-models"
            ) from exc
        digest = hashlib.sha256(blob).hexdigest()
        if digest != self.info.sha256:
            raise EventModelError(
                f"{onnx_path}: sha256 {digest} does not match events.json ({self.info.sha256}):"
                " the file is damaged or from another build; reinstall dyad or use --no-models"
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(
                blob, sess_options=options, providers=["CPUExecutionProvider"]
            )
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:
            raise EventModelError(
                f"{folder}: the event model or its tokenizer fails to load ({exc}); reinstall "
                "dyad or use --no-models"
            ) from exc
        self.tokenizer.enable_truncation(self.info.max_length)
        self.tokenizer.no_padding()
        log.info("loaded event model %s", onnx_path)

    def read_words(self, sentences: Sequence[Sequence[str]]) -> list[WordReading]:
        """Read sentences given as words; one reading per sentence, in order.

        Sentences are sorted by length and run in batches of up to BATCH: padded batches when
        the graph honours the attention mask (``info.padded``), else batches of one length.
        """
        encs = [self.tokenizer.encode(list(words), is_pretokenized=True) for words in sentences]
        lengths = [len(e.ids) for e in encs]
        order = sorted(range(len(encs)), key=lengths.__getitem__)
        slack = PAD_SLACK if self.info.padded else 1.0
        out: list[WordReading | None] = [None] * len(encs)
        for group in _batches(order, lengths, slack):
            ids, mask = _padded([encs[i].ids for i in group])
            penta, root, token = self.session.run(
                ["penta", "root", "token"], {"input_ids": ids, "attention_mask": mask}
            )
            for r, i in enumerate(group):
                out[i] = self._reading(
                    penta[r], root[r], token[r], encs[i].word_ids, len(sentences[i])
                )
        return [r for r in out if r is not None]

    def _reading(
        self,
        penta: Floats,
        root: Floats,
        token: Floats,
        word_ids: Sequence[int | None],
        n_words: int,
    ) -> WordReading:
        info = self.info
        p = _softmax(penta, info.penta_temperature)
        best = int(p.argmax())
        label = info.penta_labels[best]
        probabilities = tuple(
            (lab, round(float(v), 4)) for lab, v in zip(info.penta_labels, p, strict=True)
        )
        root_label: str | None = None
        root_p: float | None = None
        if label != "none":
            rp = _softmax(root, info.root_temperature)
            within = [
                (float(rp[k]), lab)
                for k, lab in enumerate(info.root_labels)
                if ROOT_TO_PENTA.get(lab) == label
            ]
            total = sum(v for v, _ in within) or 1.0
            v, root_label = max(within)
            root_p = round(v / total, 4)
        tp = _softmax(token)
        first: dict[int, int] = {}
        for pos, w in enumerate(word_ids):
            if w is not None and w not in first:
                first[w] = pos
        outside = tuple(1.0 if k == 0 else 0.0 for k in range(len(info.token_labels)))
        roles = tuple(
            tuple(round(float(x), 4) for x in tp[first[w]]) if w in first else outside
            for w in range(n_words)
        )
        return WordReading(
            label, round(float(p[best]), 4), probabilities, root_label, root_p, roles
        )


def _padded(rows: Sequence[Sequence[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Token ids padded with 0 to the longest row, and the attention mask (1 = real token)."""
    ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for k, row in enumerate(rows):
        ids[k, : len(row)] = row
        mask[k, : len(row)] = 1
    return ids, mask


def _batches(order: Sequence[int], lengths: Sequence[int], slack: float) -> list[list[int]]:
    """``order`` (sorted by length) cut into batches of at most BATCH whose longest sentence
    is at most ``slack`` times the shortest (1.0: one length, nothing to pad)."""
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < BATCH and lengths[i] <= slack * lengths[out[-1][0]]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def load_model(folder: Path = DATA) -> EventModel:
    """Load the model in ``folder`` (a fresh session each call; see :func:`get_model`)."""
    return EventModel(folder)


@cache
def get_model() -> EventModel:
    """The bundled model, loaded once per process on first use."""
    return load_model(DATA)
