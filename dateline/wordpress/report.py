"""Counting what an import did, and the report file listing every exception."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("imported", "updated", "skipped", "failed")


@dataclass
class Entry:
    kind: str
    key: str
    title: str
    outcome: str
    reason: str


@dataclass
class Report:
    """Counts per kind and outcome, and every item skipped, failed or changed."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    )
    entries: list[Entry] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def note(self, kind, key, title, outcome, reason) -> None:
        """Something the reader of the report must know about one item."""
        self.entries.append(Entry(kind, str(key), title[:80], outcome, reason))

    def merge(self, other: Report) -> None:
        """Add what ``other`` counted and noted to this report."""
        for kind, counts in other.counts.items():
            for outcome, n in counts.items():
                self.counts[kind][outcome] += n
        self.entries.extend(other.entries)

    def table(self) -> str:
        rows = [f"{'':12}" + "".join(f"{o:>10}" for o in OUTCOMES)]
        for kind, counts in self.counts.items():
            rows.append(f"{kind:12}" + "".join(f"{counts[o]:>10}" for o in OUTCOMES))
        return "\n".join(rows)

    def as_text(self) -> str:
        lines = ["WordPress import report", "", self.table(), ""]
        for entry in self.entries:
            lines.append(
                f"{entry.kind}\t{entry.key}\t{entry.outcome}\t{entry.reason}\t"
                f"{entry.title}"
            )
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        return {kind: dict(counts) for kind, counts in self.counts.items()}


class Progress:
    """One line per phase with the count and the rate, redrawn as items go by.

    ``listener(phase, done, total)`` hears every redraw too, which is how a run
    started from the admin shows its progress.
    """

    interval = 0.5

    def __init__(self, stream=None, listener=None):
        self.stream = stream if stream is not None else sys.stderr
        self.listener = listener
        self.phase, self.total, self.done = "", 0, 0
        self.started = self.drawn = 0.0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, total, 0
        self.started = time.monotonic()
        self.drawn = 0.0
        self.draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if time.monotonic() - self.drawn >= self.interval:
            self.draw()

    def finish(self) -> float:
        """End the phase's line; its rate in items per second."""
        self.draw(final=True)
        return self.rate()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def draw(self, final: bool = False) -> None:
        self.drawn = time.monotonic()
        if self.listener is not None:
            self.listener(self.phase, self.done, self.total)
        if self.stream is None:
            return
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r{self.phase:10} [{bar}] {self.done}/{self.total} {self.rate():.1f}/s"
        end = "\n" if final else ""
        if final or getattr(self.stream, "isatty", lambda: False)():
            self.stream.write(line + end)
            self.stream.flush()
