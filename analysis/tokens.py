"""Words for the fast engine: nltk tokenisation and Snowball stems, collocation phrases, and
the surface forms that make labels readable ("bus service", not "bus servic")."""

from __future__ import annotations

import re
from collections import Counter

from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "would",
    "could",
    "should",
    "also",
    "just",
    "get",
    "got",
    "really",
    "im",
    "ive",
    "dont",
    "didnt",
    "doesnt",
    "cant",
    "wont",
    "isnt",
    "wasnt",
    "arent",
    "thats",
    "theres",
    "us",
    "etc",
}
_MASKS = re.compile(r"\[(?:email|url|phone|postcode|name)\]")
PHRASE_JOINER = "_"
# Words of letters in any alphabet ("café", "naïve", "José"), digits and apostrophes inside; a
# letter first. [a-z] alone cut "café" to "caf" and "incómodas" to "modas". A zero width
# (non-)joiner inside a word is part of it (cleaning keeps one between Persian letters,
# analysis.clean.JOINERS: "می\u200cخواهم", "I want"), never at its edge: spelt out, as nltk
# compiles with the ``regex`` engine (whose \w holds the joiners) or, in older releases, ``re``
# (whose \w does not, so the word was split in two; tidy30).
WORD_PATTERN = (
    r"[^\W\d_\u200c\u200d](?:[^\W_]|['\u200c\u200d])*[^\W_\u200c\u200d]|[^\W\d_\u200c\u200d]"
)
_TOOLS = ("_words", "_stemmer", "_stems")  # remade, not pickled


class Tokenizer:
    """Turns texts into stemmed tokens plus collocation phrases, remembering surface forms.

    ``fit`` learns the phrases (nltk bigram collocations, likelihood ratio) from a sample of
    the texts and the surface forms of its stems and phrases; ``transform`` gives each text
    its tokens and changes nothing learned.
    """

    def __init__(
        self, max_phrases: int = 2000, min_phrase_count: int = 3, sample_size: int = 50000
    ) -> None:
        self.max_phrases = max_phrases
        self.min_phrase_count = min_phrase_count
        self.sample_size = sample_size
        self._tools()
        self.surface_: dict[str, Counter[str]] = {}
        self.phrases_: set[tuple[str, str]] = set()

    def _tools(self) -> None:
        """The word splitter, the stemmer and an empty stem cache."""
        self._words = RegexpTokenizer(WORD_PATTERN)
        self._stemmer = SnowballStemmer("english")
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The Snowball stem of a lower-case word (cached)."""
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer.stem(word)
        return stem

    def words(self, text: str) -> list[tuple[str, str]]:
        """(stem, surface word) pairs for the content words of a text, in order."""
        text = _MASKS.sub(" ", text.lower()).replace("’", "'")
        pairs = []
        for word in self._words.tokenize(text):
            word = word.replace("'", "")
            if len(word) < 2 or word in STOP_WORDS or word.isdigit():
                continue
            pairs.append((self.stem(word), word))
        return pairs

    def fit(self, texts: list[str]) -> Tokenizer:
        """Learn collocation phrases from (a deterministic sample of) the texts, then the
        surface forms of every stem and phrase in them."""
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: list[str]) -> list[list[str]]:
        """:meth:`fit`, returning each text's tokens as :meth:`transform` would."""
        step = max(1, len(texts) // self.sample_size)
        # each text's words found once, for the phrases and the tokens (they were found
        # twice: BENCHMARKS "splitjob"), and once for all its repeats (BENCHMARKS "scale60")
        words = self._words_of(texts)
        sample = [[stem for stem, _ in pairs] for pairs in words[::step]]
        finder = BigramCollocationFinder.from_documents(sample)
        finder.apply_freq_filter(self.min_phrase_count)
        scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
        scored.sort(key=lambda item: (-item[1], item[0]))
        self.phrases_ = {pair for pair, _ in scored[: self.max_phrases] if pair[0] != pair[1]}
        self.surface_ = {}
        return self._tokenize(texts, self.surface_, words)

    def _words_of(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """Each text's :meth:`words`, found once per distinct text: repeats share the same
        (unchanged) list."""
        found: dict[str, list[tuple[str, str]]] = {}
        for text in texts:
            if text not in found:
                found[text] = self.words(text)
        return [found[text] for text in texts]

    def transform(self, texts: list[str]) -> list[list[str]]:
        """Each text's stems, followed by the phrases it contains. Learns nothing: surface
        forms come from the texts given to :meth:`fit` only, so what a model shows never
        depends on what it was later asked about."""
        return self._tokenize(texts, None, self._words_of(texts))

    def _tokenize(
        self,
        texts: list[str],
        surface: dict[str, Counter[str]] | None,
        words: list[list[tuple[str, str]]] | None = None,
    ) -> list[list[str]]:
        """Tokens per text; counts surface forms into ``surface`` when one is given.
        ``words``: each text's :meth:`words`, when already found."""
        documents = []
        for index, text in enumerate(texts):
            pairs = words[index] if words is not None else self.words(text)
            tokens = [stem for stem, _ in pairs]
            if surface is not None:
                for stem, word in pairs:
                    surface.setdefault(stem, Counter())[word] += 1
            for (s1, w1), (s2, w2) in zip(pairs, pairs[1:], strict=False):
                if (s1, s2) in self.phrases_:
                    phrase = s1 + PHRASE_JOINER + s2
                    tokens.append(phrase)
                    if surface is not None:
                        surface.setdefault(phrase, Counter())[f"{w1} {w2}"] += 1
            documents.append(tokens)
        return documents

    def __getstate__(self) -> dict:
        """Pickle the settings and what was learned. The nltk tools are remade on loading
        (nltk's time-limited regular expression does not survive pickling), and the stem
        cache starts empty again."""
        return {k: v for k, v in self.__dict__.items() if k not in _TOOLS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._tools()

    def display(self, token: str) -> str:
        """The commonest surface form of a stem or phrase (ties broken alphabetically)."""
        forms = self.surface_.get(token)
        if not forms:
            return token.replace(PHRASE_JOINER, " ")
        return min(forms.items(), key=lambda item: (-item[1], item[0]))[0]
