"""Independent pieces of work side by side in threads, under one BLAS thread limit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from threadpoolctl import threadpool_limits

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_side_by_side(
    work: Callable[[Item], Result], items: Iterable[Item], workers: int, blas_threads: int = 1
) -> list[Result]:
    """``[work(item) for item in items]``, run by up to ``workers`` threads (numpy, BLAS and
    scikit-learn's Cython release the GIL). BLAS limits are process-wide, so they are held
    here for the whole map; the results are in item order and do not depend on ``workers``."""
    items = list(items)
    with threadpool_limits(blas_threads):
        if workers > 1 and len(items) > 1:
            with ThreadPoolExecutor(min(workers, len(items))) as pool:
                return list(pool.map(work, items))
        return [work(item) for item in items]
