"""analysis: the theme engine. A pure library: it never imports flask or consult.

>>> from analysis import ThemeModel
>>> model = ThemeModel(n_themes="auto", seed=0).fit(texts, ids=ids)
"""

from .api import ThemeModel
from .errors import InputError

__all__ = ["InputError", "ThemeModel"]
