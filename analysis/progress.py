"""A progress bar on stderr for long runs; silent when stderr is not a terminal or when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports named stages as a bar: ``[#####     ] 5/10 themes``."""

    def __init__(
        self, total: int, enabled: bool | None = None, stream: TextIO | None = None, width: int = 30
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = max(1, total)
        self.done = 0
        self.width = width
        self.started = time.perf_counter()
        self._line_open = False  # a bar is drawn and its line not yet ended

    def step(self, stage: str) -> None:
        """Mark one stage done and redraw the bar."""
        self.done = min(self.total, self.done + 1)
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total)
        elapsed = time.perf_counter() - self.started
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
