"""Compare: our measures against other cities', pillar by pillar, and the files that show it."""
