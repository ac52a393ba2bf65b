"""The .xlsx output of ``crmvalue score``: streamed through XlsxWriter, read back with openpyxl.

The peer is openpyxl's own write-only workbook, written here the plain way (text cells
forced to text, NaN and infinities blank): every cell read back from our file must equal
the peer's cell in value, type and number format, on a frame with every kind of column and
the awkward values (formula-like ids, blanks, empty text, NaN, infinities, dates, NaT,
booleans, categories, 16-digit floats), and on random frames (Hypothesis).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.cli.errors import UsageError
from addin.tables.progress import Progress
from addin.tables.writing import PROGRESS_ROWS, XLSX_MAX_TEXT, write_table


def openpyxl_peer(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` written by openpyxl in write-only mode, text as text, non-finite as blank."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("customers")

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    def plain(value: object) -> object:
        if value is None or value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
            return number if math.isfinite(number) else None
        return text(str(value)) if str(value) else None  # empty text: a blank

    sheet.append([text(str(name)) for name in frame.columns])
    for row in frame.astype(object).itertuples(index=False):
        sheet.append([plain(value) for value in row])
    workbook.save(path)


def read_cells(path: Path) -> tuple[list[str], list[list[tuple[object, str, str]]]]:
    """Sheet names and every cell as (value, data type, number format), row by row."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook.active
    rows = [
        [(cell.value, cell.data_type, cell.number_format) for cell in row]
        for row in sheet.iter_rows()
    ]
    return workbook.sheetnames, rows


def assert_same_as_peer(frame: pd.DataFrame, folder: Path) -> None:
    ours, peer = folder / "ours.xlsx", folder / "peer.xlsx"
    write_table(frame, ours, force=True)
    openpyxl_peer(frame, peer)
    ours_sheets, ours_rows = read_cells(ours)
    peer_sheets, peer_rows = read_cells(peer)
    assert ours_sheets == peer_sheets == ["customers"]
    assert len(ours_rows) == len(peer_rows)
    for number, (mine, theirs) in enumerate(zip(ours_rows, peer_rows, strict=True), start=1):
        assert mine == theirs, f"row {number}"


@pytest.fixture
def awkward_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.Series(
                ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", " padded ", "C5", ""],
                dtype="str",
            ),
            "link": ["http://example.com", "mailto:a@b.c", None, "12.5", "ünïcode €", "x", None],
            "frequency": np.array([0, 1, 2, 3, 2**40, 5, 6], dtype="int64"),
            "counts": pd.array([1, None, 3, 4, 5, 6, None], dtype="Int64"),
            "p_alive": [0.1 + 0.2, math.nan, math.inf, -math.inf, 1e-300, 1 / 3, math.nan],
            "flag": [True, False, True, False, True, True, False],
            "first": pd.to_datetime(
                [
                    "2024-01-02 00:00:00",
                    None,
                    "1999-12-31 13:45:10",
                    "2024-02-29 00:00:00",
                    None,
                    None,
                    None,
                ]
            ),
            "segment": pd.Categorical(
                ["Most valuable", "Growth", None, "Standard", "a", "b", None]
            ),
        }
    )


def test_every_cell_reads_back_as_openpyxl_writes_it(tmp_path, awkward_frame) -> None:
    assert_same_as_peer(awkward_frame, tmp_path)
    _, rows = read_cells(tmp_path / "ours.xlsx")
    assert [value for value, *_ in rows[0]] == list(awkward_frame.columns)
    assert rows[1][0] == ('=HYPERLINK("http://x")', "s", "General")
    assert rows[2][0][:2] == ("+1", "s") and rows[4][3][:2] == (4, "n")
    assert rows[1][4][0] == float(f"{0.1 + 0.2:.16g}")  # 16 digits, as openpyxl writes
    assert rows[1][6] == (dt.datetime(2024, 1, 2), "d", "yyyy-mm-dd h:mm:ss")
    assert [row[4][0] for row in rows[2:5]] == [None, None, None]  # NaN, inf, -inf: blank
    assert rows[7][0][0] is None  # an empty text is a blank cell


def test_no_formula_link_or_shared_formula_in_the_sheet(tmp_path, awkward_frame) -> None:
    write_table(awkward_frame, tmp_path / "s.xlsx")
    with zipfile.ZipFile(tmp_path / "s.xlsx") as archive:
        names = archive.namelist()
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "hyperlink" not in xml and not any("_rels/sheet1" in name for name in names)


def test_blank_cells_and_rows_are_stored_as_openpyxl_stores_them(tmp_path) -> None:
    frame = pd.DataFrame(
        {"id": ["a", None, "", "d", None], "value": [1.0, math.nan, None, math.inf, None]}
    )
    assert_same_as_peer(frame, tmp_path)
    read = pd.read_excel(tmp_path / "ours.xlsx", dtype={"id": object})
    assert read.shape == (4, 2)  # the last row, blanks only, is not stored
    assert read["id"].tolist()[::3] == ["a", "d"] and read["id"].isna().tolist()[1:3] == [
        True,
        True,
    ]


def test_an_empty_frame_is_a_header(tmp_path) -> None:
    frame = pd.DataFrame({"customer_id": pd.Series([], dtype="str"), "clv": []})
    assert_same_as_peer(frame, tmp_path)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
                lambda text: text or "x"
            ),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(2**53), max_value=2**53),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_random_frames_read_back_as_openpyxl_writes_them(tmp_path, records) -> None:
    frame = pd.DataFrame(records, columns=["customer_id", "clv", "frequency", "alive"])
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["frequency"] = frame["frequency"].astype("int64")
    frame["alive"] = frame["alive"].astype(bool)
    assert_same_as_peer(frame, tmp_path)


def test_text_an_xlsx_cannot_hold_is_one_clear_message(tmp_path) -> None:
    bad = pd.DataFrame({"customer_id": ["ok", "bell\x07"], "clv": [1.0, 2.0]})
    with pytest.raises(UsageError, match=r"s\.xlsx: the text 'bell\\x07' holds control"):
        write_table(bad, tmp_path / "s.xlsx")
    long = pd.DataFrame({"customer_id": ["ok", "y" * (XLSX_MAX_TEXT + 1)], "clv": [1.0, 2.0]})
    with pytest.raises(UsageError, match=r"32,768 characters long, more than the 32,767"):
        write_table(long, tmp_path / "s.xlsx")
    zoned = pd.DataFrame({"first": pd.to_datetime(["2024-01-01"]).tz_localize("UTC")})
    with pytest.raises(UsageError, match=r"column 'first' holds dates with a time zone"):
        write_table(zoned, tmp_path / "s.xlsx")
    assert list(tmp_path.iterdir()) == []  # nothing written, not even half a file


def test_the_longest_text_a_cell_holds_is_written(tmp_path) -> None:
    frame = pd.DataFrame({"customer_id": ["y" * XLSX_MAX_TEXT]})
    assert_same_as_peer(frame, tmp_path)


class Recorder(Progress):
    """A progress bar that remembers what it was told."""

    def __init__(self, total: int) -> None:
        super().__init__("writing", total, enabled=False)
        self.calls: list[tuple[int, float | None]] = []

    def update(self, rows: int, done: float | None = None) -> None:
        self.calls.append((rows, done))


@pytest.mark.parametrize("name", ["s.xlsx", "s.csv"])
def test_the_progress_bar_hears_the_rows_written(tmp_path, name) -> None:
    rows = 2 * PROGRESS_ROWS + 7
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(rows)], "clv": np.arange(rows)})
    progress = Recorder(rows)
    write_table(frame, tmp_path / name, progress=progress)
    if name.endswith(".xlsx"):
        expected = [(PROGRESS_ROWS, PROGRESS_ROWS), (2 * PROGRESS_ROWS, 2 * PROGRESS_ROWS)]
        assert progress.calls == [*expected, (rows, rows)]
    else:
        assert progress.calls == [(rows, rows)]


def test_an_interrupted_write_leaves_no_file(tmp_path, monkeypatch) -> None:
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()

    class Interrupting(Recorder):
        def update(self, rows: int, done: float | None = None) -> None:
            raise KeyboardInterrupt

    rows = PROGRESS_ROWS + 1
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(rows)], "clv": np.ones(rows)})
    with pytest.raises(KeyboardInterrupt):
        write_table(frame, out / "s.xlsx", progress=Interrupting(rows))
    assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []
