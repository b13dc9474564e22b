"""A model's own checks refuse bad input the one way every service does: an InputError naming
the field by its label (never a Django ValidationError, never a bare message)."""

import pathlib
import re

import pytest

from promzona.accounts import services as accounts
from promzona.core.errors import InputError
from promzona.instructions import services as instructions
from promzona.instructions.models import Body

SRC = pathlib.Path(__file__).parents[1] / "src" / "promzona"


@pytest.mark.nodb
def test_full_clean_outside_validation_module_is_absent():
    calls = [f"{p.relative_to(SRC)}:{n}" for p in SRC.rglob("*.py") if p.name != "validation.py"
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"\.full_clean\(", line)]
    assert calls == []


@pytest.mark.django_db
def test_organisation_over_its_name_length_refused_as_input_error_naming_the_field():
    with pytest.raises(InputError) as caught:
        accounts.organisation_create(actor=None, name="N" * 600, number="000000000000")
    assert caught.value.field == "name"
    assert str(caught.value).startswith("Name: ")


@pytest.mark.django_db
def test_user_with_a_malformed_email_refused_as_input_error_naming_the_field():
    with pytest.raises(InputError) as caught:
        accounts.user_create(actor=None, username="someone", password="a-long-pass-2026",
                             role="investor", email="not an email")
    assert caught.value.field == "email"
    assert str(caught.value).startswith("Email")


@pytest.mark.django_db
def test_body_of_an_unknown_kind_refused_with_its_field_and_label(staff_user):
    body = Body(name_ru="Орган", kind="nonsense")
    with pytest.raises(InputError) as caught:
        instructions.body_save(actor=staff_user, body=body)
    assert caught.value.field == "kind"
    assert str(caught.value).startswith("Kind: ")
    assert body.pk is None
