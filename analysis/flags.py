"""Flag names and defaults the engines use, in a module light enough for the web app to
import at start-up (the engines themselves pull in NumPy and scikit-learn)."""

from __future__ import annotations

# An answer that fits no theme well (:mod:`analysis.fit`).
FIT_FLAG = "fits_no_theme"

# ThemeModel's default side margin (:mod:`analysis.side_moves`; on wherever a run has a stance
# column; None switches it off): the largest tried whose ArgKP NMI did not fall on the even
# motions, +7.3 to +10.7 points on the odd ones held aside (BENCHMARKS.md "offtopic").
SIDE_MARGIN = 0.2

# The learned answer projection's weight when it is asked for (:mod:`analysis.answer_projection`;
# the semantic engine only; ``ThemeModel(projection_weight=PROJECTION_WEIGHT)``, the CLI's
# ``--projection``): the setting that passed proj32's held-out rule (v6 +1.72, NHS Trust C
# +2.13 / +0.95, fresh motions +0.57 NMI; the demo -1.00). Not the default: ship33's shipping
# check of the demo's themes read as a user failed (BENCHMARKS.md "proj32", "ship33").
PROJECTION_WEIGHT = 0.15

# A campaign is a long text (20+ words: not one sentence a few people share by chance) ...
CAMPAIGN_MIN_WORDS = 20
CAMPAIGN_MIN_SIZE = 3  # ... sent, word for word or nearly, by 3 or more respondents
