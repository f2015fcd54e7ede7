import pytest

from newsgraph.errors import UnsupportedInputError
from newsgraph.ingest import collect_files, iter_documents
from newsgraph.models import Failure, RawDocument

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example News</title><link>https://news.example/</link><description>d</description>
<item><title>Ministers meet</title><link>https://news.example/a</link><guid>a-1</guid>
  <pubDate>Tue, 04 Mar 2021 10:00:00 GMT</pubDate>
  <content:encoded><![CDATA[<p>Ministers met on Tuesday.</p>]]></content:encoded></item>
<item><title>Saved page</title><link>{local}</link><guid>a-2</guid></item>
<item><title>Summary only</title><link>https://news.example/c</link>
  <description>&lt;p&gt;Short summary.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://news.example/d</link><guid>a-4</guid></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:feed</id>
<updated>2021-03-04T10:00:00Z</updated>
<entry><title>Ministers meet</title><id>urn:a-1</id><link href="https://news.example/a"/>
  <published>2021-03-04T10:00:00Z</published><updated>2021-03-04T10:00:00Z</updated>
  <content type="html">&lt;p&gt;Ministers met on Tuesday.&lt;/p&gt;</content></entry>
<entry><title>Saved page</title><id>urn:a-2</id><link href="{local}"/><updated>2021-03-05T10:00:00Z</updated></entry>
<entry><title>Summary only</title><id>urn:a-3</id><link href="https://news.example/c"/>
  <updated>2021-03-05T10:00:00Z</updated><summary type="html">&lt;p&gt;Short summary.&lt;/p&gt;</summary></entry>
<entry><title>Empty</title><id>urn:a-4</id><link href="https://news.example/d"/><updated>2021-03-06T10:00:00Z</updated></entry>
</feed>
"""


@pytest.fixture
def saved_page(tmp_path):
    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "b.html"
    page.write_text("<html><body><p>The full saved article.</p></body></html>")
    return page


@pytest.mark.parametrize("template", [RSS, ATOM], ids=["rss", "atom"])
@pytest.mark.parametrize("name", ["news.rss", "news.atom", "news.xml"])
@pytest.mark.parametrize("link", ["relative", "file-url"])
def test_feed_entries_become_documents(tmp_path, saved_page, template, name, link):
    local = "pages/b.html" if link == "relative" else saved_page.as_uri()
    path = tmp_path / name
    path.write_text(template.format(local=local))
    items = list(iter_documents([path]))
    assert [type(i) for i in items] == [RawDocument, RawDocument, RawDocument, Failure]
    first, saved, summary, empty = items
    assert (first.format, first.url, first.title, first.published) == (
        "html", "https://news.example/a", "Ministers meet", "2021-03-04")
    assert first.source.startswith(f"{path}#") and "a-1" in first.source
    assert "Ministers met on Tuesday." in first.body
    assert saved.source == str(saved_page) and "full saved article" in saved.body and saved.title == "Saved page"
    assert "Short summary." in summary.body
    assert summary.source in (f"{path}#3", f"{path}#urn:a-3")
    assert "entry has no content and no local file" in empty.message and empty.source.startswith(f"{path}#")


def test_xml_that_is_not_a_feed_is_passed_over_or_refused(tmp_path):
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>')
    (tmp_path / "feed.xml").write_text(RSS.format(local="x.html"))
    assert [p.name for p in collect_files([tmp_path])] == ["feed.xml"]
    with pytest.raises(UnsupportedInputError, match="not a file type"):
        collect_files([tmp_path / "sitemap.xml"])


def test_broken_feed_is_a_failure(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("this is not xml at all")
    [item] = iter_documents([path])
    assert isinstance(item, Failure) and "not an RSS or Atom feed" in item.message


@pytest.mark.parametrize("link", ["../secret/notes.html", "{secret_uri}", "{secret_abs}", "pages/../../secret/notes.html"])
def test_links_to_files_outside_the_inputs_are_not_read(tmp_path, link):
    secret = tmp_path / "secret" / "notes.html"
    secret.parent.mkdir()
    secret.write_text("<html><body><p>PRIVATE-NOTES of the user.</p></body></html>")
    feeds = tmp_path / "feeds"
    (feeds / "pages").mkdir(parents=True)
    path = feeds / "news.rss"
    path.write_text(RSS.format(local=link.format(secret_uri=secret.as_uri(), secret_abs=secret)))
    items = list(iter_documents([feeds]))
    refused = items[1]
    assert isinstance(refused, Failure) and refused.error == "UnsupportedInputError"
    assert "outside the inputs named" in refused.message
    assert not any("PRIVATE-NOTES" in i.body for i in items if isinstance(i, RawDocument))


def test_links_inside_the_folder_the_user_named_are_read(tmp_path, saved_page):
    # The feed sits in a subfolder of the named folder and links to a page beside that subfolder.
    (tmp_path / "feeds").mkdir()
    path = tmp_path / "feeds" / "news.rss"
    path.write_text(RSS.format(local="../pages/b.html"))
    assert isinstance(list(iter_documents([tmp_path]))[1], RawDocument)
    # Named alone, the feed may read only its own folder.
    assert isinstance(list(iter_documents([path]))[1], Failure)


@pytest.mark.parametrize("link", ["file:///tmp/a%00b.html", "loop/x.html"], ids=["nul-byte", "link-loop"])
def test_a_link_that_cannot_be_resolved_is_one_failure(tmp_path, link):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    path = tmp_path / "news.rss"
    path.write_text(RSS.format(local=link))
    items = list(iter_documents([tmp_path]))
    refused = items[1]
    assert isinstance(refused, Failure) and "cannot be resolved" in refused.message
    assert isinstance(items[0], RawDocument)  # the other entries are read
