"""analysis: the theme engine. A pure library: it never imports flask or consult.

>>> from analysis import ThemeModel
>>> model = ThemeModel(n_themes="auto", seed=0).fit(texts, ids=ids)

``ThemeModel`` is imported on first use, so reading files with ``analysis.io`` stays light.
"""

from typing import Any

from .errors import InputError

__all__ = ["InputError", "ThemeModel"]


def __getattr__(name: str) -> Any:
    if name == "ThemeModel":
        from .api import ThemeModel

        return ThemeModel
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
