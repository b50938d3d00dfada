"""Draft: next fiscal year's plan and its 新旧対照表 built from the matches, and written as Word."""
from .build import Draft, build_draft
from .render import lint_template, output_paths, render_changes, render_draft, write_draft

__all__ = ["Draft", "build_draft", "lint_template", "output_paths", "render_changes", "render_draft", "write_draft"]
