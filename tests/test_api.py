import newsgraph


def test_public_api_is_curated():
    assert sorted(newsgraph.__all__) == [
        "Article", "Caption", "Database", "Entity", "Failure", "IngestReport", "Mention",
        "NewsgraphError", "Page", "Pipeline", "RawDocument", "analyze", "ingest", "watch",
    ]
    for name in newsgraph.__all__:
        assert getattr(newsgraph, name) is not None
