"""The processes a test started: found by a marker in their environment (Linux /proc)."""

from __future__ import annotations

from pathlib import Path


def marked_processes(marker: str) -> list[str]:
    """Running (not zombie) processes whose environment holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state = stat[stat.rfind(")") + 2 :].split()[0]
        if marker.encode() in environ and state not in ("Z", "X"):
            found.append(f"{entry.name}: {stat[: stat.rfind(')') + 1]}")
    return found
