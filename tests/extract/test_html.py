"""extract_html on small pages written for these tests (tests/extract/html/), one per page style."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import lxml.html

from newsgraph.errors import InputTooLargeError
from newsgraph.extract.html import MAX_ELEMENTS, _drop_hover_cards, extract_html
from newsgraph.extract.text import MAX_PAGE_TEXT_CHARS, extract_text
from newsgraph.models import Caption, Page

PAGES = Path(__file__).parent / "html"


def page(name: str, url: str | None = None) -> Page:
    return extract_html((PAGES / name).read_text(encoding="utf-8"), url=url)


def body(p: Page) -> str:
    return "\n\n".join(p.paragraphs)


# name -> what the page must give: metadata, first and last paragraph, how many paragraphs.
EXPECTED = {
    "news_og.html": {
        "title": "Harbour bridge reopens after two-year repair",
        "byline": "Maria Ortega",
        "site": "The Northern Ledger",
        "published": "2024-03-14",
        "language": "en",
        "dek": "Commuters return to the crossing as engineers promise it will last another century.",
        "first": "The harbour bridge reopened to traffic on Thursday morning",
        "last": "Shop owners near the southern ramp said trade had fallen by half",
        "count": 5,
    },
    "wire.html": {
        "title": "Storm knocks out power to 200,000 homes across the coast",
        "byline": "Daniel Reyes",
        "site": "Wire Service",
        "published": "2023-12-05",
        "language": "en",
        "dek": None,  # the description only repeats the lede
        "first": "PORTSMOUTH, Maine (AP) — A fast-moving winter storm",
        "last": "Associated Press writer Tom Walsh in Boston contributed to this report.",
        "count": 5,
    },
    "blog_comments.html": {
        "title": "Why I switched to a paper notebook",
        "byline": "June Whitfield",
        "site": "Slow Tools Blog",
        "published": "2022-06-01",
        "language": "en",
        "dek": None,
        "first": "For ten years I kept every note",
        "last": "I still use my phone for addresses and appointments.",
        "count": 4,
    },
    "malformed.html": {
        "title": "Council approves new library for the old market hall",
        "byline": "Ruth Adeyemi",
        "site": None,
        "published": "2021-09-20",
        "language": "en",
        "dek": None,
        "first": "The city council voted on Monday to turn the old market hall into a public library",
        "last": "Construction is due to start next spring",
        "count": 6,  # four paragraphs and the two items of the fact box
    },
    "scripts.html": {
        "title": "Scientists find new species of frog in cloud forest",
        "byline": "Ingrid Solheim",
        "site": None,
        "published": "2020-02-11",
        "language": None,  # no <html lang>
        "dek": None,
        "first": "A team of biologists has described a new species of tiny frog",
        "last": "The researchers have proposed listing the species as endangered",
        "count": 4,
    },
    "split_body.html": {
        "title": "The quiet return of the night train",
        "byline": "Oskar Lund",
        "site": "Rail Review",
        "published": "2023-10-02",
        "language": "en",
        "dek": "Sleeper services are back on a dozen routes. Are travellers?",
        "first": "Ten years ago the night train looked finished.",
        "last": "Rail planners say the next test will be whether governments keep paying",
        "count": 7,
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("field", ["title", "byline", "published", "language", "dek"])
def test_metadata(name: str, field: str) -> None:
    assert getattr(page(name), field) == EXPECTED[name][field]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_site_name_when_the_page_gives_one(name: str) -> None:
    site = page(name).site
    if EXPECTED[name]["site"] is not None:
        assert site == EXPECTED[name]["site"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_paragraphs_start_and_end_with_the_article(name: str) -> None:
    p = page(name)
    assert len(p.paragraphs) == EXPECTED[name]["count"], p.paragraphs
    assert p.paragraphs[0].startswith(EXPECTED[name]["first"])
    assert p.paragraphs[-1].startswith(EXPECTED[name]["last"])
    assert all(para == " ".join(para.split()) and para for para in p.paragraphs)


@pytest.mark.parametrize(
    ("name", "absent"),
    [
        # headline, standfirst, menus, share buttons, related links, footer
        ("news_og.html", "Harbour bridge reopens after two-year repair"),
        ("news_og.html", "Commuters return to the crossing"),
        ("news_og.html", "Share on Facebook"),
        ("news_og.html", "Ferry timetable changes from April"),
        ("news_og.html", "All rights reserved"),
        ("news_og.html", "Sport"),
        # reader comments and the reply form
        ("blog_comments.html", "Totally agree with this post"),
        ("blog_comments.html", "Which notebook brand do you use?"),
        ("blog_comments.html", "Leave a Reply"),
        ("blog_comments.html", "May 2022"),
        # scripts, styles and noscript never leak
        ("scripts.html", "LEAK"),
        ("scripts.html", "dataLayer"),
        ("scripts.html", "font-family"),
        # menu and footer of a page with unclosed tags
        ("malformed.html", "Contact the newsroom"),
        ("malformed.html", "Home"),
        # the advertisement slot between the two halves of a split body
        ("split_body.html", "Advertisement"),
        ("split_body.html", "independent magazine"),
    ],
)
def test_boilerplate_is_not_in_the_body(name: str, absent: str) -> None:
    assert absent not in body(page(name))


@pytest.mark.parametrize(
    ("name", "captions"),
    [
        (
            "news_og.html",
            (
                Caption(
                    alt="Cars crossing the harbour bridge at dawn",
                    text="The first cars cross the reopened bridge shortly after six in the morning.",
                    credit="Tomas Berg/AP",
                ),
                Caption(
                    alt="Workers fitting a new steel cable",
                    text="Workers fit one of the 212 new cables last autumn.",
                    credit="Jonas Frid / Northern Ledger",
                ),
            ),
        ),
        (
            "wire.html",
            (
                Caption(
                    alt="",
                    text="A utility worker clears branches from a power line in Portsmouth, Maine,"
                    " on Tuesday, Dec. 5, 2023.",
                    credit="AP Photo/Sarah Kim",
                ),
            ),
        ),
        (
            "malformed.html",
            (
                Caption(
                    alt="The old market hall", text="The market hall has stood empty since 2011.", credit="Lena Park"
                ),
            ),
        ),
        ("blog_comments.html", ()),
        ("scripts.html", ()),
    ],
)
def test_captions_and_credits(name: str, captions: tuple[Caption, ...]) -> None:
    assert page(name).captions == captions


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_captions_and_credits_are_not_in_the_body(name: str) -> None:
    p = page(name)
    text = body(p)
    for caption in p.captions:
        for piece in (caption.text, caption.credit):
            assert not piece or piece not in text
    # a credit line printed on its own under a photo
    assert "Photo: Sarah Kim" not in text


def test_split_body_and_embedded_post_are_recovered() -> None:
    text = body(page("split_body.html"))
    # the second body container, after the advertisement
    assert "Not every route is a success." in text
    # the embedded post between two paragraphs, on its own lines
    assert any(p.startswith("Booked the sleeper to the mountains") for p in page("split_body.html").paragraphs)


def test_url_is_kept_or_read_from_the_canonical_link() -> None:
    assert page("news_og.html", url="https://example.org/a").url == "https://example.org/a"
    assert page("news_og.html").url == "https://ledger.example/news/harbour-bridge-reopens"


# Credit conventions written inside the caption text.
FIGURE_PAGE = """<html lang="en"><head><title>Ferry service resumes after storm damage</title></head><body>
<article><h1>Ferry service resumes after storm damage</h1>
<p>The island ferry resumed its regular timetable on Friday after engineers finished repairs to the pier
that was damaged by last month's storm, the operator said in a statement.</p>
<figure><img src="pier.jpg" alt="The repaired pier"><figcaption>{caption}</figcaption></figure>
<p>Passengers had been carried on a smaller chartered boat for three weeks, which could take only a third
of the usual number of cars on each crossing of the sound.</p>
<p>The operator said it would refund the difference in fares to travellers who had booked tickets for the
larger ship before the storm forced the service to change.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("The pier on Friday morning. (AP Photo/Evan Lund)", "The pier on Friday morning.", "AP Photo/Evan Lund"),
        ("The pier on Friday morning. (Photo: Mia Holm/Reuters)", "The pier on Friday morning.", "Mia Holm/Reuters"),
        ("The pier on Friday morning. Photo: Mia Holm / AFP", "The pier on Friday morning.", "Mia Holm / AFP"),
        (
            "The pier on Friday morning. Photograph: Mia Holm/Getty Images",
            "The pier on Friday morning.",
            "Mia Holm/Getty Images",
        ),
        ("The pier on Friday morning. Credit: Island Ferries", "The pier on Friday morning.", "Island Ferries"),
        ("The pier on Friday morning. Mia Holm/Getty Images", "The pier on Friday morning.", "Mia Holm/Getty Images"),
        (
            'The pier on Friday morning. <span class="credit">Mia Holm/AP</span>',
            "The pier on Friday morning.",
            "Mia Holm/AP",
        ),
        ("The pier on Friday morning.<small>Mia Holm</small>", "The pier on Friday morning.", "Mia Holm"),
        ("The pier on Friday morning.", "The pier on Friday morning.", ""),
    ],
)
def test_credit_conventions(caption: str, text: str, credit: str) -> None:
    p = extract_html(FIGURE_PAGE.format(caption=caption))
    assert p.captions == (Caption(alt="The repaired pier", text=text, credit=credit),)
    assert len(p.paragraphs) == 3
    assert "The pier on Friday morning" not in body(p)
    assert not credit or credit not in body(p)


def test_a_caption_line_trafilatura_keeps_is_removed() -> None:
    # Blogger-style caption table: trafilatura keeps its text as a paragraph.
    html = FIGURE_PAGE.replace(
        "<figure><img src=\"pier.jpg\" alt=\"The repaired pier\"><figcaption>{caption}</figcaption></figure>",
        '<table class="tr-caption-container"><tr><td><img src="pier.jpg" alt="The repaired pier"></td></tr>'
        '<tr><td class="tr-caption">Workers on the new pier in May. Photo: Ann Berg</td></tr></table>',
    )
    p = extract_html(html)
    assert p.captions == (Caption("The repaired pier", "Workers on the new pier in May.", "Ann Berg"),)
    assert "Workers on the new pier" not in body(p)
    assert len(p.paragraphs) == 3


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<<<>>><html<body", "<html><body><script>var a = 1;</script></body></html>", "\x00\x01"],
)
def test_empty_or_broken_input_gives_no_paragraphs_and_no_error(html: str) -> None:
    assert extract_html(html).paragraphs == ()


def test_a_page_without_article_keeps_its_title() -> None:
    p = extract_html("<html><head><title>Nothing to read</title></head><body></body></html>")
    assert (p.title, p.paragraphs) == ("Nothing to read", ())


def test_a_bare_fragment_is_read() -> None:
    sentence = "The council met on Tuesday and agreed a new budget for the coming year, the mayor said."
    assert extract_html(f"<p>{sentence}</p>").paragraphs == (sentence,)


def test_a_hover_card_inside_a_paragraph_is_not_body_text() -> None:
    card = ('<span class="rollover-people"><a href="/people/ana-diaz">Ana Diaz</a>'
            '<span class="rollover-people-block"><span class="rollover-block"><img src="a.jpg" alt="">'
            '<a class="name" href="/people/ana-diaz">Ana Maria Diaz</a>'
            '<a href="/news/1">Mayor opens new bridge</a> <a href="/news/2">Budget passes</a></span></span></span>')
    body = "".join(f"<p>Paragraph {i} of the story, long enough to be read as the article body text.</p>"
                   for i in range(4))
    html = (f"<html><body><article><h1>Bridge</h1><p>Mayor {card} (D) opened the bridge on Monday, "
            f"officials said, after years of delays.</p>{body}</article></body></html>")
    first = extract_html(html).paragraphs[0]
    assert first.startswith("Mayor Ana Diaz (D) opened the bridge"), first
    assert "Ana Maria Diaz" not in first and "Budget passes" not in first


_PARAGRAPH = ("The minister said on Monday that the government would review the plan after protests "
              "in the capital, where thousands gathered outside parliament for a third day. ")


def test_text_nested_deeper_than_the_parser_goes_is_read():
    # libxml2 drops everything below 255 levels: the page is read as text instead.
    html = ("<html><head><title>Deep page</title></head><body>" + "<div>" * 100_000
            + f"<p>{_PARAGRAPH * 3}</p>" + "</div>" * 100_000 + "</body></html>")
    page = extract_html(html)
    assert page.title == "Deep page"
    assert page.paragraphs and "thousands gathered outside parliament" in page.paragraphs[0]


def test_a_page_of_too_many_elements_is_refused_before_extraction():
    html = "<html><body><article>" + "<p>1</p>" * (MAX_ELEMENTS + 1) + "</article></body></html>"
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError, match="HTML elements, over the 50,000"):
        extract_html(html)
    assert time.perf_counter() - start < 10  # a million such paragraphs took 238 s to extract


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_a_page_of_too_much_text_is_refused_before_extraction(fmt):
    body = (_PARAGRAPH * 5 + "\n\n") * (MAX_PAGE_TEXT_CHARS // (len(_PARAGRAPH) * 5) + 1)
    with pytest.raises(InputTooLargeError, match="characters of text, over the 2,000,000"):
        if fmt == "html":
            extract_html(f"<html><body><article><p>{body}</p></article></body></html>")
        else:
            extract_text(body)


@pytest.mark.parametrize("body", [
    "<p>x</p>" * 40_000,  # selected with "//p//*", 40,000 paragraphs took ~13 s
    "<p><span>" * 120 + "<b>x</b>" * 40_000 + "</span></p>" * 120,  # each nested <p> walked its all: ~10 s
], ids=["many-paragraphs", "nested-paragraphs"])
def test_hover_card_search_takes_linear_time(body):
    tree = lxml.html.fromstring(f"<html><body>{body}</body></html>")
    start = time.perf_counter()
    _drop_hover_cards(tree)
    assert time.perf_counter() - start < 3
