"""Dates written the way CRMs export them, recognised where the writing is unambiguous.

Besides ISO 8601 (``2024-01-05``, ``2024-01-05 13:45``, ``20240105``), which the readers
parse first, :func:`dates_from_text` reads:

- year first with ``/``, ``.`` or ``-`` and one- or two-digit month and day, with or
  without a time: ``2024/1/5``, ``2024/01/05 13:45:10``, ``2024.1.5`` (Chinese and
  Japanese systems write dates this way);
- the Chinese and Japanese form ``2024年1月5日`` (with or without a time after it);
- day first with dots, ``05.01.2024`` (German, Russian and other European systems; a date
  with dots is never written month first).

The time of day is dropped: a purchase counts on its day. A date written day or month
first with slashes (``05/01/2024``) can mean 5 January or 1 May, so it is not guessed:
the reader asks for ``--date-format``.

Example:

>>> import pandas as pd
>>> dates_from_text(pd.Index(["2024/1/5", "2024年12月31日", "05.01.2024 08:00", "05/01/2024"]))
array(['2024-01-05', '2024-12-31', '2024-01-05',        'NaT'], dtype='datetime64[D]')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["dates_from_text"]

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YEAR_FIRST = (
    r"^(?P<year>\d{4})(?:[/.\-](?P<month>\d{1,2})[/.\-](?P<day>\d{1,2})"
    r"|年(?P<month_zh>\d{1,2})月(?P<day_zh>\d{1,2})日)" + _TIME + r"$"
)
_DAY_FIRST_DOTS = r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME + r"$"


def _days(year: pd.Series, month: pd.Series, day: pd.Series) -> np.ndarray:
    """The days of year, month and day columns of text (NaT where one is missing or the
    date does not exist, such as 2024/2/30)."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float")
    stamps = pd.to_datetime(parts, errors="coerce")
    return stamps.to_numpy().astype("datetime64[D]")


def dates_from_text(texts: pd.Index) -> np.ndarray:
    """The dates ``texts`` hold in one of the forms above, as ``datetime64[D]`` (NaT for
    any other text). Vectorised: one regular-expression pass per form."""
    values = pd.Series(np.asarray(texts, dtype=object), dtype="str").str.strip()
    days = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    if not len(values):
        return days
    year_first = values.str.extract(_YEAR_FIRST)
    month = year_first["month"].fillna(year_first["month_zh"])
    day = year_first["day"].fillna(year_first["day_zh"])
    found = year_first["year"].notna().to_numpy()
    if found.any():
        days[found] = _days(year_first["year"][found], month[found], day[found])
    dots = values[~found].str.extract(_DAY_FIRST_DOTS)
    with_dots = dots["year"].notna()
    if with_dots.any():
        rows = np.flatnonzero(~found)[with_dots.to_numpy()]
        days[rows] = _days(
            dots["year"][with_dots], dots["month"][with_dots], dots["day"][with_dots]
        )
    return days
