"""The read endpoints against a real server over the sample corpus."""

from __future__ import annotations

import pytest

HOSEPIPE = "f79b62b1b089d1c1"  # Albion News: hosepipe ban warning (content hash: stable)
LAGOS = "a416791b42eb37cc"  # Atlas News: tariff protests in Lagos (a political page: events are coded)


def test_list_articles_has_items_and_total(api):
    body = api.get("/api/articles").json()
    assert set(body) >= {"items", "total"}
    assert body["total"] == 8 and len(body["items"]) == 8
    dates = [a["published"] for a in body["items"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert {"id", "title", "outlet", "published", "quotes", "events"} <= set(body["items"][0])


def test_pagination_keeps_total(api):
    first = api.get("/api/articles", params={"limit": 3}).json()
    second = api.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    past = api.get("/api/articles", params={"offset": 50}).json()
    assert first["total"] == second["total"] == past["total"] == 8
    assert len(first["items"]) == 3 and len(second["items"]) == 3 and past["items"] == []
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"outlet": "meridian wire"}, 1),
        ({"language": "en"}, 8),
        ({"from": "2026-03-01", "to": "2026-03-31"}, 4),
        ({"from": "2026-03"}, 6),
        ({"to": "2026-02-17"}, 2),
    ],
)
def test_article_filters(api, params, total):
    assert api.get("/api/articles", params=params).json()["total"] == total


def test_full_text_search_finds_article(api):
    body = api.get("/api/articles", params={"q": "reservoirs hosepipe"}).json()
    assert body["total"] >= 1 and body["items"][0]["id"] == HOSEPIPE
    # Stemming: "pledged" finds the article about pledges.
    titles = [a["title"] for a in api.get("/api/articles", params={"q": "pledged"}).json()["items"]]
    assert any("pledge" in t for t in titles)
    # Search combines with filters.
    assert api.get("/api/articles", params={"q": "hosepipe", "outlet": "Meridian Wire"}).json()["total"] == 0


def test_article_detail_has_annotations(api):
    article = api.get(f"/api/articles/{LAGOS}").json()
    assert article["id"] == LAGOS and article["text"] and article["genre"] == "political"
    assert article["quotes"] and article["entities"] and article["events"]
    hosepipe = api.get(f"/api/articles/{HOSEPIPE}").json()  # a water company's ban: no political page
    assert hosepipe["genre"] == "other" and hosepipe["events"] == [] and hosepipe["quotes"]
    assert any(e["canonical_id"] for e in article["entities"])


def test_most_quoted_speakers(api):
    body = api.get("/api/entities", params={"sort": "quotes", "limit": 5}).json()
    counts = [e["quotes"] for e in body["items"]]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 4
    assert body["items"][0]["type"] == "PERSON"
    assert body["total"] > len(body["items"])


def test_entity_filters(api):
    people = api.get("/api/entities", params={"type": "person", "limit": 200}).json()
    assert people["items"] and all(e["type"] == "PERSON" for e in people["items"])
    found = api.get("/api/entities", params={"q": "okafor"}).json()
    assert found["items"][0]["name"] == "Maria Okafor"


def _okafor_id(api) -> str:
    return api.get("/api/entities", params={"q": "Maria Okafor"}).json()["items"][0]["canonical_id"]


def test_speaker_page_has_roles_and_quotes(api):
    speaker = api.get(f"/api/entities/{_okafor_id(api)}").json()
    assert speaker["name"] == "Maria Okafor" and "Okafor" in speaker["aliases"]
    role = speaker["roles"][0]
    assert role["title"] == "senior analyst" and "Lagos Institute for Policy Studies" in role["organisation"]
    assert "senior analyst" in role["evidence"] and role["evidence"] in role["context"]
    assert len(speaker["quotes"]) >= 4 and speaker["articles"]


def test_quotes_by_speaker_id_and_name(api):
    cid = _okafor_id(api)
    by_id = api.get("/api/quotes", params={"speaker": cid}).json()
    by_name = api.get("/api/quotes", params={"speaker": "okafor"}).json()
    assert by_id["total"] >= 4 and by_id["total"] == by_name["total"]
    assert all(q["speaker_id"] == cid for q in by_id["items"])
    words = api.get("/api/quotes", params={"q": "electricity", "speaker": cid}).json()
    assert words["total"] >= 1 and all("electricity" in q["text"].lower() for q in words["items"])


def test_events_by_type_and_country(api):
    body = api.get("/api/events", params={"type": "PROTEST", "country": "NGA"}).json()
    assert body["total"] >= 1
    for event in body["items"]:
        assert event["type"] == "PROTEST" and "NGA" in (event["source_country"], event["target_country"])
        assert event["evidence"]
    dated = api.get("/api/events", params={"from": "2026-03-09", "to": "2026-03-12"}).json()
    assert dated["total"] >= 1
    # Partial dates ("2026-03", "2026") match when they overlap the range.
    for d in (e["date"] for e in dated["items"]):
        assert "2026-03-09"[: len(d)] <= d <= "2026-03-12"[: len(d)]
    assert "2026-03-12" in {e["date"] for e in dated["items"]}
    lagos = api.get("/api/events", params={"place": "lagos"}).json()
    assert lagos["total"] >= 1


def test_stats(api):
    stats = api.get("/api/stats").json()
    assert stats["counts"]["articles"] == 8 and stats["counts"]["quotes"] > 100
    assert {"outlet": "Meridian Wire", "articles": 1} in stats["outlets"]
    assert stats["top_speakers"][0]["quotes"] >= 4
    assert stats["search"]["backend"] == "tantivy" and stats["read_only"] is True


def test_openapi_lists_endpoints(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/{canonical_id}",
            "/api/quotes", "/api/events", "/api/stats"} <= set(paths)
    assert api.get("/docs").status_code == 200


def test_search_falls_back_when_index_cannot_be_built(sample_db, tmp_path):
    from newsgraph.serve.search import ArticleSearch
    from newsgraph.store import Database

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the index folder should go")
    with Database(sample_db, read_only=True) as db:
        search = ArticleSearch.open(db, blocker / "index")
        assert search.info()["backend"] == "ilike" and search.info()["problem"]
        assert search.ids("Hosepipe ban")[0] == HOSEPIPE


def test_min_confidence_filters_quotes_events_and_entities(api):
    for path in ("/api/quotes", "/api/events", "/api/entities"):
        everything = api.get(path).json()
        sure = api.get(path, params={"min_confidence": 0.8}).json()
        assert sure["total"] <= everything["total"]
        assert all(item["confidence"] >= 0.8 for item in sure["items"]), path
    quotes = api.get("/api/quotes", params={"limit": 100}).json()["items"]
    assert all(0 <= q["confidence"] <= 1 for q in quotes)
    assert all(q["speaker_confidence"] is None or 0 < q["speaker_confidence"] <= 1 for q in quotes)
    assert any(q["speaker_confidence"] for q in quotes)
    assert api.get("/api/quotes", params={"min_confidence": 1.5}).status_code == 422
