import pytest

import newsgraph.errors as errors
from newsgraph.errors import DecodeError, NewsgraphError

ERROR_CLASSES = [getattr(errors, name) for name in errors.__all__]


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
