"""How the docstore stores vectors, by the name its meta records (`passage_vectors`,
`sentence_vectors`): encoding, decoding one chunk's, and decoding many chunks' at once.

Passage vectors: float16 (float32 in indexes of storage layout 1). Sentence vectors:
`int8-packed` in new indexes (layout 3): the int8 codes of layout 1 (scale 127), each in 5
bits, the ~2% outside [-16, 15] listed apart (`pack_int8`). The codes are the same
numbers, so scores are exactly int8's; they spread over ~6.5 of 127 steps, so 5 bits hold
nearly all of them: ~258 bytes a sentence where int8 took 384 (raw deflate got 234, but
inflating took ~14 µs a chunk, a millisecond a question; these unpack in numpy for all
candidates at once). `2bit` (layout 2, never released), `int8` and `float16` (older
indexes) are read and written as they were.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

SENTENCE_DTYPES = ("float16", "int8", "2bit", "int8-packed")  # every kind an index may record
INT8_SCALE = 127
PACKED_RANGE = (-16, 15)  # what 5 bits hold
_HEADER = struct.Struct("<HH")  # sentences, codes listed apart
# lookup tables, one entry per byte: its two nibbles (as one int16) and its eight bits
# (most significant first, as np.unpackbits) times 16 (as one int64): numpy takes a table's
# entry for every byte of all candidates at once
_NIBBLES = np.array([[a, b] for b in range(16) for a in range(16)], np.int8).view(np.int16).reshape(256)
_SIXTEENS = (np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.int8) << 4).view(
    np.int64
)


def encode_sentence_vectors(vectors: np.ndarray, dtype: str) -> bytes:
    """A chunk's sentence vectors `[n, dim]` as stored in `dtype`."""
    vectors = np.asarray(vectors, np.float32)
    if dtype == "2bit":
        return encode_2bit(vectors.reshape(-1, vectors.shape[-1]))
    if dtype in ("int8", "int8-packed"):
        codes = np.round(vectors * INT8_SCALE).clip(-INT8_SCALE, INT8_SCALE).astype(np.int8)
        return pack_int8(np.atleast_2d(codes)) if dtype == "int8-packed" else codes.tobytes()
    return vectors.astype(np.float16).tobytes()


def decode_sentence_vectors(blob: bytes, dim: int, dtype: str) -> np.ndarray:
    """A chunk's sentence vectors `[n, dim]` from how they are stored in `dtype`."""
    if dtype == "2bit":
        return decode_2bit(blob, dim)
    if dtype == "int8-packed":
        return decode_sentence_batch([blob], dim, dtype)[0]
    if dtype == "int8":
        return _int8_vectors(np.frombuffer(blob, dtype=np.int8).reshape(-1, dim))
    return np.frombuffer(blob, dtype=np.float16).reshape(-1, dim)


def decode_sentence_batch(blobs: Sequence[bytes], dim: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """The sentence vectors of many chunks as one float32 matrix `[sentences, dim]`, and how
    many rows each chunk has, in order: one numpy conversion for all of them (retrieval
    scores ~80 candidates a question), the same numbers `decode_sentence_vectors` gives."""
    if dtype == "2bit":
        parts = [decode_2bit(blob, dim) for blob in blobs]
        counts = np.array([len(p) for p in parts], dtype=np.int64)
        return (np.concatenate(parts) if parts else np.empty((0, dim), np.float32)), counts
    if dtype == "int8-packed":
        codes, counts = unpack_int8(blobs, dim)
        return _int8_vectors(codes), counts
    width = dim if dtype == "int8" else 2 * dim
    counts = np.array([len(blob) // width for blob in blobs], dtype=np.int64)
    matrix = decode_sentence_vectors(b"".join(blobs), dim, dtype)
    return matrix.astype(np.float32, copy=False), counts


def _int8_vectors(codes: np.ndarray) -> np.ndarray:
    """int8 codes as the vectors they stand for (divided in place: a new array for the
    quotient costs ~20 times the division, for all candidates' codes at once)."""
    vectors = codes.astype(np.float32)
    vectors /= INT8_SCALE
    return vectors


def pack_int8(codes: np.ndarray) -> bytes:
    """int8 codes `[n, dim]` in 5 bits each: a header (n, how many are listed apart), the
    low 4 bits two to a byte, the fifth bits eight to a byte, then the positions (uint16,
    uint32 past 65,535 codes) and values of the codes outside [-16, 15]. Exact: `unpack_int8`
    gives the same codes back."""
    flat = codes.reshape(-1)
    padded = np.zeros(-(-len(flat) // 8) * 8, np.int8)
    padded[: len(flat)] = flat
    clipped = padded.clip(*PACKED_RANGE)
    apart = np.flatnonzero(clipped != padded)
    five = clipped.view(np.uint8) & 31  # two's complement in 5 bits
    low = five & 15
    return b"".join(
        [
            _HEADER.pack(len(codes), len(apart)),
            (low[0::2] | (low[1::2] << 4)).astype(np.uint8).tobytes(),
            np.packbits(five >> 4).tobytes(),
            apart.astype(_position_type(len(padded))).tobytes(),
            padded[apart].tobytes(),
        ]
    )


def unpack_int8(blobs: Sequence[bytes], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """The int8 codes `[sentences, dim]` of many `pack_int8` blobs, and each blob's count of
    sentences: their parts joined, then unpacked by a few numpy operations for all."""
    lows, highs = [], []
    apart_of: dict[type, tuple[list[bytes], list[bytes], list[int], list[int]]] = {
        np.uint16: ([], [], [], []),  # positions, values, how many, where the blob starts
        np.uint32: ([], [], [], []),
    }
    counts = np.empty(len(blobs), np.int64)
    start = 0
    for i, blob in enumerate(blobs):
        count, apart = _HEADER.unpack_from(blob)
        size = -(-count * dim // 8) * 8
        cut = _HEADER.size + size // 2
        end = cut + size // 8
        lows.append(blob[_HEADER.size : cut])
        highs.append(blob[cut:end])
        if apart:
            kind = _position_type(size)
            positions, values, many, starts = apart_of[kind]
            split = end + apart * np.dtype(kind).itemsize
            positions.append(blob[end:split])
            values.append(blob[split:])
            many.append(apart)
            starts.append(start)
        counts[i] = count
        start += size
    codes = np.take(_NIBBLES, np.frombuffer(b"".join(lows), np.uint8)).view(np.int8)
    codes -= np.take(_SIXTEENS.reshape(256), np.frombuffer(b"".join(highs), np.uint8)).view(np.int8)
    for kind, (positions, values, many, starts) in apart_of.items():
        if many:
            at = np.frombuffer(b"".join(positions), kind).astype(np.int64) + np.repeat(starts, many)
            codes[at] = np.frombuffer(b"".join(values), np.int8)
    if counts.sum() * dim != len(codes):  # padding (a dim times a count not a multiple of 8)
        keep = np.concatenate(
            [np.arange(c * dim) + o for c, o in zip(counts, _offsets(counts, dim), strict=True)]
        )
        codes = codes[keep] if len(keep) else codes[:0]
    return codes.reshape(-1, dim), counts


def _offsets(counts: np.ndarray, dim: int) -> np.ndarray:
    sizes = -(-counts * dim // 8) * 8
    return np.cumsum(sizes) - sizes


def _position_type(size: int) -> type[np.unsignedinteger]:
    return np.uint16 if size <= 65536 else np.uint32


def decode_passage_vectors(blob: bytes, count: int, dtype: str) -> np.ndarray:
    """`count` passage vectors stored one after another as `dtype` (float16, or float32 in
    older indexes), as a float32 matrix."""
    if not count:
        return np.empty((0, 0), np.float32)
    return np.frombuffer(blob, dtype=dtype).reshape(count, -1).astype(np.float32)


def encode_2bit(vectors: np.ndarray) -> bytes:
    """Vectors `[n, dim]` as 2-bit codes, `4 + dim / 4` bytes each: per vector two float16
    magnitudes (the mean absolute value of its components below and above their median),
    then the sign bits of all vectors, then their "above the median" bits. Decoded
    (`decode_2bit`) each component is its sign times its half's mean magnitude: a cosine of
    ~0.93 with the original. Storage layout 2 only: it reorders the top 5 of 155 of 360
    SQuAD dev questions against int8."""
    magnitude = np.abs(vectors)
    high = magnitude > np.median(magnitude, axis=1, keepdims=True)
    highs = np.maximum(high.sum(axis=1), 1)
    lows = np.maximum((~high).sum(axis=1), 1)
    scales = np.stack(
        [(magnitude * ~high).sum(axis=1) / lows, (magnitude * high).sum(axis=1) / highs], axis=1
    )
    signs = np.packbits(vectors > 0, axis=1)
    return scales.astype(np.float16).tobytes() + signs.tobytes() + np.packbits(high, axis=1).tobytes()


def decode_2bit(blob: bytes, dim: int) -> np.ndarray:
    """Unit vectors from `encode_2bit`'s codes: each component its sign times the mean
    magnitude of its half (below or above the vector's median magnitude), normalised (so a
    cosine with them is not shrunk by the coding)."""
    width = (dim + 7) // 8
    count = len(blob) // (4 + 2 * width)
    scales = np.frombuffer(blob, np.float16, 2 * count).reshape(count, 2).astype(np.float32)
    bits = np.frombuffer(blob, np.uint8, offset=4 * count).reshape(2, count, width)
    signs = np.unpackbits(bits[0], axis=1, count=dim).astype(bool)
    high = np.unpackbits(bits[1], axis=1, count=dim).astype(bool)
    magnitude = np.where(high, scales[:, 1:], scales[:, :1])
    vectors = np.where(signs, magnitude, -magnitude)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
