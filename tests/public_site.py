"""Every public URL, found as a visitor would find them: by following links from the home page."""

from urllib.parse import urldefrag, urlparse

from django.test import Client

# Public URLs that no page links to (feeds, sitemaps) are added here as they arrive.
UNLINKED_PUBLIC_URLS: list[str] = []
NOT_PUBLIC = ("/admin/", "/static/", "/media/")


def crawl(client: Client | None = None, start: str = "/") -> dict[str, bytes]:
    """Every page and download reachable from `start`, with its bytes."""
    import re

    client = client or Client()
    seen: dict[str, bytes] = {}
    queue = [start, *UNLINKED_PUBLIC_URLS]
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
