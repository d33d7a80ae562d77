"""Each pytest-xdist worker's own database, Redis db and ports (tests/workers.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import workers
from tests.workers import (
    ENCODER_BUILD,
    ENCODER_MARKER,
    ENCODER_SETTING,
    GUARD_MESSAGE,
    PROCESS_WEIGHT,
    EncoderGuard,
    build_running,
    database_url,
    dearest_files_first,
    encoder_files,
    encoder_files_last,
    estimated_cost,
    file_of,
    item_uses_coding_encoder,
    keep_our_order,
    marked_coding_encoder,
    order_for_workers,
    port_slice,
    redis_url,
    starts_processes,
    wait_for_encoder_build,
)


def test_each_worker_has_its_own_database():
    base = "postgresql+psycopg://postgres:secret@127.0.0.1:5432/test"
    assert database_url(base, 0) == "postgresql+psycopg://postgres:secret@127.0.0.1:5432/test_gw0"
    assert database_url(base, 3).endswith("/test_gw3")


def test_redis_dbs_go_down_from_ci_db_or_up_through_a_given_range():
    assert [redis_url("redis://127.0.0.1:6379/15", n) for n in range(3)] == [
        "redis://127.0.0.1:6379/15",
        "redis://127.0.0.1:6379/14",
        "redis://127.0.0.1:6379/13",
    ]
    assert redis_url("redis://127.0.0.1:6379/8", 2, "8-12") == "redis://127.0.0.1:6379/10"
    assert redis_url("redis://127.0.0.1:6379", 0) == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("base", "index", "allowed"),
    [("redis://127.0.0.1:6379/1", 2, None), ("redis://127.0.0.1:6379/8", 5, "8-12")],
)
def test_a_worker_never_leaves_its_redis_dbs(base, index, allowed):
    with pytest.raises(ValueError, match="no Redis db"):
        redis_url(base, index, allowed)


def test_port_range_is_split_evenly_between_workers():
    assert [port_slice("5230-5239", n, 3) for n in range(3)] == [
        "5230-5232",
        "5233-5235",
        "5236-5238",
    ]
    with pytest.raises(ValueError, match="fewer ports"):
        port_slice("5230-5231", 0, 3)


class _Item:
    """A collected test as :func:`dearest_files_first` and :func:`encoder_files_last` read it."""

    def __init__(
        self,
        nodeid: str,
        fixturenames: tuple[str, ...] = (),
        module=None,
        markers: tuple[str, ...] = (),
    ) -> None:
        self.nodeid = nodeid
        self.fixturenames = fixturenames
        self.module = module
        self.markers = markers

    def get_closest_marker(self, name: str):
        return pytest.Mark(name, (), {}) if name in self.markers else None


def test_files_that_start_processes_are_handed_out_first_each_kept_whole():
    pages = [_Item(f"tests/test_pages.py::test_{n}", ("app",)) for n in range(30)]
    forms = [_Item(f"tests/test_forms.py::test_{n}", ("client",)) for n in range(5)]
    browser = [_Item(f"tests/test_browser_x.py::test_{n}", ("driver",)) for n in range(2)]
    served = [_Item("tests/test_gunicorn_x.py::test_0", ("served", "backend"))]
    items = forms[:2] + pages + browser[:1] + served + forms[2:] + browser[1:]
    ordered = dearest_files_first(items)
    # 2 browser tests (40) > 30 page tests > 1 served test (20) > 5 form tests
    assert ordered == browser + pages + served + forms
    assert estimated_cost(browser) == 2 * PROCESS_WEIGHT and estimated_cost(pages) == 30


def test_servers_drivers_and_modules_starting_processes_count_as_dear():
    assert starts_processes(_Item("t.py::a", ("tmp_path", "export_server")))
    assert starts_processes(_Item("t.py::a", ("reports_server",)))
    assert not starts_processes(_Item("t.py::a", ("app", "client", "backend")))
    own_server = SimpleNamespace(running_server=object(), time=object())
    assert starts_processes(_Item("t.py::a", ("tmp_path",), own_server))
    assert not starts_processes(_Item("t.py::a", ("tmp_path",), SimpleNamespace(time=object())))


def test_only_workers_reorder_and_xdist_keeps_that_order(monkeypatch):
    monkeypatch.delenv(ENCODER_BUILD, raising=False)  # as outside `make test`
    items = [_Item("tests/test_a.py::test_0"), _Item("tests/test_b.py::test_0", ("served",))]
    serial = SimpleNamespace(option=SimpleNamespace(dist="no", loadscopereorder=True))
    kept = list(items)
    order_for_workers(serial, kept)
    keep_our_order(serial)
    assert kept == items and serial.option.loadscopereorder is True
    worker = SimpleNamespace(
        workerinput={"workerid": "gw1", "workercount": 2},
        option=SimpleNamespace(dist="loadfile", loadscopereorder=True),
    )
    order_for_workers(worker, kept)
    keep_our_order(worker)
    assert kept == items[::-1] and worker.option.loadscopereorder is False


def test_files_marked_coding_encoder_are_told_apart_whole():
    fit = _Item("tests/analysis/test_fit.py::test_0", markers=(ENCODER_MARKER,))
    page = _Item("tests/reports/test_pages.py::test_0", ("client",))
    # one marked test makes its whole file an encoder file
    mixed = [
        _Item("tests/test_mixed.py::test_0"),
        _Item("tests/test_mixed.py::test_1", markers=(ENCODER_MARKER,)),
    ]
    assert marked_coding_encoder(fit) and not marked_coding_encoder(page)
    assert not marked_coding_encoder(SimpleNamespace(nodeid="t.py::a"))  # no markers at all
    assert encoder_files([fit, page, *mixed]) == {
        "tests/analysis/test_fit.py",
        "tests/test_mixed.py",
    }
    assert file_of(mixed[0]) == "tests/test_mixed.py"
    ordered = encoder_files_last([*mixed, fit, page])
    assert ordered == [page, *mixed, fit]  # the mixed file is kept whole, its order kept


def test_make_test_runs_the_files_not_reading_the_encoder_first(monkeypatch):
    monkeypatch.setattr(workers, "_encoder_files", set())  # this run's own set left alone
    fits = [_Item(f"tests/test_fit.py::t{n}", markers=(ENCODER_MARKER,)) for n in range(3)]
    pages = [_Item(f"tests/test_page.py::t{n}") for n in range(2)]
    served = [_Item("tests/test_served.py::t0", ("served",))]  # dear, but not the encoder's
    assert encoder_files_last(fits + pages + served) == served + pages + fits
    monkeypatch.setenv(ENCODER_BUILD, "/nonexistent-build")
    serial = SimpleNamespace(option=SimpleNamespace(dist="no"))
    items = fits + pages
    order_for_workers(serial, items)  # `make test`'s order, serial or not
    assert items == pages + fits
    assert workers._encoder_files == {"tests/test_fit.py"}
    assert item_uses_coding_encoder(fits[0]) and not item_uses_coding_encoder(pages[0])


def test_the_marker_is_registered_and_the_guard_names_it(pytestconfig):
    registered = pytestconfig.getini("markers")
    assert any(line.startswith(f"{ENCODER_MARKER}:") for line in registered)
    assert "pytest.mark.coding_encoder" in GUARD_MESSAGE
    assert "tests/x.py" in GUARD_MESSAGE.format(path="tests/x.py")


def test_a_build_runs_until_it_is_done_or_its_process_ends(tmp_path):
    assert not build_running(tmp_path)  # not started (the build was skipped)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "pid").write_text(f"{sleeper.pid}\n")
        assert build_running(tmp_path)
        (tmp_path / "done").touch()
        assert not build_running(tmp_path)
        (tmp_path / "done").unlink()
        assert build_running(tmp_path)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not build_running(tmp_path)  # killed before it was done
    assert wait_for_encoder_build(tmp_path, poll=0.01) < 1
    assert wait_for_encoder_build(None) < 1


def test_waiting_ends_when_the_build_writes_done(tmp_path):
    (tmp_path / "pid").write_text(str(os.getpid()))
    finisher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time, pathlib; time.sleep(0.5); "
            f"pathlib.Path({str(tmp_path / 'done')!r}).touch()",
        ]
    )
    started = time.monotonic()
    waited = wait_for_encoder_build(tmp_path, poll=0.05)
    finisher.wait()
    assert waited > 0.4 and time.monotonic() - started < 30
    assert (tmp_path / "done").exists()


def test_the_guard_sees_any_process_read_the_encoder_setting(monkeypatch):
    guard = EncoderGuard()
    assert not guard.opened()
    env = {**os.environ, ENCODER_SETTING: str(guard.folder), "PYTHONPATH": str(Path.cwd())}
    child = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore",
            "-c",
            "from analysis.coding_encoder import find; print(find())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "None"  # plain MiniLM, as with no encoder built
    assert guard.opened()
    assert not guard.opened()  # each opening is told once
    os.listdir(guard.folder)  # listing the folder (a `find /tmp`) is not reading the encoder
    assert not guard.opened()
    from analysis.coding_encoder import find

    monkeypatch.setenv(ENCODER_SETTING, str(guard.folder))
    with pytest.warns(RuntimeWarning, match="plain MiniLM"):
        assert find() is None
    assert guard.opened()
    assert find() is None and guard.opened()  # read afresh: the guard changed its stamp
    monkeypatch.setenv(ENCODER_SETTING, "minilm")
    assert find() is None and not guard.opened()


def test_encoder_trips_notes_a_files_first_read_and_skips_the_rest(monkeypatch, tmp_path):
    from tests import encoder_trips

    out = tmp_path / "trips.txt"
    monkeypatch.setenv(encoder_trips.OUTPUT, str(out))
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # a serial run
    monkeypatch.setattr(encoder_trips, "_tripped", set())

    def report(nodeid: str, when: str, text: str = "") -> SimpleNamespace:
        return SimpleNamespace(nodeid=nodeid, when=when, failed=bool(text), longreprtext=text)

    read = GUARD_MESSAGE.format(path="tests/test_a.py")
    encoder_trips.pytest_runtest_logreport(report("tests/test_a.py::t0", "call", read))
    encoder_trips.pytest_runtest_logreport(report("tests/test_a.py::t0", "teardown"))
    encoder_trips.pytest_runtest_logreport(report("tests/test_b.py::t0", "call", "AssertionError"))
    encoder_trips.pytest_runtest_logreport(report("tests/test_b.py::t0", "teardown"))
    with pytest.raises(pytest.skip.Exception):
        encoder_trips.pytest_runtest_setup(_Item("tests/test_a.py::t1"))
    encoder_trips.pytest_runtest_setup(_Item("tests/test_b.py::t1"))  # not read: runs
    controller = SimpleNamespace(node=object(), **vars(report("tests/test_c.py::t0", "teardown")))
    encoder_trips.pytest_runtest_logreport(controller)  # xdist's controller: its worker wrote
    assert out.read_text().splitlines() == [
        "TRIP tests/test_a.py tests/test_a.py::t0 call",
        "DONE tests/test_a.py::t0",
        "FAIL tests/test_b.py tests/test_b.py::t0 call",
        "DONE tests/test_b.py::t0",
    ]
    items = [_Item("tests/test_dear.py::t0", ("served",)), _Item("tests/test_cheap.py::t0")]
    encoder_trips.pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == ["tests/test_cheap.py::t0", "tests/test_dear.py::t0"]
