"""A tiny counter-based random stream: one per sentence, derived from (seed, sentence index) only, so the
choices do not depend on batching, worker count or the Python version (random.Random(int) would cost more
to seed per sentence than the whole substitution)."""

from __future__ import annotations

from bisect import bisect_right

M64 = (1 << 64) - 1
# Draws after the seeding step use a 64-bit LCG (Knuth's MMIX constants): cheap enough to inline.
A, C = 6364136223846793005, 1442695040888963407


def mix(x: int) -> int:
    """splitmix64 finalizer: a well-spread 64-bit value from any integer."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


class Stream:
    """Random draws for one sentence."""

    __slots__ = ("state",)

    def __init__(self, seed: int, index: int):
        self.state = mix(mix(seed & M64) ^ index)

    def below(self, k: int) -> int:
        """Uniform integer in [0, k) (from the high 32 bits: the LCG's low bits are weak)."""
        self.state = s = (self.state * A + C) & M64
        return ((s >> 32) * k) >> 32

    def weighted(self, cumulative: tuple[float, ...]) -> int:
        """Index drawn with probability proportional to the increments of `cumulative`."""
        self.state = s = (self.state * A + C) & M64
        return pick_weighted(s, cumulative)


def pick_weighted(state: int, cumulative: tuple[float, ...]) -> int:
    """Index into `cumulative` (running totals of non-negative weights) drawn from the top 53 bits of a
    64-bit LCG `state`: index i with probability (cumulative[i] - cumulative[i-1]) / cumulative[-1]."""
    u = (state >> 11) * (cumulative[-1] / 9007199254740992.0)  # 2**53
    return min(bisect_right(cumulative, u), len(cumulative) - 1)
