"""The theme engine as a scikit-learn style estimator.

>>> model = ThemeModel(n_themes="auto", seed=0).fit(texts, ids=ids, segments={"type": types})
>>> model.themes_[0]["label"], model.labels_[:5], model.predict(["buses are late"])
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from . import stages
from .clean import is_non_substantive, normalise
from .coding_encoder import MINILM
from .errors import InputError
from .flags import SIDE_MARGIN
from .progress import Progress, Silent
from .same_point import SAME_POINT_Z
from .stage_notes import STAGE_WORDS, stage_note
from .stages import NON_SUBSTANTIVE_ID, NON_SUBSTANTIVE_LABEL, NOT_ANSWERED_LABEL, theme_id
from .themes import PART_STRENGTH
from .tone import check_tone_weight

__all__ = [
    "NON_SUBSTANTIVE_ID",
    "NON_SUBSTANTIVE_LABEL",
    "NOT_ANSWERED_LABEL",
    "STAGES",
    "STAGE_NAMES",
    "ThemeModel",
    "theme_id",
]

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


class ThemeModel(BaseEstimator):
    """Find themes in free-text answers, describe them, and map every answer to them.

    Parameters follow scikit-learn's conventions; everything learned ends in ``_``.

    n_themes: "auto" (default) or the exact number of substantive themes.
    engine: "auto" (semantic when installed, else fast), "fast" (TF-IDF, LSA and PMI word
        vectors) or "semantic" (MiniLM sentence embeddings joined with the fast vectors).
    seed: random seed; the same input, settings and seed give identical results.
    min_themes, max_themes: bounds for "auto".
    merge_threshold: under "auto", over-clustered centroids closer than this share of the
        answers' mean pairwise cosine distance merge; the count found is then kept within
        25 % of sqrt(answers) / 1.2 (see :func:`analysis.themes.choose_theme_count`).
    same_point: under "auto", two themes whose labels say one point are joined (once): label
        similarity (MiniLM sentence embeddings; with the fast engine only when
        ``analysis.stages.FAST_ENGINE_JOINS`` is set, off by default for its cost) at least
        this many standard deviations above the median pair of this fit's labels (see
        :mod:`analysis.same_point`); None turns it off.
    secondary_parts: a second (third, ...) theme needs a separate point of the answer (a
        sentence or clause) that matches it on its own: each point adds the theme it is
        nearest to when its similarity is at least this share (default 0.7) of that theme's
        typical member similarity; None turns this off.
    secondary_strength: such a point also needs to be at least this share (default 0.875,
        :data:`analysis.themes.PART_STRENGTH`) as close to its theme as the whole answer is
        to its main theme, so a passing remark ("that shouldn't be a crime") adds no theme;
        None turns this off (ArgKP answers then got 1.09-1.13 themes each against 1.07 true
        key points, see BENCHMARKS.md "Several themes per answer").
    secondary_quantile: a theme's typical member similarity is this quantile (default 0.25)
        of its members' similarities to it.
    side_margin: a cosine margin (default 0.2, :data:`analysis.flags.SIDE_MARGIN`), or
        None for off: where the input has a stance column (``fit(agreement=...)``; the words
        are never read for it), an answer on the other side from the side its theme leans to
        (60 % of its sided members) takes the theme leaning to its own side it is nearest,
        when that theme is at most this much less similar than its own, and only when the
        themes are clearly one-sided (:data:`analysis.side_moves.SIDE_GUARD`;
        :mod:`analysis.side_moves`, BENCHMARKS.md "offtopic"). The rows moved are counted
        in ``summary_["moved_for_side"]`` (present only when some were).
    encoder: the sentence vectors the semantic engine groups answers by: "minilm" (the
        default), plain all-MiniLM-L6-v2; "auto", the fine-tuned coding encoder where
        ``make install`` built one (:mod:`analysis.coding_encoder`), else MiniLM. Labels,
        quotes, point counts, joins and sentiment read plain MiniLM either way; the fast
        engine has no sentence vectors to choose. ``grouping_vectors_`` names the model
        used (None for the fast engine). Not the default: on held-out sets it did not pass
        its adoption rule (BENCHMARKS.md "thenc27"). "joined": MiniLM's vectors and the
        encoder's side by side (:data:`analysis.represent.JOINED_WEIGHT`; MiniLM alone where
        no encoder is installed; BENCHMARKS.md "nmi28").
    tone_weight: from 0 (the default, off) to 1, the share of the sentiment probes'
        directions taken out of the vectors answers are grouped by (MiniLM's and the static
        word pieces', :mod:`analysis.tone`), so praise of the staff and praise of the food
        part by what is praised rather than how warmly. Descriptions read the reduced vectors
        too where they use the run's own vectors: each theme's quote pool is ranked on them in
        both engines, and the fast engine's labels, label-point counts, summaries and quotes
        embed sentences through the representation (:func:`analysis.stages.description`);
        the semantic engine's MiniLM sentence vectors, sentiment and coding read the vectors
        as they were. An option until it passes its rule (BENCHMARKS.md "nmi29").
    projection_weight: from 0 (the default, off) up to 1, the weight of the learned answer
        projection (:mod:`analysis.answer_projection`: an LDA of MiniLM vectors fitted on NHS
        phase 1 Trust A's 9 coded themes, built by ``make install``) joined to the semantic
        engine's grouping vectors; 0.15 (:data:`analysis.flags.PROJECTION_WEIGHT`) is the
        setting that passed proj32's held-out rule; an option, not the default (ship33's
        check of the demo's themes failed; BENCHMARKS.md "proj32", "ship33"). Does nothing
        for the fast engine or under the coding encoder; asked for where no projection is
        installed (a clone without the data), grouping is as at 0 and a RuntimeWarning says
        so once a process (``projection_missing_``).
    threads: OpenMP/BLAS threads for clustering (1 is fastest and reproducible on 2 vCPUs).
    verbose: 0 (default) is silent; above 0 draws a progress bar of the stages on stderr
        when stderr is a terminal; 2 also writes one line a stage, with what it found in
        counts, when stderr is not a terminal (the command line's setting).
    """

    def __init__(
        self,
        n_themes: int | str = "auto",
        engine: str = "auto",
        seed: int = 0,
        min_themes: int = 5,
        max_themes: int = 30,
        merge_threshold: float = 0.8,
        same_point: float | None = SAME_POINT_Z,
        secondary_quantile: float = 0.25,
        secondary_parts: float | None = 0.7,
        secondary_strength: float | None = PART_STRENGTH,
        side_margin: float | None = SIDE_MARGIN,
        threads: int = 1,
        verbose: int = 0,
        encoder: str = MINILM,
        tone_weight: float = 0.0,
        projection_weight: float = 0.0,
    ) -> None:
        self.n_themes = n_themes
        self.engine = engine
        self.seed = seed
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.merge_threshold = merge_threshold
        self.same_point = same_point
        self.secondary_quantile = secondary_quantile
        self.secondary_parts = secondary_parts
        self.secondary_strength = secondary_strength
        self.side_margin = side_margin
        self.threads = threads
        self.verbose = verbose
        self.encoder = encoder
        self.tone_weight = tone_weight
        self.projection_weight = projection_weight

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
        question: str | None = None,
        on_stage: Callable[[str, int, int], None] | None = None,
    ) -> ThemeModel:
        """Learn themes from ``X`` (one answer per item) and describe them.

        ids: response ids (default "1", "2", ...); segments: column name -> one value per
        answer; agreement: a paired agreement answer per response, the only source of stance
        (without one, ``stance_`` is "" and ``summary_["stance_measured"]`` False);
        question: the question's wording, kept in ``summary_["question"]`` for reports;
        on_stage: called as ``on_stage(stage, done, total)`` after each of
        :data:`STAGE_NAMES` finishes (e.g. to record a background job's progress).
        """
        run = stages.start(X, ids, segments, agreement, self._requested_themes(), question)
        run.side_margin = self._side_margin()
        steps = self._steps()
        progress = self._progress()
        timings: dict[str, float] = {}
        try:
            for done, name in enumerate(STAGE_NAMES, start=1):
                clock = time.perf_counter()
                steps[name](run)
                timings[name] = round(time.perf_counter() - clock, 4)
                progress.step(name, stage_note(name, run), STAGE_WORDS[name])
                if on_stage is not None:
                    on_stage(name, done, STAGES)
        finally:
            progress.close()
        self._store(run)
        self.timings_ = timings
        return self

    def fit_partition(
        self,
        X: list[str],
        *,
        ids: list[str] | None = None,
        agreement: list[str] | None = None,
        question: str | None = None,
    ) -> ThemeModel:
        """Only the grouping :meth:`fit` would find (its first stages: cleaning,
        representation, themes), for a caller that has the themes described later (a
        reviewer's large split, whose worker fits again to describe the parts): sets
        ``labels_``, ``n_themes_``, ``ids_`` and what :meth:`predict` needs, nothing of the
        themes' descriptions, stability, sentiment or segments. With a given count the
        description does not change the grouping, so ``labels_`` are :meth:`fit`'s on the
        same input (tests/analysis/test_partition.py)."""
        run = stages.start(X, ids, None, agreement, self._requested_themes(), question)
        run.side_margin = self._side_margin()
        steps = self._steps()
        for name in ("cleaning", "representation", "themes"):
            steps[name](run)
        self._store_grouping(run)
        return self

    def _side_margin(self) -> float | None:
        """``side_margin`` checked: None, or a number at least 0."""
        if self.side_margin is None:
            return None
        try:
            margin = float(self.side_margin)
        except (TypeError, ValueError):
            raise InputError(
                f"side_margin must be a number or None, not {self.side_margin!r}"
            ) from None
        if not margin >= 0:
            raise InputError("side_margin must be at least 0")
        return margin

    def _tone_weight(self) -> float:
        """``tone_weight`` checked: a number from 0 to 1 (models pickled before it: 0)."""
        try:
            return check_tone_weight(getattr(self, "tone_weight", 0.0))
        except ValueError as error:
            raise InputError(str(error)) from None

    def _projection_weight(self) -> float:
        """``projection_weight`` checked: a number from 0 to 1 (models pickled before it: 0)."""
        weight = getattr(self, "projection_weight", 0.0)
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            raise InputError(f"projection_weight must be a number, not {weight!r}") from None
        if not 0.0 <= weight < 1.0:
            raise InputError(f"projection_weight must be from 0 up to 1, not {weight!r}")
        return weight

    def _steps(self) -> dict[str, Callable[[stages.FitRun], None]]:
        """What each of :data:`STAGE_NAMES` does to a run, with this model's settings."""
        return {
            "cleaning": lambda run: stages.cleaning(run, self.seed),
            "representation": lambda run: stages.representation(
                run,
                self.engine,
                self.seed,
                self.encoder,
                self._tone_weight(),
                self._projection_weight(),
            ),
            "themes": lambda run: stages.themes(
                run,
                self.seed,
                self.min_themes,
                self.max_themes,
                self.merge_threshold,
                self.secondary_quantile,
                self.threads,
                self.secondary_parts,
                self.secondary_strength,
            ),
            "stability": lambda run: stages.stability_stage(run, self.seed, self.threads),
            "sentiment and stance": stages.sentiment_and_stance,
            "description": self._describe,
            "segments": stages.segments,
        }

    def _describe(self, run: stages.FitRun) -> None:
        """Describe the themes, joining those that say one point under an automatic count."""
        stages.description_joining_points(
            run,
            self.seed,
            self.threads,
            self.min_themes,
            self.same_point,
        )

    def _progress(self) -> Progress:
        """A bar on stderr when verbose and stderr is a terminal; at ``verbose`` 2 or more,
        one line a stage when it is not; otherwise silence."""
        if not self.verbose or self.verbose < 1:
            return Silent()
        return Progress(STAGES, lines=self.verbose >= 2)

    def _store_grouping(self, run: stages.FitRun) -> None:
        """Keep the run's grouping and what :meth:`predict` needs (:meth:`fit_partition`
        stops here; :meth:`_store` keeps the rest)."""
        self.engine_ = run.representation.name
        # the sentence vectors' model the answers were grouped by (None: the fast engine)
        self.grouping_vectors_ = getattr(run.representation, "grouping_vectors_", None)
        # the learned answer projection's weight as used (0: off, the fast engine, or not
        # installed), and whether it was asked for but not installed (analysis.answer_projection)
        self.projection_weight_ = float(getattr(run.representation, "projection_weight_", 0.0))
        self.projection_missing_ = bool(getattr(run.representation, "projection_missing_", False))
        self.tokenizer_ = run.tokenizer
        self.representation_ = run.representation
        self.cluster_centers_ = run.clustering.centers
        self.n_themes_ = run.k
        self.ids_ = run.ids
        self.labels_ = run.labels

    def _store(self, run: stages.FitRun) -> None:
        """Keep what the run learned, as scikit-learn style ``_`` attributes."""
        self._store_grouping(run)
        self.texts_ = run.texts
        # A blank answer has no theme at all (""); an answer with nothing to theme is "NS".
        self.theme_ids_ = [
            theme_id(t) if t >= 0 else (NON_SUBSTANTIVE_ID if answered else "")
            for t, answered in zip(run.labels, run.answered, strict=True)
        ]
        self.memberships_ = run.row_themes
        self.confidence_ = np.round(run.confidence, 4)
        # How far each answer is from every other answer (analysis.fit; below FIT_FLOOR:
        # flagged fits_no_theme), 0 for answers with no theme.
        self.fit_ = np.round(run.fit, 4)
        self.sentiment_ = run.sentiments
        self.stance_ = run.stances
        self.duplicate_group_ = [
            f"D{g + 1}" if g >= 0 else "" for g in run.cleaned.duplicates.group
        ]
        self.flags_ = stages.row_flags(run)
        self.themes_ = run.themes
        # Pairs of themes found saying one point and joined, by their labels before joining.
        self.joined_themes_ = list(run.merged)
        # Themes relabelled with the point most of their answers make, as (old label, new
        # label) (:mod:`analysis.relabel`).
        self.relabelled_themes_ = list(run.relabelled)
        self.non_substantive_ = stages.non_substantive_theme(run)
        self.not_answered_ = stages.not_answered(run)
        # Per theme, its label's point counted over the whole question, with the main themes
        # of the answers making it (analysis.spread_points; [] without vectors, and for the
        # fast engine unless stages.FAST_ENGINE_SPREAD is set).
        self.spread_ = list(run.spread)
        # Per theme id, the summary sentences its label's count read that its summary no
        # longer lists (stages.unlisted_points), for a later recount; not in themes_ (store33).
        self.unlisted_points_ = stages.unlisted_points(run)
        self.summary_ = stages.summary(run)

    # --- using a fitted model ---------------------------------------------------------------

    def transform(self, X: list[str]) -> np.ndarray:
        """Cosine similarity of each answer to each theme (zeros for non-substantive ones).

        Raises ``sklearn.exceptions.NotFittedError`` before ``fit``; changes nothing learned.
        """
        check_is_fitted(self, "cluster_centers_")
        texts = [normalise(t) for t in X]
        tokens = self.tokenizer_.transform(texts)
        vectors = self.representation_.transform(texts, tokens)
        similarity = vectors @ self.cluster_centers_.T
        empty = np.array([is_non_substantive(t) for t in texts])
        similarity[empty] = 0.0
        return similarity

    def predict(self, X: list[str]) -> np.ndarray:
        """The primary theme index of each answer; -1 for non-substantive answers.

        Raises ``sklearn.exceptions.NotFittedError`` before ``fit``; changes nothing learned.
        """
        check_is_fitted(self, "cluster_centers_")
        texts = [normalise(t) for t in X]
        similarity = self.transform(texts)
        labels = similarity.argmax(axis=1)
        labels[np.array([is_non_substantive(t) for t in texts])] = -1
        return labels
