"""Match: every item to the outline pillar it belongs to, with its evidence (see matcher.py)."""
