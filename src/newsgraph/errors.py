"""The one exception tree of newsgraph.

Every error the package raises on purpose is a ``NewsgraphError``; its message
is one line that names the input (when there is one) and the problem, so a
batch run can print it and record it in the store's ``failures`` table.

::

    NewsgraphError
    ├── InputError                 the input cannot be read as a news document
    │   ├── EmptyInputError        E101 nothing in the file (or only whitespace)
    │   ├── BinaryInputError       E102 not text (NUL or control bytes)
    │   ├── InputTooLargeError     E103 over the configured size limit
    │   ├── DecodeError            E104 not valid text in any encoding that fits
    │   ├── CorruptArchiveError    E105 truncated or damaged gzip
    │   ├── MalformedRecordError   E106 a JSONL line that is not a JSON article
    │   ├── UnsupportedInputError  E107 a path or file type we do not read
    │   ├── BudgetExceededError    E108 analysing it took more time or memory than a worker's budget
    │   └── FetchError             E109 a URL cannot be fetched (DNS, refused, TLS, timeout, redirect loop)
    │       ├── HttpStatusError    E110 the server answered with an error status (404, 500, ...)
    │       └── DisallowedError    E111 robots.txt, or the link policy, forbids fetching it
    ├── ExtractionError            the document has no article we can use
    │   ├── NoContentError         E201 no article text found
    │   └── UnsupportedLanguageError E202 not English
    ├── ModelError                 E301 the spaCy model cannot be loaded
    ├── DictionaryError            E302 a coding dictionary cannot be read (--dictionaries)
    ├── StoreError                 E401 the DuckDB store cannot be opened or used
    │   └── StoreLockedError       E402 another process (an ingest, a server) holds the store
    ├── EvalDataError              E501 an evaluation file is missing or malformed
    ├── EngineError                E601 an engine cannot run (optional extra missing, cluster unreachable)
    ├── SearchQueryError           E701 a full-text query the index cannot read or answer
    └── WorkerCrashed              E998 the process analysing the input died (a crash in native code)

An error that is not a ``NewsgraphError`` (a bug) is reported as E999 with the
input it happened on (``models.Failure.from_error``).

Messages are built from untrusted text (file names, bytes an archive holds), so
``one_line`` makes each part safe to print and store: control characters and
lone surrogates escaped (a newline in a file name cannot forge a second log
line) and length bounded (a 1 GB "first line" of a damaged archive is not
quoted whole).
"""

from __future__ import annotations

__all__ = [
    "one_line",
    "NewsgraphError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "InputTooLargeError",
    "DecodeError",
    "CorruptArchiveError",
    "MalformedRecordError",
    "UnsupportedInputError",
    "BudgetExceededError",
    "FetchError",
    "HttpStatusError",
    "DisallowedError",
    "ExtractionError",
    "NoContentError",
    "UnsupportedLanguageError",
    "ModelError",
    "DictionaryError",
    "StoreError",
    "StoreLockedError",
    "EvalDataError",
    "EngineError",
    "SearchQueryError",
    "WorkerCrashed",
]


#: Characters of a problem (and of a source name) kept in a message: room for any
#: message we write, with the detail a library adds; the rest is cut at "…".
MAX_MESSAGE_CHARS = 500

_ESCAPES = {i: f"\\x{i:02x}" for i in (*range(0x20), 0x7F)} | {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def one_line(text: object, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Return ``text`` as one printable line: control characters and lone surrogates escaped, cut at ``limit``."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    text = text.translate(_ESCAPES)
    # A lone surrogate (from a file name's undecodable bytes, or JSON's "\ud800") cannot be encoded.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class NewsgraphError(Exception):
    """Base of every newsgraph error: ``str(err)`` is ``"SOURCE: problem [CODE]"``.

    ``transient``: the same input may succeed when tried again later (the
    network, a server's error); a watch retries those in its next round.
    """

    code = "E000"
    transient = False

    def __init__(self, problem: str, source: str | None = None) -> None:
        self.problem = one_line(" ".join(str(problem).split()))  # always one line
        self.source = source
        super().__init__(self.problem)

    def __str__(self) -> str:
        prefix = f"{one_line(self.source)}: " if self.source else ""
        return f"{prefix}{self.problem} [{self.code}]"

    @property
    def kind(self) -> str:
        """The error's class name, stored in ``failures.error``."""
        return type(self).__name__


class InputError(NewsgraphError):
    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class InputTooLargeError(InputError):
    code = "E103"


class DecodeError(InputError):
    code = "E104"


class CorruptArchiveError(InputError):
    code = "E105"


class MalformedRecordError(InputError):
    code = "E106"


class UnsupportedInputError(InputError):
    code = "E107"


class BudgetExceededError(InputError):
    code = "E108"


class FetchError(InputError):
    code = "E109"
    transient = True


class HttpStatusError(FetchError):
    code = "E110"

    def __init__(self, problem: str, source: str | None = None, status: int = 0) -> None:
        super().__init__(problem, source)
        self.status = status
        # 404, 410, 403: the page is not there for us; 5xx, 408, 429: the server may answer later.
        self.transient = status >= 500 or status in (408, 429)


class DisallowedError(FetchError):
    code = "E111"
    transient = False


class ExtractionError(NewsgraphError):
    code = "E200"


class NoContentError(ExtractionError):
    code = "E201"


class UnsupportedLanguageError(ExtractionError):
    code = "E202"


class ModelError(NewsgraphError):
    code = "E301"


class DictionaryError(NewsgraphError):
    code = "E302"


class StoreError(NewsgraphError):
    code = "E401"


class StoreLockedError(StoreError):
    code = "E402"


class EvalDataError(NewsgraphError):
    code = "E501"


class EngineError(NewsgraphError):
    code = "E601"


class SearchQueryError(NewsgraphError):
    """A full-text query the index cannot read or answer; ``source`` names the query."""

    code = "E701"

    @property
    def message(self) -> str:
        """The one-line message without the code, as the API and the web UI show it."""
        return f"{self.source}: {self.problem}"


class WorkerCrashed(NewsgraphError):
    code = "E998"
