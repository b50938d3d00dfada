"""Where the files plandraft ships live: the knowledge files (pipeline/data) and the Word templates."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA_DIR = PACKAGE / "data"
# templates/ is a top-level folder of the repository (the project's layout); an installed wheel
# carries it inside the package (see pyproject.toml), so look there first.
TEMPLATE_DIR = PACKAGE / "templates" if (PACKAGE / "templates").is_dir() else PACKAGE.parent / "templates"
