"""The engine fixture: analysis tests that take ``engine`` run once per engine, so the fast
engine stays tested where ``auto`` would pick the semantic one."""

from __future__ import annotations

import pytest

from analysis.embeddings import available

ENGINES = ("fast", "semantic")


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """ "fast" and "semantic" (skipped when the semantic extra is not installed)."""
    if request.param == "semantic" and not available():
        pytest.skip("the semantic extra is not installed")
    return request.param
