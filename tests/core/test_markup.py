"""#tags and @people are found in prose only, with markdown-it-py."""

from journal.core.markup import extract_mentions


def test_tags_and_people_in_prose_in_order_without_duplicates():
    body = "Hard day #Grief with @sam.\n\nMore #grief, then #night-shift and @Dr.K."
    assert extract_mentions(body) == (["grief", "night-shift"], ["sam", "dr.k"])


def test_code_is_not_prose():
    body = "`#notatag` and\n\n```\n#include <x>\n@decorator\n```\n\n    #indented @code\n"
    assert extract_mentions(body) == ([], [])


def test_headings_need_a_space_and_emails_are_not_people():
    assert extract_mentions("# Heading\n\nmail me at a@b.org") == ([], [])
    assert extract_mentions("#tag at the start of a line") == (["tag"], [])
