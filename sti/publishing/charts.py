"""Charts for DOCX and PDF publications: matplotlib on the Agg backend (no display), set in
DejaVu Sans, which carries every Vietnamese letter. Each function returns PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402 — after choosing the backend
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from sti.publishing.numbers import number  # noqa: E402

FONT = "DejaVu Sans"
COLORS = ["#0b4f8a", "#2a9d8f", "#e9c46a", "#f4a261", "#8d5a97", "#e76f51", "#264653"]
DPI = 130


def _grouped(value: float, _pos=None) -> str:
    """1234567 → "1.234.567" (Vietnamese digit grouping)."""
    return number(value)


def _figure(width: float, height: float):
    plt.rcParams["font.family"] = FONT
    figure, axes = plt.subplots(figsize=(width, height), dpi=DPI)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_formatter(FuncFormatter(_grouped))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    return buffer.getvalue()


def line_chart(
    years: Sequence[int],
    values: Sequence[float],
    *,
    title: str = "",
    unit: str = "",
    forecast_years: Sequence[int] = (),
    forecast: Sequence[float] = (),
    lower: Sequence[float] = (),
    upper: Sequence[float] = (),
    labels: tuple[str, str, str] = ("Số liệu", "Dự báo", "Khoảng dự báo"),
    width: float = 7.0,
    height: float = 3.4,
) -> bytes:
    """A yearly series, with its forecast and prediction band when given."""
    figure, axes = _figure(width, height)
    axes.plot(years, values, marker="o", color=COLORS[0], linewidth=2, label=labels[0])
    for x, y in zip(years, values, strict=True):
        axes.annotate(
            _grouped(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7
        )
    if forecast_years:
        join_x = [years[-1], *forecast_years]
        axes.plot(
            join_x,
            [values[-1], *forecast],
            linestyle="--",
            marker="o",
            color=COLORS[3],
            linewidth=1.6,
            label=labels[1],
        )
        axes.fill_between(
            join_x,
            [values[-1], *lower],
            [values[-1], *upper],
            color=COLORS[3],
            alpha=0.18,
            label=labels[2],
        )
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if unit:
        axes.set_ylabel(unit)
    if title:
        axes.set_title(title, fontsize=10)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    return _png(figure)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    unit: str = "",
    horizontal: bool = True,
    width: float = 7.0,
    height: float | None = None,
) -> bytes:
    """Bars of one figure per label (horizontal by default: long Vietnamese labels)."""
    height = height or max(2.2, 0.38 * len(labels) + 1.0)
    figure, axes = _figure(width, height)
    if horizontal:
        positions = range(len(labels))
        axes.barh(list(positions), values, color=COLORS[1])
        axes.set_yticks(list(positions), labels=list(labels), fontsize=8)
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(FuncFormatter(_grouped))
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.grid(axis="y", visible=False)
        for y, value in enumerate(values):
            axes.annotate(
                _grouped(value), (value, y), textcoords="offset points", xytext=(3, -3), fontsize=7
            )
        if unit:
            axes.set_xlabel(unit)
    else:
        axes.bar(list(labels), values, color=COLORS[1])
        if unit:
            axes.set_ylabel(unit)
    if title:
        axes.set_title(title, fontsize=10)
    return _png(figure)
