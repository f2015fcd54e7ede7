"""Step 0: the coding dictionaries, read from PETRARCH-format files.

The package ships the dictionaries PETRARCH2 and the Phoenix event data set
were coded with (``data/petrarch2/``, MIT, Open Event Data Alliance; formats
in PETRARCH2's ``dictionaries.rst``): the CAMEO verb patterns, state,
international and non-state actors with the dates each code held, agent nouns
with their sector codes, and discards. Users add their own files in the same
formats (``--dictionaries``, ``NEWSGRAPH_DICTIONARIES``); the kind of a file
is told by its name (``*verbs*``, ``*actors*``, ``*agents*``, ``*discards*``)
or, failing that, by its content.

This is our own reader, written from the format description, not a port of
PETRARCH's. What it keeps:

* **Actors**: every phrase (primary and ``+`` synonyms) as a tuple of
  lower-case words (letters and digits only, so "U.N." is ``("u", "n")`` like
  the text's), with its codes and their date ranges. A phrase that does not
  end in ``_`` is a stem: its last word also matches with the usual endings
  ("ARGENTIN" -> Argentina, Argentine, Argentines).
* **Agents**: phrase -> sector code (``~GOV`` after the country, ``NGO~``
  before it), with regular plurals and ``!SUBST!`` sets expanded.
* **Verbs**: for every verb (lemma, lower case; the ``+``-marked word of a
  multi-word verb, with its other words as required neighbours), its own code
  and the patterns of its block: words before and after the verb,
  prepositional phrases, ``{...}`` phrases and ``&`` synsets, each with a
  CAMEO code. Matching them against a parse is ``patterns.py``'s job.
* **Discards**: sentence-level and story-level (``+``) phrases.

Two-digit years in date ranges are 20YY up to 30, else 19YY, as in the
CountryInfo files the dictionaries were generated from (Putin's
``[RUSGOV >080508]`` starts in 2008).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ...errors import DictionaryError

__all__ = [
    "ActorEntry", "VerbPattern", "VerbEntry", "Dictionaries", "builtin_files", "load_dictionaries", "text_words",
    "user_files", "words_of",
]

_WORD = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"\[([^\]]*)\]")
_STEM_ENDINGS = ("", "s", "es", "a", "e", "n", "ns", "an", "ans", "ian", "ians", "ese", "i", "is")


def words_of(text: str) -> tuple[str, ...]:
    """Return the lower-case letter-and-digit words of ``text``: the form phrases are matched in."""
    return tuple(_WORD.findall(text.lower().replace("_", " ")))


_TEXT_WORD = re.compile(r"[A-Za-z0-9]+")


def text_words(text: str) -> tuple[str, ...]:
    """Return ``words_of(text)``, but a short word written in lower case cannot be an abbreviation.

    "told us" is no USA and "un-" no United Nations: a word of up to three
    letters in lower case gets a mark that no dictionary phrase has.
    """
    return tuple(w.lower() if len(w) > 3 or not w.islower() else w + "\u00b7" * (len(w) <= 3)
                 for w in _TEXT_WORD.findall(text.replace("_", " ")))


def _plurals(word: str) -> tuple[str, ...]:
    """Return ``word`` and its regular plural (S, IES after Y, ES after SS), as PETRARCH forms them."""
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word, word[:-1] + "ies"
    if word.endswith(("ss", "sh", "ch", "x")):
        return word, word + "es"
    return word, word + "s"


def _date(text: str) -> dt.date | None:
    text = text.strip()
    try:
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date((2000 if yy <= 30 else 1900) + yy, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A dictionary actor: its primary phrase, its default code, and codes held between dates."""

    name: str
    default: str | None
    dated: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()

    def code(self, when: dt.date | None = None) -> str | None:
        """Return the code the actor held on ``when`` (else its default code), or None."""
        if when is not None:
            for code, lo, hi in self.dated:
                if (lo is None or lo <= when) and (hi is None or when <= hi):
                    return code
        return self.default


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """One ``-`` line of a verb block: what must stand before and after the verb, and the code.

    ``before`` and ``after`` hold elements: a word tuple (a ``{...}`` phrase,
    head last), ``("&", NAME)`` for a synset, ``("%",)`` for a compound actor,
    or for a prepositional phrase ``("(", PREP, element or None)``. ``target`` / ``source`` name the
    preposition whose object the ``+`` / ``$`` marker stands in, or ``""`` for
    a bare marker after the verb (its object).
    """

    before: tuple
    after: tuple
    code: str
    target: str | None = None
    source: str | None = None

    @property
    def size(self) -> int:
        """Return how many elements the pattern asks for: its specificity."""
        n = 0
        for el in self.before + self.after:
            n += 1 + (1 if el[0] == "(" and el[2] is not None else 0)
        return n


@dataclass(slots=True)
class VerbEntry:
    """A verb of the dictionary: its own code, the block's patterns, and words a multi-word verb needs."""

    lemma: str
    code: str | None
    patterns: list[VerbPattern] = field(default_factory=list)
    before: tuple[str, ...] = ()  # "WIRE_+TAP": words just before the verb
    after: tuple[str, ...] = ()  # "+CORDON_OFF": particles or words after it
    origin: str = ""
    user: bool = False  # from a file the user gave: its code is coded even without a PLOVER category


@dataclass
class Dictionaries:
    """The loaded dictionaries, indexed for matching (see the module docstring)."""

    actors: dict[tuple[str, ...], ActorEntry] = field(default_factory=dict)
    agents: dict[tuple[str, ...], str] = field(default_factory=dict)
    verbs: dict[str, list[VerbEntry]] = field(default_factory=dict)
    synsets: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    discards: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (words, whole story)
    files: list[str] = field(default_factory=list)
    max_actor_words: int = 1
    max_agent_words: int = 1
    _discard_index: dict[str, list[tuple[tuple[str, ...], bool]]] = field(default_factory=dict)
    _starts: frozenset[str] | None = None

    @property
    def starts(self) -> frozenset[str]:
        """Return the words an actor or agent phrase can start with: a scan tries no window elsewhere."""
        if self._starts is None:
            self._starts = frozenset(k[0] for k in self.actors) | frozenset(k[0] for k in self.agents)
        return self._starts

    # ---- lookups -------------------------------------------------------

    def find_actor(self, words: Sequence[str]) -> tuple[int, int, ActorEntry] | None:
        """Return (start, end, entry) of the longest dictionary actor inside ``words``, leftmost first.

        ``words``: ``text_words`` of a text (or ``words_of`` of a name); a marked
        short lower-case word matches no phrase alone, and inside one it is
        read as its plain form ("bank of england").
        """
        best = _longest(words, self.actors, self.max_actor_words, self.starts)
        if any(w.endswith("\u00b7") for w in words):
            plain = tuple(w.rstrip("\u00b7") for w in words)
            other = _longest(plain, self.actors, self.max_actor_words, self.starts)
            longer = best is None or other is not None and other[1] - other[0] > best[1] - best[0]
            if other is not None and other[1] - other[0] > 1 and longer:
                best = other
        return best

    def find_agent(self, words: Sequence[str]) -> tuple[int, int, str] | None:
        """Return (start, end, code) of the agent phrase in ``words`` that ends last, longest first.

        A phrase's head comes last ("riot police officers" are police), so
        the phrase nearest the end of the words decides.
        """
        for end in range(len(words), 0, -1):
            for start in range(max(0, end - self.max_agent_words), end):
                code = self.agents.get(tuple(words[start:end]))
                if code is not None:
                    return start, end, code
        return None

    def discard(self, words: Sequence[str]) -> tuple[tuple[str, ...], bool] | None:
        """Return the first discard phrase found in ``words`` as (phrase, whole story), or None."""
        for i, w in enumerate(words):
            for phrase, story in self._discard_index.get(w, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    return phrase, story
        return None

    # ---- reading -------------------------------------------------------

    def add_file(self, path: str | Path, kind: str | None = None, *, override: bool = False) -> None:
        """Read one dictionary file into this object; ``kind`` is told from the file when not given.

        ``override``: verbs in this file replace what earlier files said about
        the same verbs (a user's verb file wins over the built-in one).
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DictionaryError(f"cannot read dictionary file ({exc.strerror or exc})", str(path)) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        kind = kind or _kind_of(path.name, text)
        if kind is None:
            raise DictionaryError("not a PETRARCH dictionary (name it *verbs*, *actors*, *agents* or *discards*)",
                                  str(path))
        reader = {"verbs": self._read_verbs, "actors": self._read_actors, "agents": self._read_agents,
                  "discards": self._read_discards}[kind]
        try:
            reader(text.splitlines(), path, override)
        except (ValueError, IndexError) as exc:
            raise DictionaryError(f"cannot read {kind} dictionary: {exc}", str(path)) from None
        self.files.append(str(path))
        self._starts = None

    def _read_actors(self, lines: list[str], path: Path, override: bool) -> None:
        phrases: list[str] = []
        default: str | None = None
        dated: list[tuple[str, dt.date | None, dt.date | None]] = []

        def flush() -> None:
            if not phrases:
                return
            entry = ActorEntry(phrases[0].strip("_ ").replace("_", " "), default, tuple(dated))
            for phrase in phrases:
                stem = not phrase.rstrip().endswith("_")
                words = words_of(phrase)
                if not words:
                    continue
                forms = [words]
                if stem and len(words[-1]) >= 4:
                    forms = [words[:-1] + (words[-1] + e,) for e in _STEM_ENDINGS]
                for form in forms:
                    if override or form not in self.actors:
                        self.actors[form] = entry
                self.max_actor_words = max(self.max_actor_words, len(words))

        for line in _content_lines(lines):
            if line.startswith(("\t", " ")) and line.strip().startswith("["):
                code, lo, hi = _restriction(line.strip())
                if code:
                    if lo is None and hi is None:
                        default = code
                    else:
                        dated.append((code, lo, hi))
                continue
            line = line.strip()
            if line.startswith("+"):
                phrases.append(_CODE.sub("", line[1:]).strip())
                continue
            flush()
            match = _CODE.search(line)
            default = _clean_code(match.group(1)) if match else None
            dated = []
            phrases = [_CODE.sub("", line).strip()]
        flush()

    def _read_agents(self, lines: list[str], path: Path, override: bool) -> None:
        subst: dict[str, list[str]] = {}
        for line in _content_lines(lines):
            line = line.strip()
            m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
            if m:
                subst[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
                continue
            code_match = _CODE.search(line)
            if not code_match:
                continue
            code = code_match.group(1).strip().rstrip("}")
            head = line[: code_match.start()]
            plural = None
            brace = re.search(r"\{([^}]*)\}", head)
            if brace:
                plural = brace.group(1).strip()
                head = head[: brace.start()]
            head = head.strip()
            if not head or "~" not in code:
                continue
            variants = [head]
            for marker, options in subst.items():
                if marker in head:
                    variants = [v.replace(marker, o) for v in variants for o in options]
            for variant in variants:
                words = words_of(variant)
                if not words:
                    continue
                forms = {words}
                if brace is None and "!" not in variant:
                    forms |= {words[:-1] + (p,) for p in _plurals(words[-1])}
                elif plural:
                    forms.add(words_of(plural))
                for form in forms:
                    if form and (override or form not in self.agents):
                        self.agents[form] = code
                        self.max_agent_words = max(self.max_agent_words, len(form))

    def _read_discards(self, lines: list[str], path: Path, override: bool) -> None:
        for line in _content_lines(lines):
            line = line.strip()
            story = line.startswith("+")
            words = words_of(line.lstrip("+"))
            if not words or (len(words) == 1 and words[0].isdigit()):
                continue  # bare years ("1914"): history is told by dates, not discarded wholesale
            self.discards.append((words, story))
            self._discard_index.setdefault(words[0], []).append((words, story))

    def _read_verbs(self, lines: list[str], path: Path, override: bool) -> None:
        block_code: str | None = None
        block: list[VerbEntry] = []
        replaced: set[str] = set()
        synset: str | None = None
        for raw in lines:
            if raw.lstrip().startswith("<!--"):
                continue
            line, _, comment = raw.partition("#")
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("&"):
                synset = stripped.split()[0][1:]
                self.synsets.setdefault(synset.rstrip("_"), frozenset())
                continue
            if synset is not None and stripped.startswith("+") and not block:
                name = synset.rstrip("_")
                member = words_of(stripped[1:])
                if member:
                    forms = {member}
                    if not synset.endswith("_") and not stripped.endswith("_"):
                        forms |= {member[:-1] + (p,) for p in _plurals(member[-1])}
                    self.synsets[name] = self.synsets[name] | forms
                continue
            synset = None
            if stripped.startswith("---"):
                match = _CODE.search(stripped)
                block_code = _clean_code(match.group(1)) if match else None
                block = []
                continue
            if stripped.startswith("~"):
                continue  # transformations: our nesting rules do their work
            if stripped.startswith("-"):
                pattern = _pattern(stripped[1:])
                if pattern is None:
                    continue
                # A block is a set of synonyms, but a pattern was written for the verb its comment
                # names ("- * PART (IN) [030]  # TAKE"): "captured part of a stronghold" is no
                # promise. Where the comment names verbs of the block, only those take it.
                named = {w.lower() for w in re.findall(r"[A-Z][A-Z_-]+", comment)}
                owners = [e for e in block if e.lemma in named or "_".join((*e.before, e.lemma, *e.after)) in named]
                for entry in owners or block:
                    entry.patterns.append(pattern)
                continue
            entry = _verb_entry(stripped, block_code, str(path))
            if entry is None:
                continue
            entry.user = override
            entries = self.verbs.setdefault(entry.lemma, [])
            if override and entry.lemma not in replaced:
                entries.clear()
                replaced.add(entry.lemma)
            entries.append(entry)
            block.append(entry)


def _longest(words: Sequence[str], index: dict, max_words: int, starts: frozenset[str] | None = None):
    n = len(words)
    best = None
    for start in range(n):
        if starts is not None and words[start] not in starts:
            continue
        for end in range(min(n, start + max_words), start, -1):
            hit = index.get(tuple(words[start:end]))
            if hit is not None:
                if best is None or end - start > best[1] - best[0]:
                    best = (start, end, hit)
                break
    return best


def _content_lines(lines: Iterable[str]) -> Iterable[str]:
    """Yield lines without comments, blank lines or XML-style comment lines."""
    for line in lines:
        if line.lstrip().startswith("<!--"):
            continue
        cut = line.find("#")
        if cut != -1:
            line = line[:cut]
        if line.strip():
            yield line.rstrip()


def _clean_code(code: str) -> str | None:
    code = code.strip()
    return None if not code or code.strip("-") == "" else code


def _restriction(text: str) -> tuple[str | None, dt.date | None, dt.date | None]:
    """Return (code, from, to) of a date restriction ``[CODE 940720-000101]``, ``[CODE >940720]``, ``[CODE]``.

    Spaces inside the dates are allowed (``[HOB < 950601]``, ``[HOBGOV 19950601 - 19990815]``).
    """
    inner = text.strip()[1:].split("]")[0].split()
    if not inner:
        return None, None, None
    code = _clean_code(inner[0])
    if len(inner) == 1:
        return code, None, None
    when = "".join(inner[1:])
    if when.startswith("<"):
        lo_d, hi_d = dt.date.min, _date(when[1:])
    elif when.startswith(">"):
        lo_d, hi_d = _date(when[1:]), dt.date.max
    else:
        lo, _, hi = when.partition("-")
        lo_d, hi_d = _date(lo), _date(hi)
    if lo_d is None or hi_d is None:
        return code, dt.date.max, dt.date.max  # unreadable range: never applies
    return code, lo_d, hi_d


def _verb_entry(line: str, block_code: str | None, origin: str) -> VerbEntry | None:
    """Return the entry of a verb line (``+CORDON_OFF {...} [code]``), or None for a line that is none."""
    match = _CODE.search(line)
    code = _clean_code(match.group(1)) if match else block_code
    head = re.sub(r"\{[^}]*\}", "", _CODE.sub("", line)).strip()
    if not head:
        return None
    head = head.split()[0]
    parts = [p for p in head.split("_") if p]
    if not parts:
        return None
    marked = next((i for i, p in enumerate(parts) if p.startswith("+")), None)
    if marked is None:
        if len(parts) > 1:
            return None  # a multi-word "verb" with no marked verb is a noun phrase
        marked = 0
    words = [p.lstrip("+").lower() for p in parts]
    if not all(_WORD.fullmatch(w) or "-" in w for w in words):
        return None
    return VerbEntry(words[marked], code, [], tuple(words[:marked]), tuple(words[marked + 1 :]), origin)


def _element(text: str):
    """Return the pattern element of one token: a word tuple, ``("&", NAME)``, or a marker."""
    if text.startswith("&"):
        return ("&", text[1:].rstrip("_"))
    if text in {"$", "+", "^", "%"}:
        return (text,)
    words = words_of(text)
    return words or None


def _split(text: str) -> list[str]:
    """Split a pattern half into tokens, keeping ``{...}`` and ``(...)`` groups whole."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch.isspace() and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _half(text: str) -> tuple[tuple, str | None, str | None]:
    """Return (elements, target preposition, source preposition) of one side of a pattern."""
    elements: list = []
    target = source = None
    for tok in _split(text):
        if tok.startswith("("):
            inner = _split(tok[1:-1] if tok.endswith(")") else tok[1:])
            if not inner:
                continue
            prep = inner[0].lower()
            rest = inner[1:]
            obj = None
            for r in rest:
                if r == "+":
                    target = prep
                elif r == "$":
                    source = prep
                elif r in {"^", "%"}:
                    continue
                elif obj is None:
                    obj = _element(r.strip("{}")) if not r.startswith("&") else _element(r)
            elements.append(("(", prep, obj))
        elif tok.startswith("{"):
            el = _element(tok.strip("{}"))
            if el:
                elements.append(el)
        elif tok == "+":
            target = target if target is not None else ""
        elif tok == "$":
            source = source if source is not None else ""
        elif tok == "%":
            elements.append(("%",))  # a compound actor ("A and B agree")
        elif tok == "^":
            continue
        else:
            el = _element(tok)
            if el:
                elements.append(el)
    return tuple(elements), target, source


def _pattern(text: str) -> VerbPattern | None:
    match = _CODE.search(text)
    if not match or "*" not in text[: match.start()]:
        return None
    code = match.group(1).strip()
    if not code or code.strip("-") == "":
        return None
    body = text[: match.start()]
    before_text, _, after_text = body.partition("*")
    before, tb, sb = _half(before_text)
    after, ta, sa = _half(after_text)
    return VerbPattern(before, after, code, ta if ta is not None else tb, sa if sa is not None else sb)


def _kind_of(name: str, text: str) -> str | None:
    low = name.lower()
    for kind in ("verbs", "actors", "agents", "discards"):
        if kind in low or kind.rstrip("s") in low:
            return kind
    if re.search(r"^---.*\[", text, re.M):
        return "verbs"
    if re.search(r"\[~\w+\]|\[\w+~\]", text):
        return "agents"
    if re.search(r"^\s*\[\w+[^\]]*\]", text, re.M) or re.search(r"_\s*\[[A-Z]{3}", text):
        return "actors"
    return None


_BUILTIN = (
    ("CAMEO.2.0.txt", "verbs"),
    ("Phoenix.Countries.actors.txt", "actors"),
    ("Phoenix.International.actors.txt", "actors"),
    ("Phoenix.MilNonState.actors.txt", "actors"),
    ("Phoenix.agents.txt", "agents"),
    ("newsgraph.agents.txt", "agents"),
    ("Phoenix.discards.txt", "discards"),
)


def builtin_files() -> list[tuple[Path, str]]:
    """Return (path, kind) of the dictionaries shipped in ``newsgraph/data/petrarch2``."""
    root = resources.files("newsgraph") / "data" / "petrarch2"
    return [(Path(str(root / name)), kind) for name, kind in _BUILTIN]


def user_files() -> tuple[str, ...]:
    """Return the extra dictionary files named by ``NEWSGRAPH_DICTIONARIES`` (``os.pathsep``-separated)."""
    value = os.environ.get("NEWSGRAPH_DICTIONARIES", "")
    return tuple(p for p in value.split(os.pathsep) if p.strip())


@functools.lru_cache(maxsize=4)
def load_dictionaries(extra: tuple[str, ...] = ()) -> Dictionaries:
    """Return the built-in dictionaries plus the files in ``extra`` (theirs win where both speak).

    Cached per set of files: every document of a process shares one copy.
    """
    d = Dictionaries()
    for path, kind in builtin_files():
        d.add_file(path, kind)
    for path in extra:
        d.add_file(path, override=True)
    return d
