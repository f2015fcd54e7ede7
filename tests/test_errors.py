import pytest

import newsgraph.errors as errors
from newsgraph.errors import MAX_MESSAGE_CHARS, DecodeError, NewsgraphError, one_line
from newsgraph.models import Failure

ERROR_CLASSES = [getattr(errors, name) for name in errors.__all__ if isinstance(getattr(errors, name), type)]


@pytest.mark.parametrize("cls", ERROR_CLASSES)
def test_every_error_is_a_newsgraph_error_with_its_own_code(cls):
    assert issubclass(cls, NewsgraphError)
    assert cls.code.startswith("E") and len(cls.code) == 4


def test_codes_are_unique():
    codes = [cls.code for cls in ERROR_CLASSES]
    assert len(codes) == len(set(codes))


def test_message_is_one_line_naming_the_input():
    err = DecodeError("invalid UTF-8\nat byte 3", source="data/page.html")
    assert str(err) == "data/page.html: invalid UTF-8 at byte 3 [E104]"
    assert err.kind == "DecodeError"


@pytest.mark.parametrize("cls", ERROR_CLASSES)
def test_every_error_is_drawn_in_the_module_docstring(cls):
    assert cls.__name__ in errors.__doc__


def test_untrusted_text_cannot_break_the_line_or_flood_it():
    # A file name with a newline must not forge a second log line; a damaged archive's
    # 1 GB "first line" must not be quoted whole in the message and the failures table.
    err = DecodeError("first line: " + "a" * 10_000, source="dir/evil\nfailed: other.html\x1b[31m")
    text = str(err)
    assert "\n" not in text and "\x1b" not in text
    assert text.startswith("dir/evil\\nfailed: other.html\\x1b[31m: first line: aaa")
    assert len(text) < 2 * MAX_MESSAGE_CHARS and "…" in text


def test_lone_surrogates_are_escaped_so_messages_can_be_printed_and_stored():
    assert one_line("bad\udcff name") == "bad\\udcff name"
    failure = Failure.from_error(ValueError("x\ud800y"), "odd\udcffname.html")
    failure.message.encode("utf-8")  # would raise on a lone surrogate
    assert failure.message == "odd\\udcffname.html: internal error: x\\ud800y [E999]"
