import pytest


def roles(nlp, text):
    return {e.name: [(r.title, r.organisation) for r in e.roles] for e in nlp(text)._.entities if e.roles}


@pytest.mark.parametrize(
    "text, name, role",
    [
        ('"It is over," said Emily Ferris, a Russia research fellow at the Royal United Services Institute, '
         "or RUSI, a think tank in London.", "Emily Ferris", ("Russia research fellow", "Royal United Services Institute")),
        ("Linas Linkevicius, foreign minister of neighboring Lithuania, said on Monday that the vote was unfair.",
         "Linas Linkevicius", ("foreign minister", "Lithuania")),
        ("White House spokesman Josh Earnest said the president would veto the bill.",
         "Josh Earnest", ("spokesman", "White House")),
        ("Protesters gathered in Minsk. Belarusian President Alexander Lukashenko said the rally was illegal.",
         "Alexander Lukashenko", ("President", "Belarus")),
        ("The plan was suggested by Svetlana Tsikhanouskaya, the opposition leader and runner-up in the election.",
         "Svetlana Tsikhanouskaya", ("opposition leader", None)),
    ],
)
def test_roles_are_read_from_descriptors(nlp, text, name, role):
    if "Belarus" in role:
        text = "Belarus is in turmoil. " + text  # the country a nationality stands for must be named
    assert role in roles(nlp, text)[name]


def test_role_spans_are_evidence_in_the_text(nlp):
    text = "Keir Giles, a senior consulting fellow at Chatham House, said Russia was ready."
    giles = next(e for e in nlp(text)._.entities if e.name == "Keir Giles")
    [role] = giles.roles
    assert text[role.span[0]:role.span[1]] == "senior consulting fellow at Chatham House"


def test_descriptions_without_a_role_word_are_not_roles(nlp):
    text = "Yauheni Preiherman, director of the Minsk Dialogue Council, a political think tank, said so."
    assert roles(nlp, text)["Yauheni Preiherman"] == [("director", "Minsk Dialogue Council")]


def test_no_descriptors_no_roles(nlp):
    assert roles(nlp, "Maria Okafor went home early on Tuesday.") == {}
