"""Docs stay complete (like datasette's test_docs.py): every CLI command and every setting is
documented. Compares names, not text, so help-text edits don't break it; regenerate the docs with
``scripts/gen_cli_docs.py`` after adding a command or a setting."""

from __future__ import annotations

import importlib.util
import re

import pytest

from zhengce.settings import SETTINGS

from conftest import ROOT

DOCS = ROOT / "docs"


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _headings(path) -> set[str]:
    return set(re.findall(r"^## (.+?)\s*$", path.read_text(encoding="utf-8"), flags=re.M))


def test_every_cli_command_is_documented():
    commands = set(_gen().command_paths())
    assert {"zhengce ingest", "zhengce docs", "zhengce show", "zhengce eval"} <= commands
    documented = _headings(DOCS / "cli.md")
    assert commands - documented == set(), "run scripts/gen_cli_docs.py"
    assert documented - commands == set(), "docs/cli.md lists commands that no longer exist"


def test_every_cli_command_has_help():
    import typer.main

    from zhengce.cli import app
    gen = _gen()
    undocumented = [" ".join(p) for p, c in gen.commands(typer.main.get_command(app))
                    if not (c.help or c.short_help)]
    assert undocumented == []


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting):
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert f"## {setting.name}\n" in text and f"`{setting.env}`" in text


def test_no_stale_settings_in_docs():
    assert _headings(DOCS / "settings.md") == {s.name for s in SETTINGS}
