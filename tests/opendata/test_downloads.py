from datetime import date, datetime
from decimal import Decimal

from hromada.core.exports import csv_lines
from hromada.opendata.downloads import _coalesced, csv_chunks

HEADER = ["id", "name", "amount", "when", "flag", "note"]
ROWS = [
    [1, '=HYPERLINK("http://x")', -12.5, date(2024, 5, 1), True, None],
    [2, "+380 67 000 00 00", Decimal("10.10"), datetime(2024, 5, 1, 12, 30), False, "-1"],
    [3, "@SUM(A1)", 0.1 + 0.2, None, None, 'рядок\nз переносом, "лапками"'],
    [4, "\tвкладка", 10**20, "", 7, "\rповернення"],
    *[[n, f"Будинок {n}", n * 1.5, None, n % 2 == 0, "0042"] for n in range(5, 700)],
]


def test_chunked_csv_is_byte_for_byte_the_shared_export():
    for bom in (False, True):
        expected = "".join(csv_lines(HEADER, ROWS, bom=bom)).encode()
        chunks = list(csv_chunks(HEADER, ROWS, bom=bom))
        assert b"".join(chunks) == expected
        # Rows go out in batches, not one write per row.
        assert len(chunks) < len(ROWS) / 100


def test_formula_cells_are_escaped_in_the_chunked_csv():
    text = b"".join(csv_chunks(HEADER, ROWS[:4])).decode()
    assert "'=HYPERLINK" in text and "'+380" in text and "'@SUM" in text
    assert ",-12.5," in text  # a negative number stays a number


def test_coalesced_chunks_keep_every_byte():
    parts = [str(n).encode() * 50 for n in range(3000)]
    joined = list(_coalesced(parts, size=4096))
    assert b"".join(joined) == b"".join(parts)
    assert all(len(chunk) >= 4096 for chunk in joined[:-1])
