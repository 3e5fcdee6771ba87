"""The words of one question while it is linked: their spans, which a pass has taken, which are fillers.

Every linking pass works on runs of words ``[i, j)`` (indices into :attr:`QuestionWords.spans`) and marks
the words it links as taken, so a later pass sees only what the earlier ones left.

Example:
    >>> from spacy.lang.en.stop_words import STOP_WORDS
    >>> from kg.qa.linking.vocabulary import GENERIC
    >>> qw = QuestionWords.of("Which parts of P-101 are single-sourced?", GENERIC | set(STOP_WORDS))
    >>> [qw.surface(i, j)[2] for i, j in qw.content_runs()]
    ['P-101']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from extractors.encoding import split_words
from kg.qa.linking.vocabulary import in_vocabulary

MAX_MENTION_WORDS = 8


@dataclass
class QuestionWords:
    """A question's words as character spans, the ones linked so far, and the vocabulary of fillers."""

    text: str
    spans: list[tuple[int, int]]
    vocabulary: set[str]
    taken: list[bool] = field(init=False)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.spans)

    @classmethod
    def of(cls, question: str, vocabulary: set[str]) -> QuestionWords:
        """The words of ``question`` that hold a letter or digit (punctuation is no word)."""
        spans = [(s, e) for s, e in split_words(question) if any(c.isalnum() for c in question[s:e])]
        return cls(question, spans, vocabulary)

    def word(self, k: int) -> str:
        return self.text[self.spans[k][0] : self.spans[k][1]]

    def surface(self, lo: int, hi: int) -> tuple[int, int, str]:
        """Start, end and text of the words ``[lo, hi)``."""
        start, end = self.spans[lo][0], self.spans[hi - 1][1]
        return start, end, self.text[start:end]

    def take(self, lo: int, hi: int) -> None:
        self.taken[lo:hi] = [True] * (hi - lo)

    def is_vocabulary(self, word: str) -> bool:
        return in_vocabulary(word, self.vocabulary)

    def filler(self, k: int) -> bool:
        """A question/stop word that cannot start or end a name: lower-case, or a stop word, or first."""
        w = self.word(k)
        return self.is_vocabulary(w) and (w.islower() or k == 0 or w.casefold() in STOP_WORDS)

    def content_runs(self) -> list[tuple[int, int]]:
        """Maximal runs [i, j) of free words that are not fillers; a filler may sit inside ("Plant Alpha
        of Leeds") when a content word follows it."""
        runs, i, n = [], 0, len(self.spans)
        while i < n:
            if self.taken[i] or self.filler(i):
                i += 1
                continue
            j = i + 1
            while j < n and not self.taken[j] and j - i < MAX_MENTION_WORDS:
                if self.filler(j):
                    if j + 1 < n and not self.taken[j + 1] and not self.filler(j + 1):
                        j += 1  # "coolant supply pump", "Plant Alpha of Leeds"
                        continue
                    break
                j += 1
            runs.append((i, j))
            i = j
        return runs

    def names_something(self, run: tuple[int, int]) -> bool:
        """Words the user probably meant as a name: a code, a capitalised word not first in the question."""
        for k in range(*run):
            w = self.word(k)
            if any(c.isdigit() for c in w) or (k > 0 and w[:1].isupper()) or (len(w) > 1 and w.isupper()):
                return True
        return False
