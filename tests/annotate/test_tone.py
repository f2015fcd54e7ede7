from newsgraph.annotate.tone import article_tone, tone_of


def test_tone_of_words():
    assert tone_of("Protesters were beaten in a violent crackdown.") < -0.5
    assert tone_of("The rescue was a wonderful success, and families celebrated.") > 0.5
    assert tone_of("") == 0.0


def test_article_and_quote_tone_are_set_by_the_pipeline(nlp):
    doc = nlp('"This is a disaster for the city," said Mayor Ana Ruiz. The council met on Tuesday.')
    assert -1 <= doc._.tone < 0
    assert doc._.tone == article_tone(doc)
    [quote] = doc._.quotes
    assert quote.tone < 0
