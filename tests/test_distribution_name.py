"""The ``pip install`` lines floor shows install floor's own distribution (or the checkout), never the unrelated
package that holds the name ``floor`` on PyPI (other packages, such as pandas, are named as they are)."""

from __future__ import annotations

import re
import tomllib

from .conftest import ROOT

DISTRIBUTION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]


def pip_installs(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"pip install\s+(.+)", text)]


def installed(line: str) -> str:
    """The distribution a ``pip install`` line installs first: its first argument that is no option, without
    quotes and extras (``'.[test]'`` -> ``.``)."""
    for token in line.split():
        if not token.startswith("-"):
            return token.strip("'\"`").split("[")[0]
    return ""


def test_the_distribution_is_not_the_name_another_project_holds():
    assert DISTRIBUTION == "hallucination-floor"


def test_no_pip_install_line_names_the_other_projects_floor():
    sources = [ROOT / "README.md", ROOT / ".ci" / "run", *sorted((ROOT / "floor").rglob("*.py"))]
    lines = [(path.name, line) for path in sources for line in pip_installs(path.read_text(encoding="utf-8"))]
    assert len(lines) >= 6  # README (quickstart, plot, ray), .ci/run, the CLI's and the engines' messages
    assert [(name, line) for name, line in lines if installed(line) == "floor"] == []
    # floor's own extras are installed from its distribution or from the checkout
    ours = [line for _, line in lines if re.search(r"\[(?:ray|plot|test)\]", line)]
    assert ours and all(installed(line) in (DISTRIBUTION, ".") for line in ours)


def test_the_check_reads_what_a_line_installs():
    assert installed("'floor[ray]'") == "floor" and installed("floor") == "floor"
    assert installed("-q '.[test]' && python3 -m pytest") == "."
    assert installed("'hallucination-floor[plot]'") == DISTRIBUTION and installed("pandas") == "pandas"
