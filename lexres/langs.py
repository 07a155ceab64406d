"""Language codes: everything in the store is filed under a validated ISO 639-3 code, with the BCP-47
variety tag (script, region, private-use subtags) kept beside it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lexres.errors import LanguageError
from lexres.records import Result

_SCOPES = {"I": "individual", "M": "macrolanguage", "S": "special", "C": "collective"}
_PRIVATE = re.compile(r"^q[a-t][a-z]$")
# ISO 639-1 codes withdrawn in 1989 (iw, in, ji, jw) and 2008 (mo), which old software still writes:
# refused like retired ISO 639-3 codes, with the current code named.
_WITHDRAWN = {"iw": ("he", "Hebrew", "1989"), "in": ("id", "Indonesian", "1989"),
              "ji": ("yi", "Yiddish", "1989"), "jw": ("jv", "Javanese", "2001"),
              "mo": ("ro", "Romanian (Moldavian)", "2008")}


@dataclass(frozen=True, slots=True)
class Lang:
    """A resolved language: ISO 639-3 `code`, the variety `tag` as kept, and what ISO 639-3 says of it."""

    code: str
    tag: str
    name: str
    scope: str
    macrolanguage: str | None = None
    individuals: tuple[str, ...] = ()
    given: str = ""
    script: str | None = None
    region: str | None = None

    @property
    def private_use(self) -> bool:
        """Whether the code is in the ISO 639-3 private-use range (qaa-qtz)."""
        return self.scope == "private-use"

    @property
    def family(self) -> tuple[str, ...]:
        """The codes a lookup for this language searches, the one rule of every lookup by language (store
        resources, Bibles, lexicons, morphology, substitution tables): the code itself, then its
        macrolanguage for an individual language (`swh` -> swh, swa), or its individual languages for a
        macrolanguage (`swa` -> swa, swc, swh). Sibling members do not serve each other (`swc` does not
        search `swh`); a code with nothing in the store simply matches nothing."""
        if self.macrolanguage:
            return (self.code, self.macrolanguage)
        return (self.code, *self.individuals)

    def describe(self) -> str:
        """One human-readable line: code, name, scope, variety, the text given, macrolanguage links."""
        bits = [f"{self.code} ({self.name}, {self.scope})"]
        if self.tag != self.code:
            bits.append(f"variety {self.tag}")
        if self.given and self.given.lower() not in (self.code, self.tag.lower()):
            bits.append(f"from `{self.given}`")
        if self.macrolanguage:
            bits.append(f"member of macrolanguage {self.macrolanguage}")
        if self.individuals:
            bits.append("individual languages: " + ", ".join(self.individuals))
        return "; ".join(bits)


@dataclass(frozen=True, slots=True)
class FoundUnder(Result):
    """A lookup for `query` (the code as given; ISO 639-3 `code`) answered from resources filed under another
    code of its family (`Lang.family`): `filed` is its macrolanguage (`relation` `macrolanguage`) or one of
    its individual languages (`relation` `member`). `note` is the line commands print."""

    query: str
    code: str
    filed: str
    relation: str

    @property
    def note(self) -> str:
        """`swa: found under swh (a member of the macrolanguage swa)` or `swh: found under swa (the
        macrolanguage of swh)`."""
        if self.relation == "member":
            return f"{self.query}: found under {self.filed} (a member of the macrolanguage {self.code})"
        return f"{self.query}: found under {self.filed} (the macrolanguage of {self.code})"

    def to_dict(self) -> dict:
        """The fields and the note, for --json output."""
        return {"query": self.query, "code": self.code, "filed": self.filed, "relation": self.relation,
                "note": self.note}


def found_under(query: str | Lang, filed: Iterable[str]) -> tuple[FoundUnder, ...]:
    """Of the codes a lookup's results are filed under (`filed`), those other than the query's own code
    that its family (`Lang.family`) searched, in family order, each with how it relates to the query; codes
    outside the family are ignored (a CLDF wordlist is filed under many languages). Empty when everything
    came from the query's own code. Raises LanguageError for a query that is not a language code."""
    lang = query if isinstance(query, Lang) else resolve(query)
    shown = lang.given or lang.code
    seen = set(filed)
    return tuple(FoundUnder(shown, lang.code, code,
                            "macrolanguage" if code == lang.macrolanguage else "member")
                 for code in lang.family[1:] if code in seen)


@lru_cache(maxsize=1)
def _members() -> dict[str, tuple[str, ...]]:
    from iso639 import ALL_LANGUAGES

    out: dict[str, list[str]] = {}
    for lang in ALL_LANGUAGES:
        if lang.macrolanguage and lang.status == "A":
            out.setdefault(lang.macrolanguage, []).append(lang.part3)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _lookup(sub: str, given: str):
    from iso639 import Language, LanguageNotFoundError

    try:
        if len(sub) == 2:
            return Language.from_part1(sub)
        for attempt in (Language.from_part3, Language.from_part2b, Language.from_part2t):
            try:
                return attempt(sub)
            except LanguageNotFoundError:
                continue
    except LanguageNotFoundError:
        pass
    raise LanguageError(f"`{given}` is not an ISO 639 language code")


def _split_tag(tag: str) -> tuple[str, str | None, str | None, list[str]]:
    parts = [p for p in tag.replace("_", "-").split("-")]
    if not parts or not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        raise LanguageError(f"`{tag}` is not a language code or BCP-47 tag")
    lang, script, region, rest = parts[0].lower(), None, None, []
    i = 1
    if i < len(parts) and len(parts[i]) == 4 and parts[i].isalpha():
        script = parts[i].title()
        i += 1
    if i < len(parts) and (
        (len(parts[i]) == 2 and parts[i].isalpha()) or (len(parts[i]) == 3 and parts[i].isdigit())
    ):
        region = parts[i].upper()
        i += 1
    rest = [p.lower() for p in parts[i:] if p]
    return lang, script, region, rest


def _check_bcp47(tag: str) -> None:
    """Refuse a tag that is not well-formed BCP-47 (`uz-Latn-!!`), checked with langcodes.

    Raises LanguageError."""
    import langcodes

    try:
        ok = langcodes.tag_is_valid(tag.replace("_", "-"))
    except Exception:  # langcodes may choke on odd input: then the tag is not valid either
        ok = False
    if not ok:
        raise LanguageError(f"`{tag}` is not a well-formed language code or BCP-47 tag",
                            hint="e.g. `sw`, `swh`, `uz-Latn`, `qaa-x-mytag`")


@lru_cache(maxsize=4096)
def resolve(given: str) -> Lang:
    """Validate a code or tag (`sw`, `swh`, `ger`, `ckb-Arab`, `qaa-x-spec`) and return its Lang.
    Retired codes are refused with their replacement named; collective codes are refused (LanguageError for
    both, and for an empty, malformed or unknown code)."""
    if not given or not given.strip():
        raise LanguageError("empty language code")
    _check_bcp47(given.strip())
    sub, script, region, rest = _split_tag(given.strip())
    if sub in _WITHDRAWN:
        new, name, year = _WITHDRAWN[sub]
        raise LanguageError(f"`{given}` ({name}) was withdrawn from ISO 639 in {year} (replaced by `{new}`)",
                            hint=f"use `{new}` (or its ISO 639-3 code) instead")
    if _PRIVATE.match(sub):
        code, name, scope, macro = sub, f"private use ({sub})", "private-use", None
    else:
        lang = _lookup(sub, given)
        if lang.status == "R":
            if lang.retire_change_to:
                why, hint = f"replaced by `{lang.retire_change_to}`", f"use `{lang.retire_change_to}` instead"
            else:  # split or removed codes: ISO gives a remedy in words
                why = lang.retire_remedy or "no single replacement"
                hint = "pick the right current code from the ISO 639-3 change request"
            raise LanguageError(
                f"`{given}` ({lang.name}) was retired from ISO 639-3 on {lang.retire_date} ({why})", hint=hint
            )
        if not lang.part3:
            raise LanguageError(f"`{given}` ({lang.name}) is a collective code with no ISO 639-3 code")
        code, name, scope, macro = (
            lang.part3,
            lang.name,
            _SCOPES.get(lang.scope, lang.scope),
            lang.macrolanguage,
        )
    tag = "-".join([code] + ([script] if script else []) + ([region] if region else []) + rest)
    individuals = _members().get(code, ()) if scope == "macrolanguage" else ()
    return Lang(
        code=code,
        tag=tag,
        name=name,
        scope=scope,
        macrolanguage=macro or None,
        individuals=individuals,
        given=given,
        script=script,
        region=region,
    )


def display_name(tag: str) -> str:
    """Human name of a variety tag, e.g. `ckb-Arab` -> `Central Kurdish (Arabic)`."""
    try:
        import langcodes

        return langcodes.Language.get(tag).display_name()
    except Exception:  # langcodes cannot name private-use or unusual tags; fall back to ISO name
        return resolve(tag).name


# Words of dataset file names that are ISO 639-3 codes but name a split, a role or a folder there (`kat.dev`
# is Georgian, `dev.tsv` is not Domung; `src/` is not Logudorese Sardinian): never taken as a language.
FILE_NAME_WORDS = frozenset({"dev", "trn", "tst", "low", "med", "src", "tgt", "all", "inp", "out", "new",
                             "old", "raw", "bin", "lib", "doc", "etc", "opt", "var"})


def guess_langs(path: Path) -> tuple[str | None, str | None]:
    """Language(s) from a file name: `sw-en.train` -> (swa, eng), `gle` -> (gle, None); the part before the
    first dot is split at `-`, `_` and spaces and its first codes that resolve are taken (lower-case ISO
    639-1/639-3 codes of the language table; split words such as `dev` or `tst`, FILE_NAME_WORDS, are not
    languages). The one name rule of catalogue folder scans and of morphology imports."""
    stem = Path(path).name.split(".")[0]
    found: list[str] = []
    for token in re.split(r"[-_ ]+", stem):
        if 2 <= len(token) <= 3 and token.isalpha() and token.islower() and token not in FILE_NAME_WORDS:
            try:
                found.append(resolve(token).tag)
            except LanguageError:
                continue
        elif found:
            break
    return (found[0] if found else None), (found[1] if len(found) > 1 else None)


def lang_from_path(path: Path) -> tuple[Lang, str] | None:
    """The language a single-language file's path names, and where: the file name (`kat.trn`,
    `kat-train-high`, `kat.covered.tst`, `unimorph/san/san`; by `guess_langs`), else a parent folder named
    by exactly one code (`san/forms.tsv`). None when neither names one: nothing is guessed from other
    words."""
    path = Path(path)
    first, _ = guess_langs(path)
    if first is not None:
        return resolve(first), f"the file name `{path.name}`"
    folder = path.parent.name
    if re.fullmatch(r"[a-z]{2,3}", folder):
        code, _ = guess_langs(Path(folder))
        if code is not None:
            return resolve(code), f"the folder name `{folder}`"
    return None
