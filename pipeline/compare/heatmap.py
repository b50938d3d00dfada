"""The pillar × municipality heatmap of measure counts, as a PNG with Japanese labels.

Drawn with matplotlib's object API (no pyplot, no global state) in IPAex Gothic, the font the
matplotlib-fontja package ships, so a fresh install renders Japanese without system fonts."""
from __future__ import annotations

import importlib.util
import io
import textwrap
from functools import lru_cache
from pathlib import Path

from .compare import Comparison

FONT_FAMILY = "IPAexGothic"
# Fonts tried when matplotlib-fontja is missing: common Japanese system fonts.
_FALLBACK_FAMILIES = ("IPAexGothic", "IPAGothic", "Noto Sans CJK JP", "Noto Sans JP", "TakaoGothic", "Yu Gothic",
                      "Hiragino Sans", "MS Gothic")


class FontMissing(RuntimeError):
    """No Japanese font for matplotlib (install the matplotlib-fontja package)."""


@lru_cache(maxsize=1)
def japanese_font() -> tuple[str, str]:
    """(family, file) of the Japanese font used, registered with matplotlib's font manager; raises
    FontMissing if there is none."""
    from matplotlib import font_manager

    # Located without importing matplotlib_fontja, whose import changes matplotlib's global settings.
    spec = importlib.util.find_spec("matplotlib_fontja")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return FONT_FAMILY, str(path)
    for family in _FALLBACK_FAMILIES:
        try:
            found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return family, found
    raise FontMissing("no Japanese font for the heatmap (pip install matplotlib-fontja)")


def _label(number: int, title: str, width: int = 18) -> str:
    lines = textwrap.wrap(title, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return f"({number}) " + "\n".join(lines)


def render_heatmap(comparison: Comparison, title: str = "施策の柱 × 市町村：施策の数") -> bytes:
    """The heatmap as PNG bytes: pillars as rows, municipalities as columns (ours first, in red),
    each cell's count written in it."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family, _ = japanese_font()
    pillars = comparison.pillars
    cities = comparison.cities
    data = [[comparison.count(p, c) for c in cities] for p, _ in pillars]
    peak = max((v for row in data for v in row), default=0) or 1
    width = min(3.8 + 0.62 * len(cities), 40.0)
    height = 1.6 + 0.52 * len(pillars)
    with rc_context({"font.family": family, "font.size": 9, "axes.unicode_minus": False}):
        fig = Figure(figsize=(width, height), dpi=150, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        image = ax.imshow(data, cmap="YlGnBu", aspect="auto", vmin=0, vmax=peak)
        ax.set_xticks(range(len(cities)))
        # (the labels stand above the columns: rotated ones start at their column, reading up to the right)
        slanted = len(cities) > 8
        ax.set_xticklabels(cities, rotation=45 if slanted else 0, ha="left" if slanted else "center",
                           rotation_mode="anchor" if slanted else "default")
        ax.set_yticks(range(len(pillars)))
        ax.set_yticklabels([_label(n, t) for n, t in pillars], fontsize=8)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        if cities:
            ax.get_xticklabels()[0].set_color("#b00020")  # the font has no bold: ours in red
            ax.axvline(0.5, color="#333333", linewidth=1.5)
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                colour = "white" if v > peak * 0.6 else "#222222"
                ax.text(j, i, str(v), ha="center", va="center", color=colour, fontsize=9)
        ax.set_title(title, fontsize=11, pad=12)
        bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
        bar.set_label("施策の数")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
