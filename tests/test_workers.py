"""Each pytest-xdist worker's own database, Redis db and ports (tests/workers.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.workers import (
    PROCESS_WEIGHT,
    database_url,
    dearest_files_first,
    estimated_cost,
    keep_our_order,
    order_for_workers,
    port_slice,
    redis_url,
    starts_processes,
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
    """A collected test as :func:`dearest_files_first` reads it."""

    def __init__(self, nodeid: str, fixturenames: tuple[str, ...] = (), module=None) -> None:
        self.nodeid = nodeid
        self.fixturenames = fixturenames
        self.module = module


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


def test_only_workers_reorder_and_xdist_keeps_that_order():
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
