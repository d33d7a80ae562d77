"""tests/listening.py: which process holds a port's listening socket (flaky30)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.listening import listens_on

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="Linux /proc only"),
]


def test_a_port_this_process_listens_on_is_its_own():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert listens_on(os.getpid(), port) is True
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            assert listens_on(other.pid, port) is False  # someone else's listener
        finally:
            other.kill()
            other.wait()
    assert listens_on(os.getpid(), port) is False  # closed: nobody listens


def test_a_bound_socket_that_does_not_listen_is_not_a_listener():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        assert listens_on(os.getpid(), sock.getsockname()[1]) is False


def test_a_served_test_does_not_take_another_process_answer_for_its_server(tmp_path):
    """flaky30: the port chosen for ``flask run`` was taken before the server bound it, and
    the poll ("does anything answer?") was answered by the other process, so the test ran
    against a server without its settings. An answer counts only from the process started."""
    import http.server
    import threading
    import time

    from tests.test_browser import _answers

    other = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    mine = subprocess.Popen(["sleep", "1"])  # started, never listening: lost its port
    try:
        port = other.server_address[1]
        assert not _answers(mine, port, time.monotonic() + 30)
        assert mine.poll() is not None  # waited for it to go, not for the deadline
    finally:
        mine.kill()
        mine.wait()
        other.shutdown()
        other.server_close()
