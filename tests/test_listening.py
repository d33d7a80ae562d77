"""tests/listening.py: which process holds a port's listening socket (flaky30)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.listening import listens_on

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="Linux /proc only")


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
