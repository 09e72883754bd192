"""Checks every upload passes before it is stored: type by content, and size."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension → the first bytes a real file of that type starts with (None: text, no magic).
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "csv": None,
    "txt": None,
}


def validate_upload(
    upload, *, allowed: set[str] | None = None, max_bytes: int | None = None
) -> None:
    """Raise ValidationError (a message for the person) if ``upload`` may not be stored."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    permitted = allowed or set(ALLOWED_TYPES)
    if extension not in permitted or extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted: %(allowed)s."),
            params={"extension": extension or "?", "allowed": ", ".join(sorted(permitted))},
            code="forbidden_type",
        )
    signatures = ALLOWED_TYPES[extension]
    if signatures is not None:
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("The file “%(name)s” is not a real %(extension)s file."),
                params={"name": upload.name, "extension": extension.upper()},
                code="content_mismatch",
            )
