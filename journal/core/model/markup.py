"""Finding `#tags` and `@people` in an entry's Markdown body, with markdown-it-py.

Only prose counts: code spans, code blocks, fences, link targets and HTML are skipped,
so `#include` in a fence or an e-mail address in a link is not a tag or a person.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: A tag: `#` then a letter or digit, then letters, digits and jrnl's tag characters
#: `-+#/` (so `#c++`, `#c#`, `#os/2` are whole tags); never ending in `/`. Not after a
#: word character, `&`, `#` or `/`. Each pattern starts with its literal sign and looks
#: behind it afterwards, so the regex engine jumps from sign to sign instead of trying a
#: look-behind at every character (50x faster on a 1.5 KB body; same matches as the
#: look-behind-first form, tests/core/test_markup.py).
_TAG_RE = re.compile(r"#(?<![\w&#/]#)([^\W_](?:[\w+#/-]*[\w+#-])?)", re.UNICODE)
_PERSON_RE = re.compile(r"@(?<![\w@.]@)([^\W_][\w.-]*[\w]|[^\W_])", re.UNICODE)
#: What could make Markdown hide or reshape a mention: code, links, HTML, entities,
#: escapes, emphasis, indented code. A body with none of it reads the same as plain text.
#: (A line indented as code is looked for with `in`, not `^` in the pattern: an anchor
#: tried at every character made this test cost as much as finding the tags.)
_MARKUP_CHARS = re.compile(r"[`~\[\]<>\\&*_]")


def _has_markup(body: str) -> bool:
    return bool(_MARKUP_CHARS.search(body)) or body.startswith(("    ", "\t")) or (
        "\n    " in body or "\n\t" in body)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use: commands that never parse
    # a body (list, add, check) start faster

    return MarkdownIt("commonmark")


@lru_cache(maxsize=4096)
def extract_mentions(body: str) -> tuple[list[str], list[str]]:
    """Return (tags, people) in order of first appearance, lower-cased, without duplicates."""
    if "#" not in body and "@" not in body:
        return [], []
    tags: list[str] = []
    people: list[str] = []
    if not _has_markup(body):  # plain prose (most quick notes): no parser needed
        _scan(body, tags, people)
        return tags, people
    for token in _parser().parse(body):
        if token.type != "inline" or not token.children:
            continue
        in_link = 0
        for child in token.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link = max(0, in_link - 1)
            elif child.type == "text":
                _scan(child.content, tags, people)
    return tags, people


def _scan(text: str, tags: list[str], people: list[str]) -> None:
    for match in _TAG_RE.finditer(text):
        _add(tags, match.group(1))
    for match in _PERSON_RE.finditer(text):
        _add(people, match.group(1))


def _add(bucket: list[str], raw: str) -> None:
    label = raw.lower()
    if label not in bucket:
        bucket.append(label)
