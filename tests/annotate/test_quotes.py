import time

import pytest

from newsgraph.annotate.quotes import cue_lexicon, find_quotations, find_quotes
from newsgraph.models import Quote


def described(text: str, quote: Quote) -> tuple[list[str], list[str], str]:
    """Return (content pieces, source pieces, kind) of ``quote`` as text."""
    return [text[s:e] for s, e in quote.content], [text[s:e] for s, e in quote.source], quote.kind


def found(nlp, text: str) -> tuple[Quote, ...]:
    """Return this component's quotes for ``text`` (recomputed: later components may add speakers)."""
    return find_quotes(nlp(text))


def quotes_of(nlp, text: str) -> list[tuple[list[str], list[str], str]]:
    return [described(text, q) for q in found(nlp, text)]


# --- quotation marks (no model needed)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “yes” and “no.”", ["“yes”", "“no.”"]),
        ('She said "we are ready," and left.', ['"we are ready,"']),
        ("Old wire style: ``we are ready,'' he said.", ["``we are ready,''"]),
        # A quotation in a quotation stays inside the outer one.
        ("“They told us ‘wait’ and we waited,” he said.", ["“They told us ‘wait’ and we waited,”"]),
        ("“The root of all evil is what he calls “hell” here,” she wrote.", ["“The root of all evil is what he calls “hell” here,”"]),
        # British style: single marks are the quotation marks when there are no double ones.
        ("'We will not give up,' said Ms Nair. It’s over, she added.", ["'We will not give up,'"]),
        # ... also when a double pair is nested in them.
        ("‘We will not give up,’ said Ms Nair, calling it “an insult”. ‘The strike goes on,’ she added.",
         ["‘We will not give up,’", "‘The strike goes on,’"]),
        # An apostrophe is not a quotation mark, and neither are inch marks.
        ("The club’s players don’t agree. He is 6'2\" tall.", []),
    ],
)
def test_quotations_are_paired(text, expected):
    assert [text[q.start : q.end] for q in find_quotations(text)] == expected


def test_an_unclosed_quotation_continues_in_the_next_paragraph_that_opens_with_a_mark():
    text = "“The first part of the plan is simple.\n\n“Then we move the road inland,” she said.\n\nDone."
    (quotation,) = find_quotations(text)
    assert [text[s:e] for s, e in quotation.pieces] == [
        "“The first part of the plan is simple.",
        "“Then we move the road inland,”",
    ]
    assert quotation.closed


@pytest.mark.parametrize(
    "text, expected",
    [
        # Unclosed at the end of the text: kept to the end of its line when long enough.
        ("He said: “We will never, ever give up", ["“We will never, ever give up"]),
        # A stray mark with a few words after it is not a quotation.
        ("The “ sign is odd.", []),
        # Two openers, one closer: the first opener was unbalanced.
        ("“Unbalanced here and “balanced here” now.", ["“balanced here”"]),
        # A closing mark typed as an opener (and vice versa) still pairs.
        ("”Mr. Trump is wrong,” she said.", ["”Mr. Trump is wrong,”"]),
    ],
)
def test_unbalanced_marks_do_not_break_pairing(text, expected):
    assert [text[q.start : q.end] for q in find_quotations(text)] == expected


def test_cue_lexicon_reads_frames():
    lexicon = cue_lexicon()
    assert lexicon["say"].clause and not lexicon["say"].obj
    assert lexicon["call"].obj and "for" in lexicon["call"].preps and lexicon["call"].infinitive
    assert lexicon["sing"].quoted_only
    assert lexicon["claim"].clause and lexicon["claim"].noun  # a verb and a noun


# --- attributions (the real model)


@pytest.mark.parametrize(
    "text, content, source, kind",
    [
        # Direct, attribution after the quotation (inverted and not).
        ('"The bridge will reopen in June," said Mayor Lena Ortiz.',
         ['"The bridge will reopen in June,"'], ["Mayor Lena Ortiz"], "direct"),
        ("“It’s a disaster,” she said.", ["“It’s a disaster,”"], ["she"], "direct"),
        # Direct, attribution before: colon and comma.
        ("The council said in a statement: “Work will resume on Monday.”",
         ["“Work will resume on Monday.”"], ["The council"], "direct"),
        ('Chief executive Anneliese Brandt told reporters: "We are not selling the plant."',
         ['"We are not selling the plant."'], ["Chief executive Anneliese Brandt"], "direct"),
        # Indirect.
        ("Ortiz said the bridge would reopen in June.", ["the bridge would reopen in June"], ["Ortiz"], "indirect"),
        ("Doctors warned that the virus could spread quickly.",
         ["that the virus could spread quickly"], ["Doctors"], "indirect"),
        # Mixed: partly quoted.
        ("The minister promised “full support” for the farmers affected by the floods.",
         ["“full support” for the farmers affected by the floods"], ["The minister"], "mixed"),
        ("Mr. Haddad, 54, says fishing is “all I know.”", ["fishing is “all I know.”"], ["Mr. Haddad"], "mixed"),
        # Attribution inside the content.
        ("The vote, the senator said, was a mistake.", ["The vote", "was a mistake"], ["the senator"], "indirect"),
        # Organisations speak too.
        ("The Kremlin said it had no plans to intervene.", ["it had no plans to intervene"], ["The Kremlin"], "indirect"),
        ("Russia denies sending troops across the border.", ["sending troops across the border"], ["Russia"], "indirect"),
        # "according to".
        ("According to the ministry, the strike cost the economy $40 million.",
         ["the strike cost the economy $40 million"], ["the ministry"], "indirect"),
        # A dash after the quotation names the speaker.
        ("“We will not stop until every family has clean water.” ― Amara Okafor",
         ["“We will not stop until every family has clean water.”"], ["Amara Okafor"], "direct"),
        # Characterising a person is an attribution (PolNeAR's convention).
        ("He called the proposal “dead on arrival.”", ["the proposal “dead on arrival.”"], ["He"], "mixed"),
    ],
)
def test_one_attribution(nlp, text, content, source, kind):
    assert quotes_of(nlp, text) == [(content, source, kind)]


@pytest.mark.parametrize(
    "text, content",
    [
        # Split by the attribution: one quote, two content spans.
        ('"We have done everything we could," Ortiz said. "The rest is up to the council."',
         ['"We have done everything we could,"', '"The rest is up to the council."']),
        ("“The first phase is finished,” she said, “and the second starts next week.”",
         ["“The first phase is finished,”", "“and the second starts next week.”"]),
        # Several sentences in one quotation.
        ("“It took years. It cost millions. It was worth it,” said the engineer, Tomas Berg.",
         ["“It took years. It cost millions. It was worth it,”"]),
    ],
)
def test_split_and_multi_sentence_quotes_are_one_quote(nlp, text, content):
    (quote,) = found(nlp, text)
    assert [text[s:e] for s, e in quote.content] == content
    assert quote.kind == "direct"


def test_a_quote_running_over_paragraphs_is_one_quote(nlp):
    text = (
        "“We will rebuild the harbour. It will take years, but we will do it.\n\n"
        "“Nobody should doubt our resolve,” the mayor said at a news conference on Tuesday.\n\n"
        "The council meets again next week."
    )
    (quote,) = found(nlp, text)
    content, source, kind = described(text, quote)
    assert content == [
        "“We will rebuild the harbour. It will take years, but we will do it.",
        "“Nobody should doubt our resolve,”",
    ]
    assert source == ["the mayor"] and kind == "direct"


def test_a_quoted_paragraph_after_an_attributed_quote_continues_it(nlp):
    text = "“No one writes songs for us,” he said.\n\n“Right now, the vote is against them. It is not for us.”"
    (quote,) = found(nlp, text)
    assert len(quote.content) == 2 and text[slice(*quote.content[1])].startswith("“Right now")


@pytest.mark.parametrize(
    "text",
    [
        'The film "Blue Harbour" opened to mixed reviews in a city once known as the "jewel of the coast."',
        "The so-called “peace dividend” never arrived, and the “Make Harbours Great” slogan faded.",
        "The documentary “Tides of Change” says a lot about the town.",
        "She starred in “Harbour Lights” and “The Long Tide.” The “No More Cuts” campaign gathered 5,000 signatures.",
    ],
)
def test_scare_quotes_titles_and_slogans_are_not_quotes(nlp, text):
    assert found(nlp, text) == ()


def test_transcript_turns_and_headline_claims_are_colon_introductions(nlp):
    text = (
        "Merkel: Europe Must Act Now on Migration\n\nChancellor Angela Merkel spoke in Berlin.\n\n"
        "WALLACE: Will you accept the result?\n\nPENCE: We will accept the result."
    )
    assert quotes_of(nlp, text) == [
        (["Europe Must Act Now on Migration"], ["Merkel"], "indirect"),
        (["Will you accept the result?"], ["WALLACE"], "indirect"),
        (["We will accept the result"], ["PENCE"], "indirect"),
    ]


def test_section_labels_are_not_speakers(nlp):
    text = "UPDATE: The road is open again.\n\nPhoto: Cranes at work on the sea wall."
    assert found(nlp, text) == ()


def test_nested_attributions_are_kept_apart(nlp):
    text = (
        "Giles said Russia could mediate a transition already suggested by Svetlana Tsikhanouskaya, "
        "the opposition leader, who said Monday that she was ready to lead."
    )
    assert quotes_of(nlp, text) == [
        (["Russia could mediate a transition already suggested by Svetlana Tsikhanouskaya"], ["Giles"], "indirect"),
        (["that she was ready to lead"], ["Svetlana Tsikhanouskaya", "who"], "indirect"),
    ]


def test_a_belief_reported_by_a_speaker_is_one_attribution(nlp):
    text = "Clinton said she thinks the country is strongest when people work together."
    assert quotes_of(nlp, text) == [
        (["she thinks the country is strongest when people work together"], ["Clinton"], "indirect")
    ]


def test_participles_take_the_speaker_of_their_sentence(nlp):
    text = "Police said the suspect was arrested on Monday, adding that charges would follow."
    assert quotes_of(nlp, text) == [
        (["the suspect was arrested on Monday"], ["Police"], "indirect"),
        (["that charges would follow"], ["Police"], "indirect"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "“Curly quotes work,” said Ana Diaz.",
        '"Straight quotes work," said Ana Diaz.',
        "“Mixed quotes work,\" said Ana Diaz.",
    ],
)
def test_curly_and_straight_marks_give_the_same_quote(nlp, text):
    ((content, source, kind),) = quotes_of(nlp, text)
    assert content == [text[: text.index(",") + 2]] and source == ["Ana Diaz"] and kind == "direct"


@pytest.mark.parametrize(
    "text",
    [
        "He said: “We will never, ever give up",  # never closed
        "“Unbalanced and “balanced,” she said, “and open",  # one too many openers, then unclosed
        "”Backwards,“ he said.”",
        "“",
        "\"\"\"",
        "“”",
    ],
)
def test_unbalanced_marks_do_not_crash(nlp, text):
    for quote in found(nlp, text):
        assert all(0 <= s < e <= len(text) for s, e in quote.content)


def test_an_article_without_quotes_gives_none(nlp):
    text = "The council voted on Tuesday to close the harbour for repairs.\n\nWork will begin in May and end in June."
    assert found(nlp, text) == ()
    assert found(nlp, "") == ()


def test_records_are_well_formed(nlp):
    text = (
        "“The first phase is finished,” Ortiz said.\n\n"
        "According to the ministry, the strike cost $40 million. The union said the figure was “invented.”\n\n"
        "Doctors warned that the virus could spread."
    )
    quotes = found(nlp, text)
    assert [q.id for q in quotes] == [f"Q{i}" for i in range(1, len(quotes) + 1)]
    starts = [q.content[0][0] for q in quotes]
    assert starts == sorted(starts)
    for quote in quotes:
        assert quote.kind in ("direct", "mixed", "indirect")
        assert 0.0 <= quote.confidence <= 1.0
        assert quote.speaker is None and quote.speaker_id is None  # resolved by newsgraph_speakers_v1
        for s, e in quote.content + quote.cue + quote.source:
            assert 0 <= s < e <= len(text) and text[s:e] == text[s:e].strip()
    cue_words = {q.cue_word for q in quotes}
    assert {"say", "according to", "warn"} <= cue_words
    said = quotes[0]
    assert text[slice(*said.cue[0])] == "said" and text[slice(*said.source[0])] == "Ortiz"


def test_spans_point_into_text_with_offsets_after_non_ascii(nlp):
    text = "Résumé: “Ça va,” dit-il. The mayor of Zürich said the café’s “crème brûlée” was superb."
    for quote in found(nlp, text):
        for s, e in quote.content:
            assert text[s:e] in text and text[s:e].strip() == text[s:e]
    mayor = [q for q in quotes_of(nlp, text) if q[1] == ["The mayor of Zürich"]]
    assert mayor == [(["the café’s “crème brûlée” was superb"], ["The mayor of Zürich"], "mixed")]


def test_a_long_article_is_handled_in_reasonable_time(nlp):
    paragraphs = []
    for i in range(500):
        paragraphs.append(
            [
                f"“Section {i} of the sea wall is finished,” said engineer Kai Moreno. “The next one starts soon.”",
                f"The council said on day {i} that the budget for the wall had been approved.",
                "Residents gathered near the water to watch the cranes at work.",
            ][i % 3]
        )
    text = "\n\n".join(paragraphs)
    doc = nlp(text)
    started = time.perf_counter()
    quotes = find_quotes(doc)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0  # the parse of this text takes several times longer
    assert len(quotes) >= 300
    assert all(text[s:e] for q in quotes for s, e in q.content)


def test_the_component_stores_its_quotes_on_the_doc(nlp):
    assert "newsgraph_quotes_v1" in nlp.pipe_names
    text = "“The bridge will reopen in June,” said Mayor Lena Ortiz. Critics said the date would slip."
    doc = nlp(text)
    assert [(q.id, q.content, q.source, q.cue) for q in doc._.quotes] == [
        (q.id, q.content, q.source, q.cue) for q in find_quotes(doc)
    ]
    assert len(doc._.quotes) == 2


@pytest.mark.parametrize("text", [
    "The tablet offers a bright screen and a long battery life.",  # a thing says nothing
    "The chart shows where prices rose fastest.",
    "The minister has not commented on the claims.",  # negated speech is no quote
    "A spokeswoman declined to say when the talks would resume.",
    "Residents can call the hotline after 6 p.m.",  # a call that names nothing is a phone call
    "Satellite images suggest the reservoir dropped by a third over the summer.",  # a thing believes nothing
    "The smart thermostat knows when nobody is home.",
    "Madrid claimed the European title with a late goal.",  # claiming a title is winning it
    "The company continues to offer free repairs for the keyboards.",  # a service, not speech
    "You can call up the history by pressing the red key.",  # a phrasal verb of another meaning
    "That said, the museum still charges for the upper floors.",  # a connective
    "It was cold, which told us the season had turned.",  # an adjective is no speaker
    "If the council decides to close the pool, swimmers will have to travel.",  # a condition is no act yet
    "Inhaling dust can cause what is called “miller's asthma.”",  # naming, in the passive
    "I understand that these levels exist to let players feel powerful.",  # the writer's own view
    "Is there something you think we should know? Email the writer.",  # a question to the reader
    "Storm warning\n\nNEW DELHI: The weather office on Monday issued an orange alert for five districts.",  # a dateline
    "Tickets\n\nVIP : 60,000₩\n\nR : 50,000₩",  # a price list
])
def test_what_is_not_reported_speech_is_no_quote(nlp, text):
    assert found(nlp, text) == ()


@pytest.mark.parametrize("text, source", [
    ("A Gallup poll found that most voters back the plan.", "A Gallup poll"),  # documents report
    ("Engineers warned that the dam could fail.", "Engineers"),
    ('The senator called the plan "reckless."', "The senator"),
])
def test_people_groups_and_documents_still_speak(nlp, text, source):
    assert [described(text, q)[1] for q in found(nlp, text)] == [[source]]


@pytest.mark.parametrize("text, speaker", [
    # the person the paragraph before introduces
    ("Maria Lopez, a teacher in Minsk, joined the march on Sunday.\n\n“We will not give up, whatever they do to us.”",
     "Maria Lopez"),
    # the speaker of the indirect quote before, and on through a second quoted paragraph
    ("The mayor, Anna Kovacs, said the city would appeal the ruling.\n\n“We have a strong case and we will win it.”"
     "\n\n“Nobody should doubt that for a moment.”", "Anna Kovacs"),
])
def test_a_quoted_paragraph_with_no_cue_is_a_floating_quote_of_the_speaker_before(nlp, text, speaker):
    doc = nlp(text)
    floating = [q for q in doc._.quotes if q.kind == "floating"]
    assert floating and all(q.speaker == speaker for q in floating)
    assert text[slice(*floating[0].content[0])].startswith("“We")


def test_a_short_quoted_line_is_not_a_floating_quote(nlp):
    text = "Maria Lopez spoke at the march.\n\n“Solidarity.”"
    assert not [q for q in nlp(text)._.quotes if q.kind == "floating"]


def test_according_to_a_record_the_speaker_of_the_sentence_speaks(nlp):
    text = "According to the ministry's minutes, she promised \"support\" to the striking miners."
    (quote,) = nlp(text)._.quotes
    assert described(text, quote)[1] == ["she"]


def test_a_clause_a_treaty_lays_down_is_no_quote(nlp):
    text = "The pact mandates that both sides offer assistance to each other."
    assert found(nlp, text) == ()


def test_a_content_clause_ends_before_the_speakers_next_act_and_at_a_semicolon(nlp):
    text = "The union said the offer was an insult and threatened a strike in May."
    assert [c for c, _, _ in quotes_of(nlp, text)][0] == ["the offer was an insult"]
    text = "The mayor said the budget was balanced; critics disagreed."
    assert [c for c, _, _ in quotes_of(nlp, text)][0] == ["the budget was balanced"]


@pytest.mark.parametrize("text, content", [
    # the sentence around an attribution set off by commas, on both sides of it
    ("The bridge was safe, the engineer said, until the flood last spring.",
     ["The bridge was safe", "until the flood last spring"]),
    ("The real problem, she told me on Monday, is that nobody reads the reports.",
     ["The real problem", "is that nobody reads the reports"]),
    # a connective before the attribution is not what was said
    ("However, the coach said, the team would play on.", ["the team would play on"]),
    # a modal verb after the reported clause is content, not the speaker's next act
    ("Doctors said the drug was safe and could not cause the rash.", ["the drug was safe and could not cause the rash"]),
    # so is a belief
    ("The firm said it would close two plants and expected to hire elsewhere.",
     ["it would close two plants and expected to hire elsewhere"]),
    # a second that-clause joined to the cue is said too
    ("Officials said the road would reopen soon, but that crews still had work to do.",
     ["the road would reopen soon", "that crews still had work to do"]),
    # a negation inside the quotation does not negate its cue
    ('"Is the plan ready? Not yet," Ms. Ortiz said.', ['"Is the plan ready? Not yet,"']),
    # the model's rule lemmatizer gives "hop" for "hopes": still a cue
    ("The ministry hopes to finish the road by winter.", ["to finish the road by winter"]),
    # a headline without a full stop is not the clause of the first paragraph's attribution
    ("Storm floods coastal towns\n\nHundreds of homes were flooded overnight, officials said on Sunday.",
     ["Hundreds of homes were flooded overnight"]),
    # the terms of an anonymous source are no quote of theirs
    ("An aide, who asked not to be named, said the talks had stalled.", ["the talks had stalled"]),
    # a demand in the passive voice is still a demand
    ("The mayor, who's called for a new stadium, spoke on Monday.", ["a new stadium"]),
    # the parser reads the infinitive as a purpose clause; a verb of speaking with an addressee says it
    ("The coach tells his players at every practice to “keep the ball moving.”",
     ["his players at every practice to “keep the ball moving.”"]),
    # a ruling is an attribution
    ("The court ruled that the contract was void.", ["that the contract was void"]),
])
def test_the_one_attribution_has_this_content(nlp, text, content):
    assert [c for c, _, _ in quotes_of(nlp, text)] == [content]


def test_put_it_before_a_colon_introduces_a_quotation(nlp):
    text = "One farmer put it plainly: “Without rain, we lose everything.”"
    assert [(c, s) for c, s, _ in quotes_of(nlp, text)] == [(["“Without rain, we lose everything.”"], ["One farmer"])]


def test_a_quote_does_not_start_with_the_dateline():
    from newsgraph.annotate.quotes.content import _after_dateline

    text = "OSLO (Reuters) — The fjord bridge will reopen in May, the roads minister said on Friday."
    end = text.index(", the roads")
    assert text[slice(*_after_dateline(text, (0, end)))] == "The fjord bridge will reopen in May"


def test_an_unclosed_straight_quotation_does_not_swallow_a_curly_one_after_it():
    text = '"The first time she saw him, she was just beginning to see it.\n\n“It never crossed my mind,” she said.'
    quotations = find_quotations(text)
    assert [text[q.start:q.end] for q in quotations if q.closed] == ["“It never crossed my mind,”"]


def test_an_attribution_set_off_by_commas_after_a_dash_takes_only_its_own_clause(nlp):
    text = ("Instead, Ortiz said, a ceasefire could be an option — although the talks had failed, "
            "she said, both sides wanted a deal.")
    contents = [c for c, _, _ in quotes_of(nlp, text)]
    assert ["a ceasefire could be an option"] in contents
    assert ["although the talks had failed", "both sides wanted a deal"] in contents
