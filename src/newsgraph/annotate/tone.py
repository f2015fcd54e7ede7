"""Tone (component ``newsgraph_tone_v1``): how negative or positive an article and each quote read.

Method: VADER (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model
for Sentiment Analysis of Social Media Text"), whose lexicon ships inside the
``vaderSentiment`` package. A quote's tone is VADER's compound score of its
content; the article's tone is the mean compound score of its sentences, so a
long article is not pushed to the extremes the way one compound score over
the whole text would be. Both lie in [-1, 1]; below about -0.05 reads
negative, above 0.05 positive (VADER's own thresholds).

Limits: a general-purpose lexicon, tuned on social media, not news; it
scores the words, not the stance toward any actor ("Russia denies
employing mercenaries" reads as negative words, whoever is blamed); English
only. GDELT's tone (share of positive minus negative words) is a different
scale and is not comparable number for number.
"""

from __future__ import annotations

import dataclasses
import functools

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import doc_text

__all__ = ["tone_of", "article_tone"]


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone_of(text: str) -> float:
    """Return VADER's compound score of ``text`` (-1 most negative .. 1 most positive)."""
    return round(_analyzer().polarity_scores(text)["compound"], 4) if text.strip() else 0.0


def article_tone(doc: Doc) -> float | None:
    """Return the mean compound score of the document's sentences, or None for an empty one."""
    scores = [tone_of(sent.text) for sent in doc.sents if sent.text.strip()]
    return round(sum(scores) / len(scores), 4) if scores else None


@Language.factory("newsgraph_tone_v1", requires=["doc._.quotes"], assigns=["doc._.tone", "doc._.quotes"])
def make_tone(nlp: Language, name: str):
    _analyzer()  # VADER's lexicon is read with the model, not on the first document

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        quotes = tuple(
            dataclasses.replace(q, tone=tone_of(" ".join(text[s:e] for s, e in q.content))) for q in doc._.quotes
        )
        doc._.tone, doc._.quotes = article_tone(doc), quotes
        return doc

    return component
