"""Bytes that are not UTF-8 in line-based Bible files: one FILE:LINE error line (or a reject with
--on-error skip), never a traceback."""
import pytest


@pytest.fixture
def bad_files(tmp_path):
    usfm = tmp_path / "bad.usfm"
    usfm.write_bytes(b"\\id JHN test\n\\c 1\n\\v 1 In principio\n\\v 2 caf\xe9 au lait\n\\v 3 tres\n")
    vline = tmp_path / "bad.vline.txt"
    vline.write_bytes(b"In the beginning was the Word\ncaf\xe9 au lait\nAll things were made\n")
    vref = tmp_path / "vref.txt"
    vref.write_text("JHN 1:1\nJHN 1:2\nJHN 1:3\n", encoding="utf-8")
    return {"usfm": (usfm, []), "vline": (vline, ["-o", f"vref={vref}"])}


@pytest.mark.parametrize("fmt,bad_line", [("usfm", 4), ("vline", 2)])
def test_not_utf8_is_one_error_line_with_its_line(cli, bad_files, fmt, bad_line):
    path, extra = bad_files[fmt]
    r = cli("import", "bible", path, "--lang", "lat", "--format", fmt, *extra)
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"lexres: error: {path}:{bad_line}: not UTF-8")
    assert cli("list", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize("fmt,bad_line", [("usfm", 4), ("vline", 2)])
def test_not_utf8_line_is_rejected_in_skip_mode(cli, bad_files, tmp_path, fmt, bad_line):
    path, extra = bad_files[fmt]
    rejects = tmp_path / f"{fmt}.rejects.tsv"
    r = cli("import", "bible", path, "--lang", "lat", "--format", fmt, "--on-error", "skip",
            "--rejects", rejects, "--json", *extra)
    assert r.exit_code == 0, r.stderr
    rows = rejects.read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split("\t")[1] for row in rows] == [str(bad_line)]
    assert cli("bible", "show", "lat", "JHN 1:3").stdout.count("JHN 1:3") == 1
