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

_TAG_RE = re.compile(r"(?<![\w&#/])#([^\W_][\w-]*)", re.UNICODE)
_PERSON_RE = re.compile(r"(?<![\w@.])@([^\W_][\w.-]*[\w]|[^\W_])", re.UNICODE)


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
                for match in _TAG_RE.finditer(child.content):
                    _add(tags, match.group(1))
                for match in _PERSON_RE.finditer(child.content):
                    _add(people, match.group(1))
    return tags, people


def _add(bucket: list[str], raw: str) -> None:
    label = raw.lower()
    if label not in bucket:
        bucket.append(label)
