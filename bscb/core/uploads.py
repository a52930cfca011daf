"""Uploaded documents: checked by what they hold, not by their names, and kept out of the web root.

Allowed: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), PowerPoint (.ppt, .pptx) and
OpenDocument text, spreadsheet and presentation files: what the board's learning
briefings and packs are written in. Nothing a browser would run (HTML, SVG, scripts),
no images, no archives.
"""

from __future__ import annotations

import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
ALLOWED = "PDF, Word, Excel, PowerPoint or OpenDocument"


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside the web root, with no address of their own."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no address: link to the view that hands it out.")


def private_storage():
    """settings.STORAGES['private']: files only a view may hand out."""
    return storages["private"]


def _kind(file) -> filetype.Type | None:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    return filetype.guess(head) if head else None


def validate_document(value) -> None:
    """A new upload must be an allowed document whose name says what it holds, and not too large."""
    if getattr(value, "_committed", True):
        return  # already stored: it was checked when it came in
    limit = settings.LEARNING_FILE_MAX_BYTES
    if value.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(value.size)}: upload a file of "
            f"{filesizeformat(limit)} at most.",
            code="too_large",
        )
    kind = _kind(value.file)
    if kind is None or DOCUMENT_TYPES.get(kind.extension) != kind.mime:
        raise ValidationError(
            f"Upload a {ALLOWED} file: this file is none of these.", code="file_type"
        )
    extension = value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
    if extension != kind.extension:
        raise ValidationError(
            f"The file's name ends .{extension or '(nothing)'} but it holds a "
            f".{kind.extension} file: rename it and upload it again.",
            code="file_name",
        )


def document_response(field_file) -> FileResponse:
    """The stored document as a download, typed by what it holds: never shown in the browser.
    A record whose file is gone from the disk answers 404, not a server error."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is not on the server.") from missing
    kind = _kind(handle)
    content_type = DOCUMENT_TYPES.get(kind.extension) if kind else None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=field_file.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The embargo is checked on every download: no cache may keep one.
    response["Cache-Control"] = "no-store"
    return response
