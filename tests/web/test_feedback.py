"""Business errors on pages: one middleware and one set of helpers, translated at the edge."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from promzona.core import kz_bin
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.web.feedback import (
    FORM_SLACK,
    BusinessErrorsMiddleware,
    body_over,
    message_of,
    refused,
    uploads_over,
)


def _core_error() -> InputError:
    with pytest.raises(InputError) as exc:
        kz_bin.bin_validate("123")
    return exc.value


@pytest.mark.django_db
def test_core_error_raised_through_a_page_is_the_error_page_in_the_readers_language():
    middleware = BusinessErrorsMiddleware(lambda request: None)
    request = RequestFactory().get("/somewhere/")
    with translation.override("ru"):
        response = middleware.process_exception(request, _core_error())
    assert response.status_code == 400
    assert "БИН должен состоять ровно из 12 цифр." in response.content.decode()


@pytest.mark.django_db
def test_conflict_keeps_its_status_and_forbidden_is_the_403_page():
    middleware = BusinessErrorsMiddleware(lambda request: None)
    request = RequestFactory().get("/somewhere/")
    assert middleware.process_exception(request, Conflict("Taken.")).status_code == 409
    assert middleware.process_exception(request, Forbidden("No.")).status_code == 403


def test_api_errors_are_left_to_the_api():
    middleware = BusinessErrorsMiddleware(lambda request: None)
    request = RequestFactory().get("/api/plots")
    assert middleware.process_exception(request, Conflict("Taken.")) is None


def test_refusal_after_a_post_is_a_translated_message_and_a_role_refusal_a_403():
    request = RequestFactory().post("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with translation.override("kk"):
        refused(request, _core_error())
        expected = message_of(_core_error())
    assert [m.message for m in request._messages] == [expected]
    assert expected != _core_error().message  # Kazakh, not core's English
    with pytest.raises(PermissionDenied):
        refused(request, Forbidden("No."))


@pytest.mark.parametrize(("length", "over"), [
    (None, False), ("0", False), ("1000", False), ("1001", True), (str(10**12), True),
    ("abc", True), ("-1", True), ("1e9", True), (" 10", True), ("١٢", True),
])
def test_a_body_over_the_limit_or_of_an_unreadable_length_is_over(length, over):
    meta = {} if length is None else {"CONTENT_LENGTH": length}
    request = RequestFactory().get("/", **meta)
    if length is None:
        request.META.pop("CONTENT_LENGTH", None)
    assert body_over(request, 1000) is over


@pytest.mark.parametrize("length, over", [(3 * 100 + FORM_SLACK, False),
                                          (3 * 100 + FORM_SLACK + 1, True), ("1e9", True)])
def test_uploads_over_counts_each_file_and_the_form(rf, length, over):
    request = rf.post("/", CONTENT_LENGTH=str(length))
    assert uploads_over(request, files=3, each=100) is over
