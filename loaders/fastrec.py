"""Cheap construction of frozen, slotted records for readers that build one per line or verse.

A frozen dataclass __init__ stores every field through object.__setattr__, which costs about as much as
the rest of a reader's per-row work. Here a plain twin class with the very same slots does the stores
and then turns the new object into the record class (same slots means same memory layout, so Python
allows the switch): the result is an ordinary, frozen instance of the record class."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable


def fast_constructor(cls: type) -> Callable[..., object]:
    """A function taking every field of `cls` positionally, in order, and returning a `cls` instance equal
    to `cls(*args)`. Falls back to `cls` itself when the layout trick is not possible."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    if tuple(getattr(cls, "__slots__", ())) != names or not names:
        return cls
    args = ", ".join(names)
    body = "".join(f"    self.{n} = {n}\n" for n in names)
    namespace: dict = {"_record": cls}
    exec(f"def __init__(self, {args}):\n{body}    self.__class__ = _record\n", namespace)  # noqa: S102
    twin = type(f"_{cls.__name__}Builder", (), {"__slots__": names, "__init__": namespace["__init__"]})
    try:
        probe = twin(*range(len(names)))
    except TypeError:  # layouts differ after all (another Python implementation)
        return cls
    if type(probe) is not cls or probe != cls(*range(len(names))):
        return cls
    return twin
