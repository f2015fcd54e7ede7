"""newsgraph_attributes_v1 gives every token the annotation of the model's own attribute_ruler and lemmatizer."""

from __future__ import annotations

import spacy

from newsgraph.annotate.attributes import use_fast_attributes
from newsgraph.annotate.nlp import resolve_model_name
from newsgraph.ingest import iter_documents
from newsgraph.models import RawDocument
from newsgraph.pipeline import prepare

# The model's two-token rules (gonna, gotta, let's, c'mon, y'all, ain't, expletive "there is"),
# its rules on dependency labels (I/you/it as subject or object, "but" as adverb, aux, mark) and spaces.
SPECIAL = (
    "Y'all gonna love it, ain't it? Let's go. There is a cat and there were two. I saw you and you saw it. "
    "Do it! C'mon, we gotta run.\n\n  Whatever that is, it was I who did it, but then again, which one?"
)


def _tokens(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_same_annotation_as_the_stock_components(sample_dir):
    texts = [SPECIAL]
    for item in iter_documents([sample_dir]):
        if isinstance(item, RawDocument):
            texts.append(prepare(item)[1])
    stock = spacy.load(resolve_model_name())
    fast = spacy.load(resolve_model_name())
    assert use_fast_attributes(fast)
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    for expected, got in zip(stock.pipe(texts), fast.pipe(texts)):
        assert _tokens(got) == _tokens(expected)
    assert sum(len(d) for d in fast.pipe(texts)) > 3000


def test_a_model_with_other_rules_keeps_its_stock_components():
    nlp = spacy.load(resolve_model_name())
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "x"}, {"IS_PUNCT": True, "OP": "?"}]], {"LEMMA": "ex"})
    names = list(nlp.pipe_names)
    assert not use_fast_attributes(nlp)
    assert nlp.pipe_names == names
