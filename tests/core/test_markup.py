"""#tags and @people are found in prose only, with markdown-it-py."""

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from journal.core.model import markup
from journal.core.model.markup import extract_mentions


def test_tags_and_people_in_prose_in_order_without_duplicates():
    body = "Hard day #Grief with @sam.\n\nMore #grief, then #night-shift and @Dr.K."
    assert extract_mentions(body) == (["grief", "night-shift"], ["sam", "dr.k"])


def test_code_is_not_prose():
    body = "`#notatag` and\n\n```\n#include <x>\n@decorator\n```\n\n    #indented @code\n"
    assert extract_mentions(body) == ([], [])


def test_headings_need_a_space_and_emails_are_not_people():
    assert extract_mentions("# Heading\n\nmail me at a@b.org") == ([], [])
    assert extract_mentions("#tag at the start of a line") == (["tag"], [])


def _parsed(body: str) -> tuple[list[str], list[str]]:
    """The mentions as the Markdown parser finds them (the fast path bypassed)."""
    tags: list[str] = []
    people: list[str] = []
    for token in markup._parser().parse(body):
        for child in token.children or ():
            if child.type == "text":
                markup._scan(child.content, tags, people)
    return tags, people


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab Zé1#@-.!:=+%$^{}()'\"?,;/\n", max_size=80))
def test_plain_prose_fast_path_agrees_with_the_parser(body):
    assume(not markup._has_markup(body))
    markup.extract_mentions.cache_clear()
    assert markup.extract_mentions(body) == _parsed(body)


def test_bodies_with_markup_still_go_through_the_parser():
    markup.extract_mentions.cache_clear()
    assert markup.extract_mentions("`#code` and #real") == (["real"], [])
    assert markup.extract_mentions("    #indented code\n\n#prose") == (["prose"], [])
    for body in ("\\#escaped &#35;entity @sam", "*#em* _@jo_ [#link](#x)", "<b>#html</b> #y"):
        assert markup.extract_mentions(body) == _parsed(body)


def test_tags_keep_jrnls_tag_characters():
    """Issue 16: `#c++`, `#c#` and `#os/2` are whole tags (jrnl's rule); a tag does not end
    in `/`, and `a#b` inside a word or `/#x` in a path starts none."""
    markup.extract_mentions.cache_clear()
    assert extract_mentions("Learning #c++ and #C# on #os/2, see #work/ and a#b /#x") == (
        ["c++", "c#", "os/2", "work"], [])


#: The tag and person patterns in their plain look-behind-first form (the production ones
#: put the sign first for speed, and must find exactly the same).
_TAG_REFERENCE = re.compile(r"(?<![\w&#/])#([^\W_](?:[\w+#/-]*[\w+#-])?)")
_PERSON_REFERENCE = re.compile(r"(?<![\w@.])@([^\W_][\w.-]*[\w]|[^\W_])")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="ab_Zé1#@&/-.+!\n \t", max_size=60))
def test_sign_first_patterns_match_the_look_behind_form(text):
    assert markup._TAG_RE.findall(text) == _TAG_REFERENCE.findall(text)
    assert markup._PERSON_RE.findall(text) == _PERSON_REFERENCE.findall(text)


_MARKUP_REFERENCE = re.compile(r"[`~\[\]<>\\&*_]|^(?: {4}|\t)", re.MULTILINE)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="ab`*_\\<&#@\n \t", max_size=40))
def test_markup_test_matches_the_anchored_pattern(text):
    assert markup._has_markup(text) == bool(_MARKUP_REFERENCE.search(text))
