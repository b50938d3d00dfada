"""The package's layers: tools at the bottom, then the stages in the flow's order, then the job, then
the commands and the web page, then the CLI. No module imports one later in the flow, no command
imports another command, and nothing but __main__.py imports cli.py."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
# Lower layers may be imported by higher ones and by their own layer, never the other way round.
LAYERS = [
    ("tools", ("model", "errors", "resources", "files", "settings", "output", "messages", "ooxml", "text", "workers")),
    ("ingest", ("ingest", "edits")),
    ("outline", ("outline",)),
    ("match", ("match",)),
    ("compare", ("compare", "library", "reference")),
    ("draft", ("draft", "progress")),
    ("job", ("job",)),
    ("front", ("commands", "web")),
    ("cli", ("cli",)),
    ("main", ("__main__",)),
]
RANK = {top: n for n, (_, tops) in enumerate(LAYERS) for top in tops}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Every pipeline module path imports (relative imports resolved), lazy imports included."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names] if not node.module else [target]
            found += [n for n in names if n.startswith("pipeline")]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("pipeline")]
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_module_imports_a_later_stage() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        here = _top(_module(path))
        for target in _imports(path):
            there = _top(target)
            if there in RANK and RANK[there] > RANK[here]:
                wrong.append(f"{_module(path)} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_every_top_level_module_has_a_layer() -> None:
    tops = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
            if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())) and p.name != "__init__.py"}
    assert tops <= set(RANK), f"give these a layer in LAYERS: {sorted(tops - set(RANK))}"


def test_no_command_imports_another_and_only_main_imports_the_cli() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        for target in _imports(path):
            if target.startswith("pipeline.cli") and module != "pipeline.__main__":
                wrong.append(f"{module} imports {target}")
            if (module.startswith("pipeline.commands.") and target.startswith("pipeline.commands.")
                    and target not in ("pipeline.commands._common",) and target != module):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_only_serve_imports_the_web_page() -> None:
    """Importing pipeline.web loads Starlette and the page (~0.45 s): `classify` and the other commands
    never pay for it (the evidence's Japanese wording lives in match/wording.py)."""
    wrong = [f"{_module(path)} imports {target}" for path in (PACKAGE / "commands").rglob("*.py")
             if path.stem != "serve" for target in _imports(path) if target.startswith("pipeline.web")]
    assert not wrong, "\n".join(wrong)
