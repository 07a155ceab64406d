"""UniMorph feature bundles: parse `N;GEN(SG;DEF)` into structured tags, check them against the
UniMorph schema (dimension -> tags, a data file built from the published inventory) and put them in
one canonical order (dimension order of the schema, part of speech first).

Flat bundles (`V;PST;3;SG`) and UniMorph-4 layered ones (`V;IND;NOM(1,SG)`) share one model: a
bundle is a tuple of `Tag`s; a layered tag carries its arguments as nested tags. As text, a layered
tag stays one top-level feature (`NOM(1,SG)`), so `MorphEntry.features` is always a flat tuple."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from lexres.errors import ParseError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+/_\-]*\Z")
_SPACE_NEAR_JOIN = re.compile(r"\s*([+/;,()])\s*")
# Tags outside the 3.0 inventory that the published tables use systematically; they are still reported
# as unknown, but get a dimension so that canonical order puts them in a sensible place.
_PATTERN_DIMS = (
    (re.compile(r"BANTU\d+[A-Z]?\Z"), "Gender and Noun Class"),
    (re.compile(r"ARG[A-Z]{2}\d[SPD][A-Z]*\Z"), "Argument Marking"),
    (re.compile(r"PSS[A-Z]*\d*[A-Z]*\Z"), "Possession"),
)
LGSPEC = re.compile(r"LGSPEC\d*\Z")
_COMPOUND = re.compile(r"[+/]")
_SEPARATOR = re.compile(r"[;,()]")
_WHITESPACE = re.compile(r"\s")


def _parts(name: str) -> tuple[str, ...]:
    """The simple tags of a compound name (`PST+RMT` -> PST, RMT); most names are not compound."""
    if "+" not in name and "/" not in name:
        return (name,) if name else ()
    return tuple(p for p in _COMPOUND.split(name) if p)


@dataclass(frozen=True, slots=True)
class Tag:
    """One feature. `name` may be compound (`PST+RMT`, `DU/PL`); `args` holds the features of a
    layered tag (`NOM(1,SG)` -> name NOM, args (1, SG)), `sep` the separator used between them."""

    name: str
    args: tuple[Tag, ...] = ()
    sep: str = ""

    def __str__(self) -> str:
        if not self.sep:
            return self.name
        return f"{self.name}({self.sep.join(str(a) for a in self.args)})"

    def atoms(self) -> tuple[str, ...]:
        """Every simple tag in this one, compounds split (`PST+RMT` -> PST, RMT), arguments included."""
        out = _parts(self.name)
        for a in self.args:
            out += a.atoms()
        return out


@dataclass(frozen=True, slots=True)
class Bundle:
    """A parsed feature bundle: the tags, their text as given and in canonical order, unknown atoms;
    `tidied` when the text needed spaces or a trailing `;` removed to parse."""

    tags: tuple[Tag, ...]
    given: tuple[str, ...]
    canonical: tuple[str, ...]
    unknown: tuple[str, ...]
    tidied: bool = False
    recognised: int = 0  # atoms with a known dimension (schema tags or language-specific families)


class Schema:
    """The UniMorph dimensions and their tags, in canonical order (from `data/unimorph_schema.tsv`)."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.dimensions: list[str] = []
        self.tags: dict[str, str] = {}
        self._rank: dict[str, tuple[int, int]] = {}
        for dim, tag in rows:
            if dim not in self.dimensions:
                self.dimensions.append(dim)
            self.tags[tag] = dim
            self._rank[tag] = (self.dimensions.index(dim), len(self._rank))
        self._dim_rank = {d: i for i, d in enumerate(self.dimensions)}
        self._dims: dict[str, str | None] = {}  # memo: a table uses a few hundred distinct names
        self._keys: dict[Tag, tuple] = {}

    @classmethod
    def load(cls) -> Schema:
        """Read the schema from the packaged `data/unimorph_schema.tsv` (a header row, then
        `dimension<TAB>tag` rows in the canonical order of the UniMorph schema)."""
        text = files("lexres.loaders").joinpath("data/unimorph_schema.tsv").read_text(encoding="utf-8")
        rows = [tuple(line.split("\t")) for line in text.splitlines()[1:] if line.strip()]
        return cls(rows)  # type: ignore[arg-type]

    def is_known(self, atom: str) -> bool:
        """True when `atom` is exactly one of the UniMorph schema's tags (case-sensitive);
        language-specific `LGSPEC` tags and other names the schema does not list are not."""
        return atom in self.tags

    def dimension(self, name: str) -> str | None:
        """Dimension of a tag name: schema first, then the first part of a compound, then patterns."""
        if name in self.tags:
            return self.tags[name]
        if name in self._dims:
            return self._dims[name]
        if len(self._dims) > 50_000:  # words mistaken for tags while sniffing must not pile up
            self._dims.clear()
        dim = self._dims[name] = self._dimension(name)
        return dim

    def _dimension(self, name: str) -> str | None:
        head = _COMPOUND.split(name, maxsplit=1)[0]
        if head in self.tags:
            return self.tags[head]
        for pattern, dim in _PATTERN_DIMS:
            if pattern.match(head):
                return dim
        if LGSPEC.match(head):
            return "Language-Specific"
        return None

    def sort_key(self, tag: Tag) -> tuple:
        """The key that puts a tag in canonical UniMorph order: by schema dimension (tags of no known
        dimension after them, language-specific ones last), then by the tag's place in the schema, then
        by name (memoised)."""
        key = self._keys.get(tag)
        if key is None:
            if len(self._keys) > 50_000:
                self._keys.clear()
            key = self._keys[tag] = self._sort_key(tag)
        return key

    def _sort_key(self, tag: Tag) -> tuple:
        dim = self.dimension(tag.name)
        n = len(self.dimensions)
        if dim == "Language-Specific":
            drank = n + 1
        else:
            drank = self._dim_rank.get(dim, n) if dim else n
        head = _COMPOUND.split(tag.name, maxsplit=1)[0]
        vrank = self._rank.get(tag.name, self._rank.get(head, (0, 1 << 30)))[1]
        return (drank, vrank, tag.name, str(tag))


@lru_cache(maxsize=1)
def schema() -> Schema:
    """The UniMorph schema, loaded once from the package data and shared (cached)."""
    return Schema.load()


def _fail(text: str, why: str):
    shown = text if len(text) <= 80 else text[:77] + "..."
    raise ParseError(None, None, f"bad feature bundle `{shown}`: {why}")


MAX_DEPTH = 8  # layered bundles nest two or three deep; far deeper is not a bundle (and would overflow)


def _parse_list(text: str, pos: int, closing: bool, whole: str,
                depth: int = 0) -> tuple[list[Tag], int, str]:
    """Parse tags separated by `;` (or `,` inside parentheses) from `pos`; returns tags, end, sep.
    Parentheses nested deeper than MAX_DEPTH are refused (ParseError), never a RecursionError."""
    if depth > MAX_DEPTH:
        _fail(whole, f"parentheses nested more than {MAX_DEPTH} deep")
    tags: list[Tag] = []
    sep = ""
    start = pos
    n = len(text)
    find = _SEPARATOR.search
    while True:
        m = find(text, pos)
        pos = m.start() if m else n
        name = text[start:pos]
        if pos < n and text[pos] == "(":
            args, pos, inner = _parse_list(text, pos + 1, True, whole, depth + 1)
            if not name:
                _fail(whole, "`(` without a tag before it")
            tag = Tag(name, tuple(args), inner or ";")
            pos += 1  # past ")"
            if pos < n and text[pos] not in ";,)":
                _fail(whole, f"text after `)` at column {pos + 1}")
        else:
            tag = Tag(name)
        if not name:
            _fail(whole, "empty tag (doubled or trailing separator)")
        if not _NAME.match(name):
            _fail(whole, f"`{name}` is not a tag (tags are ASCII letters, digits and . + / _ -)")
        tags.append(tag)
        if pos >= n:
            if closing:
                _fail(whole, "unbalanced `(`")
            return tags, pos, sep
        ch = text[pos]
        if ch == ")":
            if not closing:
                _fail(whole, "unbalanced `)`")
            return tags, pos, sep
        if ch == "," and not closing:
            _fail(whole, "`,` outside parentheses")
        sep = sep or ch
        pos += 1
        start = pos


def parse_tags(text: str) -> tuple[Tag, ...]:
    """Structured tags of a bundle; raises ParseError (without file/line) when it is malformed."""
    whole = text
    text = text.strip()
    if _WHITESPACE.search(text):  # rare; the substitution is slow even when it changes nothing
        text = _SPACE_NEAR_JOIN.sub(r"\1", text)
    if text.endswith(";") and not text.endswith(";;"):  # `V;SG;` occurs in published files
        text = text[:-1]
    if not text:
        _fail(whole, "no features")
    tags, _, _ = _parse_list(text, 0, False, whole)
    return tuple(tags)


def _canon(tags: tuple[Tag, ...], sch: Schema) -> tuple[Tag, ...]:
    out = []
    for t in tags:
        out.append(Tag(t.name, _canon(t.args, sch), t.sep) if t.args else t)
    return tuple(sorted(out, key=sch.sort_key))


def _glued(given: tuple[str, ...]) -> str | None:
    """A run of two tags that occurs twice means two bundles written into one field (a lost newline);
    single repeats are legitimate (Quechua `N;PSS3S;BEN;PSS3S;SG`)."""
    seen = set()
    for pair in zip(given, given[1:], strict=False):
        if pair in seen:
            return ";".join(pair)
        seen.add(pair)
    return None


@lru_cache(maxsize=1 << 16)
def analyze(text: str) -> Bundle:
    """Parse, check and canonicalise one bundle (cached: tables repeat a few thousand bundles)."""
    tags = parse_tags(text)
    given = tuple(str(t) for t in tags)
    glued = _glued(given)
    if glued:
        _fail(text, f"the tags `{glued}` occur twice: two records run together?")
    sch = schema()
    atoms = [a for t in tags for a in t.atoms()]
    unknown = tuple(dict.fromkeys(a for a in atoms if not sch.is_known(a)))
    recognised = sum(1 for a in atoms if sch.dimension(a) is not None)
    return Bundle(tags, given, tuple(str(t) for t in _canon(tags, sch)), unknown, ";".join(given) != text,
                  recognised)


def canonical_of(features: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The tags of a feature bundle in canonical UniMorph order (schema dimension order), so bundles
    written in different orders compare equal. Raises ParseError (without file or line) for a malformed
    bundle."""
    return analyze(";".join(features)).canonical


# A character no bundle can hold (tags are ASCII; only separators and whitespace may sit between them):
# a word with one of these is refused without parsing, which is what keeps format sniffing cheap.
_NOT_BUNDLE = re.compile(r"[^A-Za-z0-9.+/_\-;,()\s]")


# Bundles nested at most two deep, one separator kind per parenthesis, no spaces and no trailing `;`:
# for these the text of each top-level tag is exactly what `str(Tag)` gives back.
_N = r"[A-Za-z0-9][A-Za-z0-9.+/_\-]*"
_ONE = rf"{_N}(?:\({_N}(?:;{_N})*\)|\({_N}(?:,{_N})*\))?"
_TWO = rf"{_N}(?:\({_ONE}(?:;{_ONE})*\)|\({_ONE}(?:,{_ONE})*\))?"
_TIDY_BUNDLE = re.compile(rf"{_TWO}(?:;{_TWO})*")
_TOP_TAG = re.compile(_TWO)


@lru_cache(maxsize=1 << 14)
def looks_like_bundle(text: str) -> bool:
    """True when `text` parses as a bundle and at least half of its atoms are recognised tags
    (schema tags or the systematic language-specific families): used to find the features column."""
    if not text or _NOT_BUNDLE.search(text):
        return False
    # the checks of `analyze` that can refuse a bundle, without its canonical ordering (sniffing sees
    # hundreds of distinct bundles once each); a tidy bundle is checked by one regex, not the parser
    if _TIDY_BUNDLE.fullmatch(text):
        given = tuple(_TOP_TAG.findall(text))
        atoms = [a for name in _SEPARATOR.split(text) if name for a in _parts(name)]
    else:
        try:
            tags = parse_tags(text)
        except ParseError:
            return False
        given = tuple(str(t) for t in tags)
        atoms = [a for t in tags for a in t.atoms()]
    if _glued(given):
        return False
    sch = schema()
    recognised = sum(1 for a in atoms if sch.dimension(a) is not None)
    return recognised * 2 >= len(atoms)
