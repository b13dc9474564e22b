import doctest

import pytest

from promzona.core import language
from promzona.core.language import written_in

pytestmark = pytest.mark.nodb


def test_doctests():
    assert doctest.testmod(language).failed == 0


@pytest.mark.parametrize(("text", "lang"), [
    ("Склад запчастей (демо)", "ru"), ("Шағын индустриялық аймақ", "kk"),
    ("ТОО «Сарыарка Логистик»", "ru"), ("Balkhash SIZ", "en"), ("Ltd «Қазақ»", "kk"),
    ("", None), ("—", None), ("12 500 · 7%", None),
])
def test_the_letters_tell_the_language(text, lang):
    assert written_in(text) == lang
