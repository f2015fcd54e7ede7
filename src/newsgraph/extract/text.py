"""Clean scraped page text (one block per line) into a ``Page``.

A scraper that keeps all visible text saves navigation, menus, promos, image
captions, comments, footers and the article in page order, one block per
line, with blank lines between groups of blocks. ``extract_text`` recovers
the article in five stages:

1. split the page into lines, each with its blank-line group and features:
   length, stopword share, share of capitalised words, final punctuation,
   promo/notice phrases (consent banners, tip lines), section headings
   ("Related", "Comments"), menus saved as one line ("Home | News | Sport");
2. set aside image blocks as ``Caption`` records (``Image: ALT`` + caption
   line with a glued photo credit, in the same block or, when it carries a
   credit, after a blank line; BBC ``Image source,``/``Image caption,``
   blocks, ``Photo: credit`` lines, ``(AP Photo/X)`` and ``Credit...`` tails,
   gallery ``3 of 12`` captions);
3. class every other line as prose ("good"), prose-like ("near"), short,
   boilerplate ("bad") or a section heading ("barrier"), in the spirit of
   jusText (Pomikálek 2011, *Removing Boilerplate and Duplicate Content from
   Web Corpora*), and give it a value: prose earns its length, the rest costs;
4. take the article as the maximum-sum run of line values, the idea of the
   Body Text Extraction method (Finn, Kushmerick & Smyth 2001, *Fact or
   fiction: content classification for digital libraries*), preferring a run
   that starts just after the headline (the line that repeats the page
   title) and never entering a comment section; keep its prose, the short
   lines between prose (subheadings, list items, but not a widget's teasers)
   and a list the last paragraph introduces; a lead ending in a byline or
   date stamp is left out;
5. read title, site, dek, byline and publication date from the lines around
   the run's start; every line not used is reported as boilerplate. The
   first line is the page title unless it is a notice or a menu (scrapers
   that drop the page title start with what the page shows first); without
   a page title, the headline is the nearest headline-like line above the
   body that is neither a byline nor the standfirst of the line above it.

Tuned constants were calibrated on the 102 development pages of the shared
extraction set (page-text variant) with the article-extraction-benchmark
metric (F1 0.944 there); each says why it has its value. Moving any one of
them to the neighbouring values tried changes F1 by at most 0.01, so the
method does not hinge on a fine-tuned number.

Limits: the method sees only text. A sentence-like comment section with no
heading, a run of teaser excerpts next to a short article, or an "about the
company" paragraph after a press release can be taken for body text; an
article made mostly of lists or tables can be cut to its prose. Stopwords are
English only: on other pages the stopword test is dropped and length and
punctuation decide. Bylines and dates are read only in common English forms.
A caption after a blank line is recognised only by its photo credit; without
one it stays in the body. Without a page title, a headline shorter than 5
words above an unpunctuated standfirst loses the title to the standfirst.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from ..errors import InputTooLargeError
from ..models import Caption, Page

__all__ = ["extract_text", "check_page_text", "MAX_PAGE_TEXT_CHARS"]


# ---------------------------------------------------------------------------
# Tuned constants

# Prose: a line of at least 8 words (shorter lines are menu items, labels,
# subheadings), ending like a sentence or at least 30 words long, with at
# least 25% stopwords (English prose runs at 40-55%, headlines and menus at
# 0-20%) and at most 60% capitalised words (more is a headline or a list of
# names). Moving the stopword bound to 0.20 or 0.30 changes F1 by < 0.001.
_MIN_PROSE_WORDS = 8
_UNPUNCTUATED_PROSE_WORDS = 30
_MIN_STOP_SHARE = 0.25
_MAX_CAP_SHARE = 0.6
# Prose-like ("near") lines: 4+ words that pass the stopword test.
_NEAR_MIN_WORDS = 4
# Below this stopword share over a page's longer lines the page is not in
# English (development pages: English 0.18-0.45, the eleven others 0-0.13);
# the stopword test is then dropped rather than applied with the wrong list.
_ENGLISH_MIN_STOP_SHARE = 0.15
# CJK text has no spaces; two characters make about one English word.
_CJK_CHARS_PER_WORD = 2
# Promo phrases are matched on lines up to 25 words: past every promo seen in
# the development pages and below a typical paragraph (40-80 words), so an
# article may say "subscribe" in a real sentence. Long notices (cookie
# banners, legal footers) have their own phrases, matched at any length.
_PROMO_MAX_WORDS = 25
#: Characters of text a page may hold (outside an HTML page's scripts and styles): the 102
#: development pages hold at most 102,000 (median 11,000), and the model reads at most
#: 1,000,000 of the article (``annotate.nlp.MAX_TEXT_CHARS``). Cleaning a 19 MB page took
#: 27 s as text and 45 s as HTML, only for its article to be refused as too long.
MAX_PAGE_TEXT_CHARS = 2_000_000
# Section headings ("Related stories", "3 Comments") are short.
_HEADING_MAX_WORDS = 8

# Line values for the maximum-sum run, in words. Prose earns its word count;
# other lines cost: a 20-item menu (-60) is a wall one paragraph cannot
# cross, a subheading or "Advertisement" inside an article is crossed by the
# next paragraph, and a section heading costs as much as a long paragraph.
_COSTS = {"near": -1.0, "short": -3.0, "bad": -6.0, "barrier": -60.0}
# Prose lines that share a blank-line group with others are list or teaser
# items about as often as not (35% body on the development pages, against
# 85% for prose lines alone in their group): they earn half.
_GROUPED_FACTOR = 0.5
# Prose with no prose line on either side is a teaser excerpt or a comment far
# more often than an article paragraph: it earns a fifth (0.1 loses recall on
# articles split by ads, 0.3 lets teaser lists join: F1 0.936 for both).
_ISOLATED_FACTOR = 0.2
# The run that starts within 40 lines after the headline wins unless it is
# worth under 30% of the page's best run (then the headline was a teaser).
_ANCHOR_WINDOW = 40
_ANCHOR_SHARE = 0.3
# A comment heading ends the article once 40 words of prose have passed since
# the headline (blogs also print "12 Comments" next to the byline).
_COMMENTS_AFTER_WORDS = 40
# Up to 6 short lines between two paragraphs (subheadings, list items, a
# pull quote) are body; a longer stretch is a widget (F1 0.938 with 2 lines,
# 0.942 with 4, 0.944 with 8).
_MAX_BETWEEN_LINES = 6
# Up to 2 prose-like lines touching the run's ends (a lede without final
# punctuation, a closing one-liner) are body (recall +0.013, precision -0.007).
_EDGE_LINES = 2
# A line is a concatenation of other lines when 80% of its 4-word shingles
# occur in lines at most 80% as long as itself.
_REPEAT_SHARE = 0.8
_PART_SHARE = 0.8

# Title, dek, byline and date sit in the few lines around the headline.
_TITLE_LOOKBACK = 15
_TITLE_MAX_WORDS = 30
_DEK_LOOKAHEAD = 8
_DEK_MIN_WORDS = 6
_BYLINE_LOOKAHEAD = 10
_BYLINE_MAX_WORDS = 15
_DATE_LOOKAHEAD = 10
_DATE_LINE_MAX_WORDS = 15
# A date stamp is a date with at most 5 other words around it ("Published
# 14:05 GMT, 2 February 2025 | Updated 16:40 GMT", "Oct. 3, 2024 at 5:12
# p.m."). A lead of standfirst, byline and date stamp is at most 4 lines.
# Neither value is fine-tuned: 3-8 words and 3-6 lines give the same
# development F1 (0.944, 8 words 0.9443).
_STAMP_MAX_WORDS = 5
_STAMP_LEAD_LINES = 4
_SITE_MAX_WORDS = 6
# In a "Title - Site" reading the title part is at least half as long as the
# site part (see ``_title_options``); a third or all of it give the same
# development F1 and titles.
_MIN_TITLE_TO_SITE = 0.5
# A standfirst printed without final punctuation reads like a second headline
# right under the first; it is told apart from a kicker ("Live updates", "War
# in Ukraine") above a headline by the length of the line before it: kickers
# run 1-4 words, while 95 of the titles found on the 102 development pages
# have 5 or more words (the other seven: "About bugs", "How to retire early").
_KICKER_MAX_WORDS = 4

# A menu saved as one line: 3 or more items joined by " | ", none longer than
# 4 words ("Skip to main content | Politics | U.S. News | Live TV", "Comments |
# Share | Follow"). A page title joins a headline to a section or two and the
# site name, and that headline is longer: of the 102 development page titles,
# the four with 3 or more parts have an 8-12-word headline part, except one
# tag list ("Classificação NASCAR | Autoracing | F1 | Indy | MotoGP |
# StockCar"), which reads as a menu and so gives no page title. Item bounds of
# 3 and 5 words give the same development F1.
_MENU_MIN_ITEMS = 3
_MENU_ITEM_MAX_WORDS = 4

# Alt texts and credits are short; a caption says at least a few words.
_ALT_MAX_WORDS = 30
_CAPTION_MIN_WORDS = 4
_CREDIT_MAX_WORDS = 10
# Alt label, caption and credit: an image block is at most three lines.
_IMAGE_BLOCK_MAX_LINES = 3


# ---------------------------------------------------------------------------
# Patterns

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD_CHARS = re.compile(r"\w+")
# A paragraph ends like a sentence, possibly inside quotes or brackets.
_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』]*$""")
# Two sentences in one line ("...Russia. But will..."): a dek or a paragraph, not a headline.
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?][\"”’]?\s+[A-Z]")
# Han, kana and hangul: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# Promos and widget labels, matched on the lower-cased line.
_PROMO = re.compile(
    r"""
    ^(?:advertisement|advertising|sponsored|ad|promoted|skip|subscriptions?|register|tweet|reply|trending
        |recommended|related|more\ (?:from|on|stories|news|videos)|most\ (?:read|popular|viewed|shared|watched)
        |posted\ in|copyright|cookies?|share|get\ more)\b
    | ^(?:video|watch|listen|photos?|gallery|audio)(?:\s*[:|-]|\s*$)
    | \b(?:advertisement|subscribe|unsubscribe|newsletters?|javascript\ (?:is\ )?(?:disabled|required)
        |sign\ (?:up|in|out)|log\ ?(?:in|out)|create\ (?:an|your)\ account|register\ (?:now|for\ free|today|here)
        |(?:sponsored|promoted|paid|partner)\ (?:content|post|stories|links)
        |download\ (?:the|our)|(?:our|the)\ app|app\ store|google\ play
        |share\ (?:this|on|via)|share\ (?:the|this)\ (?:article|story|post|page)|tweet\ (?:this|it)
        |follow\ (?:us|me|@)|like\ us\ on|click\ here|read\ (?:more|next|the\ full)|continue\ reading
        |see\ (?:also|more|all)|get\ more\ (?:news|stories|updates|from)|get\ (?:the\ )?(?:latest|best)\ (?:news|stories|updates|deals|of)
        |you\ (?:may|might)\ (?:also\ )?like
        |(?:your|another|supported|different|modern|latest)\ browser|browser\ (?:is|does)\ not
        |enable\ javascript|(?:browser|version|ie\ ?\d+)\ (?:is\ )?not\ supported
        |(?:we|site|website)\ uses?\ cookies|cookie\ (?:policy|settings|preferences|notice)|accept\ (?:all\ )?cookies
        |privacy\ (?:policy|notice|settings)|terms\ (?:of\ (?:use|service)|and\ conditions)|all\ rights\ reserved
        |copyright\ (?:©|\(c\)|\d{4})
        |(?:view|show|hide|add|post|no|read)\ (?:all\ )?comments?|comment\ on\ this|leave\ a\ (?:comment|reply)
        |watch\ (?:now|live|the\ (?:video|full))|your\ email\ address|enter\ (?:your\ )?email|opt[\ -]out
        |breaking\ news|news\ alerts?|back\ to\ top|contact\ us|about\ us|free\ trial|limited\ time
    )\b
    # the outlet's tip line: "Got a story? Email ...", "Do you have a news tip for us?", "Get in touch: ..."
    | \b(?:got|have)\ (?:a\ )?(?:story|news\ story|news\ tip|tip|tip-off)(?:\ for\ us)?\s*\?
    # (an address starts after a character it cannot contain: tried from inside a long word, the
    # pattern would rescan the rest of the word at every position, quadratic in the word's length)
    | ^get\ in\ touch\b | (?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+.*\b(?:call|text|whatsapp|message)\ us\b
    | ^\d+\ comments?\b | \bcomments?\ \(\d+\) | \breply\s*$ | © | \(c\)\ \d{4} | \bsave\ \d+%
    """,
    re.VERBOSE,
)
# Site notices that can be long: cookie banners, legal footers, browser warnings.
_NOTICE = re.compile(
    r"""\b(?:we\ use\ cookies|this\ (?:web)?site\ uses\ cookies|by\ (?:using|continuing\ to\ use)\ (?:this|our)
        |all\ rights\ reserved|may\ not\ be\ (?:published|reproduced)(?=,)|for\ an\ optimal\ experience
        |affiliate\ commission|constitutes\ acceptance|are\ registered\ trademarks
        # consent banners ("We and our 912 partners store and/or access information on a device")
        |we\ value\ your\ privacy|(?:we|and)\ our\ (?:\d+\ )?(?:partners|vendors)\ (?:use|store|process|access|may)
        |(?:store|access)\ (?:and/?(?:or\ )?(?:access|store)\ )?information\ on\ (?:a|your)\ device
        |(?:like|want|need)\ to\ use\ (?:some\ |additional\ |optional\ |analytics\ )?cookies
        |personali[sz]ed\ (?:ads|advertising)\ and\ content
    )\b|©""",
    re.VERBOSE,
)
# Headings of a comment section: nothing after them is the article.
_COMMENTS = re.compile(
    r"""^\W*(?:
        comments | \d+\ (?:comments?|responses?|replies) | reader\ comments | (?:top\ rated|latest|recent)\ comments
        | (?:leave|post|add|write)\ (?:a|your)\ (?:comment|reply|response)
        | join\ the\ (?:discussion|conversation) | comments\ are\ closed | have\ your\ say
        | \d+\ (?:thoughts|responses|replies)\ (?:on|to)\ .+
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headings of the other sections that follow an article (or sit in a sidebar).
_SECTION_NAMES = r"""(?:
        related(?:\ (?:articles?|stories|posts|news|content|coverage|topics|links|reading|videos))?
        | you\ (?:may|might)\ also\ (?:like|enjoy) | recommended(?:\ for\ you|\ stories|\ articles)?
        | more\ (?:stories|articles|news|from\ .+|on\ this\ (?:topic|story)|like\ this|in\ .+)
        | most\ (?:read|popular|viewed|shared|commented|watched)(?:\ (?:stories|articles|news|now))?
        | (?:trending|popular)(?:\ (?:now|stories|news|articles|posts))?
        | (?:latest|top)\ (?:news|stories|headlines|articles|posts)
        | around\ the\ web | from\ the\ web | (?:sponsored|promoted|partner)\ (?:content|stories|links)
    )"""
_SECTION = re.compile(r"^\W*(?:\d+\s+)?" + _SECTION_NAMES + r"\W*$", re.IGNORECASE | re.VERBOSE)
# The label of a widget set inside the article ("MOST READ IN FOOTBALL", "Related: Storm Aria"):
# the short lines after it, up to the next paragraph, are its teasers.
_WIDGET_LABEL = re.compile(r"^\W*" + _SECTION_NAMES + r"\b", re.IGNORECASE | re.VERBOSE)

_BYLINE_LEAD = re.compile(
    r"^(?:by|posted\ by|written\ by|words\ by|story\ by)\s*:?\s+(?=\S)", re.IGNORECASE | re.VERBOSE
)
# What follows the names: "on January 14, 2023", " - 11/18/19", "| Published", "for The Daily Blaze".
_BYLINE_TAIL = re.compile(r"(?:\s+(?:on|for|in)\s+|\s*[|•·–—／]\s*|\s+-\s+|,\s+(?=\d)).*$", re.IGNORECASE)
# "Jane Doe, Climate reporter", "Jane Doe | Staff Writer": a name credited with a newsroom role.
_STAFF_ROLE = (
    r"(?i:reporter|correspondent|editor|writer|columnist|journalist|contributor|critic|producer|staff"
    r"|(?:news|political|sports?|science|health|business|technology|tech)\ desk)s?"
)
_ROLE_TAIL = re.compile(r"\s*[,|–—]\s*(?:[\w&'’.-]+\s+){0,5}" + _STAFF_ROLE + r"\b[^,|]*$")
_ROLE_BYLINE = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+(?:\s+and\s+(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+)?"
    + _ROLE_TAIL.pattern
)
# "Jane Doe, Reuters": a name credited to a wire service, as wire copy prints it.
_WIRE_BYLINE = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+\s*[,|]\s*(?:Reuters|AP|The\ Associated\ Press|Associated\ Press"
    r"|AFP|Agence\ France-Presse|Bloomberg|PA|Press\ Association|UPI)$",
    re.VERBOSE,
)

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# "Aug. 17, 2020", "17 August 2020", "2020-08-17"; relative dates are not dates.
_DATE_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>\d{2})-(?P<day>\d{2})\b"),
)
_MENU_SEPARATOR = re.compile(r"\s+[|•·]\s+")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ")

# Image blocks.
_IMAGE_LABEL = re.compile(r"^(?P<kind>image|photo|picture|img|graphic)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_IMAGE_SOURCE = re.compile(
    r"^(?:image\ source|image\ copyright|photo\ credit|picture\ credit)\s*[,:]?\s*(?P<credit>.+)$",
    re.IGNORECASE | re.VERBOSE,
)
_IMAGE_CAPTION = re.compile(
    r"^(?:image\ caption|media\ caption|caption)\s*[,:]\s*(?P<text>.*)$", re.IGNORECASE | re.VERBOSE
)
# "3 of 12 Rescuers search ..." (not "3 of 12 people said ...").
_GALLERY = re.compile(r"^\d{1,3}\s+of\s+\d{1,3}\s+(?P<text>[A-Z\"“‘'].*)$")
# "...on Monday. Credit: Name", "...Credit... Name", "...afternoonCredit: Alamy".
_CREDIT_TAIL = re.compile(
    r"(?:\s+|(?<=[a-z.!?]))(?:Credit|Photo|Photograph|Picture|Image)s?(?:\.\.\.|…|:)\s*(?P<credit>[^.]+)$"
)
# "(AP Photo/Name)", "(Photo by Name/Getty Images)", "(Image: GETTY)".
_PAREN_CREDIT = re.compile(
    r"\s*\((?P<inner>(?P<agency>(?!(?:photo|image|picture|credit))[A-Z][\w.&-]*\s+)?"
    r"(?:Photos?|Images?|Pictures?|Credit)(?:\s+credit)?\s*(?:/|:|by\s)\s*(?P<credit>[^()]+?))\s*\)\s*$",
    re.IGNORECASE,
)
# A credit glued to the caption's final punctuation: "...on Monday.Sergei Grits / AP".
# Also after an initialism: "...in Washington, D.C.Getty Images".
_GLUED_CREDIT = re.compile(r"""(?:(?<=[a-z0-9)\]][.!?])|(?<=[a-z][.!?]["”’])|(?<=\.[A-Z]\.))(?=[A-Z])""")
_CREDIT_HINT = re.compile(
    r"\b(?:AP|AFP|EPA|PA|UPI|Reuters|Getty|Shutterstock|Alamy|Bloomberg|Xinhua|Images?|Photos?"
    r"|Staff|File|Handout|Courtesy|Pool)\b|,\s*[A-Z]{2,}\b"
)


# ---------------------------------------------------------------------------
# Records


@dataclass(slots=True)
class _Line:
    """One non-empty line of the page with the features the classifier reads."""

    index: int  # line number in the input
    group: int  # blank-line group
    text: str  # whitespace-normalised text
    key: str  # lower-cased word characters, for matching repeats and titles
    words: int
    stop_share: float
    cap_share: float
    sentence_end: bool
    promo: bool
    heading: bool  # a section heading: "Related stories", "Comments"
    menu: bool  # a menu saved as one line: "Home | News | Sport | Weather"
    comments: bool  # a comment-section heading
    group_size: int = 1
    stop_ok: bool = True
    repeat: bool = False
    kind: str = "short"
    value: float = 0.0


# ---------------------------------------------------------------------------
# The cleaner


def check_page_text(chars: int) -> None:
    """Raise ``InputTooLargeError`` if a page's ``chars`` characters of text are over ``MAX_PAGE_TEXT_CHARS``."""
    if chars > MAX_PAGE_TEXT_CHARS:
        raise InputTooLargeError(
            f"page has {chars:,} characters of text, over the {MAX_PAGE_TEXT_CHARS:,} an article page needs"
        )


def extract_text(text: str) -> Page:
    """Return the ``Page`` (title, body paragraphs, captions, boilerplate) found in page text.

    Raises ``InputTooLargeError`` for text over ``MAX_PAGE_TEXT_CHARS``.
    """
    check_page_text(len(text))
    lines = _split_lines(text)
    captions, caption_lines = _find_captions(lines)
    candidates = _classify([line for line in lines if line.index not in caption_lines])
    anchors, page_title, site = _headlines(candidates)
    start, end = _main_run(candidates, anchors)
    body = _after_stamps(_body_lines(candidates, start, end, anchors, titled=page_title is not None))

    first_body = body[0].index if body else len(lines)
    head = [line for line in candidates if line.index < first_body]
    headlines = [candidates[a] for a in anchors if candidates[a].index < first_body]
    title = _find_title(head, headlines, page_title)
    title_line = next((line for line in reversed(head) if line.text == title), None)
    # The page-title line at the top is no headline: nothing near it is dek or byline.
    headline = title_line if title_line is not None and title_line is not candidates[0] else None
    dek = _find_dek(head, headline)
    byline = _find_byline(head, headline)
    published = _find_published(candidates, head, headline, body)

    used = {line.index for line in body} | caption_lines
    used.update(line.index for line in (title_line, dek, byline) if line is not None)
    return Page(
        title=title,
        paragraphs=tuple(line.text for line in body),
        dek=dek.text if dek else None,
        byline=_clean_byline(byline.text) if byline else None,
        site=site,
        published=published,
        captions=tuple(captions),
        boilerplate=tuple(line.text for line in lines if line.index not in used),
    )


# -- 1. lines and their features ---------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    """Return the page's non-empty lines with their features."""
    lines: list[_Line] = []
    group = 0
    for index, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        stripped = " ".join(raw.split())
        if not stripped:
            group += 1
            continue
        words = _WORD.findall(stripped)
        n_words = len(words) or 1
        size = _size(stripped)
        short = size <= _HEADING_MAX_WORDS
        comments = short and bool(_COMMENTS.search(stripped))
        lines.append(
            _Line(
                index=index,
                group=group,
                text=stripped,
                key=_norm(stripped),
                words=size,
                stop_share=sum(w.lower() in STOP_WORDS for w in words) / n_words,
                cap_share=sum(w[0].isupper() for w in words) / n_words,
                sentence_end=bool(_SENTENCE_END.search(stripped)) and not stripped.endswith(("...", "…")),
                promo=_is_promo(stripped, size),
                heading=comments or (short and bool(_SECTION.search(stripped))),
                menu=_is_menu(stripped),
                comments=comments,
            )
        )
    sizes: dict[int, int] = {}
    for line in lines:
        sizes[line.group] = sizes.get(line.group, 0) + 1
    for line in lines:
        line.group_size = sizes[line.group]
    _mark_language(lines)
    return lines


def _size(text: str) -> int:
    """Return the length of ``text`` in words, counting CJK runs by characters."""
    if not _CJK.search(text):
        return len(text.split())
    size = 0
    for token in text.split():
        cjk = len(_CJK.findall(token))
        size += max(1, cjk // _CJK_CHARS_PER_WORD) if cjk else 1
    return size


def _is_promo(text: str, size: int) -> bool:
    """Return True if the line reads as a promo, widget label or site notice."""
    lower = text.lower()
    if _NOTICE.search(lower):
        return True
    return size <= _PROMO_MAX_WORDS and bool(_PROMO.search(lower))


def _is_menu(text: str) -> bool:
    """Return True if the line is a menu saved as one line: several short items joined by separators."""
    items = _MENU_SEPARATOR.split(text)
    return len(items) >= _MENU_MIN_ITEMS and all(len(item.split()) <= _MENU_ITEM_MAX_WORDS for item in items)


def _mark_language(lines: list[_Line]) -> None:
    """Set ``stop_ok`` on every line: on English pages it needs stopwords, on others not."""
    stops = total = 0.0
    for line in lines:
        if line.words >= _MIN_PROSE_WORDS:
            stops += line.stop_share * line.words
            total += line.words
    english = total > 0 and stops / total >= _ENGLISH_MIN_STOP_SHARE
    for line in lines:
        line.stop_ok = line.stop_share >= _MIN_STOP_SHARE if english else True


def _norm(text: str) -> str:
    """Return ``text`` lower-cased with only its word characters, for matching."""
    return " ".join(_WORD_CHARS.findall(text.lower()))


# -- 2. captions -------------------------------------------------------------


def _find_captions(lines: list[_Line]) -> tuple[list[Caption], set[int]]:
    """Return the image captions and the indexes of the lines they use.

    Recognised forms: ``Image: ALT`` (or ``Photo:``/``Picture:`` with a
    description) followed in the same block by the caption line, whose credit
    may be glued on the end, or alone in its block with the credited caption
    line opening the next; ``Photo: Name, AGENCY`` credit lines after their
    caption; BBC ``Image source, X`` / ``Image caption,`` blocks; caption lines
    ending in a marked credit (``(AP Photo/Name)``, ``Credit... Name``) and
    gallery captions (``3 of 12 ...``).
    """
    captions: list[Caption] = []
    used: set[int] = set()

    def caption_at(i: int, j: int) -> bool:
        # The caption shares the label's block. An image block is a small group
        # of its own; in a page without blank lines the label's neighbour is
        # taken only if it carries a photo credit. Many scrapers put a blank
        # line between the label and its caption: a label alone in its block
        # takes the first line of the next block if that line carries a credit
        # (without one, a caption cannot be told from a one-sentence paragraph).
        if not (0 <= j < len(lines) and lines[j].index not in used):
            return False
        if lines[j].group == lines[i].group:
            return lines[i].group_size <= _IMAGE_BLOCK_MAX_LINES or bool(_split_credit(lines[j].text)[1])
        return j == i + 1 and lines[i].group_size == 1 and bool(_split_credit(lines[j].text)[1])

    for i, line in enumerate(lines):
        if line.index in used:
            continue
        label = _IMAGE_LABEL.match(line.text)
        source = _IMAGE_SOURCE.match(line.text)
        caption_label = _IMAGE_CAPTION.match(line.text)
        if label and line.words <= _ALT_MAX_WORDS:
            value = label.group("value").strip()
            used.add(line.index)
            if label.group("kind").lower() != "image" and _looks_like_credit(value):
                # "Photo: Name, AP" credits the caption printed just before it.
                if caption_at(i, i - 1) and lines[i - 1].words >= _CAPTION_MIN_WORDS:
                    captions.append(Caption(text=_split_credit(lines[i - 1].text)[0], credit=value))
                    used.add(lines[i - 1].index)
                else:
                    captions.append(Caption(credit=value))
            elif caption_at(i, i + 1) and not _IMAGE_LABEL.match(lines[i + 1].text):
                caption, credit = _split_credit(lines[i + 1].text)
                captions.append(Caption(alt=value, text=caption, credit=credit))
                used.add(lines[i + 1].index)
            else:
                captions.append(Caption(alt=value))
        elif source and line.words <= _CREDIT_MAX_WORDS + 2:
            # BBC: "Image source, Getty Images" / "Image caption," / the caption.
            used.add(line.index)
            caption = ""
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            label_match = _IMAGE_CAPTION.match(nxt.text) if nxt is not None else None
            if nxt is not None and label_match:
                used.add(nxt.index)
                caption = label_match.group("text").strip()
                if not caption and i + 2 < len(lines):
                    caption = lines[i + 2].text
                    used.add(lines[i + 2].index)
            captions.append(Caption(text=caption, credit=source.group("credit").strip()))
        elif caption_label and i + 1 < len(lines):
            used.add(line.index)
            caption = caption_label.group("text").strip()
            if not caption:
                caption = lines[i + 1].text
                used.add(lines[i + 1].index)
            captions.append(Caption(text=caption))
        else:
            gallery = _GALLERY.match(line.text)
            caption, credit = _split_credit(gallery.group("text") if gallery else line.text, glued=False)
            if (gallery or credit) and len(caption.split()) >= _CAPTION_MIN_WORDS:
                captions.append(Caption(text=caption, credit=credit))
                used.add(line.index)
    return captions, used


def _looks_like_credit(text: str) -> bool:
    """Return True if ``text`` reads as a photo credit ("Name / AGENCY", "Getty Images")."""
    if not text or len(text.split()) > _CREDIT_MAX_WORDS or _SENTENCE_BREAK.search(text):
        return False
    return "/" in text or bool(_CREDIT_HINT.search(text))


def _split_credit(text: str, glued: bool = True) -> tuple[str, str]:
    """Return (caption, credit) of a caption line with a photo credit on the end.

    The credit may follow a marker (``Credit: X``, ``Credit... X``,
    ``(AP Photo/X)``) or, with ``glued``, sit right after the caption's final
    punctuation with no space: ``...on Monday.Sergei Grits / AP``. The last
    such point wins, so ``Washington, D.C.Getty Images`` splits after "C.".
    """
    paren = _PAREN_CREDIT.search(text)
    if paren and paren.start() > 0:
        # "(AP Photo/Name)" is a credit as written; "(Photo: Name)" names the credit.
        credit = paren.group("inner") if paren.group("agency") else paren.group("credit")
        return text[: paren.start()].strip(), " ".join(credit.split())
    tail = _CREDIT_TAIL.search(text)
    if tail and tail.start() > 0 and len(tail.group("credit").split()) <= _CREDIT_MAX_WORDS:
        return text[: tail.start()].strip(), tail.group("credit").strip()
    if glued:
        for match in reversed(list(_GLUED_CREDIT.finditer(text))):
            credit = text[match.start() :].strip()
            if len(credit.split()) <= _CREDIT_MAX_WORDS and not _SENTENCE_END.search(credit):
                return text[: match.start()].strip(), credit
    return text, ""


# -- 3. line classes and values ----------------------------------------------


def _classify(lines: list[_Line]) -> list[_Line]:
    """Return ``lines`` with each line's class and run value set."""
    _mark_repeats(lines)
    for line in lines:
        line.kind = _kind(line)
    for i, line in enumerate(lines):
        if line.kind != "good":
            line.value = _COSTS[line.kind]
            continue
        line.value = float(line.words) * (_GROUPED_FACTOR if line.group_size > 1 else 1.0)
        prose_before = i > 0 and lines[i - 1].kind == "good"
        prose_after = i + 1 < len(lines) and lines[i + 1].kind == "good"
        if not prose_before and not prose_after:
            line.value *= _ISOLATED_FACTOR
    return lines


def _mark_repeats(lines: list[_Line]) -> None:
    """Mark lines whose text the page already has: repeated lines and concatenations."""
    seen: set[str] = set()
    for line in lines:
        line.repeat = line.key in seen
        seen.add(line.key)
    # A line that strings together other lines of the page (a summary field, a
    # "full text" widget) repeats them. Only shorter lines can make up such a
    # concatenation, so paragraphs that merely share phrasing are kept.
    ordered = sorted((x for x in lines if not x.repeat and x.words >= _MIN_PROSE_WORDS), key=lambda x: x.words)
    parts: set[tuple[str, ...]] = set()
    added = 0
    for line in ordered:
        while added < len(ordered) and ordered[added].words <= _PART_SHARE * line.words:
            parts |= _shingles(ordered[added].key)
            added += 1
        own = _shingles(line.key)
        if own and len(own & parts) >= _REPEAT_SHARE * len(own):
            line.repeat = True


def _shingles(key: str) -> set[tuple[str, ...]]:
    """Return the set of 4-word shingles of a normalised line."""
    tokens = key.split()
    return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


def _kind(line: _Line) -> str:
    """Return the line's class: good (prose), near (prose-like), short, bad or barrier."""
    if line.heading:
        return "barrier"
    if line.promo or line.repeat:
        return "bad"
    if _is_prose(line):
        return "good"
    if line.words >= _NEAR_MIN_WORDS and line.stop_ok and line.cap_share <= _MAX_CAP_SHARE:
        return "near"
    if line.words >= _MIN_PROSE_WORDS and line.sentence_end and not line.text.endswith(":"):
        # A full sentence thick with names ("Wichita West senior David Garcia
        # finished second in the 50 yard freestyle.") is still prose-like.
        return "near"
    return "short"


def _is_stamp(line: _Line) -> bool:
    """Return True if the line is a byline or a date stamp: page furniture, never article text.

    A byline here has no final punctuation ("By noon, the square was full."
    is a sentence); a date stamp is a date with at most a few words around it
    ("Updated Oct. 3, 2024 at 5:12 p.m.").
    """
    if line.words > _DATE_LINE_MAX_WORDS:
        return False
    if _is_byline(line) and not line.sentence_end:
        return True
    if not _find_date(line.text):
        return False
    rest = line.text
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return len(_WORD.findall(rest)) <= _STAMP_MAX_WORDS


def _is_prose(line: _Line) -> bool:
    """Return True if the line reads like a paragraph of running text."""
    if line.words < _MIN_PROSE_WORDS or not line.stop_ok or line.cap_share > _MAX_CAP_SHARE:
        return False
    return line.sentence_end or line.words >= _UNPUNCTUATED_PROSE_WORDS


# -- 4. the article's run ----------------------------------------------------


def _main_run(lines: list[_Line], anchors: list[int]) -> tuple[int, int]:
    """Return [start, end) positions in ``lines`` of the article's run of lines.

    The run is the maximum-sum subarray of line values, ending before any
    comment section; when the page repeats its title as a headline (an
    anchor), the best run starting just after a headline is preferred unless
    it is far smaller than the page's best.
    """
    n = _comments_start(lines, anchors)
    if n == 0:
        return 0, 0
    # best_from[i]: the best sum of a run starting at i; end_from[i]: where it ends.
    best_from = [0.0] * (n + 1)
    end_from = list(range(1, n + 2))
    for i in range(n - 1, -1, -1):
        if best_from[i + 1] > 0:
            best_from[i] = lines[i].value + best_from[i + 1]
            end_from[i] = end_from[i + 1]
        else:
            best_from[i] = lines[i].value
            end_from[i] = i + 1
    start = max(range(n), key=best_from.__getitem__)
    if best_from[start] <= 0:
        return 0, 0
    after_headline = [i for a in anchors for i in range(a + 1, min(n, a + 1 + _ANCHOR_WINDOW))]
    if after_headline:
        anchored = max(after_headline, key=best_from.__getitem__)
        if best_from[anchored] >= _ANCHOR_SHARE * best_from[start]:
            start = anchored
    return start, end_from[start]


def _comments_start(lines: list[_Line], anchors: list[int]) -> int:
    """Return the position where the article's comment section begins (``len(lines)`` if none).

    A comment heading counts only once some prose has passed since the
    headline: blogs also print "12 Comments" next to the byline.
    """
    prose = 0
    for i in range(anchors[0] + 1 if anchors else 0, len(lines)):
        if lines[i].comments and prose >= _COMMENTS_AFTER_WORDS:
            return i
        if lines[i].kind == "good":
            prose += lines[i].words
    return len(lines)


def _body_lines(lines: list[_Line], start: int, end: int, anchors: list[int], titled: bool) -> list[_Line]:
    """Return the run's body lines: prose, short lines between prose, a closing list, edge lines.

    An edge line before the run is never the headline: not a line that
    repeats the page title, and on a page without a page title (``titled``
    false) not a headline-like line, for the headline then is the likeliest
    line just above the article.
    """
    keep = [start <= i < end and line.kind == "good" for i, line in enumerate(lines)]
    prose = [i for i in range(start, end) if keep[i]]
    if not prose:
        return []
    first, last = prose[0], prose[-1]
    # Subheadings, list items and one-line quotes between paragraphs are body;
    # a long stretch (a widget, a teaser list) or a section heading is not.
    i = first
    while i < last:
        if keep[i]:
            i += 1
            continue
        j = i
        while not keep[j]:
            j += 1
        if j - i <= _MAX_BETWEEN_LINES and all(x.kind != "barrier" for x in lines[i:j]):
            widget = False
            for k in range(i, j):
                widget = widget or (lines[k].words <= _HEADING_MAX_WORDS and bool(_WIDGET_LABEL.match(lines[k].text)))
                keep[k] = not widget and lines[k].kind in ("good", "near", "short")
        i = j
    # A list the last paragraph introduces ("The tour dates:") closes the article.
    k = last
    if not lines[k].text.endswith(":") and k + 1 < len(lines) and lines[k + 1].text.endswith(":"):
        k += 1
        keep[k] = lines[k].kind in ("near", "short")
    if keep[k] and lines[k].text.endswith(":") and k + 1 < len(lines):
        group = lines[k + 1].group
        k += 1
        while k < len(lines) and lines[k].group == group and lines[k].kind in ("good", "near", "short"):
            keep[k] = True
            k += 1
    # Prose-like lines touching the run: a lede or closing line without final punctuation.
    for k in range(first - 1, max(-1, first - 1 - _EDGE_LINES), -1):
        if lines[k].kind != "near" or k in anchors or (not titled and _is_headline_like(lines[k])):
            break
        keep[k] = True
    for k in range(last + 1, min(len(lines), last + 1 + _EDGE_LINES)):
        if lines[k].kind != "near" or keep[k]:
            break
        keep[k] = True
    return [line for line, kept in zip(lines, keep) if kept]


def _after_stamps(body: list[_Line]) -> list[_Line]:
    """Return the body without a lead that ends in a byline or date stamp.

    Without a headline to anchor it, the run can start at a standfirst that is
    sentence-like enough to be prose, and then takes the byline and date lines
    between it and the article as short lines between paragraphs. The article
    starts after them; the line before is left for the dek. A stamp after two
    or more lines is no lead's end but a photo credit or an embed inside the
    article ("Michael Conroy, AP" under a caption).
    """
    stamps = [i for i, line in enumerate(body[:_STAMP_LEAD_LINES]) if _is_stamp(line)]
    return body[stamps[-1] + 1 :] if stamps and stamps[0] <= 1 else body


# -- 5. metadata -------------------------------------------------------------


def _title_options(first: str) -> list[tuple[str, str | None]]:
    """Return the (title, site) readings of a page-title line like ``Title - Site``."""
    options: list[tuple[str, str | None]] = [(first, None)]
    for sep in _TITLE_SEPARATORS:
        if sep in first:
            left, _, right = first.rpartition(sep)
            options.append((left.strip(), right.strip()))
            left, _, right = first.partition(sep)
            options.append((right.strip(), left.strip()))
    # A part less than half as long as the rest is a section label or the site
    # name ("Opinion | Republicans Are Following Trump to Nowhere", "CBS News |
    # <12-word headline>"), never the title, however often the page prints it
    # alone (as a logo or menu item). Half, not "shorter": "About bugs – Vortex
    # Cannon Entertainment" is a two-word title on a three-word site.
    return [
        (title, site)
        for title, site in options
        if title and (not site or _MIN_TITLE_TO_SITE * _size(site) <= _size(title))
    ]


def _headlines(lines: list[_Line]) -> tuple[list[int], str | None, str | None]:
    """Return where the page title (its first line) is repeated as a headline, the title, the site.

    The title and site come from the first line read as ``Title - Site``
    (or ``Site | Title``) when a headline matches that reading, else from the
    plain ``Title - Site`` reading when the site part is short. A scrape that
    did not keep the page title starts with whatever the page shows first: a
    cookie or consent notice, a browser warning, a menu; unless a headline
    repeats it, such a first line gives no page title and no site.
    """
    if not lines:
        return [], None, None
    options = _title_options(lines[0].text)
    for exact in (True, False):
        # A headline that only starts like the page title matches a split
        # reading ("Title | Site") before the whole line.
        for title, site in options if exact else options[1:] + options[:1]:
            key = _norm(title)
            if not key:
                continue
            found = [
                i
                for i, line in enumerate(lines[1:], start=1)
                if line.key == key
                or (
                    not exact
                    and line.words >= _NEAR_MIN_WORDS
                    and len(line.key) > 15
                    and (key.startswith(line.key) or line.key.startswith(key))
                )
            ]
            if found:
                return found, title, site if site and len(site.split()) <= _SITE_MAX_WORDS else None
    if lines[0].promo or lines[0].menu:
        return [], None, None
    # No headline on the page: trust the usual "Title - Site" reading when the
    # site part is short and the title part longer ("Biden - Xi summit ends" is one title).
    if len(options) > 1:
        title, site = options[1]
        if site and len(site.split()) <= _SITE_MAX_WORDS and len(site.split()) < len(title.split()):
            return [], title, site
    return [], lines[0].text, None


def _find_title(head: list[_Line], headlines: list[_Line], page_title: str | None) -> str | None:
    """Return the title: the headline nearest before the body, else the page title or a headline-like line.

    Without a headline that repeats the page title, a headline-like line
    near the body that shares two words with the page title is taken (sites
    often print a shorter headline than their page title), then the page
    title itself, then the nearest headline-like line before the body. A
    standfirst printed without final punctuation is headline-like too; it is
    passed over for the headline printed just above it.
    """
    if headlines:
        return headlines[-1].text
    window = head[-_TITLE_LOOKBACK:]
    candidates = [
        line
        for i, line in reversed(list(enumerate(window)))
        if _is_headline_like(line) and not (i > 0 and _is_standfirst(line, window[i - 1]))
    ]
    if page_title:
        words = {w for w in _norm(page_title).split() if w not in STOP_WORDS}
        for line in candidates:
            if len(words & set(line.key.split())) >= 2:
                return line.text
        return page_title
    return candidates[0].text if candidates else None


def _is_headline_like(line: _Line) -> bool:
    """Return True if the line could be a headline: short, one clause, no final period, no menu or byline."""
    if not 3 <= line.words <= _TITLE_MAX_WORDS or line.promo or line.heading or line.repeat or line.menu:
        return False
    if _BYLINE_LEAD.match(line.text) or _is_byline(line) or _find_date(line.text):
        return False
    if _SENTENCE_BREAK.search(line.text):
        return False
    return not line.text.endswith(".") or line.text.endswith("...")


def _is_standfirst(line: _Line, before: _Line) -> bool:
    """Return True if ``line`` reads as the standfirst of the headline-like line printed just before it.

    A standfirst is a sentence-like line under the headline; a line under a
    kicker ("Live updates") is the headline itself.
    """
    return (
        line.words >= _DEK_MIN_WORDS
        and line.kind in ("good", "near")
        and before.words > _KICKER_MAX_WORDS
        and _is_headline_like(before)
    )


def _find_dek(head: list[_Line], title: _Line | None) -> _Line | None:
    """Return the standfirst: a sentence-like line the run left between title and body."""
    if title is None:
        return None
    for line in [line for line in head if line.index > title.index][:_DEK_LOOKAHEAD]:
        if line.words >= _DEK_MIN_WORDS and line.kind in ("good", "near"):
            if not _BYLINE_LEAD.match(line.text) and not _find_date(line.text):
                return line
    return None


def _find_byline(head: list[_Line], title: _Line | None) -> _Line | None:
    """Return the byline line ("By Jane Doe", "Jane Doe, Reuters") near the title, if any."""
    zone = [line for line in head if title is None or line.index > title.index]
    zone = zone[:_BYLINE_LOOKAHEAD] if title is not None else zone[-_BYLINE_LOOKAHEAD:]
    for line in zone:
        if _is_byline(line):
            return line
    return None


def _is_byline(line: _Line) -> bool:
    """Return True if the line is a byline: "By Jane Doe", "Jane Doe, Reuters", "Jane Doe, Health reporter"."""
    if line.words > _BYLINE_MAX_WORDS:
        return False
    return bool(_BYLINE_LEAD.match(line.text) or _WIRE_BYLINE.match(line.text) or _ROLE_BYLINE.match(line.text))


def _clean_byline(text: str) -> str:
    """Return the author names of a byline: no "By" lead, role, date, or outlet after "for"."""
    text = _BYLINE_TAIL.sub("", _ROLE_TAIL.sub("", _BYLINE_LEAD.sub("", text)))
    return text.strip(" ,|-–—")


def _find_published(lines: list[_Line], head: list[_Line], title: _Line | None, body: list[_Line]) -> str | None:
    """Return the publication date as ISO ``YYYY-MM-DD``, or None when the page prints none.

    Looked for between the headline and the body first, then in the rest of
    the page head (nearest first), then just after the body (blogs print
    "Posted on" there). Relative dates ("3 hours ago") are ignored.
    """
    near = [line for line in head if title is not None and line.index > title.index]
    after = [line for line in lines if body and line.index > body[-1].index][:_DATE_LOOKAHEAD]
    for zone in (near, reversed(head), after):
        for line in zone:
            if line.words <= _DATE_LINE_MAX_WORDS:
                found = _find_date(line.text)
                if found:
                    return found
    return None


def _find_date(text: str) -> str | None:
    """Return the first absolute calendar date in ``text`` as ISO ``YYYY-MM-DD``, or None."""
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            month = _MONTH_NUMBERS[parts["month"].lower()] if parts.get("month") else int(parts["mon"])
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                continue
    return None
