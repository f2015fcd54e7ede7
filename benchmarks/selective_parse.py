"""Selective parsing: does running the dependency parser only where a quote or event can be found pay?

    python benchmarks/selective_parse.py               # 5 interleaved repetitions, ~20 min on 2 cores
    python benchmarks/selective_parse.py --reps 3 --json

Issue 6 item 4. The variant pipeline is newsgraph's (``annotate.nlp.load_nlp``)
with the model's parser disabled and a component, ``bench_selective_parser_v1``
(below), after ``ner``:

1. a sentence segmenter runs first over the whole text: the model's ``senter``
   (disabled in en_core_web_sm by default) or spaCy's rule-based
   ``sentencizer``;
2. a sentence is *cued* when one of its tokens meets the lexical conditions
   our components check before they look at the parse: a quote cue (a VERB
   whose lemma has a verb frame in ``data/quote_cues.txt``, "put" for "as X
   put it", a NOUN with a noun frame, "according"), or an event trigger (a
   token whose lookup keys, ``events._keys``, hold the head word of a
   ``data/plover_lexicon.tsv`` pattern with a compatible part of speech and
   whose sentence holds the pattern's other words; "must" for reported
   obligations);
3. adjacent cued sentences form runs; the runs of a batch of articles are
   copied into compact ``Doc``s (words, spaces, and the rows of the shared
   ``tok2vec`` tensor the parser's listener reads) with a sentence start
   forced at each run's start, so the parser never attaches across runs (its
   arc-eager transitions respect preset sentence starts) and decides the
   boundaries inside a run as it would in the full text;
4. heads and labels are copied back (``HEAD`` offsets are relative, so a
   run's array slice is valid in the article); uncued sentences keep the
   segmenter's boundaries and no arcs (``dep_`` "", head = itself), which our
   components read as "nothing here" (the time component's tense, the
   speakers component's subject bonus and apposition roles are lost there).
   An article with no cue at all gets its first token "parsed" (a one-token
   run) anyway: that is what makes spaCy reset every token's tree
   bookkeeping. A Doc the parser never touched keeps stale left/right edges
   on tokens copied from the tokenizer's special-case cache ("’s", "—"), and
   ``Token.lefts`` / ``rights`` then read outside the tree: the quotes
   component segfaults on such a Doc.

A "floor" variant parses nothing (the one-token run only): no selection rule
can be faster, so its speed is the ceiling of the whole idea.

Measured: the fraction of sentences and tokens parsed; articles/s and words/s
of ``nlp.pipe`` over already extracted texts (the extraction dev pages in
``shared/eval/extraction/dev/html`` and the PolNeAR dev articles), model
load excluded, one process, repetitions interleaved with the variant order
rotated each time (the machine is shared), medians reported, with the median
of the per-repetition ratio to the full pipeline; accuracy with the
project's evaluators (``eval.quotes.evaluate_quotes`` on PolNeAR dev and the
seed, ``eval.events.evaluate_events`` on PLOVER-GSR dev); and, where there
is no gold, how many of the full pipeline's quotes, events, dates and roles
the variant reproduces exactly on the speed texts.

Result (``--reps 7``, en_core_web_sm 3.8, 2 shared cores; speedup = full's
time / the variant's, median of the 7 paired repetitions [min-max]):

                            pages (91 articles)                PolNeAR dev (84 articles)
    variant                 tokens parsed  speedup             tokens parsed  speedup
    full (6.22 / 4.80 art/s)        1.000  1.000                       1.000  1.000
    selective/senter                0.739  0.989 [0.960-1.065]         0.865  1.006 [0.837-1.045]
    selective/sentencizer           0.658  1.025 [0.984-1.067]         0.790  1.001 [0.931-1.092]
    floor (nothing parsed)          0.000  1.257 [1.173-1.301]         0.000  1.349 [1.137-1.394]

Accuracy holds: PolNeAR dev all-F1 0.7024 full, 0.7026 senter, 0.7029
sentencizer; direct F1 0.8840 in all three; speaker accuracy 0.9387 /
0.9388 / 0.9388; e2e F1 0.6520 / 0.6522 / 0.6525; the seed F1 0.8936,
speaker names 20/22 in all; PLOVER-GSR dev type F1 0.8036, source 0.9701,
target 0.8250 in all (the cues miss none of its event sentences: the floor
scores 0 there). Off the gold sets the variant is not the same pipeline: of
the full pipeline's records on the speed texts it reproduces 99.2% of the
quotes (senter) / 98.6% (sentencizer), 98.3% / 97.4% of the events, 94% /
89% of the apposition roles (read from uncued sentences), and 91% / 63% of
the sentence boundaries (which tone and the pronoun window count in); inside
the parsed runs 99.9% / 99.3% of arcs equal the full parse.

Decision: not used. The gain is within the noise (at most +2.5% median, and
every ratio range straddles 1). The parser's own time is only ~9% of the
pipeline's (per-component timing: tok2vec and ner's own embedding dominate);
news sentences are cue-dense (57-73% of sentences, 66-87% of tokens carry a
quote cue or an event trigger), so at most ~2-3% can be saved, and finding
the cues (~1%) plus the senter (~1%) or the cruder sentencizer boundaries eat
it. The floor's +26-35% is no guide: it also removes the quote and event
work that uncued sentences never had.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from newsgraph.annotate.events import _keys, lexicon
from newsgraph.annotate.nlp import load_nlp
from newsgraph.annotate.quotes import cue_lexicon
from newsgraph.errors import NewsgraphError
from newsgraph.eval.common import read_jsonl
from newsgraph.eval.events import evaluate_events
from newsgraph.eval.quotes import evaluate_quotes

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
DEFAULT_HTML = SHARED / "extraction" / "dev" / "html"
POLNEAR = SHARED / "quotes" / "polnear.dev.jsonl"
SEED = SHARED / "quotes" / "seed.dev.jsonl"
PLOVER = SHARED / "events" / "plover-gsr.dev.jsonl"

FACTORY = "bench_selective_parser_v1"
#: (variant, segmenter, cues): cues=False is the floor (nothing parsed).
VARIANTS = (
    ("selective/senter", "senter", True),
    ("selective/sentencizer", "sentencizer", True),
    ("floor/sentencizer", "sentencizer", False),
)
QUOTE_KEYS = ("f1", "precision", "recall", "direct_f1", "speaker_accuracy", "e2e_f1")
SEED_KEYS = ("f1", "direct_f1", "speaker_accuracy", "speaker_name_matches")
EVENT_KEYS = ("f1", "precision", "recall", "detection_f1", "source_accuracy", "target_accuracy")


# ---------------------------------------------------------------------------
# The component


def _quote_cue(tok) -> bool:
    """Return whether ``tok`` passes the quotes component's lexical test for a cue."""
    if tok.lower_ == "according":
        return True
    frames = cue_lexicon().get(tok.lemma_.lower())
    if tok.pos_ == "VERB":
        return (frames is not None and frames.verbal) or tok.lemma_ == "put"
    return tok.pos_ == "NOUN" and frames is not None and frames.noun


def _event_cue(tok, keys: set[str], sent_keys: set[str]) -> bool:
    """Return whether ``tok`` passes the events component's lexical test for a trigger."""
    if tok.lower_ == "must":
        return True
    index = lexicon()
    for key in keys:
        for sense in index.get(key, ()):
            if sense.pos == "V" and tok.pos_ not in ("VERB", "ADJ"):
                continue
            if sense.pos == "N" and tok.pos_ not in ("NOUN", "PROPN", "VERB"):
                continue
            heads = (sense.words[0],) if sense.pos == "V" else (sense.words[-1], sense.words[0])
            if key in heads and sent_keys.issuperset(sense.words):
                return True
    return False


def has_cue(sent: Span) -> bool:
    """Return whether ``sent`` holds a token that may be a quote cue or an event trigger."""
    keys = [_keys(tok) for tok in sent]
    sent_keys = set().union(*keys)
    return any(_quote_cue(tok) or _event_cue(tok, k, sent_keys) for tok, k in zip(sent, keys))


class SelectiveParser:
    """spaCy component: runs the model's parser on the runs of cued sentences only."""

    def __init__(self, nlp: Language, name: str, parser: str, cues: bool) -> None:
        self.name = name
        self.parser = nlp.get_pipe(parser)
        self.vocab = nlp.vocab
        self.cues = cues
        self.counts: Counter = Counter()
        self.cue_seconds = 0.0  # time spent finding cues

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        for batch in minibatch(docs, batch_size):
            plans = [self._plan(doc) for doc in batch]
            list(self.parser.pipe([compact for compact, _ in plans]))
            for doc, (compact, rows) in zip(batch, plans):
                self._write(doc, compact, rows)
                yield doc

    def _plan(self, doc: Doc) -> tuple[Doc, numpy.ndarray]:
        """Return the compact Doc of the cued runs and their token indices in ``doc``."""
        start = time.perf_counter()
        sents = list(doc.sents)
        keep = [has_cue(s) for s in sents] if self.cues else [False] * len(sents)
        self.cue_seconds += time.perf_counter() - start
        runs: list[list[int]] = []
        for sent, kept in zip(sents, keep):
            if not kept:
                continue
            if runs and runs[-1][1] == sent.start:
                runs[-1][1] = sent.end
            else:
                runs.append([sent.start, sent.end])
        if not runs and len(doc):
            runs = [[0, 1]]  # see the module docstring: the tree bookkeeping must be set once
        rows = numpy.concatenate([numpy.arange(s, e) for s, e in runs]) if runs else numpy.zeros(0, dtype=int)
        starts = set(numpy.cumsum([0] + [e - s for s, e in runs[:-1]]).tolist())
        tokens = [doc[int(i)] for i in rows]
        compact = Doc(
            self.vocab,
            words=[t.text for t in tokens],
            spaces=[bool(t.whitespace_) for t in tokens],
            sent_starts=[True if n in starts else None for n in range(len(tokens))],
        )
        if len(rows):
            compact.tensor = doc.tensor[rows]
        parsed = len(rows) if any(keep) else 0  # the one-token fallback is not counted
        self.counts.update(sents=len(sents), parsed_sents=sum(keep), tokens=len(doc), parsed_tokens=parsed)
        return compact, rows

    def _write(self, doc: Doc, compact: Doc, rows: numpy.ndarray) -> None:
        if not len(rows):
            return
        sent_starts = doc.to_array(SENT_START)  # the segmenter's, kept where nothing is parsed
        arcs = numpy.zeros((len(doc), 2), dtype="uint64")
        arcs[rows] = compact.to_array([HEAD, DEP])
        doc.from_array([HEAD, DEP], arcs)  # also resets every token's children and edges
        sent_starts[rows] = doc.to_array(SENT_START)[rows]
        doc.from_array([SENT_START], sent_starts)


@Language.factory(
    FACTORY,
    default_config={"parser": "parser", "cues": True},
    requires=["token.pos", "token.lemma", "token.is_sent_start"],
    assigns=["token.dep", "token.head", "token.is_sent_start", "doc.sents"],
)
def make_selective_parser(nlp: Language, name: str, parser: str, cues: bool) -> SelectiveParser:
    return SelectiveParser(nlp, name, parser, cues)


def selective_nlp(model: str | None, segmenter: str, cues: bool) -> Language:
    """Return a fresh newsgraph pipeline whose parser runs through ``bench_selective_parser_v1``."""
    nlp = load_nlp.__wrapped__(model)  # not the cached pipeline: this one is changed
    nlp.disable_pipe("parser")
    nlp.add_pipe(FACTORY, after="ner", config={"cues": cues})
    if segmenter == "senter":
        nlp.enable_pipe("senter")
    else:
        nlp.add_pipe("sentencizer", before=FACTORY)
    return nlp


# ---------------------------------------------------------------------------
# Data


def speed_texts(html: Path) -> tuple[list[tuple[str, str | None]], int]:
    """Return (text, published) of the extraction dev pages the pipeline would annotate, then of PolNeAR dev,
    and how many of them are pages."""
    from newsgraph.extract import extract
    from newsgraph.extract.language import check_language
    from newsgraph.ingest import iter_documents
    from newsgraph.models import RawDocument
    from newsgraph.pipeline import PARAGRAPH_SEPARATOR, normalise_date

    out = []
    for item in iter_documents([html]):
        if not isinstance(item, RawDocument):
            continue
        try:
            page = extract(item)
            check_language(page, source=item.source)
        except NewsgraphError:
            continue
        try:
            published = normalise_date(page.published)
        except NewsgraphError:
            published = None
        out.append((PARAGRAPH_SEPARATOR.join(p for p in page.paragraphs if p.strip()), published))
    pages = len(out)
    out += [(r["text"], r.get("meta", {}).get("published")) for r in read_jsonl(POLNEAR)]
    return out, pages


def _docs(nlp: Language, texts):
    for text, published in texts:
        doc = nlp.make_doc(text)
        doc._.published = published
        yield doc


def _signature(doc: Doc) -> dict[str, Counter]:
    """Return what the article's records say, for comparing two pipelines' outputs."""
    actor = lambda a: a.text if a else None  # noqa: E731
    return {
        "quotes": Counter((q.content, q.source, q.speaker) for q in doc._.quotes),
        "events": Counter((e.type, e.trigger, actor(e.source), actor(e.target), e.status) for e in doc._.events),
        "dates": Counter((d.span, d.value) for d in doc._.dates),
        "roles": Counter((e.name, r.title, r.organisation) for e in doc._.entities for r in e.roles),
        "sentences": Counter((s.start_char, s.end_char) for s in doc.sents),
        "arcs": Counter((t.i, t.head.i, t.dep_) for t in doc if t.dep_),
    }


# ---------------------------------------------------------------------------
# Measuring


def _seconds(nlp: Language, texts) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in nlp.pipe(_docs(nlp, texts)):
        pass
    return time.perf_counter() - start


def accuracy(nlp: Language) -> dict[str, dict]:
    """Return the quotes (PolNeAR dev, seed) and events (PLOVER-GSR dev) scores of ``nlp``."""
    return {
        "polnear": {k: evaluate_quotes(POLNEAR, nlp)[0][k] for k in QUOTE_KEYS},
        "seed": {k: evaluate_quotes(SEED, nlp)[0][k] for k in SEED_KEYS},
        "plover": {k: evaluate_events(PLOVER, nlp)[0][k] for k in EVENT_KEYS},
    }


def run(html: Path, reps: int, model: str | None, log=print) -> dict:
    """Return parse fractions, agreement, timings (``reps`` interleaved passes) and accuracy of every variant."""
    texts, pages = speed_texts(html)
    sets = {"pages": texts[:pages], "polnear": texts[pages:]}
    words = {name: sum(len(t.split()) for t, _ in ts) for name, ts in sets.items()}
    pipelines = {"full": load_nlp(model)}
    for name, segmenter, cues in VARIANTS:
        pipelines[name] = selective_nlp(model, segmenter, cues)
    result: dict = {"articles": {k: len(v) for k, v in sets.items()}, "words": words, "reps": reps,
                    "variants": {name: {s: {} for s in sets} for name in pipelines}}

    # Warm-up pass: parse fractions and agreement with the full pipeline's records.
    full_sig = {s: [_signature(d) for d in pipelines["full"].pipe(_docs(pipelines["full"], ts))]
                for s, ts in sets.items()}
    for name, nlp in pipelines.items():
        row = result["variants"][name]
        if name == "full":
            for set_name in sets:
                row[set_name].update(parsed_sentences=1.0, parsed_tokens=1.0)
            continue
        comp = nlp.get_pipe(FACTORY)
        agree: dict = {}
        cue_seconds = elapsed = 0.0
        for set_name, ts in sets.items():
            comp.counts.clear()
            comp.cue_seconds = 0.0
            start = time.perf_counter()
            sigs = [_signature(d) for d in nlp.pipe(_docs(nlp, ts))]
            elapsed += time.perf_counter() - start
            cue_seconds += comp.cue_seconds
            c = comp.counts
            row[set_name].update(parsed_sentences=c["parsed_sents"] / c["sents"],
                                 parsed_tokens=c["parsed_tokens"] / c["tokens"])
            for a, b in zip(full_sig[set_name], sigs):
                for kind in a:
                    same = sum((a[kind] & b[kind]).values())
                    counts = agree.setdefault(kind, Counter())
                    counts.update(same=same, full=sum(a[kind].values()), extra=sum(b[kind].values()) - same)
            log(f"{name} on {set_name}: parsed {row[set_name]['parsed_sentences']:.3f} of sentences, "
                f"{row[set_name]['parsed_tokens']:.3f} of tokens")
        row["cue_share"] = cue_seconds / elapsed
        row["agreement"] = {kind: dict(counts) for kind, counts in agree.items()}

    # Timed passes, interleaved; the order rotates each repetition.
    names = list(pipelines)
    seconds: dict = {n: {s: [] for s in sets} for n in names}
    for rep in range(reps):
        order = names[rep % len(names):] + names[: rep % len(names)]
        for set_name, ts in sets.items():
            for name in order:
                seconds[name][set_name].append(_seconds(pipelines[name], ts))
        log(f"repetition {rep + 1}/{reps}: " + ", ".join(
            f"{n} {sum(seconds[n][s][-1] for s in sets):.1f}s" for n in names))
    for name in names:
        for set_name in sets if reps else ():
            secs = seconds[name][set_name]
            ratios = [f / s for f, s in zip(seconds["full"][set_name], secs)]  # >1: faster than full
            result["variants"][name][set_name].update(
                articles_per_s=len(sets[set_name]) / statistics.median(secs),
                words_per_s=words[set_name] / statistics.median(secs),
                speedup_median=statistics.median(ratios),
                speedup_min=min(ratios),
                speedup_max=max(ratios),
                seconds=secs,
            )

    for name, nlp in pipelines.items():
        result["variants"][name]["accuracy"] = accuracy(nlp)
        log(f"{name}: accuracy done")
    return result


def _table(result: dict) -> str:
    sets = list(result["articles"])
    lines = [f"{'':<24}" + "".join(f"{s + ' (' + str(result['articles'][s]) + ' articles)':<58}" for s in sets)]
    columns = f"{'sents':>7}{'tokens':>8}{'art/s':>8}{'words/s':>9}{'speedup [min-max]':>26}"
    lines.append(f"{'variant':<24}" + columns * len(sets))
    for name, row in result["variants"].items():
        line = f"{name:<24}"
        for s in sets:
            r = row[s]
            line += f"{r['parsed_sentences']:>7.3f}{r['parsed_tokens']:>8.3f}"
            if "articles_per_s" in r:
                line += (f"{r['articles_per_s']:>8.2f}{r['words_per_s']:>9.0f}"
                         f"{r['speedup_median']:>11.3f} [{r['speedup_min']:.3f}-{r['speedup_max']:.3f}]")
            else:
                line += f"{'-':>8}{'-':>9}{'-':>26}"
        lines.append(line)
    lines.append("")
    for group, keys in (("polnear", QUOTE_KEYS), ("seed", SEED_KEYS), ("plover", EVENT_KEYS)):
        lines.append(f"{group:<24}" + "".join(f"{k:>22}" for k in keys))
        for name, row in result["variants"].items():
            acc = row["accuracy"][group]
            lines.append(f"{name:<24}" + "".join(
                f"{acc[k]:>22.4f}" if isinstance(acc[k], float) else f"{acc[k]:>22}" for k in keys))
    lines.append("")
    lines.append("agreement with full on the speed texts: same / full's count (+ the variant's others)")
    for name, row in result["variants"].items():
        if "agreement" in row:
            lines.append(f"{name:<24}" + "  ".join(
                f"{k} {a['same']}/{a['full']} (+{a['extra']})" for k, a in row["agreement"].items()))
            lines.append(f"{'':<24}finding cues: {row['cue_share']:.1%} of the variant's time")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=DEFAULT_HTML, help="folder of HTML pages for speed")
    parser.add_argument("--reps", type=int, default=5, help="interleaved timed repetitions (default 5; 0: no timing)")
    parser.add_argument("--model", help="spaCy model (default: newsgraph's)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (args.html, POLNEAR, SEED, PLOVER) if not p.exists()]
    if missing:
        print(f"error: missing evaluation data: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        result = run(args.html, args.reps, args.model, log=lambda msg: print(msg, file=sys.stderr))
    except NewsgraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
