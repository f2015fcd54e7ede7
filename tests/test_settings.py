from pathlib import Path

import pytest

from newsgraph.settings import SETTINGS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text()


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting.envvar}`" in DOC
    assert f"`--{setting.name.replace('_', '-')}`" in DOC
