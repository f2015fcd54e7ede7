"""Near-duplicate detection: MinHash signatures of article texts, looked up by bands.

Wire copies and re-published pages differ from their original in a headline,
a dateline, a trailer ("Reporting by ..."), a trimmed paragraph, a few edited
words. Their texts share most word 3-grams ("shingles"), which distinct
articles, even on the same event, do not. We estimate the Jaccard similarity
of two texts' shingle sets with MinHash (Broder 1997):

1. shingles: the set of lower-cased word 3-grams of the text, each hashed to
   64 bits (BLAKE2b);
2. signature: for each of ``PERMUTATIONS`` hash functions
   (multiply-shift: ``(a * x + b) mod 2**64 >> 32``), the least value over the
   shingles; the share of equal positions in two signatures estimates their
   Jaccard similarity;
3. lookup (locality-sensitive hashing): the signature is cut into ``BANDS``
   bands of ``ROWS`` values, each hashed to one key; texts at similarity
   ``NEAR_DUPLICATE_SIMILARITY`` share at least one key with probability
   1 - (1 - 0.6**4)**32 = 0.99, unrelated texts (similarity ~0.1) almost
   never do. Candidates sharing a key are checked on the whole signature.

Measured with ``benchmarks/near_duplicates.py`` on the 100 extraction dev
pages: no pair of distinct articles above 0.13 (0 false links in 4,950 pairs);
at 0.6 the band lookup and check link every copy with a dateline, a trailer or
2% of its words changed, 97% of copies without their last paragraph and 96%
with all of these edits together.

Limit: a copy much shorter than its original (a teaser, a first page) shares
too small a part of the original's shingles and is stored as its own article.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

__all__ = ["NEAR_DUPLICATE_SIMILARITY", "band_keys", "signature", "similarity"]

#: Least estimated Jaccard similarity of the shingles of a copy and its original.
NEAR_DUPLICATE_SIMILARITY = 0.6

PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS

_WORD = re.compile(r"\w+")
_SHINGLE = 3

#: Texts shorter than this (in words) get no signature: a one-line item shares
#: too few shingles for the estimate to mean anything, and is never a copy.
MIN_WORDS = 30

# Fixed seeds: signatures must compare across runs, processes and versions of the store.
_rng = np.random.default_rng(20260101)
_A = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)


def signature(text: str) -> list[int] | None:
    """Return the MinHash signature of ``text`` (``PERMUTATIONS`` 32-bit values), or None under ``MIN_WORDS``."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    if not shingles:
        return None
    hashed = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    with np.errstate(over="ignore"):  # multiply-shift hashing wraps around 2**64 on purpose
        values = (hashed[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return values.min(axis=0).tolist()


def similarity(a: list[int], b: list[int]) -> float:
    """Return the estimated Jaccard similarity of two signatures' texts."""
    return sum(x == y for x, y in zip(a, b)) / PERMUTATIONS


def band_keys(sig: list[int]) -> list[int]:
    """Return one 63-bit key per band of ``sig`` (the band number is part of the key)."""
    keys = []
    for band in range(BANDS):
        rows = ",".join(map(str, sig[band * ROWS:(band + 1) * ROWS]))
        digest = hashlib.blake2b(f"{band}:{rows}".encode("ascii"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys
