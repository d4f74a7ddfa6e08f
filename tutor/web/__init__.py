"""The learner's chat page: plain HTML, CSS and JavaScript, served as they are (no build step)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_HTML = STATIC_DIR / "index.html"
ICON_SVG = STATIC_DIR / "icon.svg"
