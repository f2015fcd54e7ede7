import time

import pytest

from newsgraph.errors import NewsgraphError, NoContentError, UnsupportedLanguageError
from newsgraph.extract import extract, extract_plain
from newsgraph.models import RawDocument


def raw(body: str, fmt: str = "html", **kw) -> RawDocument:
    return RawDocument(source="test-input", format=fmt, body=body, source_hash="0", **kw)


GERMAN = (
    "<html><body><article><h1>Proteste in Minsk</h1>"
    + "<p>Tausende Menschen sind am Montag in Minsk auf die Straße gegangen, um gegen die Regierung "
      "zu protestieren. Die Polizei hat mehrere Demonstranten festgenommen, berichteten Augenzeugen.</p>" * 4
    + "</article></body></html>"
)


def test_any_language_is_extracted_and_identified():
    page = extract(raw(GERMAN))
    assert page.language == "de" and page.paragraphs


def test_the_pipeline_refuses_a_language_the_model_cannot_read(pipeline):
    with pytest.raises(UnsupportedLanguageError, match=r"test-input: article is in language 'de'"):
        pipeline.article(raw(GERMAN))


@pytest.mark.parametrize("body", ["<<<>>><html<body", "<html><head><title>x</title></head><body></body></html>",
                                  "<html><body><script>var a = 1;</script></body></html>"])
def test_malformed_or_empty_html_has_no_content(body):
    with pytest.raises(NoContentError, match="test-input: no article text found"):
        extract(raw(body))


def test_plain_text_is_split_into_paragraphs_and_source_metadata_wins():
    page = extract(raw("The council met on Tuesday.\n\nIt agreed a new budget, the mayor said.",
                       fmt="plain", title="Council agrees budget", published="2021-05-04"))
    assert page.paragraphs == ("The council met on Tuesday.", "It agreed a new budget, the mayor said.")
    assert (page.title, page.published, page.language) == ("Council agrees budget", "2021-05-04", "en")


def test_plain_text_without_blank_lines_splits_on_lines():
    assert extract_plain("One.\nTwo.\n").paragraphs == ("One.", "Two.")


# Shapes of hostile page text: one huge word (the e-mail pattern of the promo
# filter used to rescan it from every position: 41 s for 100,000 characters),
# runs of punctuation, and runs of short tokens and whitespace.
_HOSTILE_RUNS = ["x", "A.", "1", "x@", "-", "a ", "A: ", "(", "\t"]


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("unit", _HOSTILE_RUNS)
def test_long_runs_take_linear_time(fmt: str, unit: str) -> None:
    body = unit * (100_000 // len(unit))
    if fmt == "html":
        body = f"<html><head><title>t</title></head><body><article><p>{body}</p></article></body></html>"
    start = time.perf_counter()
    try:
        extract(RawDocument(source="long.txt", format=fmt, body=body, source_hash="h"))
    except NewsgraphError:
        pass  # no article is a fine answer; taking minutes to give it is not
    # Linear passes take ~0.1 s here; the quadratic pattern took 41 s.
    assert time.perf_counter() - start < 5
