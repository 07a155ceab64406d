"""Bench: USFM/USX conformance. Reads every case of a USFM test corpus (a `tests/` folder whose case folders
hold `origin.usfm` or `origin.sfm`, `origin.xml` (USX) and `metadata.xml` saying whether the USFM is valid)
through lexres' USFM and USX readers, and compares the verses with verse texts computed here, independently,
from the case's USX.

    python bench/usfm_conformance.py TESTS_DIR [TESTS_DIR ...] [--git-mirror DIR ...] [--show N]

`--git-mirror DIR` reads the `tests/` tree of a bare or mirror git repository (`git show`, extracted to a
temporary folder): nothing reaches the network. A corpus path that does not exist is reported and skipped;
with none left the bench exits with status 2.

Reading goes through `lexres.importer.import_resource` with the reader of `lexres.formats` (`usfm`, `usx`)
into a temporary store, as `lexres import bible` does, with `--on-error skip`: so the store writer's checks
(a reference given twice, implausible numbers) apply, and a rejected verse counts as missing.

The right verse text (USX 3 schema, usx.rnc, and the USFM 3 marker pages): the character content between a
verse start milestone and the next verse start, chapter start or verse end milestone; its reference is the
book, the last chapter and the verse number, or the verse's `sid` (USX 3) when it names a chapter, and a
`<ms style="vid" ref=…/>` (USX 3.1) sets it. Paragraph, row and cell boundaries are spaces; whitespace runs
other than no-break spaces are folded (NFC); `<optbreak/>` (USFM `//`, a discretionary line break) adds
nothing. Left out: notes, figures (a caption is not scripture), sidebars, peripheral books and `<periph>`,
alternate and published numbers (`va`, `vp`, `ca`), inline quotation references (`rq`, a reference like
`\\r`) and categories (`cat`); paragraphs of the schema's Section enum (`s#`, `ms#`, `mr`, `r`, `sr`, `sp`,
`sd#`, `cl`, `cd`, `mte#` ...) and OtherPara (`qa`, `cp`, `lit`, `pb`, `k#`, `rem`, `sts`), book headers,
titles, introductions, and `d` (a VersePara in the schema, a title by lexres' documented rule,
lexres.loaders.bible.markers) -- up to a verse start inside such a paragraph, after which its text is that
verse's. A style the schema does not know keeps its text. Verse parts continuing each other in consecutive
units (`2-6a`, `6b-11`) are one unit (2-11).

Refused by design, counted apart: units that give a verse a second time (overlapping ranges included) and
units outside their book's chapters or verses (lexres.versification): lexres files neither, and each must
be a located reject. The corpus' USX was made by a converter that pretty-printed some files and left some
`|attributes` as text; the USFM reader is right when it matches the USX either literally or with those
additions discounted (whitespace-only text holding a line break, `|…` in a character element).

Printed: per corpus, cases (valid / invalid / not stated), valid verse units and the share read right
through each reader; for invalid inputs, per reader: read right, located error (a LexresError or reject
naming the file's line), refused as holding no verse, noted with its line, read with no USX to compare, or
wrong; then the first N differences and the cases worth a look."""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lexres.versification import implausible

USFM_NAMES = ("origin.usfm", "origin.sfm")
PERIPHERAL = re.compile(r"^(?:FRT|BAK|OTH|INT|CNC|GLO|TDX|NDX|X[A-Z0-9]{2})$")
# paragraph styles whose text is not verse text (up to a verse start inside): the USX 3 schema's Section and
# OtherPara enums, book headers, titles, introductions, and `d` by lexres' rule; every other style (VersePara,
# List, and styles the schema does not know) keeps its text
OTHER_PARA = re.compile(r"^(?:restore|iex|ip|ms[1-3]?|mr|mte[1-2]?|r|s[1-9]?|sr|sp|sd[1-4]?|cl|cd|lit|cp|"
                        r"pb|qa|k[1-2]|sts|rem|ide|h[1-3]?|toc[1-3]|toca[1-3]|usfm|mt[1-4]?|imt[1-4]?|"
                        r"is[1-2]?|ipi|im|imi|ipq|imq|ipr|ipc|iq[1-3]?|ib|ili[1-2]?|iot|io[1-4]?|imte[1-2]?|ie|"
                        r"periph|p[12]|d)$")
NOT_TEXT_CHAR = re.compile(r"^(?:va|vp|ca|rq|cat|fig)$")
NOT_TEXT_ELEMENT = {"note", "figure", "sidebar", "periph"}
FOLD = re.compile(r"[^\S\u00a0\u2007\u202f]+")
NUMBER = re.compile(r"^\s*([0-9]+)([a-z]?)\W*?(?:[-,\u2013]\s*([0-9]+)([a-z]?))?\W*$")
SID = re.compile(r"^([1-4A-Z][A-Z0-9]{2}) ?([0-9]+)(?::(\S+))?$")
ATTRIBUTES = re.compile(r"\|.*$", re.S)


def norm(text: str) -> str:
    """Whitespace runs (other than no-break spaces) folded to one space, ends trimmed, NFC."""
    return unicodedata.normalize("NFC", FOLD.sub(" ", text).strip())


@dataclass(frozen=True)
class Case:
    """One test folder: its name (path under the corpus), validity from metadata.xml (None: not stated)."""

    name: str
    valid: bool | None
    usfm: Path | None
    usx: Path | None


@dataclass
class Expected:
    """Right verses of one USX file: (book, chapter, verse) -> (verse_end, text); units whose verses are
    given twice (overlapping ranges included) and units outside their book's chapters and verses, which
    lexres refuses by design (each a located reject); a problem that kept the USX from being read (then
    nothing is known)."""

    verses: dict = field(default_factory=dict)
    twice: list = field(default_factory=list)
    out_of_range: list = field(default_factory=list)
    problem: str | None = None


@dataclass
class Outcome:
    """What lexres read from one file: verses as Expected.verses, rejects (line, reason), the error raised
    (`located` when it names the file and a line), a traceback for anything that is not a LexresError."""

    verses: dict = field(default_factory=dict)
    rejects: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: str | None = None
    located: bool = False
    crash: str | None = None


# ---------------------------------------------------------------- the corpus


def cases(root: Path) -> list[Case]:
    """Every case folder under `root` (a folder with an origin USFM or USX file), sorted by name."""
    out = []
    folders = {p.parent for n in (*USFM_NAMES, "origin.xml") for p in root.rglob(n)}
    for folder in sorted(folders):
        usfm = next((folder / n for n in USFM_NAMES if (folder / n).is_file()), None)
        usx = folder / "origin.xml"
        out.append(Case(str(folder.relative_to(root)), _validity(folder / "metadata.xml"), usfm,
                        usx if usx.is_file() else None))
    return out


def _validity(meta: Path) -> bool | None:
    if not meta.is_file():
        return None
    m = re.search(r"<validated>\s*(\w+)\s*</validated>", meta.read_text(encoding="utf-8", errors="replace"))
    return {"pass": True, "fail": False}.get(m.group(1).lower()) if m else None


def extract_mirror(repo: Path, into: Path) -> Path:
    """Write the `tests/` tree's case files of a bare or mirror git repository at HEAD into `into`.

    Raises RuntimeError when git cannot read it."""
    names = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD", "tests"],
                           capture_output=True, text=True, check=False)
    if names.returncode != 0:
        raise RuntimeError(f"{repo}: git cannot list tests/ ({names.stderr.strip()})")
    wanted = [n for n in names.stdout.splitlines()
              if n.rsplit("/", 1)[-1] in (*USFM_NAMES, "origin.xml", "metadata.xml")]
    batch = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], capture_output=True, check=False,
                           input="".join(f"HEAD:{n}\n" for n in wanted).encode())
    data, pos = batch.stdout, 0
    for name in wanted:
        header_end = data.index(b"\n", pos)
        header = data[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[pos:pos + size])
        pos += size + 1
    return into / "tests"


# ---------------------------------------------------------------- the right verses, from USX


@dataclass
class _Unit:
    """One verse unit as the USX gives it: reference, its part letters, text pieces."""

    book: str
    chapter: int
    start: int
    end: int | None
    parts: tuple[str, str]
    pieces: list = field(default_factory=list)


class _Walk:
    """Depth-first walk of a USX tree collecting verse units (see the module docstring for the rule).

    `lenient`: discount what the corpus' USFM-to-USX converter added: whitespace-only text holding a line
    break is XML indentation (pretty-printing), and `|attributes` left as text in a character element are
    cut. The USFM reader is judged against both readings, the USX reader against the literal one."""

    def __init__(self, lenient: bool = False):
        self.lenient = lenient
        self.units: list[_Unit] = []
        self.book: str | None = None
        self.chapter: int | None = None
        self.open: _Unit | None = None
        self.paused = False  # the open unit ended in a verse part: only a continuing part reopens it
        self.frames: list[list] = []  # the open non-verse paragraphs' frames ([skip]), innermost last

    def close(self) -> None:
        self.open, self.paused = None, False

    def add(self, text: str | None, frame: list) -> None:
        if not text or self.open is None or self.paused or frame[0]:
            return
        if self.lenient and not text.strip() and "\n" in text:
            return
        self.open.pieces.append(text)

    def space(self) -> None:
        if self.open is not None and not self.paused:
            self.open.pieces.append(" ")

    def start(self, number: str, sid: str | None) -> None:
        m = NUMBER.match(number)
        chapter = self.chapter
        ref = SID.match(sid or "")
        if ref and self.book and ref.group(1) == self.book:
            chapter = int(ref.group(2))  # a USX 3 sid is the verse's reference
            self.chapter = chapter
        if self.book is None or chapter is None or m is None:
            self.close()
            return
        first, last = int(m.group(1)), int(m.group(3) or m.group(1))
        parts = (m.group(2), m.group(4) if m.group(3) else m.group(2))
        held = self.open
        if (held is not None and (held.book, held.chapter) == (self.book, chapter) and held.parts[1]
                and parts[0] > held.parts[1] and (held.end or held.start) == first):
            held.end, held.parts = last, (held.parts[0], parts[1])  # a verse part continuing the unit
            self.paused = False
            held.pieces.append(" ")
        else:
            self.open, self.paused = _Unit(self.book, chapter, first, last, parts), False
            self.units.append(self.open)
        for frame in self.frames:  # a verse starting in a non-verse paragraph: the rest of it is verse text
            frame[0] = False
        self.frames = []

    def element(self, el, parent: list) -> None:
        name = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        style = el.get("style") or ""
        if name == "book":
            self.close()
            code = (el.get("code") or "").strip().upper()
            self.book, self.chapter = (None if PERIPHERAL.match(code) else code), None
            return
        if name == "chapter":
            self.close()
            if el.get("eid") is None:
                num = (el.get("number") or "").strip()
                self.chapter = int(num) if num.isascii() and num.isdigit() else None
            return
        if name == "verse":
            if el.get("eid") is not None and el.get("number") is None:
                if self.open is not None and self.open.parts[1]:
                    self.paused = True
                else:
                    self.close()
            else:
                self.start(el.get("number") or "", el.get("sid"))
            return
        if name == "ms" and style == "vid":
            ref = SID.match((el.get("ref") or "").strip())
            self.close()
            if ref and ref.group(1) == self.book:
                self.chapter = int(ref.group(2))
                if ref.group(3):
                    self.start(ref.group(3), None)
            elif ref:
                self.chapter = None
            return
        if not name or name in NOT_TEXT_ELEMENT or (name == "char" and NOT_TEXT_CHAR.match(style)):
            return
        if name == "optbreak":
            return
        frame = [parent[0]]
        if name == "para":
            self.space()
            if OTHER_PARA.match(style):
                frame[0] = True
                self.frames.append(frame)
        elif name in ("row", "cell", "table"):
            self.space()
        text, children = el.text, list(el)
        tails = [text] + [c.tail for c in children]
        if self.lenient and name == "char" and any(ATTRIBUTES.search(t or "") for t in tails):
            text = ATTRIBUTES.sub("", text or "")  # a converter left `|attributes` as text: cut them
            children = []
        self.add(text, frame)
        for child in children:
            self.element(child, frame)
            self.add(child.tail, frame)
        if name in ("para", "row", "cell", "table"):
            self.space()
        if frame in self.frames:
            self.frames.remove(frame)


def _expected(root, lenient: bool) -> Expected:
    walk = _Walk(lenient)
    walk.element(root, [False])
    out = Expected()
    covered: dict[tuple, _Unit] = {}
    clashing: set[int] = set()
    for unit in walk.units:
        for v in range(unit.start, (unit.end or unit.start) + 1):
            other = covered.setdefault((unit.book, unit.chapter, v), unit)
            if other is not unit:
                clashing.update((id(unit), id(other)))
    for unit in walk.units:
        key = (unit.book, unit.chapter, unit.start)
        end = unit.end if unit.end and unit.end > unit.start else None
        if id(unit) in clashing:
            out.twice.append(key)
        elif implausible(unit.book, unit.chapter, unit.start, end):
            out.out_of_range.append(key)
        else:
            text = norm("".join(unit.pieces))
            if text:
                out.verses[key] = (end, text)
    return out


def expected_verses(usx: Path) -> tuple[Expected, Expected]:
    """The right verses of a USX 2/3 file (see the module docstring): as written, and without what a
    converter added (see _Walk); `problem` set when the file is no XML."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(usx), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        bad = Expected(problem=f"USX not readable: {exc}")
        return bad, bad
    return _expected(root, False), _expected(root, True)


# ---------------------------------------------------------------- what lexres reads


_LOCATED = re.compile(r":\d+\b")


def read_with_lexres(store, path: Path, fmt: str, name: str) -> Outcome:
    """Import `path` with the `fmt` reader (lang eng, --on-error skip) into `store`; its verses, rejects,
    notes, or the error raised."""
    from lexres.errors import LexresError
    from lexres.importer import import_resource
    from lexres.store import bible

    out = Outcome()
    try:
        res = import_resource(store, "bible", [path], lang="eng", format=fmt, name=name, on_error="skip",
                              rejects_path=Path(tempfile.gettempdir()) / f"lexres-conf-{abs(hash(name))}.tsv",
                              force=True)
    except LexresError as exc:
        out.error = str(exc)
        out.located = path.name in out.error and bool(_LOCATED.search(out.error.split(path.name, 1)[1][:12]))
        return out
    except Exception:  # noqa: BLE001 -- a crash is what this bench reports
        out.crash = traceback.format_exc(limit=6)
        return out
    finally:
        stale = Path(tempfile.gettempdir()) / f"lexres-conf-{abs(hash(name))}.tsv"
        for p in (stale, stale.with_name(stale.name + ".manifest.json")):
            p.unlink(missing_ok=True)
    # the same bytes imported before (another case, or the other corpus) come back "unchanged": take the
    # notes that import stored
    out.notes = list(res.notes if res.status != "unchanged" else store.resource(res.resource_id).notes)
    for v in bible.verses(store, res.resource_id):
        out.verses[(v.book, v.chapter, v.verse)] = (v.verse_end, v.text)
    rows = store.conn.execute("SELECT line, reason FROM rejects WHERE resource_id = ? ORDER BY line",
                              (res.resource_id,)).fetchall()
    out.rejects = [(r[0], r[1]) for r in rows]
    return out


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Diff:
    """One verse that is not right: kind wrong | missing | extra."""

    case: str
    reader: str
    ref: str
    kind: str
    want: str
    got: str


def compare(case: str, reader: str, want: Expected, got: dict,
            alt: Expected | None = None) -> tuple[int, int, list[Diff]]:
    """(verses right, of them right only under the `alt` reading, differences) of what a reader got against
    the right verses; units refused by design (want.twice, want.out_of_range) are left out of both."""
    skip = set(want.twice) | set(want.out_of_range)
    right, via_alt, diffs = 0, 0, []
    for key in sorted((set(want.verses) | set(got)) - skip):
        ref = f"{key[0]} {key[1]}:{key[2]}"
        w, g = want.verses.get(key), got.get(key)
        if w == g:
            right += 1
        elif g is not None and alt is not None and alt.verses.get(key) == g:
            right += 1
            via_alt += 1
        elif g is None:
            diffs.append(Diff(case, reader, ref, "missing", _show(w), ""))
        elif w is None:
            diffs.append(Diff(case, reader, ref, "extra", "", _show(g)))
        else:
            diffs.append(Diff(case, reader, ref, "wrong", _show(w), _show(g)))
    return right, via_alt, diffs


def _show(v) -> str:
    end, text = v
    return f"[-{end}] {text}" if end else text


@dataclass
class Tally:
    """Counts of one corpus, per reader where it says so."""

    cases: dict = field(default_factory=lambda: {True: 0, False: 0, None: 0})
    verses: int = 0
    design: int = 0
    design_reported: dict = field(default_factory=lambda: {"usfm": 0, "usx": 0})
    empty: int = 0
    empty_refused: dict = field(default_factory=lambda: {"usfm": 0, "usx": 0})
    right: dict = field(default_factory=lambda: {"usfm": 0, "usx": 0})
    via_alt: dict = field(default_factory=lambda: {"usfm": 0, "usx": 0})
    extra: dict = field(default_factory=lambda: {"usfm": 0, "usx": 0})
    invalid: dict = field(default_factory=dict)  # reader -> outcome class -> count
    diffs: list = field(default_factory=list)
    odd: list = field(default_factory=list)  # (case, what) worth a look: crashes, invalid read wrong ...


EMPTY = "no bible records found"
_NOTE_LINE = re.compile(r"^[^:\s]+:\d+: ")


def classify(outcome: Outcome, want: Expected | None, alt: Expected | None) -> str:
    """What happened to an invalid input: crash | located error | refused: no verse in the file (an import
    that reads nothing is an error naming the file; there is no line to name) | unlocated error | read right
    | noted with its line (read, but what differs from the USX is in a note naming its line) | read,
    nothing to compare (no USX) | wrong."""
    if outcome.crash:
        return "crash"
    if outcome.error is not None and EMPTY in outcome.error:
        return "refused: no verse in the file"
    if outcome.error is not None:
        return "located error" if outcome.located else "unlocated error"
    if outcome.rejects:
        return "located error"  # the default --on-error fail stops at the first reject, naming its line
    if want is None or want.problem:
        return "read, nothing to compare"
    if not compare("", "", want, outcome.verses, alt)[2]:
        return "read right"
    return "noted with its line" if any(_NOTE_LINE.match(n) for n in outcome.notes) else "wrong"


def run_corpus(root: Path, label: str, store) -> Tally:
    """Read every case of one corpus through both readers and tally the results."""
    t = Tally()
    for case in cases(root):
        t.cases[case.valid] += 1
        want, alt = expected_verses(case.usx) if case.usx else (None, None)
        got = {}
        for reader, path in (("usfm", case.usfm), ("usx", case.usx)):
            if path is not None:
                got[reader] = read_with_lexres(store, path, reader, f"{label}/{case.name}/{reader}")
                if got[reader].crash:
                    t.odd.append((case.name, f"{reader} crash: {got[reader].crash}"))
        if case.valid:
            if want is None or want.problem:
                t.odd.append((case.name, want.problem if want else "valid, but no USX to compare"))
                continue
            _valid(t, case, want, alt, got)
        elif case.valid is False:
            for reader, outcome in got.items():
                kind = classify(outcome, want, alt if reader == "usfm" else None)
                t.invalid.setdefault(reader, {}).setdefault(kind, 0)
                t.invalid[reader][kind] += 1
                if kind in ("wrong", "crash", "unlocated error", "read, nothing to compare",
                            "noted with its line", "refused: no verse in the file"):
                    diffs = compare(case.name, reader, want, outcome.verses, alt)[2] if want else []
                    t.odd.append((case.name, f"invalid, {reader}: {kind}"
                                  + (f" ({outcome.error})" if outcome.error else "")
                                  + "".join(f"\n      {d.ref} {d.kind}: want {d.want!r} got {d.got!r}"
                                            for d in diffs[:3])))
    return t


def _valid(t: Tally, case: Case, want: Expected, alt: Expected, got: dict) -> None:
    design = len(want.twice) + len(want.out_of_range)
    t.verses += len(want.verses)
    t.design += design
    if not want.verses and not design:
        t.empty += 1
    for reader, outcome in got.items():
        if not want.verses and not design:
            t.empty_refused[reader] += bool(outcome.error and EMPTY in outcome.error)
            continue
        if outcome.error:
            t.odd.append((case.name, f"{reader}: {outcome.error}"))
        right, via_alt, diffs = compare(case.name, reader, want, outcome.verses,
                                        alt if reader == "usfm" else None)
        t.right[reader] += right
        t.via_alt[reader] += via_alt
        t.extra[reader] += sum(d.kind == "extra" for d in diffs)
        t.diffs.extend(diffs)
        if design and outcome.rejects:
            t.design_reported[reader] += design
        elif design:
            t.odd.append((case.name, f"{reader}: {design} verse units given twice or out of range, "
                          "but no reject"))


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "-"


def report(label: str, t: Tally, show: int) -> None:
    """Print one corpus' table and its first `show` differences."""
    print(f"\n== {label}")
    print(f"cases: {sum(t.cases.values())} (valid {t.cases[True]}, invalid {t.cases[False]}, "
          f"not stated {t.cases[None]})")
    print(f"valid verse units: {t.verses}; besides, {t.design} refused by design (a reference given twice "
          f"or outside its book), located rejects via USFM {t.design_reported['usfm']}, "
          f"via USX {t.design_reported['usx']}")
    print(f"valid cases with no verse: {t.empty} (refused as empty via USFM {t.empty_refused['usfm']}, "
          f"via USX {t.empty_refused['usx']})")
    for reader in ("usfm", "usx"):
        alt = f", {t.via_alt[reader]} right only with the USX converter's additions discounted" \
            if reader == "usfm" else ""
        print(f"  right via {reader.upper():4}: {t.right[reader]:5} = {_pct(t.right[reader], t.verses):>8}"
              f"   (extra verses: {t.extra[reader]}{alt})")
    for reader, kinds in sorted(t.invalid.items()):
        print(f"invalid inputs via {reader.upper()}: "
              + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    if show:
        for d in t.diffs[:show]:
            print(f"  [{d.reader}] {d.case} {d.ref} {d.kind}:\n      want {d.want!r}\n      got  {d.got!r}")
        for name, what in t.odd[:show]:
            print(f"  ! {name}: {what}")


def _corpora(args, tmp: Path) -> Iterator[tuple[str, Path]]:
    for folder in args.folders:
        path = Path(folder)
        if not path.is_dir():
            print(f"skipped: corpus folder {path} does not exist", file=sys.stderr)
            continue
        yield str(path), path
    for repo in args.git_mirror:
        path = Path(repo)
        if not path.is_dir():
            print(f"skipped: git mirror {path} does not exist", file=sys.stderr)
            continue
        try:
            tests = extract_mirror(path, tmp / f"m{len(list(tmp.iterdir()))}")
        except (RuntimeError, OSError, ValueError) as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        if not tests.is_dir():
            print(f"skipped: {path} has no tests/ folder", file=sys.stderr)
            continue
        yield f"{path} (git HEAD)", tests


def main(argv: list[str] | None = None) -> int:
    """Run the bench; returns the exit status (2 when no corpus could be read)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("folders", nargs="*", help="checked-out tests/ folders of a USFM test corpus")
    ap.add_argument("--git-mirror", action="append", default=[], help="a bare/mirror git repo holding tests/")
    ap.add_argument("--show", type=int, default=10, help="differences and odd cases to print per corpus")
    args = ap.parse_args(argv)
    from lexres.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="lexres-conformance-"))
    done = 0
    try:
        with Store.open(tmp / "store.db") as store:
            for n, (label, root) in enumerate(_corpora(args, tmp)):
                report(label, run_corpus(root, f"c{n}", store), args.show)
                done += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not done:
        print("no corpus read: give a tests/ folder or --git-mirror DIR that exists", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
