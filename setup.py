"""Build hook: the wheel carries the repository's top-level templates/ folder as pipeline/templates
(pipeline/resources.py looks there first), so an installed plandraft finds its Word templates. All
other metadata is in pyproject.toml."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildWithTemplates(build_py):
    """build_py, plus templates/*.docx copied to pipeline/templates in the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads templates/ in place
            return
        target = Path(self.build_lib) / "pipeline" / "templates"
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(TEMPLATES.glob("*.docx")):
            shutil.copy2(source, target / source.name)


setup(cmdclass={"build_py": BuildWithTemplates})
