"""Checks on uploaded documents: by content, not by name."""

from django.conf import settings
from django.core.exceptions import ValidationError


def validate_pdf(upload) -> None:
    """Accept a PDF no larger than FILING_MAX_UPLOAD_BYTES, judged by its first bytes."""
    limit = settings.FILING_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            "This file is %(size)s bytes; the limit is %(limit)s bytes (%(mb)s MB).",
            code="file_too_large",
            params={"size": upload.size, "limit": limit, "mb": limit // (1024 * 1024)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    # The PDF specification allows up to 1024 bytes of junk before the header.
    if b"%PDF-" not in head:
        raise ValidationError("This file is not a PDF (it does not start with a PDF header).", code="not_pdf")
