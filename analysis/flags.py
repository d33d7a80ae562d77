"""Flag names an engine stores on an answer, in a module light enough for the web app to
import at start-up (the engines that set them pull in NumPy and scikit-learn)."""

from __future__ import annotations

# An answer that fits no theme well (:mod:`analysis.fit`).
FIT_FLAG = "fits_no_theme"
