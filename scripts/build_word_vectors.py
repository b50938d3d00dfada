"""Build pipeline/data/word_vectors.npz, the word vectors the text model averages (match/vectors.py),
from the static word2vec vectors that GiNZA's ja_ginza package ships (chiVe vectors, trained on the
NWJC web corpus with Sudachi; ja_ginza is MIT-licensed, chiVe Apache-2.0).

Kept: the words Sudachi (the project's dictionary) reads as one known content word that is not a
proper noun (names of people and places say nothing of a pillar); their vectors reduced to DIMS
dimensions by PCA and stored as int8. About 116,000 words in 2 MB.

Needs spaCy (to read the package's vector table) and the project's Sudachi in the same Python, and
the package index (the ja_ginza wheel is downloaded with pip):

    python -m venv /tmp/v && /tmp/v/bin/pip install spacy numpy sudachipy==0.7.0 sudachidict-core==20261015
    /tmp/v/bin/python scripts/build_word_vectors.py
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGE = "ja-ginza==5.3.0"
DIMS = 100
OUT = ROOT / "pipeline" / "data" / "word_vectors.npz"
LONGEST = 12
_WORD = re.compile(r"^[\u3041-\u30ff\u3400-\u9fffー々〆ヶa-zA-Z0-9ａ-ｚＡ-Ｚ０-９]+$")


def _vocab_dir(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), PACKAGE], check=True)
    wheel = next(tmp.glob("ja_ginza-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp / "x")
    return next((tmp / "x").glob("ja_ginza/ja_ginza-*/vocab"))


def main() -> int:
    import numpy as np
    from spacy.strings import StringStore
    from spacy.vectors import Vectors

    from pipeline.text.tokenize import content_word, known_word

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", default=str(OUT))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vocab = _vocab_dir(Path(tmp))
        table = Vectors()
        table.from_disk(vocab)
        strings = json.loads((vocab / "strings.json").read_text("utf-8"))
        store = StringStore(strings)
        data = np.asarray(table.data, dtype=np.float64)
        words: dict[str, int] = {}
        for s in strings:
            row = table.key2row.get(store[s])
            if row is None or row < 0 or len(s) > LONGEST or not _WORD.match(s):
                continue
            pos = known_word(s)
            if pos is not None and content_word(pos) and pos[1] != "固有名詞":
                words[s] = int(row)
    used = sorted(set(words.values()))
    if len(used) > 2**16:
        raise SystemExit(f"{len(used)} vectors: more than the uint16 row numbers hold")
    renumber = {r: k for k, r in enumerate(used)}
    x = data[used]
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x -= x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    x = x @ vt[:DIMS].T
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    scale = float(np.abs(x).max()) / 127
    vectors = np.round(x / scale).astype(np.int8)
    names = sorted(words)
    source = {"package": PACKAGE, "licence": "ja_ginza: MIT; chiVe vectors: Apache-2.0", "dims": DIMS,
              "words": len(names), "rows": len(used), "reduced": "PCA of the unit vectors, int8"}
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
                        rows=np.array([renumber[words[w]] for w in names], dtype=np.uint16), vectors=vectors,
                        source=np.frombuffer(json.dumps(source, ensure_ascii=False).encode("utf-8"), dtype=np.uint8))
    print(f"{out}: {len(names)} words, {len(used)} vectors of {DIMS} dimensions, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
