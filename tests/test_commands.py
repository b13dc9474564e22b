"""Every ``promzona`` command ends a business refusal as one ``CommandError`` (one line on the
console, exit status 1), never a traceback: the rule lives in ``promzona.commands``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class

from promzona.api.models import ApiToken
from promzona.commands import PromzonaCommand


def _ours() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("promzona.")}


def test_every_promzona_command_is_a_promzona_command():
    commands = _ours()
    assert len(commands) >= 19
    plain = sorted(name for name, app in commands.items()
                   if not isinstance(load_command_class(app, name), PromzonaCommand))
    assert plain == []


@pytest.mark.parametrize("argv, message", [
    (("token", "revoke", "987654"), "No active token with that id."),
    (("token", "create", "demo-staff", "--name", "x" * 500), "at most 100"),
])
def test_a_refusal_no_command_catches_ends_as_a_command_error_and_changes_nothing(
        demo, argv, message):
    n = ApiToken.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command(*argv)
    assert ApiToken.objects.count() == n


def test_every_command_is_in_the_readme_and_the_architecture_contract():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    cli_row = next(line for line in (root / "docs/architecture.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("| **CLI**"))
    listed = {name.strip() for name in cli_row.split(":", 1)[1].split(";")[0].split(",")}
    assert sorted(n for n in _ours() if f"`promzona {n}" not in readme) == []
    assert sorted(set(_ours()) ^ listed) == []
