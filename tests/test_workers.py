"""Each pytest-xdist worker's own database, Redis db and ports (tests/workers.py)."""

from __future__ import annotations

import pytest

from tests.workers import database_url, port_slice, redis_url


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
