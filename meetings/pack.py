"""The meeting pack: one PDF with the agenda, then each PDF paper in agenda order, bookmarked.

Two packs are made when the papers are circulated: the whole pack for the support team,
the chairs and the members, and, for a public meeting of a group that publishes its
papers, a public pack holding only the open items (the agenda says how many items are
confidential, never what they are). A paper that is not a PDF, or a PDF that cannot be
read, is listed in the pack's agenda as "not in the pack: download separately".
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from bscb.core.context_processors import site
from meetings.models import AgendaItem, Meeting, Paper

logger = logging.getLogger(__name__)


@dataclass
class PackItem:
    item: AgendaItem
    number: int
    papers: list[tuple[Paper, PdfReader | None]] = field(default_factory=list)


@dataclass
class PackResult:
    made: bool = False  # False where WeasyPrint cannot run
    left_out: int = 0  # papers not in the whole pack
    # The papers the packs were made from, by id: the file each was made from.
    papers: dict[int, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # the new packs' files
    replaced: list[str] = field(default_factory=list)  # the old packs' files

    def keep(self, storage) -> None:
        """The new packs are the meeting's once its change commits: then the old files go."""
        transaction.on_commit(lambda: _delete(storage, self.replaced))

    def discard(self, storage) -> None:
        """The meeting's change did not commit: the new files go, the old packs stay."""
        _delete(storage, self.written)


def _delete(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError as error:
            logger.warning("A meeting pack's file %s stays on disk: %s", name, error)


def _reader(paper: Paper) -> PdfReader | None:
    """The paper's pages, or None when it is not a PDF the pack can hold."""
    if not paper.is_pdf:
        return None
    try:
        with paper.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        if reader.is_encrypted:
            return None
        len(reader.pages)  # reads the page tree: a broken file fails here
        return reader
    except (OSError, PyPdfError, ValueError) as error:
        logger.warning("Paper %s left out of the meeting pack: %s", paper.pk, error)
        return None


def _agenda_pdf(meeting: Meeting, items: list[PackItem], confidential: int) -> bytes | None:
    html = render_to_string(
        "meetings/agenda_print.html",
        {
            **site(None),
            "user": AnonymousUser(),
            "meeting": meeting,
            "items": items,
            "confidential": confidential,
        },
    )
    try:
        import weasyprint  # imported late: it takes half a second and is needed only here
    except OSError as error:  # Pango missing on this machine
        logger.error("No meeting pack: WeasyPrint cannot load its libraries: %s", error)
        return None
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _no_progress(step: str, done: int | None = None, total: int | None = None) -> None:
    pass


def make_pack(
    meeting: Meeting,
    items: list[AgendaItem],
    confidential: int = 0,
    *,
    progress=_no_progress,
    pack_name: str = "the pack",
) -> tuple[bytes | None, int]:
    """The pack's bytes: the agenda's pages (bookmarked "Agenda"), then for each item a bookmark
    at its first paper (at the agenda when it has none in the pack) and one per paper under it.
    `progress(step, done, total)` hears each paper read."""
    entries = []
    total = sum(len(item.papers.all()) for item in items)
    done = 0
    for number, item in enumerate(items, start=1):
        entry = PackItem(item=item, number=number)
        for paper in item.papers.all():
            done += 1
            progress(f"Adding the papers to {pack_name}", done, total)
            entry.papers.append((paper, _reader(paper)))
        entries.append(entry)
    left_out = sum(1 for entry in entries for _, reader in entry.papers if reader is None)
    progress(f"Making the agenda of {pack_name}")
    agenda = _agenda_pdf(meeting, entries, confidential)
    if agenda is None:
        return None, left_out
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(agenda)), import_outline=False)
    writer.add_outline_item(title="Agenda", page_number=0)
    for entry in entries:
        firsts = []  # each paper of the item in the pack, and its first page
        for paper, reader in entry.papers:
            if reader is not None:
                firsts.append((paper, len(writer.pages)))
                writer.append(reader, import_outline=False)
        # A bookmark can point only at a page there is: the item's is added after its papers.
        parent = writer.add_outline_item(
            title=f"{entry.number}. {entry.item.title}",
            page_number=firsts[0][1] if firsts else 0,
        )
        for paper, first in firsts:
            writer.add_outline_item(title=paper.title, page_number=first, parent=parent)
    writer.add_metadata({"/Title": f"Meeting pack: {meeting}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), left_out


def _store(
    meeting: Meeting, name: str, content: bytes | None, public: bool, result: PackResult
) -> None:
    """The new pack in place of the old one on the meeting (not saved). The new file is whole
    on disk before the meeting names it (the storage never writes over a file of the same
    name); the old file stays until the caller keeps the new one (PackResult.keep)."""
    file = meeting.public_pack if public else meeting.pack
    if file.name:
        result.replaced.append(file.name)
    if content is not None:
        # A placeholder date is no date: the name of a meeting whose date was lost has none.
        day = f"{meeting.date:%Y-%m-%d}" if meeting.date_known else ""
        stem = slugify(f"{meeting.group.short_name} {day}") or "meeting"
        file.save(f"{meeting.pk}-{stem}-{name}.pdf", ContentFile(content), save=False)
        result.written.append(file.name)
    else:
        file.name = ""


def build_packs(meeting: Meeting, progress=_no_progress) -> PackResult:
    """Make the meeting's packs afresh and set them on the meeting (the caller saves it, then
    keeps or discards the result's files). `progress(step, done, total)` hears each paper."""
    items = list(meeting.agenda_items.prefetch_related("papers"))
    result = PackResult(
        papers={paper.pk: paper.file.name for item in items for paper in item.papers.all()}
    )
    try:
        whole, result.left_out = make_pack(meeting, items, progress=progress)
        result.made = whole is not None
        _store(meeting, "pack", whole, public=False, result=result)
        if meeting.is_public and meeting.group.publishes_papers:
            open_items = list(meeting.agenda_items.public().prefetch_related("papers"))
            public, _ = make_pack(
                meeting,
                open_items,
                confidential=len(items) - len(open_items),
                progress=progress,
                pack_name="the public pack",
            )
            _store(meeting, "public-pack", public, public=True, result=result)
            meeting.public_pack_contents = {
                "items": [item.pk for item in open_items],
                "papers": [paper.pk for item in open_items for paper in item.papers.all()],
            }
        else:
            _store(meeting, "public-pack", None, public=True, result=result)
            meeting.public_pack_contents = {}
    except BaseException:
        result.discard(meeting.pack.storage)  # a pack half made is no pack
        raise
    return result
