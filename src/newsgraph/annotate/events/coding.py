"""Step 4, status, and the content rules of step 2: a candidate's ``negated``,
``future``, ``hypothetical`` or ``asserted`` status read from its clause chain;
the retyping of an event by its content (statements of intent, verbs that end
their content, requests, rejections and threats); and the folding of modality
into PLOVER types.
"""

from __future__ import annotations

from spacy.tokens import Token

from .grammar import (_FUTURE_AUX, _FUTURE_VERBS, _HYPOTHETICAL_AUX, _NEGATIVE_VERBS, _child, _governing_verb, _preps,
                      _to_infinitive)
from .lexicon import COOPERATIVE, MATERIAL_CONFLICT
from .triggers import _Cand, _content


# ---------------------------------------------------------------------------
# Status


def _clause_chain(c: _Cand) -> list[Token]:
    """Return the verbs whose auxiliaries speak for the trigger: its own, then its infinitive governors."""
    tok = c.tok
    verb = tok
    if c.nominal:
        verb = _governing_verb(tok)
        if verb is None and tok.dep_ in {"nsubj", "nsubjpass"}:
            verb = tok.head
        if verb is None:
            return [tok]
    chain = [verb] if verb is tok else [tok, verb]
    cur = verb
    while (cur.dep_ in {"xcomp", "acomp", "conj", "pcomp", "prep"} or _infinitive_clause(cur)) \
            and cur.head.i != cur.i and len(chain) < 6:
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX", "ADJ"} or cur.dep_ == "prep":
            chain.append(cur)
    return chain


def _infinitive_clause(verb: Token) -> bool:
    """Return whether a clause is an infinitive with its own subject ("allow planes to land"), parsed as ccomp."""
    return verb.dep_ == "ccomp" and _to_infinitive(verb)


def _status(c: _Cand) -> str:
    """Return ``negated``, ``future``, ``hypothetical`` or ``asserted`` for a top-level candidate."""
    chain = _clause_chain(c)
    negated = hypothetical = future = False
    for i, verb in enumerate(chain):
        for ch in verb.children:
            low = ch.lower_
            if ch.dep_ == "neg":
                negated = True
            elif ch.dep_ == "det" and low == "no":
                negated = True
            elif ch.dep_ in {"aux", "auxpass"}:
                if low in _FUTURE_AUX or ch.lemma_ == "will":
                    future = True
                elif low in _HYPOTHETICAL_AUX:
                    hypothetical = True
                    subj = _child(verb, "nsubj", "nsubjpass")
                    if low == "should" and subj is not None and ch.i < subj.i:
                        hypothetical = True  # "should Russia respond": a condition
            elif ch.dep_ == "mark" and low in {"if", "unless", "whether"}:
                hypothetical = True
            elif ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in ch.children):
                # A condition after a relative clause belongs to that clause, whatever the parse says
                # ("promised assistance under an agreement, which mandates ... if one faces a threat").
                if not any(t.dep_ == "relcl" and verb.i < t.i < ch.i for t in verb.doc[verb.i : ch.i]):
                    hypothetical = True
        if i > 0 and verb.lemma_ in _FUTURE_VERBS and verb.dep_ != "prep":
            if verb is not chain[0]:
                future = True
        if i > 0 and verb.lemma_ in _NEGATIVE_VERBS:
            negated = True
        if verb.dep_ == "prep" and verb.lower_ == "without":
            negated = True
        # "no sign of propping up": the noun that governs the clause is negated
        if verb.dep_ == "pcomp" or verb.dep_ == "pobj":
            holder = verb.head.head if verb.head.dep_ == "prep" else None
            if holder is not None and any(d.dep_ == "det" and d.lower_ == "no" for d in holder.children):
                negated = True
    if c.nominal and any(d.dep_ == "det" and d.lower_ == "no" for d in c.tok.children):
        negated = True
    if c.nominal and c.tok.dep_ == "pobj" and c.tok.head.lower_ == "without":
        negated = True  # "could not cope without Putin's help": a counterfactual, no help given
    # A clause a treaty, law or ruling lays down is an obligation, not an event: "an agreement,
    # which mandates that both countries offer assistance".
    for verb in chain:
        if verb.dep_ in {"ccomp", "xcomp"} and verb.head.lemma_ in _DEONTIC:
            hypothetical = True
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if future:
        return "future"
    return "asserted"


#: Verbs whose complement is a duty laid down, not a deed: "mandates that", "requires X to".
_DEONTIC = frozenset({"mandate", "require", "oblige", "obligate", "stipulate", "compel", "bind", "entitle"})


def _statement_modal(c: _Cand) -> bool:
    """Return whether a negation sits on a modal or future verb ("would not meet"): a refusal."""
    for verb in _clause_chain(c):
        if any(ch.dep_ == "aux" and (ch.lower_ in _FUTURE_AUX | _HYPOTHETICAL_AUX or ch.lemma_ == "will")
               for ch in verb.children):
            return True
    return False


# ---------------------------------------------------------------------------
# Content rules (step 2)

_REQUEST_MODE = {"CONSULT": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "AGREE": "assist",
                 "RETREAT": "yield", "CONCEDE": "yield"}
_THREAT_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "PROTEST": "restrict", "SANCTION": "relations",
                "COERCE": "restrict"}
_AGREE_CAMEO = {"CONSULT": "036", "AID": "033", "COOPERATE": "031", "SUPPORT": "032", "RETREAT": "035",
                "CONCEDE": "035"}
_THREAT_CAMEO = {"ASSAULT": "138", "MOBILIZE": "138", "PROTEST": "133", "SANCTION": "1313", "COERCE": "132"}
_REQUEST_CAMEO = {"meet": "106", "assist": "101", "yield": "105", "change": "104"}
_REJECT_CAMEO = {"meet": "125", "assist": "121", "yield": "124", "change": "123"}


def _intent(c: _Cand, kind: str | None) -> None:
    """Retype a statement of intent by its content kind (AGREE or THREATEN)."""
    if kind in COOPERATIVE or kind in {"RETREAT", "CONCEDE"}:
        c.type, c.mode, c.cameo = "AGREE", None, _AGREE_CAMEO.get(kind, "030")
    elif kind in MATERIAL_CONFLICT:
        c.type, c.mode, c.cameo = "THREATEN", _THREAT_MODE.get(kind), _THREAT_CAMEO.get(kind, "130")


def _reverse(c: _Cand, inner: _Cand) -> None:
    """Retype a verb that ends its content: ends of cooperation are SANCTION, ends of coercion CONCEDE."""
    kind = inner.type
    if kind == "CONSULT":
        if c.tok.lemma_ in {"cancel", "call"}:
            c.type, c.mode, c.cameo = "REJECT", "meet", "125"
        else:
            c.type, c.mode, c.cameo = "SANCTION", "withdraw", "164"
    elif kind in {"AID", "COOPERATE", "SUPPORT", "AGREE"}:
        c.type, c.mode, c.cameo = "SANCTION", "discontinue", "162" if kind == "AID" else "160"
    elif kind in {"COERCE", "SANCTION"}:
        if inner.mode == "restrict" and inner.cameo == "191":
            c.type, c.mode, c.cameo = "RETREAT", "withdraw", "0872"
        else:
            c.type, c.mode, c.cameo = "CONCEDE", None, "081"
    elif kind == "PROTEST":
        c.type, c.mode, c.cameo = "CONCEDE", None, "082"
    elif kind in {"ASSAULT", "MOBILIZE"}:
        c.type, c.mode, c.cameo = "RETREAT", "ceasefire", "0871"
    elif kind in {"REQUEST", "THREATEN", "ACCUSE"}:
        c.type, c.mode, c.cameo = "CONCEDE", None, "080"


def _apply_content(c: _Cand) -> None:
    inner = _content(c)
    if inner is None:
        return
    if "frame" in c.flags:
        _intent(c, inner.type)
    elif "reverse" in c.flags:
        _reverse(c, inner)
    elif "transparent" in c.flags:
        c.type, c.mode, c.cameo = inner.type, inner.mode, inner.cameo
    elif "order" in c.flags:
        # An order to do something is that act by whoever orders it ("ordered patrols");
        # an order to stop doing something restricts the one ordered ("ordered the paper to
        # suspend publication"), PLOVER's COERCE.
        if "reverse" in inner.flags:
            c.type, c.mode, c.cameo = "COERCE", "restrict", "172"
        else:
            c.type, c.mode, c.cameo = inner.type, inner.mode, inner.cameo
    elif c.type == "REQUEST":
        c.mode = _REQUEST_MODE.get(inner.type, "change")
        c.cameo = _REQUEST_CAMEO[c.mode]
    elif c.type == "REJECT":
        c.mode = _REQUEST_MODE.get(inner.type, "change")
        c.cameo = _REJECT_CAMEO[c.mode]
    elif c.type == "THREATEN":
        c.mode = c.mode or (inner.mode if inner.type == "COERCE" and inner.mode == "arrest" else
                            _THREAT_MODE.get(inner.type))
        c.cameo = _THREAT_CAMEO.get(inner.type, c.cameo)


def _apply_modality(c: _Cand) -> None:
    """Fold future, hypothetical and negated-modal statuses into PLOVER types (step 4)."""
    if c.status in {"future", "hypothetical"}:
        if c.type in COOPERATIVE:
            _intent(c, c.type)
        elif c.type == "RETREAT":
            c.type, c.mode, c.cameo = "CONCEDE", None, "080"
        elif c.type in MATERIAL_CONFLICT:
            _intent(c, c.type)
    elif c.status == "negated" and _statement_modal(c):
        if c.type in COOPERATIVE | {"AGREE", "RETREAT", "CONCEDE"}:
            c.type, c.mode, c.cameo = "REJECT", _REQUEST_MODE.get(c.type), "120"


# ---------------------------------------------------------------------------
# What is no event, or another one: refusals to speak, attacks on words

#: What is said or decided: attacking one of these is criticism, not violence ("attacked each other's
#: policies", "attacked the minister over his remarks").
_SAID = frozenset({"policy", "plan", "proposal", "remark", "comment", "statement", "record", "decision", "stance",
                   "claim", "idea", "approach", "handling", "rhetoric", "speech", "view", "bill", "law", "ruling",
                   "report", "agenda", "leadership", "credibility", "character", "campaign", "budget"})


def _verbal_attack(verb: Token) -> bool:
    """Return whether an attack verb attacks words or decisions (PLOVER's ACCUSE, not ASSAULT)."""
    for c in verb.children:
        if c.dep_ == "dobj" and (c.lemma_.lower() in _SAID or any(
                p.lemma_.lower() in _SAID for prep, p in _preps(c) if prep in {"of", "on"})):
            return True
        if c.dep_ == "prep" and c.lower_ in {"over", "for"} and any(
                p.dep_ == "pobj" and p.lemma_.lower() in _SAID for p in c.children):
            return True
    return False


#: Verbs of speaking: declining to do one of these is no refusal between actors ("declined to comment").
_SPEAKING = frozenset({"comment", "say", "confirm", "disclose", "elaborate", "discuss", "speculate", "reveal",
                       "specify", "name", "identify", "explain", "talk", "speak", "address", "state", "describe",
                       "predict", "estimate", "characterize", "tell"})
#: Verbs that only speak when no event comes with them: "declined to provide details", not "to provide aid";
#: "refused to answer", not "refused to respond to a demand".
_GIVING = frozenset({"give", "provide", "release", "detail", "share", "answer", "respond", "reply"})


def _declines_to_speak(c: _Cand) -> bool:
    """Return whether a refusal is only a refusal to speak: "declined to comment", "refused to say when"."""
    if c.type != "REJECT" or c.nominal:
        return False
    content = [x for x in c.tok.children if x.dep_ in {"xcomp", "ccomp"}]
    return bool(content) and all(
        x.lemma_.lower() in _SPEAKING or (x.lemma_.lower() in _GIVING and not c.children) for x in content)
