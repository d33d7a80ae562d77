"""Progress on stderr for long runs: a bar on a terminal; with ``lines``, one line per stage
when stderr is not a terminal (a log, a pipe, a scheduled job); silent otherwise or when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

PREFIX = "consult-analyse: "


class Progress:
    """Reports named stages as a bar, ``[#####     ] 5/10 themes``, when the stream is a
    terminal; else, if ``lines``, as one line a stage: ``consult-analyse: 2/7 vectors: 8,120
    distinct answers (after 45.2s)``."""

    def __init__(
        self,
        total: int,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        width: int = 30,
        lines: bool = False,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.lines = lines and not self.enabled  # a bar, or lines, never both
        self.total = max(1, total)
        self.done = 0
        self.width = width
        self.started = time.perf_counter()
        self._line_open = False  # a bar is drawn and its line not yet ended

    def step(self, stage: str, note: str = "", label: str | None = None) -> None:
        """Mark one stage done and redraw the bar (or, in line mode, write a line naming the
        stage by ``label``, else ``stage``, with ``note``: what it found, in counts)."""
        self.done = min(self.total, self.done + 1)
        elapsed = time.perf_counter() - self.started
        if self.lines:
            said = f": {note}" if note else ""
            self.stream.write(
                f"{PREFIX}{self.done}/{self.total} {label or stage}{said} (after {elapsed:.1f}s)\n"
            )
            self.stream.flush()
            return
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total)
        self.stream.write(
            f"\r[{'#' * filled}{' ' * (self.width - filled)}] "
            f"{self.done}/{self.total} {stage:<24} {elapsed:6.1f}s"
        )
        self._line_open = True
        if self.done == self.total:
            self._end_line()
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line if it is still open (a run stopped early), so whatever is
        written next starts on a line of its own."""
        if self._line_open:
            self._end_line()
            self.stream.flush()

    def _end_line(self) -> None:
        self.stream.write("\n")
        self._line_open = False


class Silent(Progress):
    """A progress reporter that never writes."""

    def __init__(self) -> None:
        super().__init__(1, enabled=False)
