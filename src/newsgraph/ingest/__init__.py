"""Stage 1: sources -> ``RawDocument``: files, directories, globs, gzip, JSONL (also on stdin), WARC, RSS/Atom.

Web pages, and the links of feeds, sitemaps and section pages on the web: ``web``.
"""

from .decode import DEFAULT_MAX_BYTES, decode_bytes
from .feeds import iter_feed
from .files import collect_files, input_roots, iter_documents, read_document
from .warc import iter_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "collect_files",
    "decode_bytes",
    "input_roots",
    "iter_documents",
    "iter_feed",
    "iter_warc",
    "read_document",
]
