"""Every public URL, found as a visitor would find them: by following links from the home page."""

from urllib.parse import urldefrag, urlparse

from django.test import Client

# Public URLs that no page links to are added here as they arrive: a search for any
# word of an embargoed review must find nothing of it either.
UNLINKED_PUBLIC_URLS: list[str] = [
    "/sitemap.xml",
    "/search/?q=Baby+S",
    "/search/?q=criminal+proceedings",
    "/search/?q=handover",
    "/search/?q=2018",
]
NOT_PUBLIC = ("/admin/", "/static/", "/media/")


def crawl(client: Client | None = None, start: str = "/") -> dict[str, bytes]:
    """Every page and download reachable from `start`, with its bytes."""
    import re

    from subgroups.models import Group

    client = client or Client()
    seen: dict[str, bytes] = {}
    calendars = [
        f"/groups/{slug}/meetings.ics" for slug in Group.objects.values_list("slug", flat=True)
    ]
    queue = [start, *UNLINKED_PUBLIC_URLS, *calendars]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        body = b"".join(response) if response.streaming else response.content
        seen[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"]+)"', body.decode()):
            target = urldefrag(href)[0]
            parsed = urlparse(target)
            if parsed.scheme or parsed.netloc or not target.startswith("/"):
                continue
            if target.startswith(NOT_PUBLIC) or target in seen:
                continue
            queue.append(target)
    return seen
