"""A small synthetic consultation written by the tests themselves (not real data)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

TOPICS = {
    "buses": [
        "The bus service is unreliable and buses are often late in the morning.",
        "Bus services in the evening are too infrequent for shift workers.",
        "We need a reliable bus service so staff can reach the industrial estate.",
        "Late buses mean our apprentices miss the start of their shift.",
    ],
    "housing": [
        "Affordable housing is the biggest problem for young families in the region.",
        "Housing costs are rising faster than wages, so staff cannot afford to live nearby.",
        "More social housing should be built on brownfield land.",
        "Our employees struggle to find affordable housing close to work.",
    ],
    "skills": [
        "Colleges need funding for adult skills courses in digital and green technology.",
        "Employers cannot find skilled engineers, so apprenticeships must be expanded.",
        "Adult learners need flexible part-time courses that fit around work.",
        "The skills budget should support apprenticeships with small employers.",
    ],
}
OPENERS = [
    "",
    "",
    "In our view, ",
    "We think ",
    "Honestly, ",
    "From experience, ",
    "Our members say ",
    "Put simply, ",
]
PLACES = [
    "Birmingham",
    "Coventry",
    "Dudley",
    "Sandwell",
    "Solihull",
    "Walsall",
    "Wolverhampton",
    "the Black Country",
]
CAMPAIGN = (
    "As members of the Chamber we ask that the Regional Business Council is given a "
    "formal role in deciding how deal funding is spent."
)


def responses(count: int = 150, seed: int = 1) -> list[dict[str, str]]:
    """Rows with id, answer, partner type and an agreement answer."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.08:
            text = rng.choice(["n/a", "No comment", "Nothing.", "see above", ""])
        elif roll < 0.14:
            text = CAMPAIGN
        else:
            topic = rng.choice(sorted(TOPICS))
            opener = rng.choice(OPENERS)
            body = " ".join(rng.sample(TOPICS[topic], k=rng.choice([1, 2])))
            text = f"{opener}{body[0].lower() if opener else body[0]}{body[1:]}"
            if rng.random() < 0.5:
                text += f" This matters in {rng.choice(PLACES)}."
        partner = rng.choice(["business", "fe_college", "university"])
        rows.append(
            {
                "response_id": f"R{index + 1:03d}",
                "answer": text,
                "partner_type": partner,
                "agree": rng.choice(["Agree", "Strongly agree", "Disagree", "Neither"]),
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
