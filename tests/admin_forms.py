"""Builds the POST data the admin's meeting page sends, inlines and all."""


def meeting_post(*, group, date, title="", entries=(), attendances=(), date_known=True):
    data = {
        "group": group.pk,
        "date": date.isoformat(),
        "title": title,
        "is_public": "on",
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "attendances-TOTAL_FORMS": str(len(attendances)),
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "1000",
        "panel_cases-TOTAL_FORMS": "0",
        "panel_cases-INITIAL_FORMS": "0",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
        "papers-TOTAL_FORMS": "0",
        "papers-INITIAL_FORMS": "0",
    }
    if date_known:
        data["date_known"] = "on"
    for i, (kind, text) in enumerate(entries):
        data[f"entries-{i}-kind"] = kind
        data[f"entries-{i}-text"] = text
        data[f"entries-{i}-position"] = "0"
    for i, (organisation, status) in enumerate(attendances):
        data[f"attendances-{i}-organisation"] = organisation.pk
        data[f"attendances-{i}-status"] = status
    return data


def period_post(**fields):
    """The admin's period page: the period's fields and its empty inlines."""
    data = {"status": "draft", **fields}
    for prefix in ("report_sections", "key_figures", "sources"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def signed_version(client, url: str) -> str:
    """The version a change page hands out, as a browser would send it back."""
    import re

    content = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]*)"', content).group(1)


def form_data(html: str, form_index: int = -1, tick_all: bool = False) -> dict:
    """What a browser would send for a page's form as it stands: inputs, checked boxes, selections.

    With tick_all, every checkbox is sent ticked, as by someone who ticks them all.
    """
    from html.parser import HTMLParser

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.forms, self.current, self.textarea, self.select = [], None, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.current = {}
                self.forms.append(self.current)
            elif self.current is None:
                return
            elif tag == "input" and a.get("name"):
                kind = a.get("type", "text")
                if kind in ("submit", "button", "file", "image"):
                    return
                if kind == "radio" and "checked" not in a:
                    return
                if kind == "checkbox" and "checked" not in a and not tick_all:
                    return
                self.current.setdefault(a["name"], []).append(
                    a.get("value", "on" if kind == "checkbox" else "")
                )
            elif tag == "textarea" and a.get("name"):
                self.textarea = a["name"]
                self.current[self.textarea] = [""]
            elif tag == "select" and a.get("name"):
                self.select = a["name"]
                self.current.setdefault(self.select, [])
            elif tag == "option" and self.select and "selected" in a:
                self.current[self.select].append(a.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.textarea and self.current is not None:
                self.current[self.textarea][0] += data

    parser = Forms()
    parser.feed(html)
    form = parser.forms[form_index]
    data = {}
    for name, values in form.items():
        if not values:
            continue  # a multiple select with nothing chosen sends nothing
        # A browser drops the newline that opens a textarea's content.
        values = [v[1:] if v.startswith("\n") else v for v in values]
        data[name] = values if len(values) > 1 else values[0]
    return data


def inline_formset(response, prefix: str):
    """The formset of a change page's inline, found by its prefix (e.g. "entries")."""
    found = [f.formset for f in response.context["inline_admin_formsets"]]
    return next(f for f in found if f.prefix == prefix)
