"""Steps 2 and 3, sources: the speaker of a cue verb and its noun phrase as written, a source the parse
put in the wrong place, and whether a subject can say or believe anything at all.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...models import Span
from .records import _Article, _Candidate
from .spans import _is_mark, _line_bounds, _token_span


_RELATIVE = {"who", "which", "that", "whom"}
_NP_STOP = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "ccomp"}
_NP_BREAK = {",", "(", "—", "–", ";"}


def _np_span(text: str, head: Token) -> Span:
    """Return the noun phrase of ``head`` as written, cut before a comma, an apposition or a clause."""
    left = head.left_edge
    while left.i < head.i and (left.is_punct or left.dep_ == "cc"):
        left = left.nbor()
    right = head
    for child in head.rights:
        if child.dep_ in _NP_STOP or child.is_punct:
            break
        right = child.right_edge
    for tok in head.doc[head.i + 1 : right.i + 1]:
        if tok.text in _NP_BREAK:  # "the director, who ..." inside a right child
            right = head.doc[tok.i - 1]
            break
    return _token_span(text, left, right)


def _speaker(verb: Token) -> list[Token]:
    """Return the head(s) of the verb's speaker: its subject, through xcomps, conjuncts and participles.

    Of several subjects (a parse that takes a quoted word for one) the nearest
    wins; a relative pronoun comes with its antecedent.
    """
    tok = verb
    for _ in range(4):
        subjects = sorted((c for c in tok.children if c.dep_ == "nsubj"), key=lambda c: abs(c.i - tok.i))
        if not subjects and tok is not verb and verb.tag_ == "VBG" and tok.dep_ == "ccomp":
            # "Police said X was arrested, adding that ...": the participle hangs in the
            # reported clause, but the one adding is the one who said it.
            tok = tok.head
            continue
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("it", "there", "this", "that"):
                return []  # "it appears that ...", "That said, ..."
            if subject.lower_ in _RELATIVE and tok.dep_ == "relcl":
                antecedent = tok.head.head if tok.head.dep_ == "appos" else tok.head  # "X, the leader, who"
                return [antecedent, subject]
            return [subject]
        for child in tok.children:
            if child.dep_ == "agent":
                return [c for c in child.children if c.dep_ == "pobj"][:1]
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return []  # "he was told that ...": the subject heard it
        if tok.dep_ in ("conj", "xcomp") or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
            tok = tok.head
        elif tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [tok.head]  # "a statement saying ..."
        elif tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
            tok = tok.head.head  # "after saying ..."
        else:
            return []
    return []


def _source_spans(text: str, heads: list[Token]) -> list[Span]:
    spans = [_np_span(text, h) for h in heads if not h.is_punct and not _is_mark(h)]
    return sorted(s for s in spans if s[1] > s[0])


_NAME_PARTS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART"}


def _nearby_source(text: str, verb: Token, content: list[Span]) -> list[Span]:
    """Return the noun phrase written next to the verb ("..., Obama's strategist said" / "said Obama").

    For a parse whose subject is inside the quotation or on another line.
    """
    doc = verb.doc
    line = _line_bounds(text, verb.idx)

    def free(tok: Token) -> bool:
        return line[0] <= tok.idx < line[1] and not tok.is_punct and not any(s <= tok.idx < e for s, e in content)

    def phrase(tok: Token) -> list[Span]:
        first = last = tok.i
        if tok.pos_ == "PRON":
            return [_token_span(text, tok, tok)]
        while first > 0 and doc[first - 1].pos_ in _NAME_PARTS and free(doc[first - 1]):
            first -= 1
        while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and free(doc[last + 1]):
            last += 1
        return [_token_span(text, doc[first], doc[last])]

    for tok in doc[verb.i + 1 : verb.i + 4]:  # "said Obama"
        if not free(tok):
            break
        if tok.pos_ in ("PROPN", "PRON") and tok.dep_ in ("nsubj", "compound", "npadvmod", "dobj", "appos", "conj"):
            return phrase(tok)
    for tok in reversed(doc[max(0, verb.i - 6) : verb.i]):  # "Obama's strategist said"
        if not free(tok):
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON"):
            return phrase(tok)
    return []


def _fix_source(art: _Article, cand: _Candidate) -> None:
    """Replace a source that the parse put inside the content or on another line."""
    if cand.anchor < 0 or cand.frame in ("according", "colon", "dash", "noun"):
        return
    verb = art.doc[cand.anchor]
    line = _line_bounds(art.text, verb.idx)
    bad = not cand.source or any(
        s < line[0] or e > line[1] or any(cs < e and s < ce for cs, ce in cand.content) for s, e in cand.source
    )
    if bad:
        cand.source = _nearby_source(art.text, verb, cand.content)


#: Things that report what they hold, as a person would: "a Quinnipiac poll found", "the report said".
_INFORMATION = frozenset(
    "poll polls survey surveys study studies report reports data analysis research video videos footage transcript "
    "record records document documents statement statements letter memo filing filings audit review investigation "
    "assessment estimate estimates figures numbers census tally average averages projection forecast email emails "
    "tweet post book article story editorial column ad ads clip slide complaint lawsuit indictment ruling order "
    "resolution bill law policy plan proposal platform website site page release announcement message campaign "
    "agency".split()
)
#: People and groups no role list names, and the endings of nouns for people ("voter", "lobbyist", "nominee").
_PEOPLE = frozenset(
    "expert source panel team family wife husband relative friend colleague member staff crowd audience public "
    "community side camp people person everyone anyone someone nobody majority minority percent one other police "
    "network "
    "committee board council group party administration government fund mate sibling niece nephew veteran regular "
    "son daughter mother brother sister parent child kid".split()
)
_AGENT_SUFFIXES = ("er", "or", "ist", "ant", "ent", "ian", "ee", "man", "woman", "people", "ary", "ive")
#: Words for some of a group ("many of his supporters believe", "most say").
_QUANTIFIERS = frozenset({"many", "most", "some", "few", "several", "all", "both", "each", "others", "more"})


def is_information(tok: Token) -> bool:
    """Return whether a noun names a record that reports as a person would ("poll", "data", "report")."""
    return tok.lemma_.lower() in _INFORMATION or tok.lower_ in _INFORMATION


def _speaker_like(heads: list[Token]) -> bool:
    """Return whether a subject can say or believe: a name, a pronoun, people or a group, or a document.

    ``heads`` is what ``_speaker`` returns: the subject's head, and a relative
    pronoun after it ("an architect who said": "who" speaks of a person). A
    thing cannot speak: "the sedan offers heated seats", "the map shows where ...".
    """
    head = heads[0]
    if head.lower_ == "which":
        return False  # "which" stands for a thing or a fact, never a speaker
    if head.pos_ in ("PROPN", "PRON") or head.ent_type_ in _SPEAKER_TYPES or heads[-1].lower_ in ("who", "whom"):
        return True  # a name, a pronoun, a person
    if head.pos_ != "NOUN":
        if head.lower_ in _QUANTIFIERS or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
            return True
        return head.pos_ in ("X", "NUM") or not head.is_alpha  # not "clean, which tells you ..."
    if head.is_title and (not head.is_sent_start or any(head.text in ent.text.split() for ent in head.doc.ents)):
        return True  # a name the tagger took for a noun ("Wines believes"; "Giles said" after "Keir Giles")
    lemma = head.lemma_.lower()
    if is_information(head):
        return True
    if lemma in _PEOPLE or (lemma.endswith(_AGENT_SUFFIXES) and not lemma.endswith("ment")):  # not "investment"
        return True
    from ..entities import _person_roles
    from ..events.dictionaries import load_dictionaries, user_files
    from ..events.lexicon import _actor_nouns

    agents = load_dictionaries(user_files())  # the events component's copy, not a second one
    return any(w in _person_roles() or w in _actor_nouns() or agents.find_agent((w,)) is not None
               for w in (lemma, head.lower_))


_SPEAKER_TYPES = ("PERSON", "ORG", "NORP", "GPE")


def _named(art: _Article, span) -> bool:
    """Return whether ``span`` holds a name: the tagger's, or a mention the entities component found.

    A surname alone in a headline ("Merkel: ...") is rarely tagged, but the
    entities component links it to the full name in the body.
    """
    if any(t.ent_type_ in _SPEAKER_TYPES for t in span):
        return True
    entities = art.doc._.entities if art.doc.has_extension("entities") else ()
    return any(
        e.type in _SPEAKER_TYPES and m.start < span.end_char and span.start_char < m.end
        for e in entities
        for m in e.mentions
    )
