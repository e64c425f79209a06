"""Build `assistant/data/reference_df.tsv.gz`: how many passages of 5,000 real Vietnamese news
articles contain each term, the fixed IDF the answer confidence weighs question words with.

The archive's own IDF is unstable on a small archive (over 11 passages every term appears in 0-2
of them) and changes meaning as the archive grows; a reference from a large, fixed news corpus
says the same thing about "của" and about "Bé Ngoan" whatever the user has indexed.

    python -m tools.build_reference_idf [--corpus ../shared/corpus/vi-news-5000.jsonl]

Articles are split into paragraphs and passages as the assistant splits documents; a passage's
terms are its `assistant.text.terms.passage_terms`: syllables and syllable pairs, exact and
accent-free. To keep the file small (about 0.5 MB), syllables found in a single passage and pairs
found in fewer than ten are left out; they count as unseen, whose IDF is within 1.1 (syllables)
and 3.1 (pairs) of their own: all are rare.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from assistant.config import LexicalSettings
from assistant.ingest.chunking import ChunkingSettings, paragraph_pieces
from assistant.ingest.documents import split_paragraphs
from assistant.text.normalize import nfc
from assistant.text.reference import REFERENCE_DF
from assistant.text.terms import BIGRAM, passage_terms

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "vi-news-5000.jsonl"
MIN_DF = 2
MIN_PAIR_DF = 10


def document_frequencies(corpus: Path) -> tuple[int, Counter]:
    """Number of passages and, per term, the number of passages containing it."""
    frequencies: Counter = Counter()
    passages = 0
    settings = ChunkingSettings()
    with corpus.open(encoding="utf-8") as handle:
        for line in tqdm(handle, desc="articles", unit="article"):
            text = nfc(json.loads(line)["text"]).strip()
            for paragraph in split_paragraphs(text):
                for start, end in paragraph_pieces(text, paragraph.start, paragraph.end, settings):
                    frequencies.update(set(passage_terms(text[start:end], LexicalSettings())))
                    passages += 1
    return passages, frequencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_reference_idf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--output", type=Path, default=REFERENCE_DF)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} not found (the shared corpus is not beside this clone)")
        return 0
    passages, frequencies = document_frequencies(args.corpus)
    kept = sorted((term, count) for term, count in frequencies.items()
                  if count >= (MIN_PAIR_DF if BIGRAM in term else MIN_DF))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same corpus gives a byte-identical file.
    with gzip.GzipFile(args.output, "wb", mtime=0) as raw:
        raw.write(f"#passages\t{passages}\n".encode())
        raw.write("".join(f"{term}\t{count}\n" for term, count in kept).encode("utf-8"))
    print(f"{passages} passages, {len(frequencies)} terms, {len(kept)} kept (syllables in >= {MIN_DF} passages, pairs in >= {MIN_PAIR_DF}) -> {args.output} "
          f"({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
