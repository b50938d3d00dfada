"""The local web page (`plandraft serve`): a thin layer over the pipeline for planners who do not
use a terminal. create_app(project_dir) builds the ASGI app."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
