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
    │   └── UnsupportedInputError  E107 a path or file type we do not read
    ├── ExtractionError            the document has no article we can use
    │   ├── NoContentError         E201 no article text found
    │   └── UnsupportedLanguageError E202 not English
    ├── ModelError                 E301 the spaCy model cannot be loaded
    ├── DictionaryError            E302 a coding dictionary cannot be read (--dictionaries)
    ├── StoreError                 E401 the DuckDB store cannot be opened or used
    ├── EvalDataError              E501 an evaluation file is missing or malformed
    ├── EngineError                E601 an engine cannot run (optional extra missing, cluster unreachable)
    └── WorkerCrashed              E998 the process analysing the input died (a crash in native code)

An error that is not a ``NewsgraphError`` (a bug) is reported as E999 with the
input it happened on (``models.Failure.from_error``).
"""

from __future__ import annotations

__all__ = [
    "NewsgraphError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "InputTooLargeError",
    "DecodeError",
    "CorruptArchiveError",
    "MalformedRecordError",
    "UnsupportedInputError",
    "ExtractionError",
    "NoContentError",
    "UnsupportedLanguageError",
    "ModelError",
    "DictionaryError",
    "StoreError",
    "EvalDataError",
    "EngineError",
    "WorkerCrashed",
]


class NewsgraphError(Exception):
    """Base of every newsgraph error: ``str(err)`` is ``"SOURCE: problem [CODE]"``."""

    code = "E000"

    def __init__(self, problem: str, source: str | None = None) -> None:
        self.problem = " ".join(str(problem).split())  # always one line
        self.source = source
        super().__init__(self.problem)

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
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


class EvalDataError(NewsgraphError):
    code = "E501"


class EngineError(NewsgraphError):
    code = "E601"


class WorkerCrashed(NewsgraphError):
    code = "E998"
