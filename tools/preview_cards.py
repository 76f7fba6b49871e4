"""The preview image of each page (Open Graph / Twitter card): 1200x630 PNG, drawn with Pillow at build time.

Chats and wikis show it when someone pastes a link. It carries the page's title in the page's language and the
site's name, drawn with fonts on this machine (nothing is fetched from another host):

- Latin text: DejaVu Sans Bold from matplotlib's own data folder (a pinned package), the same file on every machine.
- Chinese text: a system font that has Han characters. PREVIEW_CJK_FONT=/path/to/font.ttc chooses one; otherwise
  fontconfig (`fc-match`, `fc-list`) or matplotlib's list of system fonts finds one. None: the build stops and
  names the package to install (Debian: fonts-wqy-microhei; `make fonts` installs it).

Every character drawn is checked against the font's character map, so a card never shows empty boxes. Cards are
cached in .cache/preview-cards/ under a hash of everything that makes them (text, font file, this drawing code).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tools.paths import REPO

WIDTH, HEIGHT = 1200, 630
CACHE = REPO / ".cache" / "preview-cards"
CJK_PACKAGE = "fonts-wqy-microhei"
OUTLINE_FONTS = {".ttf", ".ttc", ".otf", ".otc"}   # what Pillow's FreeType draws at any size (not bitmap .pcf)
# Bump when the drawing below changes: every cached card is drawn again.
DRAWING_VERSION = "2"

BACKGROUND = (255, 255, 255)
ACCENT = (191, 54, 12)          # the site's primary colour (overrides/main.html, #bf360c)
TEXT = (33, 33, 33)
MUTED = (97, 97, 97)

_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TOKENS = re.compile(r"[A-Za-z0-9_.+/()'’\-]+|\s+|.", re.S)
_NO_LINE_START = set("，。、：；！？）」』”’,.:;!?)")  # closing punctuation stays at the end of the line before


class FontError(RuntimeError):
    """No usable font: the message says what to install or set."""


@dataclass(frozen=True)
class Card:
    title: str
    site_name: str
    tagline: str
    lang: str

    def key(self) -> str:
        digest = hashlib.sha256(DRAWING_VERSION.encode())
        for part in (self.title, self.site_name, self.tagline, self.lang, *map(str, font_fingerprint(self.lang))):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()[:16]


# ---- fonts -----------------------------------------------------------------------------------------------------

def latin_font() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("matplotlib")   # its data folder, without the cost of importing it
    folder = Path(spec.origin).parent if spec and spec.origin else Path("matplotlib-is-not-installed")
    path = folder / "mpl-data" / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    if not path.is_file():
        raise FontError(f"{path} is missing: reinstall the pinned matplotlib (make setup)")
    return path


@lru_cache(maxsize=None)
def _charmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    font = TTFont(path, fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap() or {})


def _has_han(path: str) -> bool:
    try:
        return all(ord(c) in _charmap(path) for c in "模型格式保存加载")
    except Exception:  # not a font fontTools can read: not a candidate
        return False


def _fontconfig(*command: str) -> list[str]:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]


def _fontconfig_candidates() -> list[str]:
    """Fonts fontconfig says cover Chinese (`fc-list :lang=zh`), the one it prefers for Chinese sans-serif first."""
    if not shutil.which("fc-list"):
        return []
    covering = sorted(set(_fontconfig("fc-list", ":lang=zh", "file")))
    preferred = _fontconfig("fc-match", "-f", "%{file}\n", "sans-serif:lang=zh-cn") if shutil.which("fc-match") else []
    return list(dict.fromkeys([path for path in preferred if path in covering] + covering))


def _matplotlib_candidates() -> list[str]:
    from matplotlib import font_manager
    return sorted(font_manager.findSystemFonts())


@lru_cache(maxsize=None)
def cjk_font() -> Path:
    chosen = os.environ.get("PREVIEW_CJK_FONT")
    if chosen:
        if not Path(chosen).is_file():
            raise FontError(f"PREVIEW_CJK_FONT={chosen}: no such file")
        if not _has_han(chosen):
            raise FontError(f"PREVIEW_CJK_FONT={chosen} has no Chinese characters: choose a CJK font")
        return Path(chosen)
    for path in _fontconfig_candidates():          # fontconfig has checked their coverage already
        if Path(path).suffix.lower() in OUTLINE_FONTS and Path(path).is_file():
            return Path(path)
    for path in _matplotlib_candidates():          # no fontconfig (e.g. macOS without it): check each font
        if Path(path).suffix.lower() in OUTLINE_FONTS and Path(path).is_file() and _has_han(path):
            return Path(path)
    raise FontError(
        "No font with Chinese characters is installed, so the Chinese pages' preview images cannot be drawn. "
        f"Install one: on Debian or Ubuntu `sudo apt-get install {CJK_PACKAGE}` (or run `make fonts`); "
        "elsewhere set PREVIEW_CJK_FONT=/path/to/a/font-with-chinese.ttf (.ttc/.otf work too).")


def font_for(lang: str) -> Path:
    return cjk_font() if lang == "zh" else latin_font()


@lru_cache(maxsize=None)
def font_fingerprint(lang: str) -> tuple[str, str]:
    """Which font file draws a language, and a hash of its bytes: another font means another card."""
    path = font_for(lang)
    return path.name, hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _check_coverage(text: str, path: Path, what: str, lang: str) -> None:
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in _charmap(str(path))})
    if missing:
        fix = ("set PREVIEW_CJK_FONT to a font that has them" if lang == "zh" else
               "the cards of the English pages are drawn in DejaVu Sans (Latin, Greek, Cyrillic): reword it")
        raise FontError(f"{what}: the font {path} has no glyph for {' '.join(missing)!r}; {fix}")


# ---- drawing ---------------------------------------------------------------------------------------------------

def _wrap(text: str, font, width: int) -> list[str]:
    """Greedy line breaking: between words for Latin text, between any two characters for Chinese."""
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            token = " "
        candidate = line + token
        if line and token not in _NO_LINE_START and font.getlength(candidate.rstrip()) > width:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


def draw(card: Card):
    from PIL import Image, ImageDraw, ImageFont

    path = font_for(card.lang)
    for text, what in ((card.title, "page title"), (card.site_name, "site name"), (card.tagline, "tagline")):
        _check_coverage(text, path, f"preview card ({card.lang}) {what} {text!r}", card.lang)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    margin = 80
    pen.rectangle([0, 0, WIDTH, 18], fill=ACCENT)
    pen.rectangle([0, 0, 18, HEIGHT], fill=ACCENT)
    pen.text((margin, 70), card.site_name, font=ImageFont.truetype(str(path), 40), fill=ACCENT)
    # The largest size at which the title fits in three lines.
    for size in (84, 76, 68, 60, 54, 48):
        font = ImageFont.truetype(str(path), size)
        lines = _wrap(card.title, font, WIDTH - 2 * margin)
        if len(lines) <= 3:
            break
    lines = lines[:3]
    y = 190
    for line in lines:
        pen.text((margin, y), line, font=font, fill=TEXT)
        y += int(size * 1.3)
    pen.text((margin, HEIGHT - 100), card.tagline, font=ImageFont.truetype(str(path), 30), fill=MUTED)
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


@lru_cache(maxsize=1)
def _palette():
    """White and five steps from white to each ink: the anti-aliased edges of the text map onto these. A fixed
    palette is ten times faster than finding one per card, and the same for every card."""
    from PIL import Image
    colours = [BACKGROUND]
    for ink in (ACCENT, TEXT, MUTED):
        colours += [tuple(round(w + (c - w) * step / 5) for w, c in zip(BACKGROUND, ink)) for step in range(1, 6)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


def render(card: Card, target: Path) -> Path:
    """Write the card's PNG to `target`, drawing it only when the cache has no card with the same key."""
    cached = CACHE / f"{card.key()}.png"
    if not cached.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        draw(card).save(partial, format="PNG")  # zlib's default level: optimize=True costs 8x the time for 7%
        partial.replace(cached)  # atomic: two builds at once never see half a file
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    return target


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))
