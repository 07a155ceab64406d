"""The contract every reader in `lexres.formats.readers()` keeps, checked reader by reader:

- sniffing is total: any bytes give a score in 0..1, never an exception (hypothesis);
- an explicit format wins over sniffing;
- bad bytes (cut files, flipped bits, invalid UTF-8, NULs, UTF-16) give a located reject or a LexresError,
  never another exception, and under skip read = stored + rejected;
- LF, CRLF, CR alone and a BOM give the same records (line-based readers);
- XML readers never expand an external entity.

Bounded: ~15 hypothesis examples per reader, a handful of mutations per fixture."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexres import formats
from lexres.errors import LexresError
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.records import Reject
from lexres.store import Store

FIX = Path(__file__).resolve().parent.parent / "fixtures"

# reader -> (fixture, import keywords with the `extra` files to copy beside it), from the table the fuzzer
# shares (tests/fixtures/reader_samples.json)
SAMPLES: dict[tuple[str, str], tuple[str, dict]] = {
    tuple(key.split("/")): (s["file"], {**s["import"], "extra": s.get("extra", [])})
    for key, s in json.loads((FIX / "reader_samples.json").read_text(encoding="utf-8"))["readers"].items()
}
XML = {"ces", "osis", "usfx", "usx", "zefania", "lift", "tei"}
NOT_LINE_BASED = XML | {"cldf"}
READERS = formats.readers()
IDS = [f"{r.kind}-{r.name}" for r in READERS]


def _sample(reader):
    got = SAMPLES.get((reader.kind, reader.name))
    if got is None:
        pytest.skip(f"no sample file for the {reader.kind} reader `{reader.name}`: add one to "
                    "tests/fixtures/reader_samples.json")
    return got


def _place(reader, folder: Path, data: bytes | None = None, name: str | None = None) -> tuple[Path, dict]:
    """Copy the reader's sample (or `data` in its place) and the files it needs into `folder`."""
    rel, kw = _sample(reader)
    kw = dict(kw)
    folder.mkdir(parents=True, exist_ok=True)
    for extra in kw.pop("extra", []):
        shutil.copy(FIX / extra, folder / Path(extra).name)
    if "vref" in kw.get("options", {}):
        kw["options"] = {**kw["options"], "vref": str(folder / kw["options"]["vref"])}
    path = folder / (name or Path(rel).name)
    path.write_bytes((FIX / rel).read_bytes() if data is None else data)
    return path, kw


def _import(folder: Path, reader, path: Path, kw: dict, **more):
    with Store.open(folder / "s.db") as store:
        return import_resource(store, reader.kind, [path], format=reader.name, **kw, **more)


def _records(reader, path: Path, kw: dict) -> list:
    ctx = formats.ReadContext(lang=resolve(kw["lang"]) if kw.get("lang") else None,
                              target_lang=resolve(kw["target_lang"]) if kw.get("target_lang") else None,
                              options=reader.check_options(kw.get("options")),
                              force_lang=bool(kw.get("force_lang")))
    out = []
    for rec in reader.read([path], ctx):
        out.append(dataclasses.replace(rec, path=None))
    return out


@pytest.mark.parametrize("reader", READERS, ids=IDS)
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(head=st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"<", b"{", b"\t\t\n", b"(" * 3000, b"<?xml version='1.0'?><TEI",
                     b"\xff\xfe<\x00x\x00", b"a\tb\tN;" + b"NOM(" * 500]),
))
def test_sniff_is_total(reader, head):
    sniff = reader.sniff
    if sniff is None:
        return
    for name in ("data.txt", "x.xml", "a.tsv", "cldf-metadata.json"):
        score = float(sniff(head, Path(name)))
        assert 0.0 <= score <= 1.0


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_explicit_format_wins(reader, tmp_path):
    assert formats.get(reader.kind, reader.name) is reader
    rel, _ = _sample(reader)
    if reader.name == "cldf":  # the metadata file names the dataset; its name is not the point
        path, kw = _place(reader, tmp_path)
    else:  # a name that gives a sniffer no hint
        path, kw = _place(reader, tmp_path, name="data.bin")
    res = _import(tmp_path, reader, path, kw, on_error="skip", rejects_path=tmp_path / "rejects.tsv")
    assert res.format == reader.name and res.n_stored > 0


def _mutations(data: bytes) -> dict[str, bytes]:
    mid = len(data) // 2
    flipped = bytearray(data)
    for i in range(7, len(flipped), max(1, len(flipped) // 9)):
        flipped[i] ^= 0x80
    return {
        "truncated": data[:mid],
        "bit-flips": bytes(flipped),
        "bad-utf8": data[:mid] + b"\xff\xfe\xc3" + data[mid:],
        "nul": data[:mid] + b"\x00\x00" + data[mid:],
        "utf16": data.decode("utf-8", "replace").encode("utf-16-le"),
        "deep": data[:mid] + b"(" * 5000 + b"<a>" * 300 + b"[" * 5000 + data[mid:],
        "empty": b"",
    }


@pytest.mark.parametrize("reader", READERS, ids=IDS)
def test_bad_bytes_give_rejects_or_lexres_errors(reader, tmp_path):
    rel, _ = _sample(reader)
    original = (FIX / rel).read_bytes()
    for what, data in _mutations(original).items():
        for mode in ("fail", "skip"):
            folder = tmp_path / f"{what}-{mode}"
            if reader.name == "cldf":  # mutate the form table, keep the metadata readable
                path, kw = _place(reader, folder)
                (folder / "forms.csv").write_bytes(_mutations((folder / "forms.csv").read_bytes())[what])
            else:
                path, kw = _place(reader, folder, data)
            try:
                res = _import(folder, reader, path, kw, on_error=mode, rejects_path=folder / "rejects.tsv")
            except LexresError as exc:
                assert str(exc), (what, mode)
                continue
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{reader.kind}/{reader.name} on {what} ({mode}): {type(exc).__name__}: {exc}")
            assert res.n_read == res.n_stored + res.n_rejected, (what, mode)
            with Store.open(folder / "s.db") as store:
                assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("reader", [r for r in READERS if r.name not in NOT_LINE_BASED],
                         ids=[i for r, i in zip(READERS, IDS, strict=True) if r.name not in NOT_LINE_BASED])
def test_line_ends_give_the_same_records(reader, tmp_path):
    rel, _ = _sample(reader)
    text = (FIX / rel).read_bytes().removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    variants = {
        "lf": text,
        "crlf": text.replace(b"\n", b"\r\n"),
        "cr": text.replace(b"\n", b"\r"),
        "bom": b"\xef\xbb\xbf" + text,
        "bom-cr": b"\xef\xbb\xbf" + text.replace(b"\n", b"\r"),
    }
    got = {}
    for name, data in variants.items():
        path, kw = _place(reader, tmp_path / name, data)
        got[name] = _records(reader, path, kw)
    assert got["lf"] and not any(isinstance(r, Reject) for r in got["lf"])
    for name, recs in got.items():
        assert recs == got["lf"], name


SECRET = "TOP-SECRET-CONTENT-9f2c"


@pytest.mark.parametrize("reader", [r for r in READERS if r.name in XML],
                         ids=[i for r, i in zip(READERS, IDS, strict=True) if r.name in XML])
def test_xml_readers_are_inert_to_external_entities(reader, tmp_path):
    rel, _ = _sample(reader)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    text = (FIX / rel).read_text(encoding="utf-8")
    decl, sep, body = text.partition("?>") if text.startswith("<?xml") else ("", "", text)
    body = _strip_doctype(body)
    root = body.lstrip().split(None, 1)[0].lstrip("<").rstrip(">")
    doctype = (f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
               f'<!ENTITY % pe SYSTEM "{secret.as_uri()}"> %pe;]>')
    # the entity is referenced in the text of the first element that has text
    body = body.replace(">", ">&xxe;", 3) if ">" in body else body
    data = (decl + sep + "\n" + doctype + body).encode("utf-8")
    path, kw = _place(reader, tmp_path / "x", data)
    try:
        recs = _records(reader, path, kw)
    except LexresError as exc:
        assert SECRET not in str(exc)
        return
    assert SECRET not in repr(recs)


def _strip_doctype(body: str) -> str:
    import re

    return re.sub(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", body, count=1, flags=re.S)
