"""Counts read as words: "1 review released", "3 reviews released", never "review(s)"."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["bscb", "meetings", "subgroups", "reviews", "training", "funding", "templates"]
BRACKETED_S = re.compile(r"[a-z]\(s\)")


def _texts(path: Path):
    """The text a reader may see: a template's lines, a Python file's string literals."""
    source = path.read_text()
    if path.suffix != ".py":
        yield from enumerate(source.splitlines(), 1)
        return
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            yield token.start[0], token.string


def test_no_message_says_a_word_with_an_s_in_brackets():
    found = []
    for top in SOURCES:
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
                continue
            for number, text in _texts(path):
                if BRACKETED_S.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {text.strip()}")
    assert found == []
