"""Schemathesis against ``/api/openapi.json``, in process through the WSGI application (no
network): every operation, with examples generated from the schema and with data that breaks
it, answers as documented — no server error, only documented statuses, JSON bodies matching the
documented schemas. Bounded: a few examples per operation, no deadline (the machine is shared)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from promzona.accounts.models import User
from promzona.api.main import api
from promzona.api.services import token_create

pytestmark = pytest.mark.django_db


def load_schema():
    """The schema ``/api/openapi.json`` serves (read without a request: collection has no
    database), run against the WSGI application."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_params={}))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def requests_keep_the_test_transaction():
    """As Django's test client does: the test's transaction must survive each request's end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(demo):
    return token_create(actor=None, user=User.objects.get(username="demo-staff"))


@schema.parametrize()
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_answers_as_documented(case, staff_token):
    # Every check but "a schema-valid request is accepted": a schema cannot say which sectors
    # exist or which plots are published; those business rules answer 400/409 as documented.
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"},
                           excluded_checks=[positive_data_acceptance])
