"""Reading pages as a person does: the text, without the markup."""

import html
import re


def page_text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


def pdf_links(data: bytes) -> list[tuple[int, str, str]]:
    """Every link of a PDF as (page number, kind, target): kind "uri" with the address a
    reader's viewer opens, or "page" with the number of the page inside the PDF that an
    internal link leads to ("" where it leads nowhere)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    named = reader.named_destinations
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            if action.get("/S") == "/URI":
                found.append((number, "uri", str(action["/URI"])))
                continue
            found.append((number, "page", _page_of(reader, named, annotation, action)))
    return found


def _page_of(reader, named, annotation, action) -> str:
    """The number of the page an internal link leads to, by name or by reference; "" if none."""
    destination = annotation.get("/Dest") or action.get("/D")
    if destination is None:
        return ""
    destination = destination.get_object() if hasattr(destination, "get_object") else destination
    if isinstance(destination, str):  # a named destination
        destination = named.get(destination)
        if destination is None:
            return ""
        index = reader.get_destination_page_number(destination)
    else:  # [page, /XYZ, left, top, zoom]
        pages = [page.indirect_reference for page in reader.pages]
        index = pages.index(destination[0]) if destination[0] in pages else -1
    return str(index + 1) if index is not None and index >= 0 else ""


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


def labelled_elements(content: str) -> list[tuple[set[str], str]]:
    """Each element of a page marked `data-illustrative`: the record keys it names (e.g.
    "meetings.attendance:12") and the text a reader reads in it."""
    from html.parser import HTMLParser

    found: list[tuple[set[str], list[str]]] = []
    stack: list[tuple[str, int | None]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _VOID:
                return
            keys = dict(attrs).get("data-illustrative")
            index = None
            if keys is not None:
                found.append((set(keys.split()), []))
                index = len(found) - 1
            stack.append((tag, index))

        def handle_endtag(self, tag):
            while stack:
                if stack.pop()[0] == tag:
                    break

        def handle_data(self, data):
            for _tag, index in stack:
                if index is not None:
                    found[index][1].append(data)

    Parser(convert_charrefs=True).feed(content)
    return [(keys, " ".join(" ".join(parts).split())) for keys, parts in found]
