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
    for prefix in ("key_figures", "sources"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def signed_version(client, url: str) -> str:
    """The version a change page hands out, as a browser would send it back."""
    import re

    content = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]*)"', content).group(1)
