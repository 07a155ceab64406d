"""Safe, streaming XML for the Bible readers: lxml iterparse with entities, DTDs and the network off.

A file that declares entities is refused outright (no XXE, no entity bombs), and the tree is pruned as
it is read so memory stays flat on a whole Bible."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lexres.errors import ParseError

ENTITY_HINT = "Bible XML never needs entity declarations; remove the <!DOCTYPE ...> internal subset"


def local(tag) -> str:
    """Tag name without its namespace (`{ns}verse` -> `verse`); comments/PIs give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iterparse(fh: BinaryIO, path: Path, events=("start", "end"), tag=None):
    """lxml iterparse with every fetching and expanding feature off; refuses entity declarations."""
    from lxml import etree

    it = etree.iterparse(fh, events=events, tag=tag, resolve_entities=False, no_network=True, load_dtd=False,
                         dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True)
    checked = False
    try:
        for ev, el in it:
            if not checked:
                checked = True
                _refuse_entities(el, path)
            yield ev, el
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise ParseError(path, line, f"not well-formed XML: {exc.msg}") from exc


def _refuse_entities(el, path: Path) -> None:
    dtd = el.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    names = [e.name for e in dtd.entities()]
    if names:
        raise ParseError(path, None, f"the XML declares entities ({', '.join(names[:5])}); they are not "
                         "expanded or fetched, and the file is refused", hint=ENTITY_HINT)


def stream(fh: BinaryIO, path: Path) -> Iterator[tuple[str, object]]:
    """Document-order events ("start", el) / ("text", str) / ("end", el), with the tree pruned behind.

    Text pieces come out exactly where they sit between tags: a parent's text is complete when its first
    child starts, a child's tail when the next sibling starts or the parent ends."""
    for ev, el in iterparse(fh, path):
        if ev == "start":
            prev = el.getprevious()
            parent = el.getparent()
            if prev is not None:
                if prev.tail:
                    yield "text", prev.tail
                parent.remove(prev)  # fully read (its end and tail are past): drop it
            elif parent is not None and parent.text:
                yield "text", parent.text
            yield "start", el
        else:
            if len(el):
                if el[-1].tail:
                    yield "text", el[-1].tail
            elif el.text:
                yield "text", el.text
            yield "end", el
            el.clear(keep_tail=True)


def element_text(el, skip: frozenset[str] = frozenset()) -> str:
    """All text inside `el` (not its tail), leaving out whole elements whose local name is in `skip`."""
    parts = [el.text or ""]
    for child in el:
        if local(child.tag) not in skip:
            parts.append(element_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)
