"""The progress bar of ``crmvalue score`` (on stderr, so that stdout stays clean)."""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["Phase", "Progress"]


class Progress:
    """A one-line progress bar on stderr: share done, rows so far, rows per second.

    On a terminal the line is redrawn in place (at most 4 times a second); otherwise a
    line is printed at each further 10%. ``enabled=False`` prints nothing.
    """

    def __init__(
        self,
        label: str,
        total: float | None,
        enabled: bool = True,
        stream: Any = None,
        unit: str = "rows",
    ) -> None:
        self.label = label
        self.unit = unit
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.last = 0.0
        self.shown_tenth = -1
        self.rows = 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, rows: int, done: float | None = None) -> None:
        """Report ``rows`` handled so far and ``done`` out of ``total`` (a share, or parts)."""
        self.rows = rows
        if not self.enabled:
            return
        now = time.perf_counter()
        share = None
        if done is not None and self.total:
            share = min(max(done / self.total, 0.0), 1.0)
        if self.tty:
            if now - self.last < 0.25:
                return
        else:
            tenth = -1 if share is None else int(share * 10)
            if tenth <= self.shown_tenth:
                return
            self.shown_tenth = tenth
        self.last = now
        self._draw(rows, share, now, end="\r" if self.tty else "\n")

    def close(self) -> None:
        """Print the final line (unless a line already showed 100%)."""
        if self.enabled and (self.tty or self.shown_tenth < 10):
            self._draw(self.rows, 1.0, time.perf_counter(), end="\n")

    def _draw(self, rows: int, share: float | None, now: float, end: str) -> None:
        elapsed = max(now - self.start, 1e-9)
        if share is None:
            bar = ""
        else:
            filled = int(share * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
        unit = self.unit
        speed = f"{rows / elapsed:,.0f} {unit}/s"
        text = f"{self.label}: {bar}{rows:,} {unit}, {speed}, {elapsed:.1f} s"
        self.stream.write(f"{text:<100}{end}" if self.tty else f"{text}{end}")
        self.stream.flush()


class Phase:
    """One line on stderr when a phase starts and one when it ends, with its time.

    For the steps of ``crmvalue score`` that show no bar (summarising in DuckDB, fitting,
    predicting, writing): ``with Phase("fitting", enabled=...):``. ``enabled=False``
    prints nothing.

    >>> import io
    >>> stream = io.StringIO()
    >>> with Phase("fitting", stream=stream):
    ...     pass
    >>> print(stream.getvalue().replace("0.0 s", "N s"), end="")
    fitting...
    fitting: done in N s
    """

    def __init__(self, label: str, enabled: bool = True, stream: Any = None) -> None:
        self.label = label
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.start = 0.0

    def __enter__(self) -> Phase:
        self.start = time.perf_counter()
        if self.enabled:
            self.stream.write(f"{self.label}...\n")
            self.stream.flush()
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        if self.enabled and kind is None:
            self.stream.write(f"{self.label}: done in {time.perf_counter() - self.start:.1f} s\n")
            self.stream.flush()
