"""File names from untrusted text."""

import doctest

import pytest

from promzona.core import filenames
from promzona.core.filenames import safe_filename

pytestmark = pytest.mark.nodb


def test_doctests():
    assert doctest.testmod(filenames).failed == 0


@pytest.mark.parametrize("name,expected", [
    ("plan.pdf", "plan.pdf"), ("../../etc/passwd", "passwd"), ("C:\\x\\y\\z.docx", "z.docx"),
    ("a\r\nb.pdf", "a_b.pdf"), ('"q";.pdf', "q_.pdf"), ("<img src=x>.png", "img src_x_.png"),
    ("...", ""), ("", ""), (None, ""), ("x" * 300, "x" * 200),
    ("e\u0301t\u00e9.pdf", "\u00e9t\u00e9.pdf"),  # NFC: one letter, not a letter and a mark
])
def test_names_lose_directories_and_punctuation(name, expected):
    assert safe_filename(name) == expected
