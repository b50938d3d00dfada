"""`python -m pipeline` is the plandraft command."""
import sys

from .cli import main

sys.exit(main())
