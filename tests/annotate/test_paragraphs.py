def test_every_line_starts_a_sentence(nlp):
    doc = nlp("Storm floods coastal towns\n\nHundreds of homes were flooded, officials said.\nMore rain is due")
    starts = [sent.text.strip() for sent in doc.sents]
    assert starts == ["Storm floods coastal towns", "Hundreds of homes were flooded, officials said.",
                      "More rain is due"]


def test_the_component_runs_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("newsgraph_paragraphs_v1") < names.index("parser")
