"""Tests for ``newsgraph.extract.text``: scraped page text -> ``Page``.

The pages in ``pages/`` are invented, each in the style of one kind of
outlet (NBC-like, AP and Reuters wire copy, a tabloid, a WordPress blog, a
BBC-like page, a US regional daily, a UK public broadcaster), with the
navigation, promos, captions, comments and footers a scraper that keeps all
visible text would save. Three of them start with what the page shows first
instead of the page title (a one-line menu, a consent notice), put a blank
line between an ``Image:`` label and its caption, and end with the outlet's
tip line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.extract.text import extract_text
from newsgraph.models import Caption, Page

PAGES = Path(__file__).parent / "pages"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seed" / "belarus-putin-nbc.txt"
SEED_GOLD = SHARED / "seed" / "belarus-putin-nbc.gold.json"

# What each page must yield. ``first``/``last``: the first and last body
# paragraphs, exactly; ``contains``: body lines that must be kept (lists,
# short paragraphs); ``boilerplate``: lines that must be reported as
# boilerplate and kept out of the body; ``absent``: text that must appear
# nowhere in the body (comments, teasers, captions).
EXPECTED: dict[str, dict] = {
    "nbc_style.txt": {
        "title": "Harbor city votes to rebuild seawall as storms grow stronger",
        "site": None,
        "dek": "The project, the largest public works effort in the city's history, will take six years "
        "and require federal money that has not yet been approved.",
        "byline": "Dana Whitfield",
        "published": "2020-08-17",
        "paragraphs": 8,
        "first": "City council members in Port Avalon voted 7-2 on Monday night to rebuild the aging seawall "
        "that protects the downtown waterfront, approving a plan that engineers say is needed before the next "
        "major hurricane season.",
        "last": '"Nobody in this room wants to ask taxpayers for more," Mayor Paul Okafor said after the vote. '
        '"But the wall is going to be built one way or another, because the alternative is losing the downtown."',
        "contains": [],
        "captions": [
            Caption(
                alt="Flooded harbor street",
                text="Residents wade through a flooded street in the harbor district of Port Avalon after a "
                "storm surge in October.",
                credit="Marcus Lee / AP",
            ),
            Caption(
                alt="Seawall construction",
                text="Workers inspect a damaged section of the seawall near the ferry terminal on Aug. 3.",
                credit="Gina Torres / Port Avalon Herald via Getty Images file",
            ),
        ],
        "boilerplate": [
            "IE 11 is not supported. For an optimal experience visit our site on another browser.",
            "Get more newsLiveon",
            "Download the NBC News app for breaking news and alerts",
            "Thousands of homeowners are switching to this new roof coating",
            "© 2020 NBC UNIVERSAL",
        ],
        "absent": ["Sponsored Stories", "Image:", "Marcus Lee"],
    },
    "wire_ap.txt": {
        "title": "Lawmakers strike deal on rural broadband money",
        "site": "AP News",
        "dek": None,
        "byline": "MARIA DELGADO and TOM HARLAN",
        "published": "2021-03-03",
        "paragraphs": 7,
        "first": "WASHINGTON (AP) — Congressional negotiators agreed on Tuesday to spend $4 billion over five "
        "years to bring fast internet service to rural areas, ending a months-long dispute over how the money "
        "would be divided among the states.",
        "last": "The House is expected to vote on the measure next week. The Senate has not set a date.",
        "contains": [],
        "captions": [
            Caption(
                text="A technician installs fiber-optic cable along a county road near Albany, Ga., on Feb. 12, 2021.",
                credit="AP Photo/John Bazemore",
            )
        ],
        "boilerplate": [
            "ADVERTISEMENT",
            "Copyright 2021 The Associated Press. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed without permission.",
            "Farmers brace for another dry summer in the Plains",
        ],
        "absent": ["AP Photo", "Recommended"],
    },
    "wire_reuters.txt": {
        "title": "Copper hits two-month high as port strike curbs supply",
        "site": "Reuters",
        "dek": None,
        "byline": "Elena Novak",
        "published": "2019-11-20",
        "paragraphs": 6,
        "first": "LONDON, Nov 20 (Reuters) - Copper prices rose to their highest in two months on Wednesday as a "
        "strike at a major South American port delayed shipments and traders bet that supply would stay tight "
        "into next year.",
        "last": "Other metals were mixed. Aluminium slipped 0.3% while zinc gained 0.8% on the back of a weaker "
        "dollar.",
        "contains": [],
        "captions": [],
        "boilerplate": [
            "Exclusive news, data and analytics for financial market professionals",
            "Our Standards: The Thomson Reuters Trust Principles.",
            "Oil edges up on hopes of trade deal progress",
            "All quotes delayed a minimum of 15 minutes. See here for a complete list of exchanges and delays.",
        ],
        "absent": ["Read Next"],
    },
    "tabloid.txt": {
        "title": "Mum's fury as seagull snatches whole birthday cake on the seafront",
        "site": "The Daily Blaze",
        "dek": "Family had just lit the candles when the bird swooped",
        "byline": "KATIE BROWN",
        "published": "2022-06-04",
        "paragraphs": 7,
        "first": "A mother-of-three was left fuming after a seagull swooped down and carried off her daughter's "
        "entire birthday cake as the family celebrated on the seafront.",
        "last": 'A spokesperson said: "We understand how upsetting this can be, especially for children. The best '
        'thing people can do is keep food covered and never leave it unattended."',
        "contains": [],
        "captions": [
            Caption(
                alt="Gulls gather on the promenade at Brightsea",
                text="The seafront at Brightsea, where the family had gathered for the party on Saturday afternoon",
                credit="Alamy",
            )
        ],
        "boilerplate": [
            "Share this article",
            "READ MORE: Seagulls 'are getting bolder every year', warn experts as summer crowds return",
            "Share or comment on this article",
            "Advertisement",
            "Most Read",
            "Pensioner, 81, finishes her first marathon in under six hours",
            "Share what you think",
        ],
        "absent": ["Honestly the gulls", "Poor little girl", "2 hours ago", "Alamy"],
    },
    "blog.txt": {
        "title": "Why I finally switched to a hand coffee grinder",
        "site": "The Slow Morning",
        "dek": None,
        "byline": "Sam Whitaker",
        "published": "2023-01-14",
        "paragraphs": 10,
        "first": "For years I told myself that a hand grinder was a nice idea for people with more patience than "
        "me. Then my electric grinder died two days before a long weekend, and I borrowed my neighbour's old hand "
        "mill out of desperation.",
        "last": "If you are on the fence, borrow one for a week before you buy. You will know by the third morning "
        "whether it is for you.",
        "contains": [
            "Here is what I looked for when I bought my own:",
            "A steel burr rather than ceramic",
            "A catch cup that holds at least 30 grams",
        ],
        "captions": [],
        "boilerplate": [
            "12 Comments",
            "Tags: coffee, gear, mornings",
            "Share this:",
            "Leave a Reply Cancel reply",
            "Your email address will not be published. Required fields are marked *",
            "Save my name, email, and website in this browser for the next time I comment.",
        ],
        "absent": ["I made the same switch", "Which one did you end up buying", "Proudly powered"],
    },
    "bbc_style.txt": {
        "title": "Storm Aria: Thousands without power after 90mph gusts",
        "site": "BBC News",
        "dek": None,
        "byline": "Rhian Lewis",
        # The page prints only "3 hours ago": a relative date is no publication date.
        "published": None,
        "paragraphs": 6,
        "first": "Tens of thousands of homes were left without power after Storm Aria brought gusts of up to "
        "90mph to parts of Wales and western England overnight.",
        "last": '"We are asking everyone to stay away from the seafront today," said a spokesperson for the '
        'coastguard. "The waves are still very large and can knock people off their feet."',
        "contains": [],
        "captions": [
            Caption(text="Fallen trees blocked roads across the region on Tuesday morning", credit="PA Media"),
            Caption(
                text="Waves crashed over the sea wall at Porthcawl as the storm reached its peak",
                credit="Getty Images",
            ),
        ],
        "boilerplate": [
            "Share page",
            "Related Topics",
            "Storm warning issued as winds expected to strengthen",
            "Copyright © 2022 BBC. The BBC is not responsible for the content of external sites. "
            "Read about our approach to external linking.",
        ],
        "absent": ["Image source", "Image caption", "BBC News, Cardiff", "Related Topics"],
    },
    # No page title: the first line is a menu; a section label sits above the headline.
    "regional_menu_line.txt": {
        "title": "County board approves $48 million jail expansion over sheriff's objections",
        "site": None,
        "dek": "The plan adds 160 beds and a mental health unit, but the sheriff says the county needs more "
        "deputies, not more cells.",
        "byline": "Rosa Lindqvist and Marcus Bell",
        "published": "2024-10-03",
        "paragraphs": 9,
        "first": "MILLBROOK — The Cedar Valley County Board voted 5-2 on Wednesday to borrow $48 million to expand "
        "the county jail, ending a two-year debate over how to ease crowding at the 1970s-era building on Front "
        "Street.",
        "last": "The bonds will be repaid over 20 years. Okoro said the average homeowner would pay about $31 a year "
        "more in property taxes.",
        "contains": [],
        "captions": [
            Caption(
                alt="A corrections officer walks along a narrow corridor lined with cell doors",
                text="A corrections officer walks through the oldest wing of the Cedar Valley County Jail in "
                "Millbrook on Tuesday.",
                credit="Marcus Bell / Cedar Valley Sentinel",
            ),
            Caption(
                alt="Sheriff Dale Pruitt speaks at a lectern during a county board meeting",
                text="Sheriff Dale Pruitt addresses the county board before Wednesday's vote in Millbrook.",
                credit="Ana Ruiz/Valley Wire Images",
            ),
        ],
        "boilerplate": [
            "Skip to main content | Cedar Valley Sentinel | Local | Sports | Opinion | Obituaries | e-Edition | "
            "Subscribe | Log In",
            "LOCAL NEWS",
            "Oct. 3, 2024 at 5:12 p.m.",
            "Have a news tip? Email tips@cedarvalleysentinel.example or call 555-0142.",
            "Millbrook homecoming parade route changes this year",
        ],
        "absent": ["Image:", "Staff writers", "Marcus Bell /", "Valley Wire Images", "news tip"],
    },
    # No page title: a consent notice, then a menu line; the standfirst has no final
    # punctuation; a "Trending" widget sits inside the article.
    "consent_tabloid.txt": {
        "title": "'I THOUGHT I'D DIE IN THERE' Gran, 79, trapped in shopping centre lift for 11 hours after staff "
        "locked up and went home",
        "site": None,
        "dek": "Margaret Holloway pressed the alarm more than 40 times but nobody came until the cleaners arrived "
        "the next morning",
        "byline": "SOPHIE TANNER",
        "published": "2025-02-02",
        "paragraphs": 8,
        "first": "A GRAN was left trapped in a shopping centre lift for 11 hours after staff locked up for the night "
        "without noticing she was inside.",
        "last": "Mrs Holloway said she wanted an apology in person from the centre's manager. \"I'm not after "
        "money,\" she said. \"I just don't want this to happen to anybody else.\"",
        "contains": ["Cleaners found Margaret at 7am on Saturday when they heard her knocking on the lift doors."],
        "captions": [
            Caption(
                alt="Margaret Holloway holds a cup of tea at her kitchen table",
                text="Margaret Holloway at home in Weston on Sunday, two days after her ordeal.",
                credit="Dan Fielding / Coastline Pictures",
            )
        ],
        "boilerplate": [
            "Home | News | Showbiz | Sport | Lifestyle | Money | Travel | Shop",
            "Comment | Gift article | Follow",
            "TRENDING IN NEWS",
            "Pensioner's garden gnome collection sells for record sum at village auction",
            "Seaside town votes to ban seagull feeding after pasty thefts",
            "Do you have a story for us? Email news@dailyflare.example or call us on 0161 496 0000.",
        ],
        "absent": ["We care about your privacy", "Coastline Pictures", "garden gnome", "story for us"],
    },
    # No page title: a consent notice, then menu items one to a line; a "Name, role" byline.
    "consent_broadcaster.txt": {
        "title": "Scientists find microplastics in milk from every dairy farm they tested",
        "site": None,
        "dek": "The study of 40 farms in northern England found fragments in all 120 samples, most of them from "
        "packaging and farm equipment",
        "byline": "Priya Nair",
        "published": "2025-02-11",
        "paragraphs": 8,
        "first": "Tiny fragments of plastic have been found in milk from every one of 40 dairy farms tested in "
        "northern England, according to a study published on Tuesday.",
        "last": "The researchers now plan to test milk at later stages of the supply chain, including after bottling "
        "and on supermarket shelves.",
        "contains": [],
        "captions": [
            Caption(
                alt="A researcher in a white coat holds a glass flask of milk up to the light",
                text="A researcher at the University of Tynebridge examines a milk sample in the laboratory in "
                "January.",
                credit="Supplied: University of Tynebridge",
            ),
            Caption(
                alt="Rows of cows in a milking parlour on a dairy farm",
                text="Milking equipment on one of the farms in the study in North Yorkshire.",
                credit="Priya Nair / Northern Broadcasting",
            ),
        ],
        "boilerplate": [
            "Skip to main content",
            "Science",
            "Tue 11 Feb 2025 at 6:30am",
            "Got a news tip? Contact the Northern Broadcasting newsroom at newsdesk@northernbroadcasting.example.",
            "Food safety | Farming | Plastic pollution",
        ],
        "absent": ["Cookies on", "Science correspondent", "Supplied:", "news tip"],
    },
}

PAGE_NAMES = sorted(EXPECTED)


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    return {name: extract_text((PAGES / name).read_text(encoding="utf-8")) for name in PAGE_NAMES}


def test_every_page_has_an_expectation() -> None:
    assert sorted(p.name for p in PAGES.glob("*.txt")) == PAGE_NAMES


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_title_and_site(pages: dict[str, Page], name: str) -> None:
    assert pages[name].title == EXPECTED[name]["title"]
    assert pages[name].site == EXPECTED[name]["site"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_dek_byline_published(pages: dict[str, Page], name: str) -> None:
    page, want = pages[name], EXPECTED[name]
    assert page.dek == want["dek"]
    assert page.byline == want["byline"]
    assert page.published == want["published"]
    assert page.language is None


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_paragraphs(pages: dict[str, Page], name: str) -> None:
    page, want = pages[name], EXPECTED[name]
    assert len(page.paragraphs) == want["paragraphs"]
    assert page.paragraphs[0] == want["first"]
    assert page.paragraphs[-1] == want["last"]
    for line in want["contains"]:
        assert line in page.paragraphs
    # Title, dek and byline are metadata, not body.
    for meta in (page.title, page.dek, page.byline):
        assert meta is None or all(meta not in p for p in page.paragraphs)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_captions_and_credits(pages: dict[str, Page], name: str) -> None:
    page = pages[name]
    assert list(page.captions) == EXPECTED[name]["captions"]
    body = "\n\n".join(page.paragraphs)
    for caption in page.captions:
        assert caption.text not in body
        assert not caption.credit or caption.credit not in body


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_boilerplate_is_removed(pages: dict[str, Page], name: str) -> None:
    page = pages[name]
    body = "\n\n".join(page.paragraphs)
    for line in EXPECTED[name]["boilerplate"]:
        assert line in page.boilerplate
        assert line not in page.paragraphs
    for text in EXPECTED[name]["absent"]:
        assert text not in body


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_line_is_accounted_for(pages: dict[str, Page], name: str) -> None:
    """No input line is lost: each is body, metadata, part of a caption or boilerplate."""
    page = pages[name]
    kept = set(page.paragraphs) | set(page.boilerplate) | {page.title, page.dek}
    caption_parts = [part for c in page.captions for part in (c.alt, c.text, c.credit) if part]
    for line in (PAGES / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line in kept or line == "Image caption,":
            continue
        assert (page.byline and page.byline in line) or any(part in line for part in caption_parts), line


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_without_blank_lines(pages: dict[str, Page], name: str) -> None:
    """Scrapers that drop blank lines lose the block groups; the article must not depend on them."""
    text = (PAGES / name).read_text(encoding="utf-8")
    page = extract_text("\n".join(line for line in text.splitlines() if line.strip()))
    assert page.paragraphs == pages[name].paragraphs
    assert page.captions == pages[name].captions
    assert page.title == pages[name].title


@pytest.mark.parametrize(
    ("caption_line", "text", "credit"),
    [
        (
            "Protesters gather in front of the government building in Minsk, Belarus, on Monday.Sergei Grits / AP",
            "Protesters gather in front of the government building in Minsk, Belarus, on Monday.",
            "Sergei Grits / AP",
        ),
        (
            "The president delivers a speech during a rally in Independence Square on Sunday.Reuters",
            "The president delivers a speech during a rally in Independence Square on Sunday.",
            "Reuters",
        ),
        (
            "Two leaders meet at the council in Saint Petersburg, in December.Anna Lind / AFP - Getty Images file",
            "Two leaders meet at the council in Saint Petersburg, in December.",
            "Anna Lind / AFP - Getty Images file",
        ),
        (
            'A nurse holds up a sign reading "We need help."Jon Ray / Getty Images',
            'A nurse holds up a sign reading "We need help."',
            "Jon Ray / Getty Images",
        ),
        # No credit: "D.C.," is no glued credit.
        (
            "Crowds gather outside the court in Washington, D.C., on Friday.",
            "Crowds gather outside the court in Washington, D.C., on Friday.",
            "",
        ),
        # The last glued point wins.
        (
            "Crowds gather outside the court in Washington, D.C.Getty Images",
            "Crowds gather outside the court in Washington, D.C.",
            "Getty Images",
        ),
    ],
)
def test_glued_credit_is_split_off(caption_line: str, text: str, credit: str) -> None:
    page = extract_text(f"Image: A photo\n{caption_line}\n")
    assert page.captions == (Caption(alt="A photo", text=text, credit=credit),)


_OFFICERS = "Officers stand guard outside the station on Tuesday."


@pytest.mark.parametrize(
    ("line", "text", "credit"),
    [
        (f"{_OFFICERS} (AP Photo/Lee Park)", _OFFICERS, "AP Photo/Lee Park"),
        (f"{_OFFICERS} (Photo: Lee Park/Getty Images)", _OFFICERS, "Lee Park/Getty Images"),
        (f"{_OFFICERS} (Photo by Lee Park/Getty Images)", _OFFICERS, "Lee Park/Getty Images"),
        (f"{_OFFICERS} Credit... Lee Park for The Times", _OFFICERS, "Lee Park for The Times"),
        (f"{_OFFICERS[:-1]}Credit: Alamy", _OFFICERS[:-1], "Alamy"),
        (f"{_OFFICERS} Photograph: Lee Park/Reuters", _OFFICERS, "Lee Park/Reuters"),
        (f"3 of 12 {_OFFICERS}", _OFFICERS, ""),
    ],
)
def test_caption_lines_with_credit_markers(line: str, text: str, credit: str) -> None:
    page = extract_text(f"Station reopens after repairs\n\n{line}\n")
    assert page.captions == (Caption(text=text, credit=credit),)
    assert line not in page.paragraphs


def test_sentences_that_look_like_captions_stay_in_the_body() -> None:
    body = [
        "Two of three voters said the price of food was their main worry this year, the survey found.",
        "3 of 4 people surveyed said they would pay more for bread baked in the town itself.",
        "The survey of 1,200 adults was carried out online in the first week of the month.",
    ]
    page = extract_text("Food prices worry voters\n\n" + "\n".join(body) + "\n")
    assert page.paragraphs == tuple(body)
    assert page.captions == ()


def test_photo_label_without_credit_does_not_take_a_paragraph() -> None:
    body = [
        "The new library opened on Saturday after three years of building work in the old market hall.",
        "Picture: the reading room",
        "Hundreds of residents queued outside before the doors opened at nine in the morning on the day.",
        "The council said the building would stay open until eight in the evening on every weekday.",
    ]
    page = extract_text("Library opens\n" + "\n".join(body) + "\n")
    assert page.captions == (Caption(alt="the reading room"),)
    assert page.paragraphs == (body[0], body[2], body[3])


def test_bbc_caption_block() -> None:
    page = extract_text("Image source, Reuters\nImage caption,\nThe ship left port on Monday evening\n")
    assert page.captions == (Caption(text="The ship left port on Monday evening", credit="Reuters"),)


def test_empty_page() -> None:
    page = extract_text("")
    assert page == Page(title=None, paragraphs=())


def test_page_in_another_language() -> None:
    """Stopwords are English; on other pages the length and punctuation signals carry the decision."""
    body = [
        "Die Stadtverwaltung hat am Montag beschlossen, die alte Brücke über den Fluss bis zum Sommer zu sanieren.",
        "Nach Angaben der Behörde sollen die Arbeiten rund vier Monate dauern und etwa zwei Millionen Euro kosten.",
        "Während der Bauzeit wird der Verkehr über eine provisorische Fahrbahn am Ufer umgeleitet, hieß es.",
    ]
    nav = ["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur", "Impressum", "Datenschutz"]
    text = "Brücke wird saniert | Stadtanzeiger\n\n" + "\n".join(nav) + "\n\nBrücke wird saniert\n\n"
    text += "\n\n".join(body) + "\n\nTeilen\nFacebook\nTwitter\n"
    page = extract_text(text)
    assert page.paragraphs == tuple(body)
    assert page.title == "Brücke wird saniert"
    assert page.site == "Stadtanzeiger"


def test_comment_section_is_not_body() -> None:
    article = [
        "Water rose above the river wall shortly after midnight and reached the market square within an hour.",
        "Firefighters used boats to reach families on the lower streets, and the school hall was opened as a shelter.",
        "The mayor said the town would ask the regional government for help with repairs to the flood defences.",
    ]
    comments = [
        "I live two streets away from the river and we had water in the cellar for the first time in forty years.",
        "The council has known about the drains for a decade and done nothing about it, which is a disgrace.",
        "Thoughts with everyone affected, and thank you to the volunteers who turned out with sandbags all night.",
        "My parents had to leave their house at three in the morning and they still cannot go back to it.",
    ]
    text = "Flood hits town\n\nFlood hits town\n\n" + "\n\n".join(article)
    text += "\n\nComments\n\n" + "\n\n".join(f"reader{n}\n{c}\nReply" for n, c in enumerate(comments))
    page = extract_text(text)
    assert page.paragraphs == tuple(article)


def test_seed_page() -> None:
    if not SEED.is_file() or not SEED_GOLD.is_file():
        pytest.skip("shared seed page not available")
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    page = extract_text(SEED.read_text(encoding="utf-8"))
    assert page.title == gold["title"]
    assert page.dek == gold["dek"]
    for line in gold["boilerplate"]:
        assert line in page.boilerplate
        assert all(line not in p for p in page.paragraphs)
    assert [c.to_dict() for c in page.captions] == gold["captions"]
    body = "\n\n".join(page.paragraphs)
    for caption in gold["captions"]:
        assert caption["text"] not in body
        assert caption["credit"] not in body
    assert body.startswith("After being booed")
    assert body.endswith('no matter what happens next."')


# -- pages whose first line is no page title ----------------------------------

_HEADLINE = "Bridge repairs to close river crossing for six months"
_DEK = "Drivers face detours of up to 20 minutes while engineers replace the deck, the council said."
_BODY = (
    "The council said on Monday that the Old Mill bridge would close to traffic from the first week of "
    "March so that engineers could replace its concrete deck and the railings on both sides.",
    "About 14,000 vehicles cross the bridge on a typical weekday, according to the council's own figures, "
    "and the nearest other crossing is four miles downstream.",
    "Buses will be diverted along the ring road, and a temporary footbridge will stay open for people on "
    "foot and on bicycles while the work goes on.",
)
# The top of a page that keeps its page title: title line, menu, headline.
_TOP = (f"{_HEADLINE} | River News", "Home\nNews\nSport\nWeather", _HEADLINE)


def _page(*blocks: str) -> str:
    """Return page text with one blank line between blocks."""
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize(
    "first_line",
    [
        # consent notices, in the wording of the common consent frameworks and of a public broadcaster
        "We value your privacy. We and our 640 partners store and/or access information on a device, such as "
        "cookies, and process personal data. Accept | Reject | Show purposes",
        "Your privacy choices: we and our vendors use cookies to deliver personalized ads and content. "
        "Agree | Manage settings",
        "Cookies on River News. We would like to use additional cookies to remember your settings. "
        "Yes, I agree | No, take me to settings",
        # menus saved as one line
        "Skip to Content | River News | Local | Politics | Sport | Weather | Sign In | Watch Live",
        "Home • News • Sport • Business • Entertainment • Travel",
        "Skip to main content",
    ],
)
def test_first_line_that_is_no_page_title(first_line: str) -> None:
    page = extract_text(_page(first_line, _HEADLINE, _DEK, "By Owen Pritchard", "Feb. 3, 2025", *_BODY))
    assert page.title == _HEADLINE
    assert page.site is None
    assert page.dek == _DEK
    assert page.byline == "Owen Pritchard"
    assert page.published == "2025-02-03"
    assert page.paragraphs == _BODY
    assert first_line in page.boilerplate


@pytest.mark.parametrize(
    ("head", "title", "dek"),
    [
        # a standfirst without final punctuation right under the headline
        (
            [_HEADLINE, "Drivers face detours of up to 20 minutes while engineers replace the deck"],
            _HEADLINE,
            "Drivers face detours of up to 20 minutes while engineers replace the deck",
        ),
        # a kicker above the headline is no headline
        (["Roads and transport", _HEADLINE], _HEADLINE, None),
        # a "Name, role" byline under the headline is no headline
        ([_HEADLINE, "Owen Pritchard, Transport correspondent"], _HEADLINE, None),
    ],
)
def test_headline_among_the_lines_above_the_body(head: list[str], title: str, dek: str | None) -> None:
    page = extract_text(_page("Home | News | Sport | Weather", *head, *_BODY))
    assert page.title == title
    assert page.dek == dek
    assert page.paragraphs == _BODY


@pytest.mark.parametrize(
    ("first_line", "logo", "headline", "title", "site"),
    [
        # "Title | Site" whose site name the page also prints alone: the site is no title
        (
            "Council approves harbour budget after a long debate | Harbour Times",
            "Harbour Times",
            "Council approves harbour budget",
            "Council approves harbour budget",
            "Harbour Times",
        ),
        # "Section | Title - Site" whose section the page prints alone
        (
            "Opinion | The harbour budget is a missed chance - Harbour Times",
            "Opinion",
            "Opinion | The harbour budget is a missed chance",
            "Opinion | The harbour budget is a missed chance",
            "Harbour Times",
        ),
    ],
)
def test_site_or_section_name_is_no_title(first_line: str, logo: str, headline: str, title: str, site: str) -> None:
    page = extract_text(_page(first_line, f"{logo}\nNews\nSport", headline, *_BODY))
    assert page.title == title
    assert page.site == site
    assert page.paragraphs == _BODY


# -- image blocks split by a blank line ---------------------------------------

_CAPTION = "Engineers inspect the underside of the Old Mill bridge on Monday."


@pytest.mark.parametrize(
    ("caption_line", "text", "credit"),
    [
        (f"{_CAPTION}Lena Moss / River News", _CAPTION, "Lena Moss / River News"),
        (f"{_CAPTION}Getty Images", _CAPTION, "Getty Images"),
        (f"{_CAPTION} (Photo by Lena Moss/Getty Images)", _CAPTION, "Lena Moss/Getty Images"),
        (f"{_CAPTION} Credit: Lena Moss", _CAPTION, "Lena Moss"),
    ],
)
def test_image_caption_after_a_blank_line(caption_line: str, text: str, credit: str) -> None:
    page = extract_text(_page(*_TOP, _BODY[0], "Image: The underside of a concrete bridge", caption_line, *_BODY[1:]))
    assert page.captions == (Caption(alt="The underside of a concrete bridge", text=text, credit=credit),)
    assert page.paragraphs == _BODY


def test_uncredited_line_after_an_image_label_and_a_blank_line_stays_body() -> None:
    """Without a credit, a caption after a blank line cannot be told from a short paragraph: it is kept."""
    page = extract_text(_page(*_TOP, _BODY[0], "Image: The underside of a concrete bridge", *_BODY[1:]))
    assert page.captions == (Caption(alt="The underside of a concrete bridge"),)
    assert page.paragraphs == _BODY


# -- the outlet's tip line ----------------------------------------------------


@pytest.mark.parametrize(
    "tip_line",
    [
        "Got a story? Email news@rivernews.example or call us on 020 7946 0321.",
        "Have a news tip? Email tips@rivernews.example.",
        "Do you have a story for us? Send it to stories@rivernews.example.",
        "Get in touch: Are you affected by the closure? Email haveyoursay@rivernews.example.",
        "Email newsdesk@rivernews.example or WhatsApp us on 07700 900123.",
    ],
)
def test_tip_line_is_boilerplate(tip_line: str) -> None:
    page = extract_text(_page(*_TOP, *_BODY, tip_line))
    assert page.paragraphs == _BODY
    assert tip_line in page.boilerplate


def test_article_sentences_about_calls_and_stories_stay_body() -> None:
    body = (
        *_BODY,
        '"Anyone who saw the crash should get in touch with us," a police spokesperson said on Tuesday evening.',
        "Residents who have a story about the bridge can share it at the public meeting on Thursday night.",
    )
    page = extract_text(_page(*_TOP, *body))
    assert page.paragraphs == body
