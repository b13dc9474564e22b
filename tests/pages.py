"""Reading a page's HTML for the tests that assert something is absent from it."""

from __future__ import annotations

import re

_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_html(response) -> str:
    """The page's HTML with each form's CSRF token blanked: the token is 64 random letters and
    digits, so a short word such as "Gas" or "C23" turns up in it now and then, and an assertion
    that the word is absent would fail by chance."""
    return _CSRF_VALUE.sub(r"\1\2", response.content.decode())
