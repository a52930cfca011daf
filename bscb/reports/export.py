"""A published edition as plain files with relative links, for any web server or none.

Pages become folders with an index.html; downloads and the PDF keep their
names; the style sheets, scripts and images the pages use are copied. A link
to something the export does not hold (sign-in, search) points at the live
site when a base address is given, and is otherwise turned into plain text.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse

from bscb.core.models import ReportingPeriod
from bscb.reports.models import Edition
from bscb.reports.pages import accessibility_statement

LINK = re.compile(r'(?P<attr>href|src)="(?P<url>/[^"]*)"')
IMPORT = re.compile(r"""(?P<q>["'])(?P<url>\.\./govuk/[^"']+)(?P=q)""")


def _file_for(path: str) -> str:
    """Where a site path lives in the export: '/2018-19/board/' -> '2018-19/board/index.html'."""
    path = path.lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def _relative(from_file: str, to_file: str) -> str:
    start = posixpath.dirname(from_file) or "."
    return posixpath.relpath(to_file, start)


def _static_source(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        path = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return path if path.exists() else None


def export_edition(
    period: ReportingPeriod, folder: Path, base_url: str = "", *, edition: Edition | None = None
) -> list[str]:
    """Write the period's current edition (or `edition`, which the caller has checked is still
    the current one) to `folder`; returns the files written."""
    edition = edition or Edition.objects.current().get(period=period)
    folder.mkdir(parents=True, exist_ok=True)
    pages = {p.path: p for p in edition.pages.filter(path__startswith="/")}
    contents = reverse("period_detail", args=[period.slug])
    extra = {
        "/": contents,  # the export's front page is the report's contents
        reverse("accessibility"): None,  # rendered now: the footer links it
    }
    pdf_path = reverse("report_pdf", args=[period.slug])
    files: dict[str, bytes] = {}
    static_names: set[str] = set()

    def rewrite(html: str, here: str) -> str:
        def link(match):
            url = match.group("url")
            path = url.split("#", 1)[0].split("?", 1)[0]
            anchor = url[len(path) :] if "#" in url else ""
            if path.startswith("/static/"):
                static_names.add(path[len("/static/") :])
                return f'{match.group("attr")}="{_relative(here, path.lstrip("/"))}"'
            if path in pages or path in extra or (path == pdf_path and edition.pdf):
                target = _file_for(path if path != "/" else "/")
                return f'{match.group("attr")}="{_relative(here, target)}{anchor}"'
            if base_url:
                return f'{match.group("attr")}="{base_url.rstrip("/")}{url}"'
            return 'data-not-exported=""'

        return LINK.sub(link, html)

    for path, page in pages.items():
        here = _file_for(path)
        if page.content_type.startswith("text/html"):
            files[here] = rewrite(page.html, here).encode()
        else:
            files[here] = page.body.encode()
    front = _file_for("/")
    files[front] = rewrite(pages[contents].html, front).encode()
    accessibility = reverse("accessibility")
    here = _file_for(accessibility)
    files[here] = rewrite(accessibility_statement(), here).encode()
    if edition.pdf:
        with edition.pdf.open("rb") as pdf:
            files[_file_for(pdf_path)] = pdf.read()

    for name in sorted(static_names):
        source = _static_source(name)
        if source is None:
            continue
        target = folder / "static" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        files.setdefault(f"static/{name}", b"")
        if name.endswith(".js"):
            # The start-up script imports GOV.UK Frontend by a relative address: bring it too.
            for match in IMPORT.finditer(source.read_text()):
                imported = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), match.group("url"))
                )
                imported_source = _static_source(imported)
                if imported_source:
                    (folder / "static" / imported).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(imported_source, folder / "static" / imported)
    for name, content in files.items():
        if name.startswith("static/"):
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return sorted(files)
