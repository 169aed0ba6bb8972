"""Checking and storing uploaded materials.

The type is decided by the bytes (``filetype``), never by the name or the
browser's word; images are decoded and re-encoded with Pillow (which drops
anything hidden in them, EXIF included); files are kept under the var folder,
outside the web root, and served only through the case's access door.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import filetype
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from civichall.core.lang import Message

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
NAMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
MAX_PIXELS = 40_000_000


class BadFile(Exception):
    """A file that is refused, with the reason for the citizen."""

    def __init__(self, message: Message):
        super().__init__(message.zh)
        self.message = message


def materials_root() -> Path:
    return Path(settings.VAR_DIR) / "private" / "application-materials"


def check_file(content: bytes, types, max_size_mb) -> tuple[bytes, str]:
    """(the bytes to keep, their MIME type), or BadFile."""
    limit = int(float(max_size_mb) * 1024 * 1024)
    allowed = "、".join(NAMES.get(t, t) for t in types)
    if not content:
        raise BadFile(Message("文件是空的，请重新选择。", "The file is empty."))
    if len(content) > limit:
        raise BadFile(Message(f"文件超过 {max_size_mb} MB，请压缩后再上传。",
                              f"The file is larger than {max_size_mb} MB."))
    kind = filetype.guess(content)
    mime = kind.mime if kind is not None else ""
    if mime not in types:
        raise BadFile(Message(f"只能上传 {allowed} 格式的文件，这个文件不是。",
                              f"Only {allowed} files are accepted; this file is not one."))
    if mime.startswith("image/"):
        content = _reencode(content, mime)
    elif b"%%EOF" not in content[-2048:]:
        raise BadFile(Message("这个 PDF 文件不完整，请重新导出后上传。", "This PDF file is incomplete."))
    return content, mime


def _reencode(content: bytes, mime: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            fmt = "JPEG" if mime == "image/jpeg" else "PNG"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt, quality=88) if fmt == "JPEG" else image.save(out, format=fmt)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise BadFile(Message("图片无法打开，可能已损坏，请换一张。", "The image cannot be opened.")) from None


def store(citizen_id: int, content: bytes, mime: str) -> str:
    """Write the bytes; the path relative to the materials folder."""
    relative = f"{citizen_id}/{uuid.uuid4().hex}.{EXTENSIONS[mime]}"
    path = materials_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative


def path_of(stored_as: str) -> Path:
    path = (materials_root() / stored_as).resolve()
    if materials_root().resolve() not in path.parents:
        raise FileNotFoundError(stored_as)
    return path
