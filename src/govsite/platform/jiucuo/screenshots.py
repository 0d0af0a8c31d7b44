"""Screenshots sent with a report: refused when too large before they are read whole,
checked by their content (what Pillow decodes, never the file name or the declared
type), bounded in pixels before decoding, and re-encoded as PNG so nothing of the upload
but its pixels is kept (no metadata, no trailing data, no polyglot)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

#: What a screenshot may be, by content.
FORMATS = {"PNG", "JPEG", "GIF", "WEBP", "BMP"}


class ScreenshotRejected(ValueError):
    pass


@dataclass(frozen=True)
class Picture:
    png: bytes
    width: int
    height: int


class CappedUpload(FileUploadHandler):
    """Stops the upload as soon as a file passes the size cap, before the rest is read
    (installed for the form's request in place of Django's handlers)."""

    def __init__(self, request: object = None) -> None:
        super().__init__(request)
        self.buffer = io.BytesIO()
        self.too_large = False

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.JIUCUO_SCREENSHOT_MAX_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        self.buffer.seek(0)
        return UploadedFile(self.buffer, name=self.file_name, content_type=self.content_type, size=file_size)


def too_large() -> str:
    return _("The screenshot is larger than %(mb)s MB.") % {"mb": settings.JIUCUO_SCREENSHOT_MAX_BYTES // 1024 // 1024}


def clean(upload: UploadedFile) -> Picture:
    """The upload re-encoded as PNG, or ``ScreenshotRejected`` with the reason."""
    if upload.size is not None and upload.size > settings.JIUCUO_SCREENSHOT_MAX_BYTES:
        raise ScreenshotRejected(too_large())
    data = upload.read(settings.JIUCUO_SCREENSHOT_MAX_BYTES + 1)
    if len(data) > settings.JIUCUO_SCREENSHOT_MAX_BYTES:
        raise ScreenshotRejected(too_large())
    not_a_picture = _("The screenshot must be a picture (PNG, JPEG, GIF, WebP or BMP).")
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            if probe.format not in FORMATS:
                raise ScreenshotRejected(not_a_picture)
            width, height = probe.size
            if width * height > settings.JIUCUO_SCREENSHOT_MAX_PIXELS:
                raise ScreenshotRejected(_("The screenshot has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            picture.seek(0)  # the first frame of an animation
            image = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, ScreenshotRejected):
            raise
        raise ScreenshotRejected(not_a_picture) from exc
    side = settings.JIUCUO_SCREENSHOT_MAX_SIDE
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return Picture(out.getvalue(), image.width, image.height)
