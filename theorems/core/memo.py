"""A bounded memo for pure float64 computations, keyed on their full content.

An expensive pure function (an SGD run, a comparator's minimisation) is often asked again for the
same inputs within one claim's audit (its polish moves coordinates the result does not depend on;
its 60-digit re-check minimises the same float64 data). ``BoundedMemo`` keeps the most recently used
``size`` results; ``array_key`` is an array's exact content (dtype, shape, bytes), so a key never
conflates two inputs that differ in one bit. An object in a key (a loss) is held by the memo, so its
identity cannot be reused while the entry lives."""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["BoundedMemo", "array_key"]


def array_key(a):
    """An ndarray's exact content as a hashable key."""
    return a.dtype.str, a.shape, a.tobytes()


class BoundedMemo:
    """Least-recently-used memo of at most ``size`` entries (values are stored as given: make them
    read-only, or return copies, where a caller could mutate them)."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()

    def get(self, key):
        """The value stored under ``key`` (now the most recently used), or None."""
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
        return hit

    def put(self, key, value):
        """Store ``value`` under ``key``, dropping the least recently used entry beyond ``size``."""
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value

    def clear(self):
        self._entries.clear()

    def __len__(self):
        return len(self._entries)
