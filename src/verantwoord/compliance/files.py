"""Checks on uploaded evidence files: size limit and the real type, sniffed from the bytes (never the name or the
browser's claim), so only documents and images are kept."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _zip_type(head: bytes, data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return mimetype
            for prefix, content_type in OFFICE_TYPES.items():
                if any(name.startswith(prefix) for name in names):
                    return content_type
    except zipfile.BadZipFile:
        return None
    return None


def sniff_content_type(data: bytes) -> str | None:
    """The file's real type, or None when it is not an allowed kind of document or image."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(head, data)
    if b"\x00" in data[:4096]:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def checked_upload(upload: UploadedFile[Any]) -> tuple[bytes, str]:
    """Read and check an upload; returns its bytes and sniffed type, or raises a clear ValidationError."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(limit)s MB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(limit)s MB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            {
                "file": _(
                    "This kind of file is not allowed. Use PDF, an office document, an image (PNG, JPEG) or text."
                )
            }
        )
    return data, content_type
