"""Stage 1: sources -> ``RawDocument``: files, directories, gzip, JSONL; bytes decoded to text."""

from .decode import DEFAULT_MAX_BYTES, decode_bytes
from .files import collect_files, iter_documents, read_document

__all__ = ["DEFAULT_MAX_BYTES", "collect_files", "decode_bytes", "iter_documents", "read_document"]
