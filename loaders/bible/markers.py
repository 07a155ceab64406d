"""USFM markers (and the USX/USFX styles named after them) sorted by what their text is: verse text or not.

The rule every Bible reader follows (USFM, USX 2 and 3, USFX):
- Headings, titles and labels are never verse text: `\\s#`, `\\ms#`, `\\mr`, `\\mt#`, `\\r`, `\\sr`, `\\sp`
  (speaker), `\\qa` (acrostic heading), `\\cl`, `\\cd`, `\\cp`, `\\sd`, book metadata and introductions.
- `\\d` (Hebrew title, psalm superscription) is a title: its text is left out, unless a verse starts inside
  its paragraph (`\\d \\v 1 …`, the way translations numbered like the Hebrew mark the title as verse 1),
  which then holds it. This follows the eBible vref corpora, whose lines hold only text inside a verse: in
  an English-numbered Bible PSA 3:1 is the first line of the psalm, and its title belongs to no line.
- A verse that starts inside any of these paragraphs (`\\d \\v 1 …`, or a `\\v` left under `\\s5` or `\\lit`
  where a `\\p` was forgotten) ends it: the text after the verse marker is that verse's text, since text
  after a verse marker is never a heading. The text before the marker stays out.
- `\\qd` (Hebrew note closing a psalm, HAB 3:19) and `\\qc`, `\\qr`, `\\qm#` are poetry of the verse.
- Sidebars (`\\esb … \\esbe`) are never verse text; footnotes, cross-references, alternate and published
  verse and chapter numbers, figures and categories are left out.
- Milestones carry no text: `\\qt-s |who="…"\\*`, `\\ts-e\\*`, and standalone ones such as `\\ts\\*`,
  `\\zms\\*` (USFM 3: a marker closed by `\\*`); their attributes are never verse text. `\\vid|MRK 5:1\\*`
  (USX `<ms style="vid" ref="MRK 5:1"/>`, USFM 3.1) sets the current reference like `\\c 5` (and `\\v 1`).
- `//` (USX `<optbreak/>`, USFX `<optionalLineBreak/>`) is a discretionary line break, not a character: it
  adds nothing to the text (spaces written around it stay).
- Verse parts that continue each other in consecutive verse units (`\\v 2-6a … \\v 6b-11`, `\\v 4a …
  \\v 4b`) are one unit, the range they cover together (2-11, 4): verse 6 is split between them and
  cannot be filed under either alone.
- Table cells (`\\th#`, `\\thr#`, `\\tc#`, `\\tcr#`, `\\tcc#`, with column spans such as `\\tcr1-2`) and
  rows (`\\tr`) are joined by one space, as in eBible's plain text; no marker text stays behind.
- A marker that is none of these is unknown: its text is kept as verse text (it may be a project's own
  character style, and dropping it could lose scripture; USFM 3 lets a processor ignore the markup of a
  `\\z…` extension), its `|attributes` are cut as a character style's are, and a note names the marker and
  its first line.
"""
from __future__ import annotations

import re

NOTES = frozenset({"f", "fe", "ef", "x", "ex"})
# Paragraph markers whose whole paragraph is not verse text (headings, titles, intro, book metadata).
SKIP_PARA = frozenset({
    "id", "ide", "h", "toc", "toca", "mt", "mte", "ms", "mr", "s", "sr", "r", "d", "sp", "sd", "qa", "rem",
    "usfm", "cl", "cd", "sts", "restore", "imt", "is", "ip", "ipi", "im", "imi", "ipq", "imq", "ipr", "iq",
    "ib", "ili", "iot", "io", "iex", "imte", "ie", "periph", "lit", "cp", "ipc",
    # section-ending headings of the USFM 3.1 stylesheet (usfm3_1.sty, TextType Section)
    "mse", "ms2e", "ms3e", "s1e", "s2e", "s3e", "s4e"})
# Paragraph markers that start verse-text paragraphs (they end a skipped heading paragraph).
TEXT_PARA = frozenset({
    "p", "m", "po", "pr", "cls", "pmo", "pm", "pmc", "pmr", "pi", "mi", "nb", "pc", "ph", "phi", "ps", "psi",
    "b", "q", "qr", "qc", "qm", "qd", "lh", "li", "lf", "lim", "tr", "pb"})
# Table cells: each one is a word boundary.
CELLS = frozenset({"th", "thr", "thc", "tc", "tcr", "tcc"})
# Character spans whose content is not verse text.
SKIP_CHAR = frozenset({"va", "vp", "ca", "fig", "rq", "cat", "fm"})
# Character styles whose content is verse text (note-only styles included: inside a note they are dropped
# with the note).
CHAR = frozenset({
    "add", "bk", "dc", "k", "nd", "ord", "pn", "png", "addpn", "qt", "sig", "sls", "tl", "wj", "em", "bd",
    "it", "bdit", "no", "sc", "sup", "w", "wg", "wh", "wa", "rb", "pro", "lik", "liv", "litl", "jmp", "ior",
    "iqt", "ndx", "qs", "qac", "xt", "ref", "fr", "ft", "fk", "fq", "fqa", "fl", "fw", "fp", "fv", "fdc",
    "xo", "xk", "xq", "xta", "xop", "xot", "xnt", "xdc", "ta", "wl", "wr", "fs", "xtSee", "xtSeeAlso"})
SIDEBAR = "esb"
SIDEBAR_END = "esbe"
STRUCTURE = frozenset({"c", "v", "id"})
KNOWN = NOTES | SKIP_PARA | TEXT_PARA | CELLS | SKIP_CHAR | CHAR | STRUCTURE | {SIDEBAR, SIDEBAR_END}

_NUMBERED = re.compile(r"[0-9]+(?:-[0-9]+)?$")


def base(name: str) -> str:
    """A marker's name without `+`, `*`, its level or column number and column span: `+w*` -> `w`,
    `s2` -> `s`, `tcr1-2` -> `tcr`."""
    name = name.lstrip("+").rstrip("*")
    return _NUMBERED.sub("", name) or name
