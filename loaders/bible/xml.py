"""Safe, streaming XML for the Bible readers: lxml iterparse with entities, DTDs and the network off.

A file that declares entities is refused outright (no XXE, no entity bombs), and the tree is pruned as
it is read so memory stays flat on a whole Bible. Entities a file uses without declaring them (from an
external DTD, which is never loaded) never drop the text around them: every XML Bible reader (CES, OSIS,
USFX, USX, Zefania) reads the standard named ones as their characters and leaves out the others, with a
note naming each (see Entities)."""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from html.entities import html5
from pathlib import Path
from typing import BinaryIO

from lexres.errors import FormatError, ParseError
from lexres.loaders.bible.lines import HEAD, label, wide_encoding

XML_DECL = re.compile(rb"""^(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
ENTITY_HINT = "Bible XML never needs entity declarations; remove the <!DOCTYPE ...> internal subset"


def local(tag) -> str:
    """Tag name without its namespace (`{ns}verse` -> `verse`); comments/PIs give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


class _Prefixed:
    """A binary file whose first bytes were already read (`head`): reads give them back first."""

    def __init__(self, head: bytes, fh: BinaryIO):
        self.head, self.fh = head, fh

    def read(self, n: int = -1) -> bytes:
        if not self.head:
            return self.fh.read(n)
        if n is None or n < 0:
            out, self.head = self.head + self.fh.read(), b""
        else:
            out, self.head = self.head[:n], self.head[n:]
        return out


def _as_utf8(fh: BinaryIO, path: Path, note: Callable[[str], None] | None):
    """`fh` as lxml should read it: a UTF-16/32 file (with or without a BOM, which libxml2 does not all
    recognise) is decoded and handed on as UTF-8, its XML declaration saying so, with a note.

    Raises ParseError when it does not decode."""
    head = fh.read(HEAD)
    wide = wide_encoding(head)
    if wide is None:
        return _Prefixed(head, fh)
    codec, skip = wide
    data = head + fh.read()
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        raise ParseError(path, None, f"the file looks like {label(codec)} but is not valid {label(codec)} "
                         f"({exc.reason})",
                         hint=f"convert it with `iconv -f {label(codec)} -t UTF-8`") from exc
    if note is not None:
        note(f"{path.name}: read as {label(codec)} ({'with' if skip else 'without'} a byte-order mark), "
             "not UTF-8")
    return io.BytesIO(XML_DECL.sub(rb'\1 encoding="UTF-8"', text.encode("utf-8"), count=1))


def iterparse(fh: BinaryIO, path: Path, events=("start", "end"), tag=None, root: tuple[str, ...] = (),
              note: Callable[[str], None] | None = None):
    """lxml iterparse with every fetching and expanding feature off; refuses entity declarations, and a
    document whose root element is not one of `root` (a file forced to the wrong format). UTF-16/32 files
    are read as such (told to `note`)."""
    from lxml import etree

    it = etree.iterparse(_as_utf8(fh, path, note), events=events, tag=tag, resolve_entities=False,
                         no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
                         remove_comments=True, remove_pis=True)
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


class Entities:
    """What an entity reference left in the tree stands for. Bible XML that names an external DTD (which is
    never loaded) may use its entities: the standard named ones (`&eacute;`, `&nbsp;`: the ISO/XHTML sets
    HTML5 also has) are read as those characters, any other is left out; the surrounding text is kept either
    way, and `note` is told once per name."""

    def __init__(self, path: Path, note: Callable[[str], None] | None = None):
        self.path, self.note_fn = path, note
        self.seen: set[str] = set()

    def text(self, node) -> str:
        """The text an undeclared entity reference `node` stands for: its standard (HTML5) character(s), or
        '' when it has none; each name is noted once."""
        name = node.name
        char = html5.get(f"{name};")
        if name not in self.seen:
            self.seen.add(name)
            if self.note_fn is not None:
                if char is not None:
                    self.note_fn(f"{self.path.name}: entity `&{name};` is not declared in the file (its "
                                 "external DTD is not read): read as its standard meaning")
                else:
                    self.note_fn(f"{self.path.name}:{node.sourceline}: entity `&{name};` is not declared and "
                                 "has no standard meaning: left out (the text around it is kept)")
        return char or ""


def is_entity(node) -> bool:
    """True for an entity reference node (lxml keeps undeclared ones when the DTD is not loaded)."""
    from lxml import etree

    return node.tag is etree.Entity


def stream(fh: BinaryIO, path: Path, root: tuple[str, ...] = (),
           note: Callable[[str], None] | None = None) -> Iterator[tuple[str, object]]:
    """Document-order events ("start", el) / ("text", str) / ("end", el), with the tree pruned behind.

    Text pieces come out exactly where they sit between tags: a parent's text is complete when its first
    child starts, a child's tail when the next sibling starts or the parent ends. Entity references the
    parser kept (undeclared, from an external DTD) come out as text through `Entities`, told to `note`."""
    entities = Entities(path, note)
    opened: list[list] = []  # [element, its own text already given]
    for ev, el in iterparse(fh, path, root=root, note=note):
        if ev == "start":
            if opened:
                top = opened[-1]
                parent = top[0]
                if not top[1]:
                    top[1] = True
                    if parent.text:
                        yield "text", parent.text
                before = []  # siblings read since the last start (the rest is pruned): their tails are due
                node = el.getprevious()
                while node is not None:
                    before.append(node)
                    node = node.getprevious()
                for node in reversed(before):
                    yield from _node_text(node, entities)
                    parent.remove(node)  # fully read (its end and tail are past): drop it
            opened.append([el, False])
            yield "start", el
        else:
            top = opened.pop()
            if not top[1] and el.text:
                yield "text", el.text
            for node in el:
                yield from _node_text(node, entities)
            yield "end", el
            el.clear(keep_tail=True)


def _node_text(node, entities: Entities) -> Iterator[tuple[str, str]]:
    """The text of an already-read child: an entity reference's meaning, then the tail."""
    if is_entity(node):
        text = entities.text(node)
        if text:
            yield "text", text
    if node.tail:
        yield "text", node.tail


def element_text(el, skip: frozenset[str] = frozenset(), entities: Entities | None = None) -> str:
    """All text inside `el` (not its tail), leaving out whole elements whose local name is in `skip`;
    entity references read through `entities` (left out without it)."""
    parts = [el.text or ""]
    for child in el:
        if is_entity(child):
            parts.append(entities.text(child) if entities is not None else "")
        elif local(child.tag) not in skip:
            parts.append(element_text(child, skip, entities))
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
