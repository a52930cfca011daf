"""Reading pages as a person does: the text, without the markup."""

import html
import re


def page_text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())
