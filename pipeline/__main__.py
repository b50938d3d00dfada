"""`python -m pipeline` is the plandraft command."""
import sys

from .cli import entry

sys.exit(entry())
