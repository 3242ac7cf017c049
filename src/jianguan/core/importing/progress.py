"""Progress for long imports, shown only when a person watches a terminal."""

from __future__ import annotations

import sys
import time

THRESHOLD = 5000


def terminal_progress(stream=None, threshold: int = THRESHOLD):
    """A progress callback for run_import writing to stream (stderr) when it is a TTY, else None.
    Nothing is shown for files under `threshold` rows."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return None
    started = time.monotonic()

    def report(done: int, total: int | None) -> None:
        if (total or done) < threshold:
            return
        elapsed = time.monotonic() - started
        if total and total >= done:
            percent = done * 100 // max(total, 1)
            text = f"\r已处理 {done}/{total} 行（{percent}%），用时 {elapsed:.1f} 秒"
        else:
            text = f"\r已处理 {done} 行，用时 {elapsed:.1f} 秒"
        stream.write(text)
        if total is not None and done >= total:
            stream.write("\n")
        stream.flush()

    return report
