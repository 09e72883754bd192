"""Text of scanned letters: OCRmyPDF (Tesseract) where Tesseract is installed.

A scan has no text layer, so without OCR its words never reach the search. OCRmyPDF is
a Python dependency; Tesseract and its Ukrainian data are system packages
(`apt install tesseract-ocr tesseract-ocr-ukr`), optional: without them a scan is
stored and marked "no OCR on this server" (docs/decisions/0204).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

# A PDF with less text than this (a stamp, a page number) is treated as a scan.
MIN_TEXT = 20
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_PAGES = 50
# Seconds Tesseract may spend on one page before the page is left without text.
PAGE_TIMEOUT_S = 120
# Scans without a resolution in their metadata are read as this many dots per inch.
DEFAULT_IMAGE_DPI = 300


# OCRmyPDF's sidecar marks pages it left alone because they had text.
_SKIPPED_NOTE = re.compile(r"\[OCR skipped on page\(s\) [^\]]*\]")


class RecognitionFailed(Exception):
    pass


@cache
def languages() -> tuple[str, ...]:
    """Tesseract's languages of ours that are installed (Ukrainian first), or ()."""
    if shutil.which("tesseract") is None:
        return ()
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20, check=True
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(code for code in ("ukr", "eng") if code in listed)


def available() -> bool:
    return bool(languages())


def needs_recognition(name: str, text: str) -> bool:
    """An image, or a PDF whose text layer is (almost) empty."""
    lowered = name.lower()
    if lowered.endswith(IMAGE_SUFFIXES):
        return True
    return lowered.endswith(".pdf") and len(text.strip()) < MIN_TEXT


def recognise(data: bytes, name: str) -> str:
    """The text OCRmyPDF reads from a scanned PDF or image; raises RecognitionFailed."""
    import ocrmypdf

    if not available():
        raise RecognitionFailed("Tesseract is not installed")
    suffix = Path(name).suffix.lower() or ".pdf"
    with tempfile.TemporaryDirectory(prefix="hromada-ocr-") as folder:
        source = Path(folder) / f"in{suffix}"
        output, sidecar = Path(folder) / "out.pdf", Path(folder) / "text.txt"
        source.write_bytes(data)
        # Only images take a resolution; OCRmyPDF warns when a PDF is given one.
        image = {"image_dpi": DEFAULT_IMAGE_DPI} if suffix in IMAGE_SUFFIXES else {}
        try:
            code = ocrmypdf.ocr(
                source,
                output,
                language=list(languages()),
                sidecar=sidecar,
                output_type="pdf",
                skip_text=True,
                **image,
                pages=f"1-{MAX_PAGES}",
                tesseract_timeout=PAGE_TIMEOUT_S,
                progress_bar=False,
            )
        except Exception as error:  # OCRmyPDF raises its own kinds for bad input
            raise RecognitionFailed(str(error) or type(error).__name__) from error
        if code != 0 or not sidecar.exists():
            raise RecognitionFailed(f"OCRmyPDF exit code {code}")
        text = _SKIPPED_NOTE.sub("", sidecar.read_text(encoding="utf-8"))
        return text.replace("\f", "\n").strip()
