"""Safe, streaming XML for the Bible readers: lxml iterparse with entities, DTDs and the network off.

A file that declares entities is refused outright (no XXE, no entity bombs), and the tree is pruned as
it is read so memory stays flat on a whole Bible."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lexres.errors import FormatError, ParseError

ENTITY_HINT = "Bible XML never needs entity declarations; remove the <!DOCTYPE ...> internal subset"


def local(tag) -> str:
    """Tag name without its namespace (`{ns}verse` -> `verse`); comments/PIs give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iterparse(fh: BinaryIO, path: Path, events=("start", "end"), tag=None, root: tuple[str, ...] = ()):
    """lxml iterparse with every fetching and expanding feature off; refuses entity declarations, and a
    document whose root element is not one of `root` (a file forced to the wrong format)."""
    from lxml import etree

    it = etree.iterparse(fh, events=events, tag=tag, resolve_entities=False, no_network=True, load_dtd=False,
                         dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        for ev, el in it:  # the checks need the first element; after it, lxml's own iterator is handed on
            _refuse_entities(el, path)
            _check_root(el, path, root)
            yield ev, el
            break
        yield from it
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise ParseError(path, line, f"not well-formed XML: {exc.msg}") from exc


def _check_root(el, path: Path, root: tuple[str, ...]) -> None:
    name = local(el.getroottree().getroot().tag)
    if root and name not in root:
        raise FormatError(f"{path}: the root element is <{name}>, not <{'> or <'.join(root)}>",
                          hint="check --format, or let lexres sniff the format")


def _refuse_entities(el, path: Path) -> None:
    dtd = el.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    names = [e.name for e in dtd.entities()]
    if names:
        raise ParseError(path, None, f"the XML declares entities ({', '.join(names[:5])}); they are not "
                         "expanded or fetched, and the file is refused", hint=ENTITY_HINT)


def stream(fh: BinaryIO, path: Path, root: tuple[str, ...] = ()) -> Iterator[tuple[str, object]]:
    """Document-order events ("start", el) / ("text", str) / ("end", el), with the tree pruned behind.

    Text pieces come out exactly where they sit between tags: a parent's text is complete when its first
    child starts, a child's tail when the next sibling starts or the parent ends."""
    for ev, el in iterparse(fh, path, root=root):
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


# Paratext numbers its versifications; these are the standard schemes lexres ships tables for.
PARATEXT_SCHEMES = {"1": "org", "2": "lxx", "3": "vul", "4": "eng", "5": "rsc", "6": "rso"}


def project_settings(folder: Path) -> dict[str, str]:
    """What a Paratext project (Settings.xml) or a DBL bundle (metadata.xml, one or two levels up) says
    about its language and versification: {"lang": ..., "versification": ...} (keys only when stated)."""
    out: dict[str, str] = {}
    settings = folder / "Settings.xml"
    if settings.is_file():
        with open(settings, "rb") as fh:
            for _, el in iterparse(fh, settings, events=("end",)):
                if el.tag == "Versification" and (el.text or "").strip() in PARATEXT_SCHEMES:
                    out["versification"] = PARATEXT_SCHEMES[el.text.strip()]
                elif el.tag == "LanguageIsoCode" and el.text:
                    out["lang"] = el.text.split(":")[0].strip()
        return out
    for meta in (d / "metadata.xml" for d in (folder, folder.parent, folder.parent.parent)):
        if meta.is_file():
            with open(meta, "rb") as fh:
                for _, el in iterparse(fh, meta, events=("end",)):
                    if el.tag == "iso" and local(el.getparent().tag) == "language" and el.text:
                        out["lang"] = el.text.strip()
            break
    return out
