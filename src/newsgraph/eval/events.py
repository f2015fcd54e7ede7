"""Score PLOVER event coding against the shared ``events`` evaluation files.

Rules of ``shared/eval/README.md`` (task "events"), per sentence:

1. **Actor agreement**: a predicted actor list agrees with a gold one when
   some predicted text and some gold text share a word (lower-cased ``\\w+``
   tokens minus ``a an the of and in on for to s``), or some predicted code
   equals some gold code (case-insensitive, non-empty). Texts and codes are
   read from ``source``/``source_code`` (``target``/``target_code``).
2. **Type matching**: for each PLOVER type, gold and predicted events of that
   type are paired one-to-one, greedily by decreasing actor score (source
   correct + target correct), ties by lower gold then lower predicted index.
3. **Untyped gold** (``type`` null): a sentence with k of them lets up to k
   predictions left unmatched by step 2 go uncounted. Which ones is decided
   by the same greedy actor-score pairing with types ignored, so the
   ignored predictions are those that best fit the untyped gold events;
   these pairs are also the ones whose actors are scored (petrarch2-unittest,
   where every gold event is untyped).

Metrics, summed over sentences: type P/R/F1 (micro) and per type; detection
P/R/F1 (types ignored, TP = min(#gold, #predicted) per sentence); source and
target accuracy over matched pairs whose gold list is non-empty (an empty
predicted list is wrong); and, where both sides carry ``cameo``, the share
of matched pairs whose CAMEO root (first two digits) agrees.

``predict_events`` turns ``doc._.events`` into the gold format. Which
statuses it emits, and why, is documented there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .common import greedy_pairs, prf, read_jsonl

__all__ = [
    "PLOVER_TYPES",
    "SCORED_STATUSES",
    "actor_words",
    "actors_agree",
    "match_events",
    "score_events",
    "predict_events",
    "evaluate_events",
    "article_event_hits",
]

#: The sixteen PLOVER categories of CAMEO2PLOVER-2021.txt.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
)

_STOP = frozenset("a an the of and in on for to s".split())
_WORD = re.compile(r"\w+")


def actor_words(text: str) -> frozenset[str]:
    """Return the lower-cased ``\\w+`` words of ``text`` that count for actor agreement."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if isinstance(v, str) and v.strip()]


def actors_agree(gold: dict, predicted: dict, side: str) -> bool:
    """Return whether ``predicted``'s actors on ``side`` (source/target) agree with ``gold``'s."""
    gold_words = [actor_words(t) for t in _as_list(gold.get(side))]
    for text in _as_list(predicted.get(side)):
        words = actor_words(text)
        if any(words & g for g in gold_words):
            return True
    gold_codes = {c.casefold() for c in _as_list(gold.get(f"{side}_code"))}
    return any(c.casefold() in gold_codes for c in _as_list(predicted.get(f"{side}_code")))


def _has_actor(event: dict, side: str) -> bool:
    return bool(_as_list(event.get(side)) or _as_list(event.get(f"{side}_code")))


def _actor_score(gold: dict, predicted: dict) -> int:
    return int(actors_agree(gold, predicted, "source")) + int(actors_agree(gold, predicted, "target"))


def _greedy(gold: Sequence[dict], predicted: Sequence[dict], gold_ids: Iterable[int],
            pred_ids: Iterable[int], typed: bool) -> list[tuple[int, int]]:
    pred_ids = list(pred_ids)
    candidates = []
    for gi in gold_ids:
        for pi in pred_ids:
            if typed and predicted[pi].get("type") != gold[gi].get("type"):
                continue
            candidates.append((-_actor_score(gold[gi], predicted[pi]), gi, pi))
    return greedy_pairs(candidates)


Pairs = list[tuple[int, int]]


def match_events(gold: Sequence[dict], predicted: Sequence[dict]) -> tuple[Pairs, Pairs]:
    """Return (type-matched pairs, untyped pairs) of (gold index, predicted index) for one sentence.

    Untyped pairs join each untyped gold event to a prediction left unmatched
    by type: those predictions are ignored in type scoring.
    """
    typed_gold = [i for i, e in enumerate(gold) if e.get("type")]
    untyped_gold = [i for i, e in enumerate(gold) if not e.get("type")]
    typed = _greedy(gold, predicted, typed_gold, range(len(predicted)), typed=True)
    taken = {pi for _, pi in typed}
    untyped = _greedy(gold, predicted, untyped_gold, [i for i in range(len(predicted)) if i not in taken], typed=False)
    return sorted(typed), sorted(untyped)


def _cameo_root(code: Any) -> str | None:
    code = str(code or "").strip()
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else None


def score_events(gold_records: Iterable[dict], predicted_records: Iterable[dict]) -> dict[str, Any]:
    """Return type P/R/F1 (micro and per type), detection P/R/F1, actor and CAMEO accuracy.

    Predicted records are matched to gold records by ``id``; a gold record
    without a prediction counts as one with no events.
    """
    predictions = {r["id"]: r for r in predicted_records}
    tp = n_pred = n_gold = 0
    det_tp = det_pred = det_gold = 0
    ignored = 0
    type_tp: Counter = Counter()
    type_pred: Counter = Counter()
    type_gold: Counter = Counter()
    actor_ok = {"source": 0, "target": 0}
    actor_pairs = {"source": 0, "target": 0}
    cameo_ok = cameo_pairs = 0
    sentences = 0
    for record in gold_records:
        sentences += 1
        gold = list(record.get("events") or [])
        pred = list(predictions.get(record["id"], {}).get("events") or [])
        typed, untyped = match_events(gold, pred)
        ignored_ids = {pi for _, pi in untyped}
        for e in gold:
            if e.get("type"):
                type_gold[e["type"]] += 1
        for pi, e in enumerate(pred):
            if pi not in ignored_ids:
                type_pred[e.get("type") or "NONE"] += 1
        for gi, _ in typed:
            type_tp[gold[gi]["type"]] += 1
        tp += len(typed)
        n_gold += sum(1 for e in gold if e.get("type"))
        n_pred += len(pred) - len(ignored_ids)
        ignored += len(ignored_ids)

        det = min(len(gold), len(pred))
        det_tp += det
        det_pred += len(pred)
        det_gold += len(gold)

        for gi, pi in typed + untyped:
            for side in ("source", "target"):
                if _has_actor(gold[gi], side):
                    actor_pairs[side] += 1
                    actor_ok[side] += actors_agree(gold[gi], pred[pi], side)
            g_root, p_root = _cameo_root(gold[gi].get("cameo")), _cameo_root(pred[pi].get("cameo"))
            if g_root and p_root:
                cameo_pairs += 1
                cameo_ok += g_root == p_root

    overall = prf(tp, n_pred, n_gold)
    detection = prf(det_tp, det_pred, det_gold)
    per_type = {t: prf(type_tp[t], type_pred[t], type_gold[t]) for t in sorted(set(type_gold) | set(type_pred))}
    return {
        "precision": overall["precision"],
        "recall": overall["recall"],
        "f1": overall["f1"],
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
        "ignored": ignored,
        "per_type": per_type,
        "detection_precision": detection["precision"],
        "detection_recall": detection["recall"],
        "detection_f1": detection["f1"],
        "detection_tp": det_tp,
        "detection_predicted": det_pred,
        "detection_gold": det_gold,
        "source_accuracy": actor_ok["source"] / actor_pairs["source"] if actor_pairs["source"] else 0.0,
        "source_pairs": actor_pairs["source"],
        "target_accuracy": actor_ok["target"] / actor_pairs["target"] if actor_pairs["target"] else 0.0,
        "target_pairs": actor_pairs["target"],
        "cameo_accuracy": cameo_ok / cameo_pairs if cameo_pairs else 0.0,
        "cameo_pairs": cameo_pairs,
        "sentences": sentences,
    }


#: Statuses whose events are emitted for scoring. PLOVER codes a statement of
#: intent as an event of its own: a promise or offer is AGREE, a threat
#: THREATEN, a demand REQUEST; the coder has already folded "will give aid"
#: into AGREE and "may impose a blockade" into THREATEN (the manual: return
#: the single category, not category + auxiliary mode). Such events keep the
#: status of the underlying action (future, hypothetical), yet the statement
#: itself was made, and the gold sets code it, so they are scored. Negated
#: events are not ("no sign of propping up" reports nothing), except where the
#: coder read the negation itself as a refusal ("said it would not meet the
#: demands": REJECT with status negated), which is scored too.
SCORED_STATUSES = frozenset({"asserted", "future", "hypothetical"})


def _scored(event) -> bool:
    return event.status in SCORED_STATUSES or (event.status == "negated" and event.type == "REJECT")


def _actor_fields(actors) -> tuple[list[str], list[str]]:
    """Return (texts, codes) of actors: each actor's Phoenix-style code (country + sector) and its country."""
    texts: list[str] = []
    codes: list[str] = []
    for actor in actors:
        if actor is None:
            continue
        texts.append(actor.text)
        # PETRARCH writes an agent of no known country as "---" + sector ("students": ---EDU).
        full = f"{actor.country or '---'}{actor.sector}" if actor.sector else None
        for code in (full, actor.country):
            if code and code not in codes:
                codes.append(code)
    return texts, codes


#: Gold sets that code one event per pair of actors (PETRARCH's output is dyadic); the others (PLOVER-GSR)
#: list a compound actor's members in one event, so the coder's dyads of one trigger are joined back.
DYADIC_SOURCES = frozenset({"petrarch2-unittest", "petr2-gsr"})


def _doc(nlp, record: dict):
    """Return the record's text as a ``Doc`` that knows the record's date (``meta.date``) as its publication date.

    Office holders are coded by the role they held on that day, and "Monday"
    resolves against it, as for a stored article.
    """
    doc = nlp.make_doc(record["text"])
    doc._.published = (record.get("meta") or {}).get("date")
    return doc


def predict_events(records: list[dict], nlp) -> list[dict]:
    """Return prediction records (gold format) from running ``nlp`` over each record's ``text``.

    Events with status asserted, future or hypothetical are emitted, and
    negated ones only when coded REJECT (see ``SCORED_STATUSES``). A record's
    ``meta.date`` is its publication date. Actor codes
    are the Phoenix-style code (e.g. ``RUSGOV``) and the country (``RUS``).
    The coder writes one event per pair of members of a compound actor; for
    gold sets that are not dyadic (``DYADIC_SOURCES``) the events of one
    trigger and type are joined into one with lists of actors, as they code them.
    """
    predictions = []
    for record, doc in zip(records, nlp.pipe(_doc(nlp, r) for r in records)):
        text = record["text"]
        groups: dict[tuple, list] = {}
        for event in sorted(doc._.events, key=lambda e: e.trigger):
            if not _scored(event):
                continue
            key = (event.trigger, event.type, event.id) if record.get("source") in DYADIC_SOURCES else \
                (event.trigger, event.type)
            groups.setdefault(key, []).append(event)
        events = []
        for group in groups.values():
            first = group[0]
            source, source_code = _actor_fields(dict.fromkeys(e.source for e in group))
            target, target_code = _actor_fields(dict.fromkeys(e.target for e in group))
            events.append({
                "type": first.type,
                "mode": first.mode,
                "cameo": first.cameo,
                "status": first.status,
                "trigger": text[first.trigger[0] : first.trigger[1]],
                "source": source,
                "target": target,
                "source_code": source_code,
                "target_code": target_code,
            })
        predictions.append({"id": record["id"], "source": record.get("source", ""), "text": text, "events": events})
    return predictions


def evaluate_events(path: str | Path, nlp) -> tuple[dict[str, Any], list[dict]]:
    """Return (``score_events`` of ``nlp``'s predictions on the file at ``path``, the predictions)."""
    records = read_jsonl(path)
    predictions = predict_events(records, nlp)
    return score_events(records, predictions), predictions


def _actor_matches(actor, gold_text: str | None) -> bool:
    """Return whether a coded actor agrees with a hand-annotated actor text (words, or the country it names)."""
    if actor is None or not gold_text:
        return False
    if actor_words(actor.text) & actor_words(gold_text):
        return True
    from ..annotate.geo import country_code

    named = country_code(gold_text, ("name",))  # the gold is a country's name: "Belarus"
    return named is not None and actor.country == named


def article_event_hits(events: Sequence, gold: Sequence[dict]) -> list:
    """Return, per hand-annotated event of an article (``type``, ``source``, ``target`` texts), the coded
    event that agrees with it, or None.

    An event agrees when it has the gold type (the seed's ARREST is PLOVER's COERCE arrest) and its
    source and target agree with the gold ones as in ``newsgraph eval events``: a shared word, or a
    code equal to the gold's, here the country the gold text names ("Belarusian authorities" and
    "Belarus" are both BLR).
    """
    hits = []
    for g in gold:
        etype = "COERCE" if g["type"] == "ARREST" else g["type"]
        hits.append(next((e for e in events if e.type == etype and _actor_matches(e.source, g.get("source"))
                          and _actor_matches(e.target, g.get("target"))), None))
    return hits

