"""Language identification of an extracted page (py3langid, model shipped in the package)."""

from __future__ import annotations

from ..errors import UnsupportedLanguageError
from ..models import Page

__all__ = ["identify_language", "check_language", "load_identifier", "SUPPORTED_LANGUAGES"]

SUPPORTED_LANGUAGES = frozenset({"en"})

# langid needs some text to be reliable; 2,000 characters of body is plenty and
# keeps identification well under a millisecond per article.
_SAMPLE_CHARS = 2000


def identify_language(text: str) -> str:
    """Return the ISO 639-1 code of the language ``text`` is most likely written in."""
    import py3langid

    code, _score = py3langid.classify(text[:_SAMPLE_CHARS])
    return code


def load_identifier() -> None:
    """Load py3langid's model now (a third of a second), not while the first page waits."""
    identify_language("news")


def check_language(page: Page, source: str | None = None) -> str:
    """Return the page's language code; raise ``UnsupportedLanguageError`` unless supported."""
    code = page.language or identify_language(" ".join(page.paragraphs))
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"article is in language '{code}'; only English is supported by the current model",
            source=source,
        )
    return code
