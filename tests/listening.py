"""Whether the server answering on a local port is the process a test started.

A test picks a free port, then starts a server that binds it seconds later (the app's import,
longer on a loaded machine). In that window another process can bind the same port; the
test's own server then exits ("Address already in use") while a poll of the port is answered
by the other one, and the test runs against a server without its settings (flaky30: the
resume-link test, whose server alone sends mail, met a demo server that sends none). Asking
the kernel which process holds the listening socket closes that gap.
"""

from __future__ import annotations

import os
from pathlib import Path

LISTEN = "0A"  # the TCP state column of /proc/net/tcp for a listening socket


def listening_inodes(port: int, table: Path = Path("/proc/net/tcp")) -> set[str]:
    """The socket inodes listening on ``port`` (any IPv4 address), from ``table``."""
    found: set[str] = set()
    for line in table.read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) > 9 and fields[3] == LISTEN and int(fields[1].split(":")[1], 16) == port:
            found.add(fields[9])
    return found


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process ``pid`` has open (empty once it has gone)."""
    folder = Path(f"/proc/{pid}/fd")
    found: set[str] = set()
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for name in names:
        try:
            target = os.readlink(folder / name)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


def listens_on(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds the socket listening on ``port``: True, False, or None
    where this cannot be known (no ``/proc``: not Linux)."""
    if not Path("/proc/net/tcp").exists():
        return None
    return bool(listening_inodes(port) & socket_inodes(pid))
