"""``promzona token create USERNAME --name NAME``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from promzona.api.models import ApiToken


def test_a_name_longer_than_the_field_is_refused_and_nothing_is_stored(demo):
    n = ApiToken.objects.count()
    with pytest.raises(CommandError, match="500 characters long; at most 100"):
        call_command("token", "create", "demo-staff", "--name", "x" * 500)
    assert ApiToken.objects.count() == n
