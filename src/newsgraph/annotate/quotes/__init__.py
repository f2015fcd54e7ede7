"""Quotes: who said, claimed or believes what (component ``newsgraph_quotes_v1``).

Method: rules over the dependency parse of the loaded model, after Citron
(Newell, BBC R&D, https://github.com/bbc/citron) and the quote extractor of
the Gender Gap Tracker (Asr et al. 2021, "The Gender Gap Tracker: Using
natural language processing to measure gender bias in media", PLoS ONE
16(1)), with the span conventions of PolNeAR (Newell, Margolin & Ruths 2018,
"An attribution relations corpus for political news", LREC): content, cue
and source are span lists, and the source is the speaker mention as written.

1. Quotations. Opening and closing marks are paired line by line, curly or
   straight (a straight mark's direction comes from its neighbours; ``''``
   and ``````` are double marks too). A second opening mark is a nested
   quotation when it is in the other style ('"... “The Journal” wrote ..."')
   or enough closing marks follow on the line; otherwise the first one was
   unbalanced. A quotation still open at the end of its line continues in the
   next line if that opens with a mark (the newspaper convention for
   multi-paragraph quotes). Single marks are the quotation marks of a text
   that opens many more single quotes than it has double ones (British
   style); otherwise they are quotes inside quotes.
2. Verb cues. A verb whose lemma is in ``data/quote_cues.txt`` is a cue when
   it has a content the list allows it: a clausal complement ("said that
   ..."), a colon ("said: ..."), a clause it interrupts ("A, he said, B";
   "as X put it"), a to-infinitive ("vowed to ..."), a direct object
   ("denied the report", "called X a liar") or a prepositional object ("called
   for ..."). The source is the nominal subject, reached through xcomps,
   conjuncts and participles ("..., adding that"); a relative pronoun brings
   its antecedent; the phrase is cut before an apposition or a relative
   clause. A verb inside a quotation is the quoted speaker's, not a cue; a
   cue in the clause another cue reports ("X said she thinks ...") is part of
   that content (PolNeAR's convention). A trailing gloss set off by a comma
   (", stoking fears ...", ", the presumed favourite") is the reporter's.
3. Other cues: "according to X, ..." (the sentence minus the phrase; when
   the sentence's own cue has a speaker, "according to the transcripts, he
   promised ...", that speaker is the source); nouns
   with a that-clause ("his claim that ..."); a line "Name: ..." whose label
   is a name (the tagger's or ``doc._.entities``') or a capitalised
   transcript label; "“...” ― Name".
4. Quotations and attributions. Content touching a quotation takes all of
   it, so quotes over several sentences or paragraphs stay whole. A
   quotation that ends as speech does (a comma, question mark or dash inside)
   takes the cue verb right after it ("“...,” said X"); one introduced by a
   comma or colon takes the cue right before it ("X said, “...”"). One after
   an attribution sentence joins that quote ("“A,” he said. “B.”" is one
   quote with two content spans), and so does a paragraph that is only a
   quotation after a paragraph ending with an attributed one. A paragraph
   that is only a quotation of four words or more, with no cue of its own,
   after any other attribution or after a paragraph naming a person, is a
   ``floating`` quote of that speaker. A quotation with none of these (a
   scare quote, a title, a slogan) is not a quote. A cue says nothing when
   its subject is a thing with an object, infinitive or prepositional
   content or an open question ("the sedan offers ...", "the map shows
   where ..."), when it is negated or a refusal to speak ("has not
   commented", "declined to say"), or when a naming verb names nothing
   ("can call the school office"), or when it is in a clause a law or treaty
   lays down ("mandates that both countries offer assistance").
5. Quotes never overlap (PolNeAR is univocal): candidates are taken by frame
   reliability, the more deeply embedded cue first; a later candidate keeps
   what no earlier one took ("X said Y, who said Z" gives two quotes) and is
   dropped when too little is left.

Measured with ``newsgraph.eval.quotes.evaluate_quotes`` and en_core_web_sm
3.8 on PolNeAR dev (84 articles, 2,192 attributions): P 0.85, R 0.59, F1
0.70; direct quotes F1 0.88; speaker accuracy 0.94 over 1,280 matched pairs;
end-to-end F1 0.65 (PolNeAR counts negated speech, which is no quote here).
For scale, textacy's ``direct_quotations`` scores direct F1 0.44 there and a
quotation-mark regex 0.66.

Limits: sources are mentions as written; pronouns and surnames are resolved
later by ``newsgraph_speakers_v1``. PolNeAR also counts as attributions
what verbs outside the cue list express ("Trump is drawing criticism", "he
discussed his plan") and contents with no source; most misses are those,
and content boundaries that differ from the annotators' (where a reporter's
gloss starts, whether a conjoined clause belongs). Parse errors on long
quoted sentences lose some attributions; nested speech ("he said she told
him ...") is one attribution; a text that wraps whole passages in unclosed
quotation marks makes them one long quotation.

Files, by step: ``quotations.py`` (1); ``lexicon.py`` reads the cue lexicon
(2); ``candidates.py`` finds the verb and other cues (2, 3) with the
``content.py`` and ``sources.py`` of each; ``attach.py`` gives quotations to
their attributions (4); ``resolve.py`` settles overlaps and scores what is
kept (5); ``records.py`` holds the records they pass around, ``spans.py`` the
mark characters and span helpers they share. This module runs the steps in
order.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...models import Quote
from ..extensions import doc_text
from .attach import _attach_quotations
from .content import _after_dateline
from .candidates import (_according_candidates, _colon_candidates, _dash_candidates, _noun_candidates,
                         _verb_candidates)
from .lexicon import cue_lemma, cue_lexicon
from .quotations import Quotation, _QuoteIndex, find_quotations
from .records import _Article, _Candidate
from .resolve import _confidence, _kind, _resolve
from .sources import _fix_source, is_information

__all__ = ["Quotation", "QuoteFinder", "cue_lemma", "cue_lexicon", "find_quotations", "find_quotes", "is_information"]


def _candidates(doc: Doc) -> tuple[_Article, list[_Candidate]]:
    """Return the article context and its final candidates (steps 1-5), in content order."""
    text = doc_text(doc)
    quotations = find_quotations(text)
    art = _Article(doc, text, quotations, _QuoteIndex(quotations), cue_lexicon())
    candidates = list(_verb_candidates(art))
    candidates += _according_candidates(art)
    candidates += _noun_candidates(art)
    candidates += _colon_candidates(art)
    candidates += _dash_candidates(art)
    _attach_quotations(art, candidates)
    candidates = [c for c in candidates if c.content]
    for cand in candidates:
        _fix_source(art, cand)
        cand.content = [_after_dateline(text, span) for span in cand.content]
    # Only a clause ("it is expected that ...") may go without a source.
    candidates = [c for c in candidates if c.source or c.frame == "clause"]
    return art, _resolve(art, candidates)


def find_quotes(doc: Doc) -> tuple[Quote, ...]:
    """Return the attributions in ``doc`` as ``Quote`` records ordered by content start (ids Q1, Q2 ...)."""
    art, kept = _candidates(doc)
    quotes = []
    for n, cand in enumerate(kept, start=1):
        confidence = _confidence(art, cand)
        quotes.append(
            Quote(
                id=f"Q{n}",
                kind="floating" if cand.frame == "floating" else _kind(art, cand.content),
                content=tuple(cand.content),
                cue=tuple(cand.cue),
                source=tuple(cand.source),
                cue_word=cand.cue_word,
                confidence=round(confidence, 2),
            )
        )
    return tuple(quotes)


@Language.factory("newsgraph_quotes_v1", requires=["token.dep", "doc._.entities"], assigns=["doc._.quotes"])
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    cue_lexicon()  # read with the model, not on the first document
    return QuoteFinder()


class QuoteFinder:
    """spaCy component: computes ``find_quotes(doc)``, then stores it in ``doc._.quotes``."""

    def __call__(self, doc: Doc) -> Doc:
        quotes = find_quotes(doc)
        doc._.quotes = quotes
        return doc
