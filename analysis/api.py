"""The theme engine as a scikit-learn style estimator.

>>> model = ThemeModel(n_themes="auto", seed=0).fit(texts, ids=ids, segments={"type": types})
>>> model.themes_[0]["label"], model.labels_[:5], model.predict(["buses are late"])
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from . import describe
from .clean import clean_texts, duplicate_key, is_non_substantive, normalise
from .errors import InputError
from .progress import Progress, Silent
from .represent import make_representation
from .segments import segment_breakdown, wilson
from .stance import STANCES, Sentiment, stance
from .themes import find_themes, memberships, stability
from .tokens import Tokenizer

NON_SUBSTANTIVE_ID = "NS"
NON_SUBSTANTIVE_LABEL = "No substantive answer"
# The engine's stages, in order; ``fit(on_stage=...)`` is called once after each.
STAGE_NAMES = (
    "cleaning",
    "representation",
    "themes",
    "stability",
    "sentiment and stance",
    "description",
    "segments",
)
STAGES = len(STAGE_NAMES)


def theme_id(index: int) -> str:
    """The public id of the theme at this index: T01, T02, ..."""
    return f"T{index + 1:02d}"


class ThemeModel(BaseEstimator):
    """Find themes in free-text answers, describe them, and map every answer to them.

    Parameters follow scikit-learn's conventions; everything learned ends in ``_``.

    n_themes: "auto" (default) or the exact number of substantive themes.
    engine: "auto" (semantic when installed, else fast), "fast" (TF-IDF, LSA and PMI word
        vectors) or "semantic" (MiniLM sentence embeddings joined with the fast vectors).
    seed: random seed; the same input, settings and seed give identical results.
    min_themes, max_themes: bounds for "auto".
    merge_threshold: cosine distance under which "auto" merges over-clustered centroids.
    secondary_ratio, secondary_quantile: another theme applies to an answer when its
        similarity is at least this share of the primary theme's, and at least that of a
        typical member of the theme (this quantile of its members' similarities).
    threads: OpenMP/BLAS threads for clustering (1 is fastest and reproducible on 2 vCPUs).
    progress: a :class:`analysis.progress.Progress`, or None for silence.
    """

    def __init__(
        self,
        n_themes: int | str = "auto",
        engine: str = "auto",
        seed: int = 0,
        min_themes: int = 5,
        max_themes: int = 30,
        merge_threshold: float = 0.4,
        secondary_ratio: float = 0.8,
        secondary_quantile: float = 0.25,
        threads: int = 1,
        progress: Progress | None = None,
    ) -> None:
        self.n_themes = n_themes
        self.engine = engine
        self.seed = seed
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.merge_threshold = merge_threshold
        self.secondary_ratio = secondary_ratio
        self.secondary_quantile = secondary_quantile
        self.threads = threads
        self.progress = progress

    # --- fitting ---------------------------------------------------------------------------

    def _requested_themes(self) -> int | None:
        if self.n_themes in (None, "auto"):
            return None
        try:
            count = int(self.n_themes)
        except (TypeError, ValueError):
            raise InputError(
                f"--themes must be a whole number or 'auto', not {self.n_themes!r}"
            ) from None
        if count < 1:
            raise InputError("--themes must be at least 1")
        return count

    def fit(
        self,
        X: list[str],
        y: Any = None,
        *,
        ids: list[str] | None = None,
        segments: dict[str, list[str]] | None = None,
        agreement: list[str] | None = None,
        on_stage: Callable[[str, int, int], None] | None = None,
    ) -> ThemeModel:
        """Learn themes from ``X`` (one answer per item) and describe them.

        ids: response ids (default "1", "2", ...); segments: column name -> one value per
        answer; agreement: a paired agreement answer per response, used for stance;
        on_stage: called as ``on_stage(stage, done, total)`` after each of
        :data:`STAGE_NAMES` finishes (e.g. to record a background job's progress).
        """
        progress = self.progress or Silent()
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[stage] = round(now - clock, 4)
            clock = now
            progress.step(stage)
            if on_stage is not None:
                on_stage(stage, len(timings), STAGES)

        texts_in = ["" if t is None else str(t) for t in X]
        count = len(texts_in)
        if count == 0:
            raise InputError("no rows to analyse")
        ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(count)]
        if len(ids) != count:
            raise InputError("ids and texts differ in length")
        segments = {
            name: [str(v or "") for v in values] for name, values in (segments or {}).items()
        }
        for name, values in segments.items():
            if len(values) != count:
                raise InputError(f"segment column '{name}' differs in length from the texts")
        requested = self._requested_themes()

        cleaned = clean_texts(texts_in, seed=self.seed)
        texts = cleaned.texts
        substantive = np.array([not ns for ns in cleaned.non_substantive])
        lap("cleaning")

        # One representative per distinct answer; a campaign counts once.
        rep_of_row = np.full(count, -1)
        rep_rows: list[int] = []
        rep_weight: list[float] = []
        rep_lookup: dict[str, int] = {}
        for row in np.nonzero(substantive)[0]:
            group = cleaned.duplicates.group[row]
            key = (
                f"campaign:{group}"
                if cleaned.duplicates.campaign[row]
                else duplicate_key(texts[row])
            )
            rep = rep_lookup.get(key)
            if rep is None:
                rep = rep_lookup[key] = len(rep_rows)
                rep_rows.append(int(row))
                rep_weight.append(0.0)
            if not cleaned.duplicates.campaign[row] or rep_weight[rep] == 0.0:
                rep_weight[rep] += 1.0
            rep_of_row[row] = rep
        if not rep_rows:
            raise InputError("no usable rows: every answer is empty or non-substantive")
        if requested is not None and requested > len(rep_rows):
            raise InputError(
                f"cannot make {requested} themes from {len(rep_rows)} distinct substantive answers"
            )
        weights = np.array(rep_weight)
        rep_texts = [texts[r] for r in rep_rows]

        tokenizer = Tokenizer().fit(rep_texts)
        rep_tokens = tokenizer.transform(rep_texts)
        try:
            representation = make_representation(self.engine, self.seed)
        except ValueError as error:
            raise InputError(str(error)) from None
        vectors = representation.fit_transform(rep_texts, rep_tokens)
        lap("representation")

        clustering = find_themes(
            vectors,
            weights,
            requested,
            self.seed,
            self.min_themes,
            self.max_themes,
            self.merge_threshold,
            self.threads,
        )
        k = clustering.centers.shape[0]
        member = memberships(
            vectors, clustering.centers, self.secondary_ratio, self.secondary_quantile
        )
        lap("themes")
        stable = stability(vectors, weights, clustering, self.seed, threads=self.threads)
        lap("stability")

        # Row-level results.
        labels = np.full(count, -1)
        confidence = np.zeros(count)
        row_themes: list[list[int]] = [[] for _ in range(count)]
        for row in range(count):
            rep = rep_of_row[row]
            if rep >= 0:
                labels[row] = member.primary[rep]
                confidence[row] = member.confidence[rep]
                row_themes[row] = member.themes[rep]

        sentiment = Sentiment()
        sentiments = np.array([sentiment.score(t) for t in texts])
        agreement = list(agreement) if agreement is not None else [None] * count
        stances = [stance(t, a) for t, a in zip(texts, agreement, strict=True)]
        lap("sentiment and stance")

        # Descriptions.
        vocabulary = list(representation.vectorizer_.get_feature_names_out())
        terms = describe.class_tfidf(representation.term_matrix_, member.primary, k, weights)
        similarity = np.einsum("ij,ij->i", vectors, clustering.centers[member.primary])
        rep_ids = [ids[r] for r in rep_rows]
        rep_keys = [duplicate_key(t) for t in rep_texts]
        theme_reps: list[list[int]] = [[] for _ in range(k)]
        for rep, primary in enumerate(member.primary):
            theme_reps[primary].append(rep)
        label_pool = [sorted(reps, key=lambda r: (-similarity[r], r))[:300] for reps in theme_reps]
        themes: list[dict[str, Any]] = []
        for theme in range(k):
            keywords = describe.top_keywords(terms[theme], vocabulary)
            quotes = describe.pick_quotes(
                theme_reps[theme], similarity, vectors, rep_texts, rep_ids, rep_keys
            )
            summary = describe.summarise(
                theme_reps[theme],
                similarity,
                rep_texts,
                rep_ids,
                rep_keys,
                tokenizer,
                representation.vectorizer_,
                terms[theme],
            )
            themes.append(
                {
                    "id": theme_id(theme),
                    "label": describe.theme_label(
                        keywords,
                        terms[theme],
                        vocabulary,
                        tokenizer,
                        [rep_texts[r] for r in label_pool[theme]],
                    ),
                    "keywords": [tokenizer.display(word) for word in keywords],
                    "quotes": [{"id": q.id, "text": q.text} for q in quotes],
                    "summary": [{"id": s.id, "text": s.text} for s in summary],
                    "stability": round(float(stable[theme]), 4),
                }
            )
        lap("description")

        self._finish_themes(themes, labels, row_themes, stances, count)
        theme_sets = [set(t) for t in row_themes]
        row_tokens = [rep_tokens[rep] if rep >= 0 else [] for rep in rep_of_row]
        for name, values in segments.items():
            breakdown = segment_breakdown(theme_sets, values, k, row_tokens, tokenizer.display)
            for theme, cells in enumerate(breakdown):
                themes[theme].setdefault("segments", {})[name] = cells
        lap("segments")

        non_substantive = int((~substantive).sum())
        low, high = wilson(non_substantive, count)
        non_substantive_theme = {
            "id": NON_SUBSTANTIVE_ID,
            "label": NON_SUBSTANTIVE_LABEL,
            "size": non_substantive,
            "share": round(non_substantive / count, 4),
            "share_ci95": [round(low, 4), round(high, 4)],
            "examples": [
                t
                for t, _ in Counter(
                    texts[r] for r in np.nonzero(~substantive)[0] if texts[r]
                ).most_common(5)
            ],
        }
        flags = []
        for row in range(count):
            row_flags = []
            if not substantive[row]:
                row_flags.append("non_substantive")
            if cleaned.duplicates.campaign[row]:
                row_flags.append("campaign")
            elif cleaned.duplicates.group[row] >= 0:
                row_flags.append("duplicate")
            if cleaned.pii_rows[row]:
                row_flags.append("pii_masked")
            if substantive[row] and confidence[row] < 0.2:
                row_flags.append("low_confidence")
            flags.append(row_flags)

        self.engine_ = representation.name
        self.tokenizer_ = tokenizer
        self.representation_ = representation
        self.cluster_centers_ = clustering.centers
        self.n_themes_ = k
        self.ids_ = ids
        self.texts_ = texts
        self.labels_ = labels
        self.theme_ids_ = [theme_id(t) if t >= 0 else NON_SUBSTANTIVE_ID for t in labels]
        self.memberships_ = row_themes
        self.confidence_ = np.round(confidence, 4)
        self.sentiment_ = sentiments
        self.stance_ = stances
        self.duplicate_group_ = [f"D{g + 1}" if g >= 0 else "" for g in cleaned.duplicates.group]
        self.flags_ = flags
        self.themes_ = themes
        self.non_substantive_ = non_substantive_theme
        self.summary_ = {
            "rows": count,
            "substantive": int(substantive.sum()),
            "non_substantive": non_substantive,
            "distinct_answers_clustered": len(rep_rows),
            "duplicates": {
                "campaigns": cleaned.duplicates.campaign_count,
                "campaign_responses": cleaned.duplicates.campaign_responses,
                "text": (
                    f"{cleaned.duplicates.campaign_responses} responses from "
                    f"{cleaned.duplicates.campaign_count} campaigns"
                ),
            },
            "personal_data_masked": dict(sorted(cleaned.pii_counts.items())),
            "themes": k,
        }
        self.timings_ = timings
        return self

    def _finish_themes(self, themes, labels, row_themes, stances, count) -> None:
        for theme, entry in enumerate(themes):
            size = int((labels == theme).sum())
            mentions = [row for row in range(count) if theme in row_themes[row]]
            low, high = wilson(size, count)
            stance_counts = Counter(stances[row] for row in mentions)
            entry.update(
                {
                    "size": size,
                    "mentions": len(mentions),
                    "share": round(size / count, 4),
                    "share_ci95": [round(low, 4), round(high, 4)],
                    "stance": {name: stance_counts.get(name, 0) for name in STANCES},
                }
            )
        order = [
            "id",
            "label",
            "keywords",
            "size",
            "mentions",
            "share",
            "share_ci95",
            "quotes",
            "summary",
            "stance",
            "stability",
        ]
        for index, entry in enumerate(themes):
            themes[index] = {key: entry[key] for key in order} | {
                k: v for k, v in entry.items() if k not in order
            }

    # --- using a fitted model ---------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "cluster_centers_"):
            raise AttributeError("this ThemeModel is not fitted yet; call fit() first")

    def transform(self, X: list[str]) -> np.ndarray:
        """Cosine similarity of each answer to each theme (zeros for non-substantive ones)."""
        self._check_fitted()
        texts = [normalise(t) for t in X]
        tokens = self.tokenizer_.transform(texts)
        vectors = self.representation_.transform(texts, tokens)
        similarity = vectors @ self.cluster_centers_.T
        empty = np.array([is_non_substantive(t) for t in texts])
        similarity[empty] = 0.0
        return similarity

    def predict(self, X: list[str]) -> np.ndarray:
        """The primary theme index of each answer; -1 for non-substantive answers."""
        texts = [normalise(t) for t in X]
        similarity = self.transform(texts)
        labels = similarity.argmax(axis=1)
        labels[np.array([is_non_substantive(t) for t in texts])] = -1
        return labels
