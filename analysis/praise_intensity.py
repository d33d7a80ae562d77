"""How warmly an answer praises: the cues a reader grades praise by.

People who rate feedback grade praise ("fine" .. "outstanding") by what the answer says, not
only by whether it is positive: superlatives ("excellent", "amazing", "couldn't fault",
"10/10"), intensifiers ("very", "so", "really"), the whole staff praised ("all the staff",
"everyone"), thanks, exclamation marks, how many things are praised and how much is said.
Lukewarm words ("ok", "fine", "adequate") grade it down.

:func:`intensity_features` turns an answer into those counts (a few numbers, each capped so
that one long answer cannot dominate); the sentiment probe (:mod:`analysis.sentiment_probe`)
weighs them beside the MiniLM vector for answers the rules read as positive. The cue lists
are written here from common English usage, no third-party data.
"""

from __future__ import annotations

import math
import re

import numpy as np

# Each cue begins where a word begins: "\b(?=\w)" before the alternatives lets the matcher
# pass the ends of words without trying each alternative there (the same matches, faster;
# BENCHMARKS "scale60").
_SUPERLATIVE = re.compile(
    r"\b(?=\w)(?:excellent|excellant|exellent|amazing|amazingly|outstanding|brilliant|fantastic|"
    r"wonderful|superb|exceptional|fabulous|marvell?ous|perfect|perfectly|faultless|"
    r"incredible|incredibly|magnificent|phenomenal|superb|terrific|awesome|best|"
    r"first[- ]class|top[- ](?:class|notch)|second to none|above and beyond|"
    r"beyond (?:my |our )?expectations|over and above|exemplary|impeccable|"
    r"10 ?/ ?10|10 out of 10|ten out of ten|five stars?|5 stars?|a\*+|"
    r"(?:can'?t|cannot|could ?n[o']t|can not|carn'?t) (?:fault|praise|thank)\w*)",
    re.I,
)
_INTENSIFIER = re.compile(
    r"\b(?=\w)(?:very|so|really|extremely|absolutely|truly|highly|most|totally|thoroughly|"
    r"genuinely|especially|particularly|exceptionally|immensely|hugely|such)\b",
    re.I,
)
_EVERYONE = re.compile(
    r"\b(?:all (?:the |of the |your )?(?:staff|team|nurses|doctors|people)|everyone|"
    r"everybody|every(?: single)? (?:member|one|person)|whole (?:team|staff)|all of (?:you|them)|"
    r"from start to finish|throughout|always|every time|everything)\b",
    re.I,
)
_THANKS = re.compile(r"\b(?:thank\w*|thanx|grateful|gratitude|appreciat\w*)\b", re.I)
_LUKEWARM = re.compile(
    r"\b(?=\w)(?:ok|okay|o\.k|alright|all right|fine|adequate|satisfactory|reasonable|reasonably|"
    r"acceptable|average|decent|not bad|no problems?|quite|fairly|pretty much)\b",
    re.I,
)
_PARTS = re.compile(r"[.!?;,\n]+|\band\b|\balso\b", re.I)

# The features' names, in the order :func:`intensity_features` gives them.
NAMES = (
    "log words",
    "parts",
    "superlatives",
    "intensifiers",
    "everyone",
    "thanks",
    "exclamations",
    "lukewarm",
)
_CAP = 3


def intensity_features(text: str) -> np.ndarray:
    """The answer's praise cues (:data:`NAMES`): log(1 + words), its parts (clauses split at
    punctuation and "and"), and counts of superlatives, intensifiers, whole-staff praise,
    thanks, exclamation marks and lukewarm words, each count capped at 3."""
    words = len(text.split())
    parts = sum(1 for part in _PARTS.split(text) if len(part.split()) >= 2)
    counts = [
        len(_SUPERLATIVE.findall(text)),
        len(_INTENSIFIER.findall(text)),
        len(_EVERYONE.findall(text)),
        len(_THANKS.findall(text)),
        text.count("!"),
        len(_LUKEWARM.findall(text)),
    ]
    return np.array(
        [math.log1p(words), min(parts, 6) / 2, *(min(c, _CAP) for c in counts)], dtype=np.float64
    )


def intensity_matrix(texts: list[str]) -> np.ndarray:
    """:func:`intensity_features` of each answer, one row each (each distinct answer read
    once: a run's repeated answers share their row)."""
    if not texts:
        return np.zeros((0, len(NAMES)))
    rows: dict[str, np.ndarray] = {}
    for text in texts:
        if text not in rows:
            rows[text] = intensity_features(text)
    return np.vstack([rows[text] for text in texts])
