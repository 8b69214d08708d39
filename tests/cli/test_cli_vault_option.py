"""`--vault` given an empty path."""

from __future__ import annotations

from cli_harness import Journal


def test_an_empty_vault_option_is_refused_not_the_current_directory(journal: Journal,
                                                                     tmp_path, monkeypatch):
    """`journal --vault "$UNSET" init` made a vault in whatever directory the shell was in
    (and `list` looked for one there)."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for args in (("init",), ("list",)):
        result = journal("--vault", "", *args, ok=False)
        assert result.exit_code == 2 and "an empty path" in result.stderr
    assert list(here.iterdir()) == []
