"""Pure text tools: normalization (NFKC, 和暦), SudachiPy tokenization and similarity."""
