"""The package builds without setuptools' deprecation warnings (`make run` prints no noise)."""

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_the_license_is_an_spdx_expression_not_a_deprecated_table():
    project = tomllib.loads(PYPROJECT.read_text())
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    # A license string needs setuptools 77 or newer (older ones only know the table).
    assert "setuptools>=77" in project["build-system"]["requires"]
