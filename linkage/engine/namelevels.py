"""Name comparison levels of one name against many, from integer columns per vocabulary id.

At millions of identities the distinct (record name, identity name) pairs of a record's candidates
rarely repeat, so a per-pair call of `linkage.vn.compare.compare_part` (even cached) dominates match
time. `compare_part` checks, in order: missing, exact, folded (or a hỏi/ngã slip), known variant,
phonetic, Jaro-Winkler. Each check but the last two compares a *derived form* of each side, so the
derived forms are computed once per distinct name and stored as interned integer ids; a level is then
an integer comparison over the candidate rows. Only pairs that may be variants (a necessary condition
on per-syllable keys) or may reach a Jaro-Winkler level (an upper bound from letter counts and the
common prefix) call `compare_part`, once per distinct pair. The result equals `compare_part`
level for level (tests/engine/test_namelevels.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np

from linkage.vn.compare import JW_LOW_MIN, NameLevel, compare_part
from linkage.vn.phonetic import phonetic_key, tone_class
from linkage.vn.slips import is_no_name
from linkage.vn.text import fold, normalize, strip_tone
from linkage.vn.variants import _folded_groups, _groups, _iy_form, compound_surnames, without_prefix

SYLLABLES = 4        # per-syllable variant keys for this many syllables (later ones go unchecked: looser)
LETTERS = 40         # letter-count columns; letters beyond share the last one (still an upper bound)
PREFIX = 4           # Jaro-Winkler rewards at most four leading letters
PREFIX_BITS = 16     # per leading letter, packed into one integer per name (letter ids, not code points)
WINKLER_WEIGHT = 0.1
NONE = -1            # "no such key" (an i/y form that does not apply, a compound head that is absent)
_ONES = np.ones(LETTERS, dtype=np.float32)
# prefix XORs below these agree on 4, 3, 2, 1 leading letters: the count of them above a XOR is the count
_AGREE_BELOW = np.array([1 << (PREFIX_BITS * k) for k in range(PREFIX)], dtype=np.uint64)

# scalar features: the columns of one int32 matrix, row = vocabulary id
_SCALARS = ("norm", "fold", "ascii", "empty", "bare", "tone", "pk", "pk_fold", "head", "head_fold",
            "syllables", "length", "no_name")
(_NORM, _FOLD, _ASCII, _EMPTY, _BARE, _TONE, _PK, _PK_FOLD, _HEAD, _HEAD_FOLD, _SYLLABLES,
 _LENGTH, _NO_NAME) = range(len(_SCALARS))


class NameLevels:
    """Level codes of vocabulary id `a` against an array of ids, equal to `compare_part`'s.

    `values` is the encoder's growing list of names (id 0 = missing); `codes` maps each `NameLevel`
    to the caller's level code (MISSING to its null code). Features of new names are added on demand.
    """

    def __init__(self, values: list[str], codes: Mapping[NameLevel, int], limit: int = 4_000_000) -> None:
        self._values = values
        self._code = {level: np.int8(code) for level, code in codes.items()}
        self._keys: dict[str, int] = {}
        self._size = 0
        self._grow = threading.Lock()
        self._letters: dict[str, int] = {}
        self._matrix = np.zeros((0, len(_SCALARS)), dtype=np.int32)
        self._syllable_keys = np.zeros((0, SYLLABLES, 4), dtype=np.int32)
        self._counts = np.zeros((0, LETTERS), dtype=np.uint8)
        self._chars: dict[str, int] = {"\x00": 0}  # letter -> id in the packed prefix; 0 also pads
        self._prefix = np.zeros(0, dtype=np.uint64)
        self._pk_fold = np.zeros(0, dtype=np.int32)
        self._cache: dict[int, int] = {}
        self._limit = limit

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "_grow"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _grow=threading.Lock())

    # features ------------------------------------------------------------------------------------------
    def _key(self, text: str) -> int:
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = len(self._keys)
        return found

    def sync(self) -> None:
        """Add the features of names added to the vocabulary since the last call."""
        if len(self._values) <= self._size:
            return
        with self._grow:
            start, stop = self._size, len(self._values)
            if stop <= start:
                return
            new = self._values[start:stop]
            rows = [self._features(text) for text in new]
            scalars = np.array([r[0] for r in rows], dtype=np.int32).reshape(len(rows), len(_SCALARS))
            matrix = np.concatenate([self._matrix, scalars])
            keys = np.concatenate([self._syllable_keys, np.array([r[1] for r in rows], dtype=np.int32)])
            counts = np.concatenate([self._counts, np.array([r[2] for r in rows], dtype=np.uint8)])
            prefix = np.concatenate([self._prefix, np.array([r[3] for r in rows], dtype=np.uint64)])
            # publish whole arrays, size last: a reader holding ids below `stop` always finds them
            self._matrix, self._syllable_keys, self._counts, self._prefix = matrix, keys, counts, prefix
            self._size = stop

    def _features(self, text: str) -> tuple[list[int], list[list[int]], list[int], int]:
        k = self._key
        na = normalize(text)
        fa = fold(na)
        parts = na.split()
        head = compound_surnames().get(na)
        scalars = [
            k("n:" + na), k("f:" + fa), int(na.isascii()), int(not na),
            k("b:" + " ".join(strip_tone(p) for p in parts)), k("t:" + tone_class(na)),
            k("p:" + phonetic_key(na)), k("p:" + phonetic_key(fa)),
            NONE if head is None else k("n:" + head), NONE if head is None else k("n:" + fold(head)),
            len(parts), len(fa), int(is_no_name(na)),
        ]
        groups, folded_groups = _groups(), _folded_groups()
        syllable_keys = [[-2, -2, -2, -2] for _ in range(SYLLABLES)]  # equal for both sides past the end
        for i, s in enumerate(parts[:SYLLABLES]):
            fs = fold(s)
            iy = _iy_form(s)
            syllable_keys[i] = [k("g:" + groups.get(s, s)), k("F:" + folded_groups.get(fs, fs)),
                                NONE if iy is None else k("i:" + iy), k("h:" + fold(without_prefix(s)))]
        counts = [0] * LETTERS
        for ch in fa:
            column = self._letters.get(ch)
            if column is None:
                column = self._letters[ch] = min(len(self._letters), LETTERS - 1)
            counts[column] = min(counts[column] + 1, 255)
        prefix = 0
        for ch in fa[:PREFIX].ljust(PREFIX, "\x00"):
            letter = self._chars.get(ch)
            if letter is None:  # ids past the last share it: prefixes then agree more, still a bound
                letter = self._chars[ch] = min(len(self._chars), (1 << PREFIX_BITS) - 1)
            prefix = (prefix << PREFIX_BITS) | letter
        return scalars, syllable_keys, counts, prefix

    def folded_sound(self, a: int) -> int | None:
        """Name `a`'s folded phonetic key (what `sounds_alike` compares); None for a missing name."""
        self.sync()
        features = self._matrix
        return None if a == 0 or features[a, _EMPTY] else int(features[a, _PK_FOLD])

    def folded_sounds(self, b: np.ndarray) -> np.ndarray:
        """Per name of `b`, its folded phonetic key, and -1 (no key's) where the name is missing:
        `sounds_alike(a, b)` is `folded_sounds(b) == folded_sound(a)` for a name `a` that is present."""
        self.sync()
        column = self._pk_fold
        if len(column) != len(self._matrix):  # a contiguous copy of the column, gathered from in cache
            column = self._pk_fold = np.ascontiguousarray(self._matrix[:, _PK_FOLD])
        return np.where(b != 0, column.take(b), -1)

    def sounds_alike(self, a: int, b: np.ndarray) -> np.ndarray:
        """Whether each name of `b` sounds like `a` once diacritics are lost (the same folded phonetic
        key): the cheapest agreement short of a level. False where either side is missing."""
        sound = self.folded_sound(a)
        if sound is None:
            return np.zeros(len(b), dtype=bool)
        return self.folded_sounds(b) == sound

    # levels --------------------------------------------------------------------------------------------
    def levels(self, a: int, b: np.ndarray) -> np.ndarray:
        """Level codes of name `a` against each of `b` (the null code where either side is missing)."""
        return self.levels_many([(a, b)])[0]

    def levels_many(self, pairs: Sequence[tuple[int, np.ndarray]]) -> list[np.ndarray]:
        """`levels(a, b)` for each (a, b), in one numpy pass over the distinct (a, b[i]) pairs of them all:
        a record's dozen name comparisons (surname, given, both swapped, middle, parents) cost one set of
        array operations instead of a dozen, each of which is mostly fixed overhead at a few hundred
        candidates."""
        code = self._code
        sizes = [len(b) for _, b in pairs]
        out = np.full(sum(sizes), code[NameLevel.MISSING], dtype=np.int8)
        if len(out):
            self.sync()
            features = self._matrix
            a = np.repeat(np.array([a for a, _ in pairs], dtype=np.int64), sizes)
            b = np.concatenate([b for _, b in pairs]).astype(np.int64)
            present = np.flatnonzero((a != 0) & (b != 0))
            present = present[features[a[present], _EMPTY] == 0]
            distinct, inverse = np.unique((a[present] << 32) | b[present], return_inverse=True)
            levels = self._distinct_levels(distinct >> 32, distinct & 0xFFFFFFFF, features)
            out[present] = levels[inverse]
        ends = np.cumsum(sizes).tolist()
        return [out[end - size:end] for size, end in zip(sizes, ends, strict=True)]

    def _distinct_levels(self, a: np.ndarray, b: np.ndarray, features: np.ndarray) -> np.ndarray:
        """Levels of the pairs (a[i], b[i]), both present."""
        code = self._code
        out = np.full(len(b), code[NameLevel.DIFFERENT], dtype=np.int8)
        fa, fb = np.take(features, a, axis=0), np.take(features, b, axis=0)
        out[fb[:, _EMPTY] == 1] = code[NameLevel.MISSING]
        exact = fb[:, _NORM] == fa[:, _NORM]
        out[exact] = code[NameLevel.EXACT]
        same_fold = ~exact & (fb[:, _FOLD] == fa[:, _FOLD])
        if same_fold.any():
            # a hỏi/ngã slip: both marked, the same letters and vowel marks, tones alike once merged
            slip = same_fold & (fb[:, _ASCII] == 0) & (fa[:, _ASCII] == 0) & (fb[:, _BARE] == fa[:, _BARE]) \
                & (fb[:, _TONE] == fa[:, _TONE])
            out[same_fold] = code[NameLevel.FOLDED]
            out[slip] = code[NameLevel.VARIANT]
        rest = np.flatnonzero((fb[:, _EMPTY] == 0) & ~exact & ~same_fold)
        if not len(rest):
            return out
        a, b, fa, fb = a[rest], b[rest], fa[rest], fb[rest]
        may_vary = self._may_be_variants(a, b, fa, fb)
        # a name written without marks can only be compared by its folded sound
        either_ascii = (fa[:, _ASCII] == 1) | (fb[:, _ASCII] == 1)
        sound = np.where(either_ascii, fb[:, _PK_FOLD] == fa[:, _PK_FOLD],
                         (fb[:, _PK] == fa[:, _PK]) & (fb[:, _TONE] == fa[:, _TONE]))
        phonetic = ~may_vary & sound
        out[rest[phonetic]] = code[NameLevel.PHONETIC]
        left = np.flatnonzero(~may_vary & ~phonetic)
        reach = left[self._may_reach_jaro_winkler(a[left], b[left], fa[left], fb[left])]
        for i in np.concatenate([np.flatnonzero(may_vary), reach]).tolist():
            out[rest[i]] = self._one(int(a[i]), int(b[i]))
        return out

    def _may_be_variants(self, a: np.ndarray, b: np.ndarray, fa: np.ndarray, fb: np.ndarray) -> np.ndarray:
        """False only where `are_variants` is certainly false: a compound surname and its head, or,
        syllable by syllable, one of the keys each of its rules compares must agree."""
        # b a compound and a its head, marked or not (Tôn Thất: Tôn, Ton), or a the compound
        b_compound = (fb[:, _HEAD] == fa[:, _NORM]) | (fb[:, _HEAD_FOLD] == fa[:, _NORM])
        a_compound = (fa[:, _HEAD] != NONE) & ((fb[:, _NORM] == fa[:, _HEAD])
                                              | (fb[:, _NORM] == fa[:, _HEAD_FOLD]))
        compound = b_compound | a_compound
        same_count = fb[:, _SYLLABLES] == fa[:, _SYLLABLES]
        keys_a, keys_b = np.take(self._syllable_keys, a, axis=0), np.take(self._syllable_keys, b, axis=0)
        agree = keys_b == keys_a  # (pairs, syllables, 4 keys) of one-byte booleans, contiguous
        agree[:, :, 2] &= keys_a[:, :, 2] != NONE
        # any key per syllable, then every syllable: the 4 bytes of each read as one 32-bit word
        some_key = agree.view(np.uint32)[:, :, 0] != 0
        every_syllable = some_key.view(np.uint32)[:, 0] == 0x01010101
        return compound | (same_count & every_syllable)

    def _may_reach_jaro_winkler(self, a: np.ndarray, b: np.ndarray, fa: np.ndarray,
                                fb: np.ndarray) -> np.ndarray:
        """False only where Jaro-Winkler of the folded forms is certainly below JW_LOW_MIN and the two
        cannot be one keyboard slip apart with one of them no name (`compare_part`'s SLIP).

        Matching letters are at most the common letter counts m; with no transpositions Jaro is at most
        (m/|a| + m/|b| + 1) / 3, and Winkler adds prefix * 0.1 * (1 - Jaro) for the common prefix.
        """
        if not len(b):
            return np.zeros(0, dtype=bool)
        la = fa[:, _LENGTH].astype(np.float64)
        lb = fb[:, _LENGTH].astype(np.float64)
        shared = np.minimum(np.take(self._counts, b, axis=0), np.take(self._counts, a, axis=0))
        # row sums by a product with ones: exact in float32 (at most 40 * 255), and far faster than sum
        common = (shared.astype(np.float32) @ _ONES).astype(np.float64)
        # lengths are >= 1 here (both names present); common = 0 means no letter matches: Jaro is 0
        jaro = np.where(common > 0, (common / np.maximum(la, 1.0) + common / np.maximum(lb, 1.0) + 1.0) / 3.0,
                        0.0)
        # k leading letters agree where the packed prefixes differ below the top k letters' bits only
        differ = self._prefix[b] ^ self._prefix[a]
        same = PREFIX - np.searchsorted(_AGREE_BELOW, differ, side="right")
        prefix = np.minimum(same, np.minimum(lb, la)).astype(np.float64)
        bound = jaro + prefix * WINKLER_WEIGHT * (1.0 - jaro)
        # or one slip apart (a letter more, less or other, or two swapped), one side part of no name
        slip = ((fa[:, _NO_NAME] == 1) | (fb[:, _NO_NAME] == 1)) & (np.abs(la - lb) <= 1) \
            & (common >= np.maximum(la, lb) - 1)
        return (bound >= JW_LOW_MIN - 1e-9) | slip

    def _one(self, a: int, b: int) -> int:
        key = (a << 32) | b
        level = self._cache.get(key)
        if level is None:
            if len(self._cache) >= self._limit:
                self._cache.clear()
            level = self._cache[key] = int(self._code[compare_part(self._values[a], self._values[b])])
        return level
