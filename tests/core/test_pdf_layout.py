"""Column widths hold every word; tables fit their page or say they cannot."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promzona.core.pdf_fonts import FONT, FONT_BOLD
from promzona.core.pdf_layout import PAD, column_widths, longest_word, table

pytestmark = pytest.mark.nodb

WORDS = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяӘәҒғҚқҢңӨөҰұҮүІіabcXYZ0123456789-,.",
                min_size=1, max_size=14)
CELL = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
       total=st.floats(min_value=60, max_value=800))
def test_widths_fill_the_page_and_hold_each_longest_word(rows, total):
    widths = column_widths(rows, total, size=8, bold_rows=1)
    need = [max(longest_word(r[c], FONT_BOLD if i == 0 else FONT, 8) for i, r in enumerate(rows))
            + 2 * PAD for c in range(3)]
    if widths is None:
        assert sum(need) > total - 3  # refused only when the words alone do not fit
    else:
        assert sum(widths) == pytest.approx(total)
        assert all(w >= n for w, n in zip(widths, need, strict=True))


def test_a_short_column_is_not_wrapped_to_feed_a_long_one():
    rows = [["Кадастровый номер", "Земли промышленности, транспорта и иного несельскохозяйственного "
             "назначения " * 3]]
    label, value = column_widths(rows, 500, size=9)
    assert label >= longest_word("Кадастровый номер", FONT, 9) and label < value
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert label >= stringWidth("Кадастровый номер", FONT, 9)  # on one line


def test_no_break_spaces_hold_numbers_and_dates_together():
    assert longest_word("11\u00a0967\u00a0965 тенге", FONT, 9) > longest_word("11 967 965", FONT, 9)


def test_a_table_too_wide_for_its_page_says_so():
    rows = [["Электроэнергия"] * 12]
    with pytest.raises(ValueError, match="landscape"):
        table(rows, 200)
    assert table(rows[:1], 2000)._colWidths and sum(table(rows, 2000)._colWidths) == pytest.approx(2000)
