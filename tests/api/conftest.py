"""The applications fixtures, for the API tests."""

from tests.applications.conftest import published_plot, users  # noqa: F401
