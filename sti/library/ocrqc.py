"""OCR quality control, page by page.

The image itself says how much text a page holds: after a median filter (salt-and-pepper)
and a threshold below the paper's own grey, the connected components of glyph size are
counted, the page's skew is found from how their centres line up, and the text lines are
counted on the deskewed projection. Recognised text is then compared with that estimate:
a first pass that reads too little, with low confidence, or mostly non-Vietnamese tokens is
retried with other page-segmentation modes on a cleaned (median filter, light Gaussian),
deskewed, upscaled and binarised (Otsu or Sauvola) or grey image. The best reading is kept,
or, when none looks good, the readings vote word by word (`consensus`).

Each page gets a flag: ok, low quality (with its reason), blank, or noise (no text). Only
ok pages become a file's text; the others wait for an editor (`services.accept_ocr_page`).
Pure functions of an image and Tesseract; no database.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _
from PIL import Image

from sti.core.text import fold

# Flags (the values of choices.QualityFlag used for pages).
OK, LOW_QUALITY, BLANK, NOISE = "ok", "low_quality", "blank", "noise"

TESSERACT_TIMEOUT_S = 300
# A page with fewer glyph-sized components than this holds no text (dust, a stain).
BLANK_GLYPHS = 25
# Recognised text below this many plausible characters is "nothing read".
FEW_CHARS = 20
# Mean width of a character's ink over the median glyph height (marks, being short, are not
# glyphs): calibrated on the clean generated pages, serif and sans.
CHAR_ASPECT = 0.7
# Thresholds for a reading to be trusted.
MIN_COVERAGE = 0.6  # recognised / expected characters
MIN_CONFIDENCE = 88.0  # generated pages: readings at 6–14 % CER scored 75–87, under 3 % 92+
MIN_VALID = 0.85  # share of word characters in plausible Vietnamese syllables
MIN_ALIGNED = 0.6  # share of glyph centres on text lines (text, not noise)
# A first pass this good is kept without retries.
GOOD_COVERAGE, GOOD_CONFIDENCE, GOOD_VALID = 0.8, 88.0, 0.93

_ONSET = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx]"
_SYLLABLE = re.compile(rf"^({_ONSET})?[aeiouy]{{1,3}}(ch|nh|ng|[cmnpt])?$")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


# ---------------------------------------------------------------------------
# What the image holds
# ---------------------------------------------------------------------------
@dataclass
class Layout:
    glyphs: int  # glyph-sized connected components
    lines: int  # text lines on the deskewed projection
    skew: float  # degrees counter-clockwise, as seen; rotate by -skew to straighten
    aligned: float  # share of glyph centres that fall on a text line
    ink: float  # share of dark pixels
    expected_chars: int
    split_x: int | None = None  # the gutter of a two-column page, in pixels

    @property
    def columns(self) -> int:
        return 2 if self.split_x else 1

    @property
    def blank(self) -> bool:
        return self.glyphs < BLANK_GLYPHS

    @property
    def text_like(self) -> bool:
        return not self.blank and self.aligned >= MIN_ALIGNED and self.lines >= 1


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def otsu(values: np.ndarray) -> float:
    histogram = np.bincount(np.clip(values, 0, 255).astype(np.uint8).ravel(), minlength=256)
    histogram = histogram.astype(np.float64)
    total = histogram.sum()
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1)
    return float(np.argmax(between))


def ink_mask(grey: np.ndarray, dpi: int) -> np.ndarray:
    """Dark pixels: below both Otsu's threshold and the paper's grey less a margin, so that a
    blank page's grain is not split in two."""
    from scipy import ndimage

    smooth = ndimage.median_filter(grey, size=3)
    paper = float(np.percentile(smooth, 90))
    threshold = min(otsu(smooth), paper - 45.0)
    return smooth < threshold


def analyse(image: Image.Image, dpi: int = 300) -> Layout:
    from scipy import ndimage

    dpi = max(int(dpi or 300), 50)
    mask = ink_mask(_grey(image), dpi)
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if not count:
        return Layout(0, 0, 0.0, 0.0, 0.0, 0)
    slices = ndimage.find_objects(labels)
    heights = np.array([s[0].stop - s[0].start for s in slices])
    widths = np.array([s[1].stop - s[1].start for s in slices])
    ys = np.array([(s[0].start + s[0].stop) / 2 for s in slices])
    xs = np.array([(s[1].start + s[1].stop) / 2 for s in slices])
    # Glyphs of body text: 0.04–0.3 in tall, at most 0.5 in wide (a touching pair or three).
    glyph = (
        (heights >= 0.04 * dpi)
        & (heights <= 0.3 * dpi)
        & (widths >= 0.01 * dpi)
        & (widths <= 0.5 * dpi)
    )
    n = int(glyph.sum())
    ink = float(mask.mean())
    # Characters from the summed glyph widths over the typical glyph height: a serif letter
    # broken in two or two blurred letters run together keep their total width.
    expected = (
        round(widths[glyph].sum() / (CHAR_ASPECT * float(np.median(heights[glyph])))) if n else 0
    )
    if n < BLANK_GLYPHS:
        return Layout(n, 0, 0.0, 0.0, ink, 0)
    gy, gx = ys[glyph], xs[glyph]
    bin_px = max(dpi / 75.0, 1.0)
    best = (-1.0, 0.0, None)
    for angle in np.arange(-3.0, 3.01, 0.2):
        projected = gy - gx * np.tan(np.radians(angle))
        histogram = np.bincount(((projected - projected.min()) / bin_px).astype(int))
        score = float((histogram.astype(np.float64) ** 2).sum())
        if score > best[0]:
            best = (score, float(angle), histogram)
    _score, angle, histogram = best
    # Text lines: runs of bins holding many glyph centres, separated by near-empty bins.
    smoothed = np.convolve(histogram, np.ones(3), mode="same")
    on = smoothed >= max(3.0, 0.15 * smoothed.max())
    starts = np.flatnonzero(on & ~np.concatenate(([False], on[:-1])))
    lines = len(starts)
    aligned = float(smoothed[on].sum() / max(smoothed.sum(), 1.0))
    return Layout(
        glyphs=n,
        lines=lines,
        # Lines rising to the right (a counter-clockwise page) project straight at a < 0.
        skew=round(-angle, 1) + 0.0,
        aligned=round(aligned, 3),
        ink=round(ink, 4),
        expected_chars=expected,
        split_x=gutter(gx, dpi),
    )


def gutter(xs: np.ndarray, dpi: int) -> int | None:
    """The x of an empty vertical band in the middle of the text (two columns), if any."""
    left, right = np.percentile(xs, 1), np.percentile(xs, 99)
    bin_px = max(dpi / 50.0, 1.0)
    histogram = np.bincount(((xs - left).clip(0) / bin_px).astype(int))
    low, high = int(len(histogram) * 0.35), int(len(histogram) * 0.65)
    empty = histogram[low:high] <= max(1, 0.002 * len(xs))
    best, run, start = (0, None), 0, 0
    for i, is_empty in enumerate(empty):
        run = run + 1 if is_empty else 0
        if run == 1:
            start = i
        if run > best[0]:
            best = (run, start)
    if best[1] is None or best[0] * bin_px < 0.12 * dpi or right - left < 3 * dpi:
        return None
    return int(left + (low + best[1] + best[0] / 2) * bin_px)


# ---------------------------------------------------------------------------
# What was read
# ---------------------------------------------------------------------------
def plausible_token(token: str) -> bool:
    """A Vietnamese syllable (at most one tone mark), a number, or a short abbreviation."""
    token = _EDGE.sub("", token)
    if not token:
        return False
    if token.replace(".", "").replace(",", "").isdigit():
        return True
    if token.isupper() and token.isalpha() and 2 <= len(token) <= 6:
        return True
    decomposed = unicodedata.normalize("NFD", token.lower())
    if sum(1 for ch in decomposed if ch in _TONES) > 1:
        return False
    return bool(_SYLLABLE.match(fold(token.lower())))


_STOP_TONES = {"\u0301", "\u0323"}  # sắc, nặng


def spelled(token: str) -> bool:
    """A plausible token whose tone fits its ending too: a syllable closed by c, ch, p or t
    carries sắc or nặng (các, học, đẹp, mặt), never another tone nor none."""
    if not plausible_token(token):
        return False
    word = fold(_EDGE.sub("", token).lower())
    if not word.isalpha() or not word.endswith(("c", "ch", "p", "t")):
        return True
    decomposed = unicodedata.normalize("NFD", _EDGE.sub("", token).lower())
    return any(ch in _STOP_TONES for ch in decomposed)


def valid_share(text: str) -> float:
    """Share of word characters that sit in plausible tokens (1.0 for no word)."""
    tokens = [t for t in text.split() if any(ch.isalnum() for ch in t)]
    total = sum(len(t) for t in tokens)
    if not total:
        return 0.0
    return sum(len(t) for t in tokens if plausible_token(t)) / total


def visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


@dataclass
class Reading:
    text: str
    confidence: float | None
    method: str  # how it was read, e.g. "psm3" or "sauvola+deskew+x2/psm4"
    # (word, confidence, line key) in reading order, where Tesseract's TSV gave them
    words: list[tuple[str, float, tuple]] = field(default_factory=list, repr=False)

    @property
    def chars(self) -> int:
        return visible(self.text)


@dataclass
class PageResult:
    number: int
    flag: str
    reason: str
    reading: Reading
    layout: Layout
    attempts: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.reading.text

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "flag": self.flag,
            "reason": self.reason,
            "confidence": self.reading.confidence,
            "method": self.reading.method,
            "chars": self.reading.chars,
            "expected_chars": self.layout.expected_chars,
            "lines": self.layout.lines,
            "glyphs": self.layout.glyphs,
            "skew": self.layout.skew,
            "aligned": self.layout.aligned,
            "attempts": self.attempts,
        }


def read_tsv(tsv: str) -> Reading:
    """Text (lines and paragraphs kept) and mean word confidence from Tesseract's TSV."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    paragraphs: dict[tuple, dict[tuple, list[str]]] = {}
    confidences = []
    words = []
    for row in rows:
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        key = (int(row["block_num"]), int(row["par_num"]))
        line = (*key, int(row["line_num"]))
        paragraphs.setdefault(key, {}).setdefault(line, []).append(word)
        confidences.append(float(row["conf"]))
        words.append((unicodedata.normalize("NFC", word), float(row["conf"]), line))
    text = "\n\n".join(
        "\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values()
    )
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return Reading(unicodedata.normalize("NFC", text), confidence, "", words)


def tesseract(image: Image.Image, dpi: int, psm: int, language: str = "vie") -> Reading:
    with tempfile.TemporaryDirectory(prefix="sti-ocrqc-") as folder:
        path = Path(folder) / "page.png"
        image.save(path, dpi=(dpi, dpi))
        result = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", language, "--psm", str(psm), "tsv"],
            capture_output=True,
            timeout=TESSERACT_TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    reading = read_tsv(result.stdout.decode("utf-8", "replace"))
    reading.method = f"psm{psm}"
    return reading


# ---------------------------------------------------------------------------
# Verdict
# ---------------------------------------------------------------------------
def judge(reading: Reading, layout: Layout) -> tuple[str, str]:
    """(flag, reason) for one reading of a page."""
    chars = reading.chars
    valid = valid_share(reading.text)
    plausible = chars * valid
    if layout.blank and plausible < FEW_CHARS * 2:
        return BLANK, _("Trang trắng: %(g)s vết mực cỡ ký tự, đọc được %(c)s ký tự.") % {
            "g": layout.glyphs,
            "c": chars,
        }
    if not layout.text_like and (
        plausible < FEW_CHARS * 2 or valid < 0.7 or (reading.confidence or 0) < 50
    ):
        return NOISE, _(
            "Nhiễu, không thấy dòng chữ (%(a)s%% vết mực thẳng hàng); đọc được %(c)s ký tự, "
            "%(v)s%% hợp lệ."
        ) % {"a": round(layout.aligned * 100), "c": chars, "v": round(valid * 100)}
    reasons = []
    expected = layout.expected_chars
    if expected and chars < MIN_COVERAGE * expected:
        reasons.append(
            _("chỉ đọc được %(c)s/%(e)s ký tự ước tính (%(l)s dòng chữ)")
            % {"c": chars, "e": expected, "l": layout.lines}
        )
    if reading.confidence is None or reading.confidence < MIN_CONFIDENCE:
        reasons.append(_("độ tin cậy %(c)s%%") % {"c": reading.confidence or 0})
    if valid < MIN_VALID:
        reasons.append(
            _("%(v)s%% ký tự thuộc âm tiết tiếng Việt hợp lệ") % {"v": round(valid * 100)}
        )
    if reasons:
        return LOW_QUALITY, _("Chất lượng thấp: %(r)s.") % {"r": "; ".join(reasons)}
    return OK, ""


def looks_good(reading: Reading, layout: Layout) -> bool:
    expected = layout.expected_chars
    return (
        (not expected or reading.chars >= GOOD_COVERAGE * expected)
        and (reading.confidence or 0) >= GOOD_CONFIDENCE
        and valid_share(reading.text) >= GOOD_VALID
    )


def score(reading: Reading, layout: Layout) -> float:
    """Plausible characters read (capped at a little over the estimate), weighted by confidence."""
    plausible = reading.chars * valid_share(reading.text)
    if layout.expected_chars:
        plausible = min(plausible, 1.15 * layout.expected_chars)
    return plausible * (reading.confidence or 0) / 100


# ---------------------------------------------------------------------------
# Clean-up for the retries
# ---------------------------------------------------------------------------
def sauvola(grey: np.ndarray, window: int, k: float = 0.2, r: float = 128.0) -> np.ndarray:
    from scipy import ndimage

    mean = ndimage.uniform_filter(grey, window)
    square = ndimage.uniform_filter(grey * grey, window)
    std = np.sqrt(np.maximum(square - mean * mean, 0))
    return grey > mean * (1 + k * (std / r - 1))


def prepare(image: Image.Image, dpi: int, skew: float, binarize: str) -> tuple[Image.Image, int]:
    """Deskewed, upscaled to about 300 dpi and binarised: `otsu` and `sauvola` after a median
    filter (salt-and-pepper), `smooth` after the median filter and a light Gaussian, `blur`
    after a Gaussian alone (fine grain on faded print, where the median eats thin strokes),
    `none` median-filtered grey, `grey` the median filter and a light Gaussian with the grey
    levels kept and stretched, `masked` a Gaussian alone, the paper away from the glyphs
    whitened and the rest kept grey. Smoothing is done at the upscaled size, so that Otsu's
    threshold follows glyph edges interpolated between the scan's pixels."""
    from scipy import ndimage

    grey = _grey(image)
    if binarize not in ("blur", "masked"):
        grey = ndimage.median_filter(grey, size=3)
    picture = Image.fromarray(grey.astype(np.uint8))
    if abs(skew) >= 0.2:
        picture = picture.rotate(-skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    factor = 2 if dpi < 225 else 1
    if factor > 1:
        picture = picture.resize(
            (picture.width * factor, picture.height * factor), Image.Resampling.LANCZOS
        )
    out_dpi = dpi * factor
    if binarize == "none":
        return picture, out_dpi
    grey = _grey(picture)
    if binarize in SMOOTHING:
        # sigma in pixels of a 150-dpi scan, scaled to the working resolution
        grey = ndimage.gaussian_filter(grey, SMOOTHING[binarize] * out_dpi / 150)
    if binarize in ("grey", "masked"):
        grey = _stretch(grey)
        if binarize == "masked":
            grey = _mask_background(grey, out_dpi)
        return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)), out_dpi
    if binarize == "sauvola":
        white = sauvola(grey, window=max(int(out_dpi / 10) | 1, 15))
    else:
        paper = float(np.percentile(grey, 90))
        white = grey >= min(otsu(grey), paper - 30.0)
    return Image.fromarray((white * 255).astype(np.uint8)), out_dpi


def _stretch(grey: np.ndarray) -> np.ndarray:
    """Grey kept (Tesseract's recogniser reads the grey levels of a glyph's edges), the
    darkest ink stretched to black and the paper to white (not yet clipped to 0–255)."""
    ink, paper = np.percentile(grey, 1), np.percentile(grey, 90)
    return (grey - ink) * (255.0 / max(paper - ink, 1.0))


def _mask_background(grey: np.ndarray, dpi: int) -> np.ndarray:
    """Paper away from the glyphs turned white, the glyphs and a margin of 2 px (at 150 dpi)
    around them kept grey: the grain between words and lines goes, the shading of thin
    strokes and tone marks stays. Specks under 40 px once grown (at 150 dpi) are dropped."""
    from scipy import ndimage

    scale = dpi / 150
    ink = grey < min(otsu(grey), float(np.percentile(grey, 90)) - 30.0)
    near = ndimage.binary_dilation(ink, iterations=max(round(2 * scale), 1))
    labels, count = ndimage.label(near)
    if count:
        sizes = np.bincount(labels.ravel())
        keep = sizes >= 40 * scale * scale
        keep[0] = False
        near = keep[labels]
    return np.where(near, grey, 255.0)


# Gaussian sigma (in pixels at 150 dpi) before Otsu, measured on the generated pages: a
# faded, blurred serif page read at 13.5 % CER after the median filter and 8.6–9.6 % with a
# 0.8 px Gaussian instead of it; a two-column serif page under heavy noise at 6.2 % after
# the median filter alone and 5.1–6.1 % with a 0.5 px Gaussian after it. Sigmas of 0.35,
# 0.6, 0.7, 1.0 and 1.2 px, thresholds above or below Otsu's, ×3 upscaling and a word-level
# vote of the best readings did no better.
# `grey` (median filter, 0.5 px, grey levels kept) read the noisy two-column page at
# 3.3–3.6 %; `masked` (0.8 px, grain away from the glyphs whitened) the faded page at 5.9 %.
SMOOTHING = {"smooth": 0.5, "blur": 0.8, "grey": 0.5, "masked": 0.8}


RETRIES = (
    ("grey", 3),
    ("smooth", 3),
    ("masked", 3),
    ("blur", 3),
    ("otsu", 3),
    ("otsu", 4),
    ("sauvola", 6),
)
# The consensus: readings within this many points of the best mean confidence, and whose
# words agree this much with the most agreed-on reading (a reading with its columns
# interleaved or its lines in another order agrees little), vote word by word.
VOTE_CONFIDENCE_GAP = 10.0
VOTE_MIN_AGREEMENT = 0.7
VOTE_MIN_READINGS = 3


def recognise(
    image: Image.Image,
    dpi: int,
    number: int = 1,
    first: Reading | None = None,
    language: str = "vie",
) -> PageResult:
    """Read a page, retrying when the first pass looks bad; the best reading wins.

    `first` is a reading already made (OCRmyPDF's); without it a plain `--psm 3` pass is made.
    """
    layout = analyse(image, dpi)
    reading = first or tesseract(image, dpi, 3, language)
    if not reading.method:
        reading.method = "psm3"
    attempts = [_attempt(reading, layout)]
    best = reading
    readings = [reading]
    # A page without text lines (noise) is not retried: nothing better is there to read.
    if layout.text_like and not looks_good(reading, layout):
        prepared: dict[str, tuple[Image.Image, int]] = {}
        for binarize, psm in RETRIES:
            if binarize not in prepared:
                prepared[binarize] = prepare(image, dpi, layout.skew, binarize)
            picture, picture_dpi = prepared[binarize]
            candidate = _read_columns(picture, picture_dpi, psm, language, layout.columns > 1)
            candidate.method = (
                f"{binarize}+deskew+x{picture_dpi // dpi}"
                f"{'+columns' if layout.columns > 1 else ''}/psm{psm}"
            )
            attempts.append(_attempt(candidate, layout))
            readings.append(candidate)
            if score(candidate, layout) > score(best, layout):
                best = candidate
            if looks_good(best, layout):
                break
        else:
            voted = consensus(readings)
            if voted is not None:
                attempts.append(_attempt(voted, layout))
                best = voted
    flag, reason = judge(best, layout)
    return PageResult(number, flag, reason, best, layout, attempts)


def _agreement(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def consensus(readings: list[Reading]) -> Reading | None:
    """A reading voted word by word from several readings of one page, or None when fewer
    than three trustworthy readings are there.

    The readings within `VOTE_CONFIDENCE_GAP` of the best confidence take part. The pivot is
    the reading whose words agree most with all the others (the medoid: its order of lines
    and columns is the one most readings share); readings agreeing less than
    `VOTE_MIN_AGREEMENT` with it are left out. Each other reading is aligned with the pivot
    word by word; where it has as many words as the pivot over a stretch, each of its words
    votes for the pivot's slot with its own Tesseract confidence. The word with the most
    confidence wins the slot (the pivot's on a tie), so an error made by one binarisation is
    outvoted by the others that read the word right. The pivot's lines are kept."""
    confident = [r for r in readings if r.words and r.confidence is not None]
    if len(confident) < VOTE_MIN_READINGS:
        return None
    top = max(r.confidence for r in confident)
    confident = [r for r in confident if r.confidence >= top - VOTE_CONFIDENCE_GAP]
    tokens = [[word for word, _c, _l in r.words] for r in confident]
    # Agreement on the words without their marks: two readings that slip on different tone
    # marks still agree on nearly every word; a reading in another order agrees on half.
    folded = [[fold(_EDGE.sub("", word.lower())) for word in words] for words in tokens]
    agree = [[1.0] * len(confident) for _ in confident]
    for i in range(len(confident)):
        for j in range(i + 1, len(confident)):
            agree[i][j] = agree[j][i] = _agreement(folded[i], folded[j])
    # One image read with two segmentation modes gives near-copies (the same slips): one
    # vote, not two; the most confident reading of each image stays.
    order = sorted(range(len(confident)), key=lambda i: -confident[i].confidence)
    distinct: list[int] = []
    images: set[str] = set()
    for i in order:
        image = confident[i].method.split("/")[0]
        if image not in images:
            images.add(image)
            distinct.append(i)
    pivot = max(distinct, key=lambda i: sum(agree[i][j] for j in distinct))
    voters = [i for i in distinct if agree[pivot][i] >= VOTE_MIN_AGREEMENT]
    if len(voters) < VOTE_MIN_READINGS:
        return None
    chosen = _vote(confident, tokens, pivot, voters)
    lines: dict[tuple, list[str]] = {}
    for word, _conf, line in chosen:
        lines.setdefault(line, []).append(word)
    paragraphs: dict[tuple, list[str]] = {}
    for line, words in lines.items():
        paragraphs.setdefault(line[:-1], []).append(" ".join(words))
    text = "\n\n".join("\n".join(p) for p in paragraphs.values())
    confidence = round(sum(conf for _w, conf, _l in chosen) / len(chosen), 1) if chosen else None
    return Reading(
        text, confidence, f"vote of {len(voters)} ({confident[pivot].method} as pivot)", chosen
    )


def _vote(
    readings: list[Reading], tokens: list[list[str]], pivot: int, voters: list[int]
) -> list[tuple[str, float, tuple]]:
    """The words voted into the pivot's slots, each with the mean confidence of the readings
    that read it so. A word that is no Vietnamese syllable (`spelled`) counts half."""
    base = readings[pivot].words
    slots: list[dict[str, list[float]]] = [{word: [conf]} for word, conf, _l in base]
    for i in voters:
        if i == pivot:
            continue
        other = readings[i].words
        matcher = difflib.SequenceMatcher(None, tokens[pivot], tokens[i], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
                for k in range(i2 - i1):
                    word, conf, _line = other[j1 + k]
                    slots[i1 + k].setdefault(word, []).append(conf)
    chosen = []
    for (word, _conf, line), votes in zip(base, slots, strict=True):
        winner = max(votes, key=lambda w: (sum(votes[w]) * (1.0 if spelled(w) else 0.5), w == word))
        confs = votes[winner]
        chosen.append((winner, sum(confs) / len(confs), line))
    return chosen


def _read_columns(
    picture: Image.Image, dpi: int, psm: int, language: str, columns: bool
) -> Reading:
    """Read a page, or each column apart on a two-column page (psm 4 and 6 would read
    straight across the gutter)."""
    split = analyse(picture, dpi).split_x if columns else None
    if not split:
        return tesseract(picture, dpi, psm, language)
    parts = [
        tesseract(picture.crop(box), dpi, psm, language)
        for box in ((0, 0, split, picture.height), (split, 0, picture.width, picture.height))
    ]
    words = sum(max(part.chars, 1) for part in parts)
    confidence = (
        round(sum((part.confidence or 0) * max(part.chars, 1) for part in parts) / words, 1)
        if any(part.confidence is not None for part in parts)
        else None
    )
    words = [
        (word, conf, (column, *line))
        for column, part in enumerate(parts)
        for word, conf, line in part.words
    ]
    return Reading("\n\n".join(part.text for part in parts if part.text), confidence, "", words)


def _attempt(reading: Reading, layout: Layout) -> dict:
    return {
        "method": reading.method,
        "chars": reading.chars,
        "confidence": reading.confidence,
        "score": round(score(reading, layout), 1),
    }
