"""The report's HTML: one self-contained page per language and an index, with inline CSS and a few lines of
inline JavaScript (sortable tables, index filters) so the site works offline with no CDN. Every number that
comes from the store is marked `data-stat` / `data-value`, so tests and scripts can read it back exactly."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path

from lexres import __version__
from lexres.export.report.collect import KINDS, LanguageReport

MISSING_SHOWN = 200  # missing verses listed on a page (all of them are in the page's JSON)
TAGS_SHOWN = 60  # unknown UniMorph tags listed on a page (likewise)


@cache
def asset(name: str) -> str:
    """A page asset (`report.css`, `report.js`) from the package data, inlined into every page."""
    return files("lexres").joinpath(f"data/{name}").read_text(encoding="utf-8")


@dataclass(frozen=True)
class FigureRef:
    """A drawn figure: its section on the page, caption, and the PNG and JSON paths relative to the site."""

    section: str
    caption: str
    png: str
    data: str


def e(value) -> str:
    """`value` as escaped HTML text (quotes too, so it is safe in attributes); None is the empty string."""
    return escape("" if value is None else str(value), quote=True)


def num(value, stat: str | None = None) -> str:
    """A number as shown (thousands separated, shares as percent) and as stored (`data-value`)."""
    if isinstance(value, float) and not value.is_integer():
        shown = f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"
    else:
        shown = f"{int(value):,}"
    attr = f' data-stat="{e(stat)}"' if stat else ""
    return f'<span class="n"{attr} data-value="{e(value)}">{shown}</span>'


def pct(value: float, stat: str | None = None) -> str:
    """A share 0-1 shown as a percent, kept exactly (rounded to 6 places) in `data-value`."""
    attr = f' data-stat="{e(stat)}"' if stat else ""
    return f'<span class="n"{attr} data-value="{round(value, 6)}">{value:.1%}</span>'


def page(title: str, body: str, *, subtitle: str = "") -> str:
    """One self-contained HTML page: the escaped title, `body` and `subtitle` (both HTML, inserted as
    given: escape their text with `e`), the CSS and JavaScript inlined, and a footer naming the lexres
    version."""
    sub = f'<p class="sub">{subtitle}</p>' if subtitle else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{asset('report.css')}</style></head><body>\n<h1>{e(title)}</h1>{sub}\n{body}\n"
        f"<footer>made by lexres {e(__version__)} (`lexres report`); numbers from the store, figures link "
        f"to their data</footer>\n<script>{asset('report.js')}</script></body></html>\n"
    )


def figure(ref: FigureRef) -> str:
    """A `<figure>` showing the PNG of `ref` (linked to itself) with its caption and a link to its JSON
    data; every value escaped."""
    return (
        f'<figure><a href="{e(ref.png)}"><img src="{e(ref.png)}" alt="{e(ref.caption)}"></a>'
        f'<figcaption>{e(ref.caption)} — <a href="{e(ref.data)}">data (JSON)</a></figcaption></figure>'
    )


def table(
    head: list[str],
    rows: list[list[str]],
    *,
    sortable: bool = True,
    numeric: set[int] = frozenset(),
    attrs: str = "",
) -> str:
    """Rows of already-escaped cell HTML; a cell may start with `<td ...>` to carry its own attributes."""
    cls = ' class="sortable"' if sortable else ""
    th = "".join(f"<th{' class=num' if i in numeric else ''}>{e(h)}</th>" for i, h in enumerate(head))
    body = []
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            if c.startswith("<td"):
                cells.append(c)
            else:
                cells.append(f"<td{' class=num' if i in numeric else ''}>{c}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="wide"><table{cls}{attrs}><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
    )


def _where(r) -> str:
    if not r.via:
        return ""
    what = "macrolanguage" if r.via_scope == "macrolanguage" else "individual language"
    return f'<br><span class="via">filed under {what} {e(r.via)}</span>'


def _resources(rep: LanguageReport) -> str:
    rows = []
    for r in rep.resources:
        langs = e(r.variety) + (f" → {e(r.target_variety)}" if r.target_variety else "")
        files = "<br>".join(f'<code title="{e(p)}">{e(Path(p).name)}</code>' for p in r.sources) or "—"
        here = num(r.entries_here, f"resource.{r.id}.entries_here")
        if r.entries_here != r.entries:
            here += f" of {num(r.entries)}"
        origin = (
            "derived from " + ", ".join(f"#{i}" for i in r.parents)
            if r.parents
            else ("made by lexres" if r.derived else "imported")
        )
        rows.append(
            [
                f'<td data-value="{r.id}">#{r.id}</td>',
                e(r.kind),
                e(r.format),
                e(r.name) + _where(r),
                langs,
                f'<td class="num" data-value="{r.entries_here}">{here}</td>',
                e(r.license or "—"),
                e(r.citation or "—"),
                files,
                f'<code title="{e(r.sha256)}">{e(r.sha256[:12])}</code>',
                e(origin),
                f'<span title="{e(r.imported_at)}">{e(r.imported_at[:10])}</span>',
                num(r.n_rejected),
            ]
        )
    head = [
        "id",
        "kind",
        "format",
        "name",
        "language",
        "entries",
        "licence",
        "citation",
        "source",
        "sha256",
        "provenance",
        "imported",
        "rejected",
    ]
    return table(head, rows, numeric={5, 12}) if rows else "<p>No resources.</p>"


def _morph(rep: LanguageReport, figs: list[FigureRef]) -> str:
    m = rep.morph
    if m is None:
        return "<p>No morphology stored for this language.</p>"
    out = ['<dl class="counts">']
    for key, label in (
        ("entries", "entries"),
        ("lemmas", "lemmas"),
        ("forms", "distinct forms"),
        ("bundles", "feature bundles"),
        ("covered", "entries without a form (covered)"),
    ):
        out.append(f"<dt>{label}</dt><dd>{num(getattr(m, key), f'morph.{key}')}</dd>")
    out.append("</dl>")
    out.append("<h3>Parts of speech</h3>")
    out.append(
        table(
            ["POS", "entries", "lemmas"],
            [
                [e(p), num(c, f"morph.pos.{p}.entries"), num(n, f"morph.pos.{p}.lemmas")]
                for p, (c, n) in m.pos.items()
            ],
            numeric={1, 2},
        )
    )
    out.extend(figure(f) for f in figs if f.section == "morph")
    if m.unknown_tags:
        shown = list(m.unknown_tags.items())[:TAGS_SHOWN]
        tags = ", ".join(f"<code>{e(t)}</code> ({num(n, f'morph.unknown.{t}')})" for t, n in shown)
        more = len(m.unknown_tags) - len(shown)
        tail = f" … and {more:,} more (all in the JSON)" if more else ""
        out.append(
            f"<p>{num(len(m.unknown_tags), 'morph.unknown_tags')} tags outside the UniMorph schema "
            f"(entries using each): {tags}{tail}</p>"
        )
    else:
        out.append("<p>Every tag is in the UniMorph schema.</p>")
    return "\n".join(out)


def _bible(rep: LanguageReport, figs: list[FigureRef]) -> str:
    if not rep.bibles:
        return "<p>No Bible translation stored for this language.</p>"
    rows = [
        [
            f"#{b.resource_id}",
            e(b.name),
            e(b.variety),
            e(b.scheme),
            num(b.verses, f"bible.{b.resource_id}.verses"),
            e(" ".join(b.testaments)),
            num(len(b.books), f"bible.{b.resource_id}.books"),
            num(b.covered, f"bible.{b.resource_id}.covered"),
            num(b.expected, f"bible.{b.resource_id}.expected"),
            pct(b.share),
            num(len(b.missing), f"bible.{b.resource_id}.missing"),
        ]
        for b in rep.bibles
    ]
    out = [
        table(
            [
                "id",
                "name",
                "variety",
                "scheme",
                "verses",
                "testaments",
                "books",
                "org verses covered",
                "of",
                "share",
                "gaps in its books",
            ],
            rows,
            numeric={4, 6, 7, 8, 9, 10},
        )
    ]
    out.extend(figure(f) for f in figs if f.section == "bible")
    for b in rep.bibles:
        if b.absent_books:
            n = num(len(b.absent_books), f"bible.{b.resource_id}.absent_books")
            out.append(
                f"<p>#{b.resource_id} {e(b.name)} has no verse of {n} "
                f"{'book' if len(b.absent_books) == 1 else 'books'} of its testaments: "
                f'<span class="missing">{e(" ".join(b.absent_books))}</span></p>'
            )
        if b.missing:
            shown = ", ".join(b.missing[:MISSING_SHOWN])
            more = (
                f" … and {len(b.missing) - MISSING_SHOWN:,} more (all in the JSON)"
                if len(b.missing) > MISSING_SHOWN
                else ""
            )
            out.append(
                f'<h3>Missing verses of #{b.resource_id} {e(b.name)}</h3><p class="missing">{e(shown)}'
                f"{e(more)}</p>"
            )
        if b.extra:
            out.append(
                f"<p>{num(len(b.extra))} {'verse' if len(b.extra) == 1 else 'verses'} of #{b.resource_id} "
                f"{'is' if len(b.extra) == 1 else 'are'} not in the standard verse list: "
                f'<span class="missing">{e(", ".join(b.extra[:50]))}</span></p>'
            )
    return "\n".join(out)


def _lexicons(rep: LanguageReport, figs: list[FigureRef]) -> str:
    if not rep.lexicons:
        return "<p>No lexicon with this language on either side.</p>"
    rows = []
    for s in rep.lexicons:
        arrow = f"{rep.code} → {s.partner}" if s.direction == "from" else f"{s.partner} → {rep.code}"
        key = f"lexicon.{s.resource_id}.{s.direction}.{s.partner}"
        rows.append(
            [
                f"#{s.resource_id}",
                e(s.name),
                e(s.format) + (" (derived)" if s.derived else ""),
                e(arrow),
                num(s.pairs, key + ".pairs"),
                num(s.words, key + ".words"),
                num(s.partner_words, key + ".partner_words"),
            ]
        )
    out = [
        table(
            ["id", "name", "format", "direction", "pairs", f"{rep.code} words", "partner words"],
            rows,
            numeric={4, 5, 6},
        )
    ]
    out.extend(figure(f) for f in figs if f.section == "lexicon")
    if rep.coverage:
        b = rep.bibles[0]
        crow = []
        for c in rep.coverage:
            cv = c.coverage
            worst = ", ".join(f"{w} ({n})" for w, n in cv.top_missing[:8])
            crow.append(
                [
                    e(c.partner),
                    e(", ".join(f"#{i}" for i in c.lexicons)),
                    num(cv.tokens),
                    pct(cv.token_share, f"coverage.{c.partner}.token_share"),
                    pct(cv.type_share, f"coverage.{c.partner}.type_share"),
                    e(worst),
                ]
            )
        out.append(f"<h3>Lexicon coverage of the Bible text (#{b.resource_id} {e(b.name)}, case-folded)</h3>")
        out.append(
            table(
                [
                    "partner",
                    "lexicons",
                    "tokens",
                    "tokens covered",
                    "types covered",
                    "most frequent words not covered",
                ],
                crow,
                numeric={2, 3, 4},
            )
        )
    return "\n".join(out)


def _derived(rep: LanguageReport) -> str:
    if not rep.derived:
        return "<p>No generated data, derived lexicons or models recorded in the store for this language.</p>"
    rows = []
    for d in rep.derived:
        r = d.resource
        parents = (
            ", ".join(
                f"#{p.id} {e(p.kind)} {e(p.name)}" + (" (removed)" if p.missing else "") for p in d.parents
            )
            or "—"
        )
        scores = "<br>".join(f"{e(k)}: {num(v)}" for k, v in d.scores.items()) or "—"
        rows.append(
            [
                f"#{r.id}",
                e(r.kind),
                e(r.format),
                e(r.name),
                num(r.entries_here),
                parents,
                scores,
                e(r.imported_at),
            ]
        )
    return table(
        ["id", "kind", "format", "name", "entries", "made from", "scores", "made"], rows, numeric={4}
    )


def language_page(
    rep: LanguageReport, figs: list[FigureRef], data: str, reported: Collection[str] | None = None
) -> str:
    """The page of one language; `figs` are its figures, `data` the path of its JSON. `reported`: the codes
    that have a page in the site: the macrolanguage and individual languages are linked only when they have
    one, so a page never links to a missing file (None: the macrolanguage is linked, individuals are not)."""

    def code_link(code: str, default: bool) -> str:
        if not (default if reported is None else code in reported):
            return e(code)
        return f'<a href="{e(code)}.html">{e(code)}</a>'

    bits = [f"{e(rep.code)}", e(rep.scope)]
    if rep.macrolanguage:
        bits.append(f"member of macrolanguage {code_link(rep.macrolanguage, True)}")
    if rep.individuals:
        bits.append("individual languages: " + ", ".join(code_link(i, False) for i in rep.individuals))
    scripts = (
        ", ".join(f"{e(s.name)} ({e(s.script)}, {pct(s.share, f'script.{s.script}')})" for s in rep.scripts)
        or "no text stored"
    )
    counts = "".join(
        f"<dt>{e(c.kind)}</dt><dd>{num(c.resources, f'resources.{c.kind}')} "
        f"{'resource' if c.resources == 1 else 'resources'}, {num(c.entries, f'entries.{c.kind}')} "
        f"{'entry' if c.entries == 1 else 'entries'}</dd>"
        for c in rep.counts
        if c.resources
    )
    ready = (
        f'<span class="{"yes" if rep.readiness.ready else "no"}" data-stat="ready" '
        f'data-value="{int(rep.readiness.ready)}">{e(rep.readiness.label)}</span>'
    )
    body = [
        f'<nav><a href="index.html">← all languages</a><a href="{e(data)}">all numbers (JSON)</a></nav>',
        f'<dl class="counts"><dt>scripts used</dt><dd>{scripts}</dd>',
        f"<dt>varieties</dt><dd>{e(', '.join(rep.varieties)) or '—'}</dd>",
        f"<dt>ready for adaptation</dt><dd>{ready}</dd>{counts}</dl>",
        "<h2>Resources</h2>",
        _resources(rep),
        "<h2>Morphology</h2>",
        _morph(rep, figs),
        "<h2>Bible</h2>",
        _bible(rep, figs),
        "<h2>Lexicons</h2>",
        _lexicons(rep, figs),
        "<h2>Generated data, derived lexicons and models</h2>",
        _derived(rep),
    ]
    return page(f"{rep.name} ({rep.code})", "\n".join(body), subtitle="; ".join(bits))


def index_page(reports: list[LanguageReport], figs: list[FigureRef]) -> str:
    """The index: languages x resource kinds, sortable, with filters and a ready-for-adaptation column."""
    rows = []
    for rep in reports:
        kinds = " ".join(c.kind for c in rep.counts if c.resources)
        cells = [
            f'<td data-value="{e(rep.code)}"><a href="{e(rep.code)}.html">{e(rep.code)}</a></td>',
            e(rep.name),
            e(rep.scope),
        ]
        for c in rep.counts:
            shown = (
                f"{num(c.entries, f'{rep.code}.{c.kind}.entries')} <small>({num(c.resources)})</small>"
                if c.resources
                else "—"
            )
            cells.append(f'<td class="num" data-value="{c.entries if c.resources else -1}">{shown}</td>')
        cells.append(e(", ".join(s.script for s in rep.scripts)))
        cls = "yes" if rep.readiness.ready else "no"
        cells.append(
            f'<td data-value="{int(rep.readiness.ready)}" class="{cls}">{e(rep.readiness.label)}</td>'
        )
        search = e(f"{rep.code} {rep.name} {' '.join(rep.individuals)}".lower())
        rows.append(
            (
                f'<tr data-kinds="{e(kinds)}" data-ready="{int(rep.readiness.ready)}" '
                f'data-search="{search}">',
                cells,
            )
        )
    head = ["code", "name", "scope", *KINDS, "scripts", "ready for adaptation"]
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join(
        start + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells) + "</tr>"
        for start, cells in rows
    )
    boxes = "".join(f'<label><input type="checkbox" class="has" value="{k}"> has {k}</label>' for k in KINDS)
    filters = (
        f'<div class="filters"><label>find <input id="q" type="search" placeholder="code or name">'
        f'</label>{boxes}<label><input type="checkbox" id="ready"> ready for adaptation only</label>'
        f' — <span id="shown">{len(reports)}</span> of {len(reports)} shown</div>'
    )
    note = (
        "<p>Each kind shows entries (resources): morphology entries, Bible verses, lexicon pairs (either "
        "side) and, for generated files, their rows; a language's macrolanguage and individual languages "
        "count too. Ready for adaptation: a Bible and a lexicon, or a Bible and an induced lexicon. Click a "
        "column to sort.</p>"
    )
    out = [
        note,
        filters,
        f'<table id="langs" class="sortable"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>',
        '<p><a href="index.json">the numbers (JSON)</a> · <a href="manifest.json">manifest</a></p>',
    ]
    out.extend(figure(f) for f in figs)
    return page(
        "Languages in the store",
        "\n".join(out),
        subtitle=f"{len(reports)} languages; generated by lexres {e(__version__)}",
    )
