"""Read an HTML page into a ``Page``: main text and metadata (trafilatura), captions (ours).

``extract_html`` runs these stages on one parsed tree:

1. parse the HTML once (trafilatura's loader, which repairs common faults)
   and index what later stages look up: the page's paragraphs, link texts and
   image blocks;
2. let trafilatura find the main text and the metadata (title, author, site,
   date, description), in fast mode and without reader comments;
3. add body paragraphs trafilatura missed: those of an article cut into
   several sibling containers of the same kind (it reads only the first),
   and embedded posts (block quotes) between the paragraphs it kept;
4. clean the paragraphs: drop the headline and standfirst it repeats, image
   captions and credits, runs of links (menus, "related" lists) and the promo
   and notice lines that survive its filters;
5. read image blocks (``<figure>``, caption/credit classes) near the article
   into ``Caption`` records, splitting photo credits off the caption text.

On the 102 development pages of article-extraction-benchmark this lifts
plain trafilatura's F1 of 0.950 to 0.979 (``benchmarks/extraction.py``).

Limits: the promo and credit patterns are English; promos in other
languages are kept. The split-body repair needs the containers to share a
tag and class. Paragraphs trafilatura drops inside the one container it read
(judged boilerplate, or text written straight into a ``<div>``) are not
second-guessed, and a page where it takes a teaser block for the article
stays wrong. Photo galleries yield one caption per slide, UI labels included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document

from ..errors import InputTooLargeError
from ..models import Caption, Page
from .text import check_page_text, extract_text

__all__ = ["extract_html"]


# ---------------------------------------------------------------------------
# 1. Parsing and the page index
# ---------------------------------------------------------------------------

# Elements whose text a reader never sees as prose.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option"})
# Class or id fragments that mark caption and credit elements.
_CAPTION_CLASS = re.compile(r"caption")
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|courtesy|image-?source|photo-?by")
# Containers that are not part of the article: menus, footers, promos, comments.
_FOREIGN_CLASS = re.compile(
    r"\b(?:nav|menu|footer|sidebar|related|recommend|promo|newsletter|comment|widget|share|social|outbrain|taboola)"
)
_FOREIGN_TAGS = frozenset({"nav", "footer", "aside"})


def _parse(html: str) -> HtmlElement | None:
    """Return the parsed document, or None if ``html`` holds no markup or text."""
    if not html or not html.strip():
        return None
    tree = trafilatura.load_html(html)
    if tree is None:
        # trafilatura rejects a lone fragment ("<p>x</p>"); wrapped, it is a page.
        tree = trafilatura.load_html(f"<html><body><div>{html}</div></body></html>")
    return tree


#: Elements a page may have. The 102 development pages have at most 1,703 (median 810);
#: trafilatura's extraction grows faster than the element count (15 s for 100,000 empty
#: paragraphs), so a page of a million elements would take many minutes to refuse.
MAX_ELEMENTS = 50_000
#: libxml2 builds the tree this many levels deep and drops whatever is nested deeper
#: (the development pages go 50 deep at most).
_PARSER_MAX_DEPTH = 255


def _check_size(tree: HtmlElement) -> None:
    """Raise ``InputTooLargeError`` for a page of more than ``MAX_ELEMENTS`` elements or too much text."""
    size = chars = 0
    for el in tree.iter():
        size += 1
        chars += len(el.tail or "") + (len(el.text or "") if el.tag not in ("script", "style") else 0)
    if size > MAX_ELEMENTS:
        raise InputTooLargeError(f"page has {size:,} HTML elements, over the {MAX_ELEMENTS:,} an article page needs")
    check_page_text(chars)


def _cut_by_parser(tree: HtmlElement) -> bool:
    """Return True if the tree reaches the parser's depth limit (so deeper content was dropped)."""
    depth = 0
    for event, _el in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= _PARSER_MAX_DEPTH:
            return True
    return False


#: Elements whose text ``_TextReader`` puts on lines of their own.
_LINE_TAGS = frozenset(
    "p div section article header footer nav aside main li ul ol h1 h2 h3 h4 h5 h6 br tr table "
    "blockquote pre figure figcaption dl dt dd form hr title".split()
)


class _TextReader(HTMLParser):
    """Collects a page's text, one line per block element, without building a tree (so without a depth limit)."""

    _SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def _page_text(html: str) -> str:
    """Return the page's visible text as scraped page text: block elements on lines of their own."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


#: Classes of the inline cards a page shows when the pointer rests on a name (a person's
#: photo, full name and latest headlines inside the paragraph's markup).
_CARD_CLASS = re.compile(r"rollover|tooltip|popover|hover-?card|popup|bio-?card|person-?card", re.IGNORECASE)


def _drop_hover_cards(tree: HtmlElement) -> None:
    """Remove the hover cards inside paragraphs, keeping the text after them.

    "Gov. Kristi Noem<span class="rollover-people-block">Kristi Lynn Noem ...
    South Dakota governor doubles down ...</span> (R) is defending ..." would
    otherwise glue the card into the sentence ("Kristi NoemKristi Lynn
    NoemSouth Dakota governor"). A card is an element inside a paragraph
    whose class or id names a popup and that holds an image or two links.
    """
    def card_like(el: HtmlElement) -> bool:
        return bool(_CARD_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"))

    # Walked, not selected with "//p//*": libxml2 merges the node sets of that path in time
    # quadratic in the number of paragraphs (80 s for 100,000 empty ones).
    # Each element once: a <p> nested in a <p> would list its descendants again, for every level.
    seen: set[HtmlElement] = set()
    cards = []
    for p in tree.iter("p"):
        if p in seen:
            continue
        for el in p.iterdescendants():
            seen.add(el)
            if card_like(el):
                cards.append(el)
    for el in cards:
        if el.getparent() is None:  # inside a card dropped already (a <p> nested in a <p>)
            continue
        # The innermost card: its wrapper holds the name itself ("<span class=rollover-people>
        # <a>Kristi Noem</a><span class=rollover-people-block>...").
        if any(card_like(d) for d in el.iterdescendants()):
            continue
        if el.xpath(".//img") or len(el.xpath(".//a")) >= 2:
            el.drop_tree()


def _norm(text: str | None) -> str:
    """Return ``text`` with runs of whitespace collapsed to one space."""
    return " ".join(text.split()) if text else ""


_WORD = re.compile(r"\w+")


def _key(text: str | None) -> str:
    """Return the lower-cased word characters of ``text``, for loose matching."""
    return " ".join(_WORD.findall(text.lower())) if text else ""


def _classes(el: HtmlElement) -> str:
    """Return the element's class and id attributes, lower-cased, for pattern tests."""
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def _text(el: HtmlElement, skip: frozenset[HtmlElement] = frozenset()) -> str:
    """Return the visible text of ``el`` (minus the subtrees in ``skip``), whitespace normalised."""
    return _norm("".join(_text_pieces(el, skip)))


def _text_pieces(el: HtmlElement, skip: frozenset[HtmlElement]) -> Iterator[str]:
    """Yield the text pieces of ``el`` outside invisible elements and ``skip``."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _INVISIBLE and child not in skip:
            yield from _text_pieces(child, skip)
        if child.tail:
            yield child.tail


def _is_foreign(el: HtmlElement, stop: HtmlElement | None = None) -> bool:
    """Return True if ``el`` sits in a menu, footer, promo or comment area (below ``stop``)."""
    for anc in el.iterancestors():
        if anc is stop or anc.tag in ("body", "html"):
            break
        if anc.tag in _FOREIGN_TAGS or _FOREIGN_CLASS.search(_classes(anc)):
            return True
    return False


# Standfirst paragraphs: a ``<p>`` so marked, or any ``<p>`` in the article's ``<header>``.
_DEK_CLASS = re.compile(r"\b(?:dek|standfirst|strapline|sub-?head(?:line)?|subtitle|summary|lede-?text)\b")


def _in_header(el: HtmlElement) -> bool:
    """Return True if ``el`` is a standfirst or sits in a ``<header>``."""
    if _DEK_CLASS.search(_classes(el)):
        return True
    return any(anc.tag == "header" for anc in el.iterancestors())


def _in_caption(el: HtmlElement) -> bool:
    """Return True if ``el`` is inside a figure, a figcaption or a caption-class element."""
    for anc in el.iterancestors():
        if anc.tag in ("body", "html"):
            break
        if anc.tag in ("figure", "figcaption") or _CAPTION_CLASS.search(_classes(anc)):
            return True
    return False


# Elements that cannot be image blocks even with "caption" in their class or
# id: page roots, images, and script templates (``<script id="caption-tpl">``).
_NOT_BLOCKS = _INVISIBLE | {"html", "body", "img", "head"}


@dataclass(slots=True)
class _PageIndex:
    """What the cleaning stages look up in the page, gathered in one pass over the tree."""

    #: Every ``<p>`` with its visible text and that text's key, in page order.
    paragraphs: list[tuple[HtmlElement, str, str]] = field(default_factory=list)
    #: Keys of ``<p>`` texts outside figures, captions and headers: text a page shows as prose.
    prose_keys: set[str] = field(default_factory=set)
    #: Keys of the texts of all links.
    link_keys: set[str] = field(default_factory=set)
    #: Figures and caption elements, outermost only, in page order.
    image_blocks: list[HtmlElement] = field(default_factory=list)


# Figures and elements with "caption" in their class or id, in page order.
# XPath spares lxml a Python object per element; "aption" catches "Caption"
# too, and the exact test is done on the few elements it returns.
_IMAGE_BLOCKS = etree.XPath("//figure | //*[@class][contains(@class, 'aption')] | //*[@id][contains(@id, 'aption')]")


def _index(tree: HtmlElement) -> _PageIndex:
    """Return the page index of ``tree``."""
    index = _PageIndex()
    for el in tree.iter("p"):
        text = _text(el)
        key = _key(text)
        index.paragraphs.append((el, text, key))
        if key and not _in_caption(el) and not _in_header(el):
            index.prose_keys.add(key)
    for el in tree.iter("a"):
        # The whole link text, and each text piece in it: trafilatura may
        # split "Archive <span>(113)</span>" into two lines.
        for piece in (_text(el), *el.itertext()):
            key = _key(piece)
            if key:
                index.link_keys.add(key)
    blocks: set[HtmlElement] = set()
    for el in _IMAGE_BLOCKS(tree):
        if el.tag in _NOT_BLOCKS or (el.tag != "figure" and not _CAPTION_CLASS.search(_classes(el))):
            continue
        if any(anc in blocks for anc in el.iterancestors()):
            continue
        index.image_blocks.append(el)
        blocks.add(el)
    return index


# ---------------------------------------------------------------------------
# 2. Trafilatura
# ---------------------------------------------------------------------------


def _trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    """Return trafilatura's ``Document`` (text and metadata) for ``tree``, or None."""
    return trafilatura.bare_extraction(
        tree,
        url=url,
        # fast: no comparison with readability/jusText. On the 102 development
        # pages the comparison swapped in another text on 4 pages and was worse
        # on 3 of them (menus and teasers taken for the article): plain
        # trafilatura without comments F1 0.954 -> 0.959.
        fast=True,
        # Reader comments are not the article (F1 0.950 -> 0.954 on the same pages).
        include_comments=False,
        include_tables=True,
        with_metadata=True,
    )


def _lines(text: str) -> list[str]:
    """Return the non-empty lines of trafilatura's text, list bullets removed."""
    out = []
    for raw in text.split("\n"):
        line = _norm(raw)
        if line.startswith("- "):
            line = line[2:].strip()
        if line:
            out.append(line)
    return out


# ---------------------------------------------------------------------------
# 3. Missed paragraphs
# ---------------------------------------------------------------------------

# A paragraph recovered from a sibling container must read like prose: 80
# characters is about two lines, longer than the promos and labels seen in
# the development pages. Embedded quotes (tweets) are often one short line.
_MIN_RECOVERED_CHARS = 80
_MIN_EMBED_CHARS = 30
# Block-level tags that start a new line inside an embedded quote.
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "footer", "cite"})


def _signature(el: HtmlElement) -> tuple[str, str]:
    """Return the (tag, class) pair that identifies repeated containers of one kind."""
    return el.tag, " ".join(sorted(el.get("class", "").split()))


def _common_ancestor(nodes: list[HtmlElement]) -> HtmlElement | None:
    """Return the lowest element that contains all of ``nodes``."""
    if not nodes:
        return None
    common = [nodes[0], *nodes[0].iterancestors()]
    for node in nodes[1:]:
        ancestors = {node, *node.iterancestors()}
        common = [el for el in common if el in ancestors]
    return common[0] if common else None


def _block_texts(el: HtmlElement) -> list[str]:
    """Return the text of ``el`` cut at block boundaries (paragraphs, line breaks)."""
    pieces: list[list[str]] = [[]]

    def walk(node: HtmlElement) -> None:
        if node.text:
            pieces[-1].append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _INVISIBLE:
                if child.tag in _BLOCK_TAGS:
                    pieces.append([])
                walk(child)
                if child.tag in _BLOCK_TAGS:
                    pieces.append([])
            if child.tail:
                pieces[-1].append(child.tail)

    walk(el)
    return [text for piece in pieces if (text := _norm("".join(piece)))]


def _positions(lines: list[str]) -> dict[str, int]:
    """Return the index of each line by its key (the first line with that key)."""
    position: dict[str, int] = {}
    for i, line in enumerate(lines):
        position.setdefault(_key(line), i)
    return position


def _insert(lines: list[str], inserts: dict[int, list[str]]) -> list[str]:
    """Return ``lines`` with ``inserts[i]`` placed after line ``i`` (-1: before the first)."""
    if not inserts:
        return lines
    result = list(inserts.get(-1, []))
    for i, line in enumerate(lines):
        result.append(line)
        result.extend(inserts.get(i, []))
    return result


def _recover_split_body(index: _PageIndex, lines: list[str]) -> list[str]:
    """Return ``lines`` with the paragraphs of the article's other containers inserted.

    Many sites cut the article into several containers of the same kind with
    advertisements between them, and trafilatura reads the first one. The
    ``<p>`` children of other containers with the tag and class of the one the
    kept paragraphs come from are inserted in page order.
    """
    position = _positions(lines)
    containers: set[HtmlElement] = set()
    signatures: Counter = Counter()
    for node, _, key in index.paragraphs:
        parent = node.getparent()
        if key in position and parent is not None and parent not in containers:
            containers.add(parent)
            signatures[_signature(parent)] += 1
    if not signatures:
        return lines
    main = signatures.most_common(1)[0][0]
    if not main[1]:
        # Class-less containers (bare <div>s) are no evidence of one repeated body block.
        return lines
    joined = " ".join(position)
    inserts: dict[int, list[str]] = {}
    last = -1
    for node, text, key in index.paragraphs:
        if key in position:
            last = max(last, position[key])
            continue
        parent = node.getparent()
        if parent is None or parent in containers or _signature(parent) != main:
            continue
        if len(text) < _MIN_RECOVERED_CHARS or key in joined or _is_foreign(node):
            continue
        inserts.setdefault(last, []).append(text)
    return _insert(lines, inserts)


def _recover_embeds(index: _PageIndex, lines: list[str]) -> list[str]:
    """Return ``lines`` with the block quotes between the article's paragraphs inserted.

    trafilatura drops most embedded posts (``<blockquote class="twitter-tweet">``)
    as link-heavy boilerplate; in the development pages every block quote that
    sat between two kept paragraphs was part of the gold article text.
    """
    position = _positions(lines)
    keys = {node: key for node, _, key in index.paragraphs}
    kept_nodes = [node for node, _, key in index.paragraphs if key in position]
    scope = _common_ancestor(kept_nodes)
    if scope is None or len(kept_nodes) < 2:
        return lines
    last_kept = max(position[keys[node]] for node in kept_nodes)
    joined = " ".join(position)
    inserts: dict[int, list[str]] = {}
    last = None
    for el in scope.iter("p", "blockquote"):
        if el.tag == "p":
            if keys.get(el) in position:
                last = position[keys[el]]
            continue
        if last is None or last >= last_kept or any(anc.tag == "blockquote" for anc in el.iterancestors()):
            continue
        if any(keys.get(p) in position for p in el.iter("p")) or _in_caption(el):
            continue
        pieces = _block_texts(el)
        key = _key(" ".join(pieces))
        if len(" ".join(pieces)) < _MIN_EMBED_CHARS or key in joined:
            continue
        inserts.setdefault(last, []).extend(pieces)
    return _insert(lines, inserts)


# ---------------------------------------------------------------------------
# 4. Cleaning
# ---------------------------------------------------------------------------

# Promo and notice lines that survive trafilatura's filters, matched at the
# start of a short line: cross-links, calls to subscribe or follow, sharing
# and reprint widgets, author contact lines. Collected from the development
# pages and kept to phrases that do not open a sentence of news prose.
_PROMO_START = re.compile(
    r"""^(?:
        related(?:\ (?:articles?|stories|coverage|content|posts?|links?|reading))?\s*[:|]
      | (?:read|see|watch|listen|click|tap)\ (?:more|also|next|here|now|the\ full)\b
      | also\ (?:read|see|watch)\b | more\ (?:from|on|news)\b.*:
      | don'?t\ miss | must\ read | recommended(?:\ for\ you)?\s*: | trending\s*:
      | (?:subscribe|sign\ up|register|join)\b.{0,80}\b(?:newsletter|inbox|today|(?<!-)free|now|here|updates?)\b
      | follow\ (?:us|\w+(?:\ \w+){0,3}\ on)\b
      | (?:share|print|email|order\ reprints|reprints?|print\ article|save\ article)(?:\ (?:this|article|story))?$
      | (?:email|write\ to|contact)\ (?:\w+\ ){1,3}at\ \S+@
      | copyright\ *(?:©|\(c\)|\d{4}) | © | \(c\)\ *\d{4}
      | advertisement$ | sponsored(?:\ content)?$ | tell\ us\ what\ you\ think
      | get\ (?:the\ latest|our|\w+\ delivered)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Phrases that make a short line a promo wherever they stand in it.
_PROMO_ANYWHERE = re.compile(
    r"\bclick here\b|\b(?:sign up|subscribe)\b[^.!?]{0,60}\bnewsletters?\b", re.IGNORECASE
)
# Legal notices can be long and sit anywhere in the line.
_NOTICE = re.compile(r"\ball rights reserved\b|\bthis copy is for your personal, non-commercial use\b", re.IGNORECASE)
# Promos are short; a longer line is prose that happens to start the same way.
_PROMO_MAX_WORDS = 40

# Whole-line photo credits trafilatura keeps: "(AP Photo/Evan Vucci)", "Photo: Jane Doe/AFP".
_CREDIT_LINE = re.compile(
    r"^[(\[]?(?:(?:AP|AFP|Reuters|Getty)\ ?Photos?\b|Photo(?:graph)?s?\s*(?::|by\b)"
    r"|Image(?:\ credit)?\s*:|Credit\s*:|Picture\s*:).{0,80}[)\]]?$",
    re.IGNORECASE,
)

# Runs of lines that are each the whole text of a link: menus, tag lists,
# "related stories". On the development pages 480 of trafilatura's lines sat
# in such runs of 3 or more, 10 of them in the gold text (one page, whose gold
# text shares single words with its menu); lone link lines were mostly
# article text (product and source links), so they stay.
_LINK_RUN = 3
_LETTER = re.compile(r"[^\W\d_]")


def _is_promo(line: str) -> bool:
    """Return True if ``line`` is a promo, widget label, photo credit or site notice."""
    if _NOTICE.search(line):
        return True
    if len(line.split()) > _PROMO_MAX_WORDS:
        return False
    return bool(_PROMO_START.search(line) or _PROMO_ANYWHERE.search(line) or _CREDIT_LINE.search(line))


def _drop_link_runs(lines: list[str], link_keys: set[str]) -> list[str]:
    """Return ``lines`` without runs of ``_LINK_RUN`` or more lines that are whole link texts.

    Lines without letters ("(113)", "2019") inside a run belong to it: archive
    and category menus print a count after each link.
    """
    out: list[str] = []
    run: list[str] = []
    links = 0
    for line in [*lines, None]:
        if line is not None:
            key = _key(line)
            if key in link_keys:
                run.append(line)
                links += 1
                continue
            if run and not _LETTER.search(line):
                run.append(line)
                continue
        if links < _LINK_RUN:
            out.extend(run)
        run, links = [], 0
        if line is not None:
            out.append(line)
    return out


# A description sharing this share of its word pairs with the opening
# paragraphs repeats the lede (often cut short or lightly edited) and is no
# standfirst. On the development pages real standfirsts shared at most 50%
# (short ones share a few stock phrases by chance), repeated ledes 60% or more.
_LEDE_OVERLAP = 0.6


def _pairs(key: str) -> set[tuple[str, str]]:
    """Return the set of adjacent word pairs of a key."""
    words = key.split()
    return set(zip(words, words[1:]))


def _repeats_lede(description_key: str, paragraphs: list[str]) -> bool:
    """Return True if the description repeats (part of) the first paragraphs."""
    opening_key = " ".join(_key(p) for p in paragraphs)
    # Some sites put the whole article in the description: compare its start only.
    words = description_key.split()[: len(opening_key.split())]
    pairs = _pairs(" ".join(words))
    if not pairs:
        return bool(words) and " ".join(words) in opening_key
    return len(pairs & _pairs(opening_key)) / len(pairs) >= _LEDE_OVERLAP


# A headline part shorter than this is too generic to be dropped as a repeat
# of the title ("Opinion", "News"); 15 characters is three or four words.
_MIN_TITLE_PART = 15


def _in_title(key: str, title_key: str) -> bool:
    """Return True if ``key`` is the title or the title minus a section or site part."""
    if key == title_key:
        return True
    return len(key) >= _MIN_TITLE_PART and (title_key.startswith(key) or title_key.endswith(key))


def _clean(
    lines: list[str], index: _PageIndex, title: str | None, description: str | None, caption_keys: set[str]
) -> tuple[list[str], str | None]:
    """Return (body paragraphs, dek): headline, standfirst, captions, link runs and promos dropped."""
    title_key, desc_key = _key(title), _key(description)
    out: list[str] = []
    dek: str | None = None
    for line in lines:
        key = _key(line)
        if not key or key == title_key or (not out and _in_title(key, title_key)):
            continue
        prose = key in index.prose_keys
        if key == desc_key and not out and not prose:
            # Printed above the article (a heading, not a paragraph): the standfirst.
            dek = _norm(description)
            continue
        if not prose and (key in caption_keys or _key(_split_credit(line)[0]) in caption_keys):
            continue
        if _is_promo(line):
            continue
        out.append(line)
    out = _drop_link_runs(out, index.link_keys)
    if dek is None and desc_key and not _repeats_lede(desc_key, out[:3]):
        dek = _norm(description)
    return out, dek


# ---------------------------------------------------------------------------
# 5. Captions and credits
# ---------------------------------------------------------------------------

_AGENCIES = (
    r"AP|AFP|Reuters|Getty Images|Getty|EPA(?:-EFE)?|Shutterstock|Bloomberg|PA(?: Wire)?|Xinhua|Sipa(?: USA)?"
    r"|ZUMA(?: Wire| Press)?|Alamy|NurPhoto|Anadolu(?: Agency)?|Invision|TNS|UPI|Polaris|Redux|iStock|AAP|Kyodo|Yonhap"
)
# Credit conventions written at the end of caption text:
#   "... on Monday. (AP Photo/Evan Vucci)"   "... (Photo: Jane Doe/Reuters)"
#   "... Photo: Jane Doe / AFP"   "... Photograph: Jane Doe/Getty Images"
#   "... Credit: Jane Doe"   "... Jane Doe/Getty Images"
_CREDIT_IN_PARENS = re.compile(
    r"\s*[(\[](?P<credit>[^()\[\]]*(?:\b(?:photo|photograph|picture|image|credit|courtesy|file)\b"
    r"|/\s*(?:" + _AGENCIES + r")\b)[^()\[\]]*)[)\]]\s*$",
    re.IGNORECASE,
)
_CREDIT_LABEL = re.compile(
    r"(?:^|\s+[|/–—-]\s*|(?<=[.!?\"”’)])\s*)"
    r"(?P<credit>(?:Photo(?:graph)?s?|Pictures?|Images?|Credit|Photo credit|Image credit|Courtesy(?: of)?)"
    r"\s*(?::|by\b)\s*\S.*)$",
    re.IGNORECASE,
)
# Without punctuation before it, only a capitalised label with a colon: "... at dawn Photo: Jane Doe".
_CREDIT_LABEL_BARE = re.compile(r"\s+(?P<credit>(?:Photo(?:graph)?|Picture|Image|Credit|Courtesy)s?:\s*\S.*)$")
# A photographer's name: up to six words or initials ("J. Doe"), no sentence end.
_NAME = r"(?:[A-Z]\.|[\w'’\-]+)(?:\s+(?:[A-Z]\.|[\w'’\-]+)){0,5}"
_CREDIT_AGENCY = re.compile(
    r"(?:(?<=[.!?\"”’)])|^)\s*(?P<credit>" + _NAME + r"\s*/\s*(?:" + _AGENCIES + r")"
    r"(?:\s+(?:via|for)\s+[\w .]+)?)\s*$"
)
# A credit is short: a name and an agency, sometimes "via" another.
_CREDIT_MAX_WORDS = 12
_CREDIT_LABEL_LEAD = re.compile(
    r"^(?:(?:photo(?:graph)?s?|image|picture|credit|photo credit|image credit)\s*(?::|by\b)"
    r"|(?:image|photo) (?:copyright|source)\b[,:]?|copyright\b:?|©)\s*",
    re.IGNORECASE,
)
# Labels that screen readers get before a caption ("Image caption ...", BBC).
_CAPTION_LABEL_LEAD = re.compile(r"^(?:image|media|photo) caption\b[,:]?\s*", re.IGNORECASE)


def _split_credit(text: str) -> tuple[str, str]:
    """Return (caption, credit) of caption text whose photo credit is written at its end."""
    for pattern in (_CREDIT_IN_PARENS, _CREDIT_LABEL, _CREDIT_LABEL_BARE, _CREDIT_AGENCY):
        match = pattern.search(text)
        if match and len(match.group("credit").split()) <= _CREDIT_MAX_WORDS:
            return text[: match.start()].strip(), _clean_credit(match.group("credit"))
    return text, ""


def _clean_credit(text: str) -> str:
    """Return a credit without brackets and its "Photo:"/"Credit:" label."""
    return _CREDIT_LABEL_LEAD.sub("", _norm(text).strip("()[] "))


def _read_block(block: HtmlElement) -> Caption | None:
    """Return the ``Caption`` of one figure or caption element, or None if it says nothing."""
    alt = next((_norm(img.get("alt")) for img in block.iter("img") if _norm(img.get("alt"))), "")
    if block.tag == "figure":
        holders = list(block.iter("figcaption")) or [
            el for el in block.iter(etree.Element) if el is not block and _CAPTION_CLASS.search(_classes(el))
        ]
    else:
        holders = [block]
    credit_els: list[HtmlElement] = []
    for el in block.iter(etree.Element):
        if el is block or not (el.tag in ("small", "cite") or _CREDIT_CLASS.search(_classes(el))):
            continue
        if not any(anc in credit_els for anc in el.iterancestors()):
            credit_els.append(el)
    if block.tag != "figure":
        # A credit often follows the caption element as its sibling.
        nxt = block.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and _CREDIT_CLASS.search(_classes(nxt)):
            credit_els.append(nxt)
    credits: list[str] = []
    for el in credit_els:
        credit = _clean_credit(_text(el))
        if credit and credit not in credits:
            credits.append(credit)
    skip = frozenset(credit_els)
    text = _CAPTION_LABEL_LEAD.sub("", _unrepeat(_norm(" ".join(_text(h, skip) for h in holders if h not in skip))))
    if "{{" in text or _is_promo(text):
        # A script template or an advertisement slot, not a caption.
        return None
    credit = "; ".join(credits)
    if text and not credit:
        text, credit = _split_credit(text)
    if not (text or credit) and (block.tag != "figure" or not alt):
        return None
    return Caption(alt=alt, text=text, credit=credit)


def _unrepeat(text: str) -> str:
    """Return ``text`` once if it is the same text written twice (full and mobile captions)."""
    half = len(text) // 2
    if len(text) > 20 and text[:half].strip() == text[half:].strip():
        return text[:half].strip()
    return text


def _article_scope(index: _PageIndex, lines: list[str]) -> HtmlElement | None:
    """Return the element holding the article: its ``<article>``, or the body paragraphs' common parent."""
    kept = {_key(line) for line in lines}
    lowest = _common_ancestor([node for node, _, key in index.paragraphs if key in kept])
    if lowest is None:
        return None
    for el in [lowest, *lowest.iterancestors()][:6]:
        if el.tag == "article":
            return el
    # One level up reaches the lead image beside the text block.
    parent = lowest.getparent()
    return parent if parent is not None and parent.tag not in ("body", "html") else lowest


def _read_blocks(index: _PageIndex) -> list[tuple[HtmlElement, Caption]]:
    """Return the page's image blocks that say something, each with its ``Caption``."""
    return [(block, caption) for block in index.image_blocks if (caption := _read_block(block)) is not None]


def _captions(blocks: list[tuple[HtmlElement, Caption]], scope: HtmlElement | None) -> list[Caption]:
    """Return the captions of the blocks inside ``scope`` (all if None), without duplicates."""
    captions: list[Caption] = []
    for block, caption in blocks:
        if scope is not None and block is not scope and scope not in block.iterancestors():
            continue
        # Only containers inside the article count: an unclosed menu <div> may wrap it all.
        if _is_foreign(block, stop=scope) or caption in captions:
            continue
        captions.append(caption)
    return captions


def _caption_keys(blocks: list[tuple[HtmlElement, Caption]]) -> set[str]:
    """Return the keys of every caption text, credit, and caption-with-credit on the page."""
    keys: set[str] = set()
    for _, caption in blocks:
        for piece in (caption.text, caption.credit, f"{caption.text} {caption.credit}"):
            key = _key(piece)
            if key:
                keys.add(key)
    return keys


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _language(tree: HtmlElement) -> str | None:
    """Return the primary subtag of ``<html lang>`` ("en" for "en-US"), or None."""
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    code = lang.strip().replace("_", "-").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _byline(author: str | None, site: str | None) -> str | None:
    """Return the author names, without the publisher name trafilatura sometimes adds."""
    names = [_norm(n) for n in (author or "").split(";") if _norm(n)]
    if not names:
        return None
    site_key = _key(site)
    kept = [n for n in names if _key(n) != site_key] or names
    return ", ".join(kept)


def _title(title: str | None, site: str | None) -> str | None:
    """Return the headline without a trailing " | Site" or " - Site" part."""
    title = _norm(title) or None
    if title and site:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            head, found, tail = title.rpartition(sep)
            if found and head and _key(tail) == _key(site):
                return head.strip()
    return title


# ---------------------------------------------------------------------------
# Orchestrator
# ---------------------------------------------------------------------------


def extract_html(html: str, url: str | None = None) -> Page:
    """Return the ``Page`` (metadata, body paragraphs, captions) found in an HTML document.

    1. parse the page, drop hover cards, index it; 2. trafilatura text and metadata;
    3. recover paragraphs of a split body and embedded posts; 4. drop headline,
    dek, captions, link runs and promos; 5. read the article's captions.
    Never downloads anything. A page without an article gives no paragraphs
    but keeps its metadata.
    """
    tree = _parse(html)
    if tree is None:
        return Page(title=None, paragraphs=(), url=url)
    _check_size(tree)
    if _cut_by_parser(tree):
        # The tree lost what was nested deeper than libxml2 goes: read the page's text instead.
        return replace(extract_text(_page_text(html)), url=url)
    _drop_hover_cards(tree)
    index = _index(tree)
    blocks = _read_blocks(index)
    doc = _trafilatura(tree, url)
    paragraphs: list[str] = []
    dek: str | None = None
    scope: HtmlElement | None = None
    if doc is None:
        # No article text: keep what the page says about itself.
        doc = trafilatura.extract_metadata(deepcopy(tree), default_url=url)
    else:
        lines = _recover_embeds(index, _recover_split_body(index, _lines(doc.text or "")))
        paragraphs, dek = _clean(lines, index, doc.title, doc.description, _caption_keys(blocks))
        scope = _article_scope(index, paragraphs)
    site = _norm(doc.sitename) or None
    return Page(
        title=_title(doc.title, site),
        paragraphs=tuple(paragraphs),
        dek=dek,
        byline=_byline(doc.author, site),
        site=site,
        published=doc.date if doc.date and _ISO_DATE.match(doc.date) else None,
        language=_language(tree),
        url=url or doc.url,
        captions=tuple(_captions(blocks, scope)),
    )
