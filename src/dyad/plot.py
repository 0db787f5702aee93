"""Pictures of a series and of a network, with matplotlib (the ``plot`` extra).

The file's suffix picks the format (``.png`` or ``.svg``). matplotlib is imported only here,
with its non-interactive backend, so the rest of dyad runs without it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dyad.errors import QueryError
from dyad.query import Edge, SeriesPoint

SUFFIXES = (".png", ".svg")


def _pyplot(out: Path) -> Any:
    if out.suffix.lower() not in SUFFIXES:
        raise QueryError(f"--out {out}: write a .png or an .svg file")
    try:
        import matplotlib
    except ImportError:
        raise QueryError(
            "plots need matplotlib: pip install 'dyad[plot]' (or pip install matplotlib)"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_series(points: Sequence[SeriesPoint], out: Path, *, title: str, by: str) -> Path:
    """Cooperation (up) and conflict (down) per period, mean Goldstein on a second axis."""
    plt = _pyplot(out)
    if not points:
        raise QueryError("no events match: nothing to plot")
    x = [p.period for p in points]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(x, [p.cooperation for p in points], color="#2b8a3e", label="cooperation",
           width=_bar_width(by))  # fmt: skip
    ax.bar(x, [-p.conflict for p in points], color="#c92a2a", label="conflict",
           width=_bar_width(by))  # fmt: skip
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(f"events per {by} (conflict below zero)")
    ax2 = ax.twinx()
    means = [math.nan if p.goldstein_mean is None else p.goldstein_mean for p in points]
    ax2.plot(x, means, color="#1c7ed6", marker="o", linewidth=1.2, label="mean Goldstein")
    ax2.set_ylim(-10, 10)
    ax2.set_ylabel("mean Goldstein")
    ax.set_title(title)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def _bar_width(by: str) -> float:
    return {"day": 0.8, "week": 5.0, "month": 20.0, "year": 250.0}.get(by, 20.0)


def plot_network(edges: Sequence[Edge], out: Path) -> Path:
    """Actors on a circle; arrows from source to target, as wide as their events, green
    where cooperation outweighs conflict, red where conflict does."""
    plt = _pyplot(out)
    if not edges:
        raise QueryError("no events match: nothing to plot")
    nodes = sorted({e.source for e in edges} | {e.target for e in edges})
    pos = {
        n: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
        for i, n in enumerate(nodes)
    }
    heaviest = max(e.events for e in edges)
    fig, ax = plt.subplots(figsize=(8, 8))
    for e in edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        color = "#2b8a3e" if e.cooperation >= e.conflict else "#c92a2a"
        ax.annotate(
            "", xy=(x1, y1), xytext=(x0, y0),
            arrowprops={"arrowstyle": "-|>", "color": color, "alpha": 0.7,
                        "linewidth": 0.8 + 4 * e.events / heaviest,
                        "connectionstyle": "arc3,rad=0.12", "shrinkA": 12, "shrinkB": 12},
        )  # fmt: skip
    for n, (x, y) in pos.items():
        ax.scatter([x], [y], s=500, color="white", edgecolors="black", zorder=3)
        ax.text(x, y, n, ha="center", va="center", fontsize=8, zorder=4)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("who acts on whom (green: cooperation, red: conflict)")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
