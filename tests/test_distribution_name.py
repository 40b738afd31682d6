"""Every ``pip install`` line floor shows names its own distribution (or the checkout), never the unrelated
package that holds the name ``floor`` on PyPI."""

from __future__ import annotations

import re
import tomllib

from .conftest import ROOT

DISTRIBUTION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
# what may follow "pip install": the distribution or the checkout, with extras, quoted or not
TARGET = re.compile(rf"""(?:-[-\w]+\s+)*['"]?(?:{re.escape(DISTRIBUTION)}|\.|-e\s+\.)(?:\[[\w,]+\])?['"]?(?=[\s`)'"]|$)""")


def pip_installs(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"pip install\s+(.+)", text)]


def test_the_distribution_is_not_the_name_another_project_holds():
    assert DISTRIBUTION == "hallucination-floor"


def test_every_pip_install_line_names_floors_own_distribution():
    sources = [ROOT / "README.md", ROOT / ".ci" / "run", *sorted((ROOT / "floor").rglob("*.py"))]
    lines = [(path, line) for path in sources for line in pip_installs(path.read_text(encoding="utf-8"))]
    assert len(lines) >= 6  # README (quickstart, plot, ray), .ci/run, the CLI's and the engines' messages
    wrong = [(path.name, line) for path, line in lines if not TARGET.match(line)]
    assert wrong == []


def test_the_check_catches_the_other_projects_name():
    assert not TARGET.match("'floor[ray]'") and not TARGET.match("floor")
    assert TARGET.match("'hallucination-floor[plot]'") and TARGET.match("-q '.[test]' && python3 -m pytest")
