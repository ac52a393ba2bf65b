"""Drawing a PNG safely: a headless matplotlib figure written through the one atomic writer.

Every chart of crmvalue is written with :func:`write_png`, which goes through
:func:`workbook_templates.files.write_atomically`: to a temporary file beside the target,
renamed into place when complete, so an interrupted run leaves no half-written picture,
and an existing file is kept unless ``force`` is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbook_templates.errors import FileError
from workbook_templates.files import write_atomically

__all__ = ["save_figure", "short", "write_png"]


def _png_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise FileError("a chart is written as PNG; give a name ending in .png", path=target)
    return target


def write_png(
    figure: Any, path: str | os.PathLike[str], *, force: bool = False, dpi: float | None = None
) -> Path:
    """Save the matplotlib ``figure`` as a PNG at ``path`` (atomically); return the path.

    A name not ending in .png, an existing file without ``force``, a missing folder or a
    file that cannot be written is a :class:`~workbook_templates.errors.FileError`.
    """
    target = _png_target(path)
    options: dict[str, Any] = {"format": "png"} if dpi is None else {"format": "png", "dpi": dpi}
    return write_atomically(
        target, lambda temporary: figure.savefig(temporary, **options), force=force
    )


def save_figure(
    draw: Callable[[Any], None], path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Draw on a fresh matplotlib axes with ``draw(ax)`` and save it as a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = _png_target(path)
    figure, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    try:
        draw(ax)
        figure.tight_layout()
        return write_png(figure, target, force=force)
    finally:
        plt.close(figure)


def short(text: str, limit: int = 40) -> str:
    """A label cut to ``limit`` characters, so that the chart keeps its room."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
