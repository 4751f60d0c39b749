"""The bundled typeface, registered with ReportLab once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

REGULAR = "MotcuaSerif"
BOLD = "MotcuaSerif-Bold"
ITALIC = "MotcuaSerif-Italic"

_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the slip fonts in ReportLab's process-wide registry, at most once.

    Registration is deferred to the first rendering (rather than done at import) because parsing
    the TTF files costs time and memory that a process which never prints a slip should not pay.
    The lock makes the first renderings of concurrent requests register exactly once.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        # <b> and <i> in paragraphs pick these faces; no bold italic is bundled, so bold stands in.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True
