"""An article's picture, made fit to serve from cupure's own origin: decoded, checked, resized, re-encoded.

Readers' browsers never load a publisher's image: the worker fetches it once (through cupure.ingest.fetch,
which refuses private addresses), and this stage turns the bytes into a card thumbnail and a lead image as
WebP. Re-encoding is also the sanitizer: whatever the file held besides pixels (metadata, trailing data,
a script in an SVG, which is refused outright) does not survive it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from .errors import ImageError

FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}  # raster formats browsers and Pillow both read; no SVG, no TIFF
MAX_PIXELS = 40_000_000  # a decompression bomb declares far more: refused before decoding
MIN_SIDE = 120  # smaller is an icon, a spacer or a tracking pixel, not the article's picture
THUMB = (320, 180)  # cards show it at 160 x 90 CSS pixels: sharp on 2x screens
LEAD_WIDTH = 1024
QUALITY = 78


@dataclass
class Images:
    thumb: bytes
    lead: bytes
    width: int  # the lead's
    height: int


def make_images(data: bytes) -> Images:
    """The thumbnail and lead image for ``data``; raises ImageError saying why it cannot be one."""
    if not data:
        raise ImageError("the image is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in FORMATS:
                raise ImageError(f"not a picture format we serve ({img.format or 'unknown'})")
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ImageError(f"the image is {width} x {height} pixels: too large to decode")
            if min(width, height) < MIN_SIDE:
                raise ImageError(f"the image is {width} x {height} pixels: too small to be the article's picture")
            img.seek(0)  # an animated GIF: its first frame
            img = ImageOps.exif_transpose(img).convert("RGB")
    except ImageError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageError("the image declares more pixels than it could hold: too large to decode") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"not a readable image ({type(exc).__name__})") from exc
    thumb = ImageOps.fit(img, THUMB, Image.Resampling.LANCZOS)
    lead = (
        img
        if img.width <= LEAD_WIDTH
        else img.resize((LEAD_WIDTH, round(img.height * LEAD_WIDTH / img.width)), Image.Resampling.LANCZOS)
    )
    return Images(_webp(thumb), _webp(lead), lead.width, lead.height)


def _webp(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()
