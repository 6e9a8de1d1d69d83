"""The English catalogue is complete, compiled and up to date with the Vietnamese source strings.

Strict on purpose: a contributor who adds a user-facing string must run ``make messages``,
translate the new entries in ``sti/locale/en/LC_MESSAGES/django.po`` and commit the
recompiled ``django.mo``.
"""

import gettext
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
PO_PATH = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Letters that occur in Vietnamese but not in English text.
VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%%|%[sdif]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    def where(self):
        return f"django.po line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader: entries with their context, plural forms and flags (obsolete ones skipped)."""
    entries, entry, target = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith("#") or keyword in ("msgctxt", "msgid"):
            if entry is not None and entry.msgstr:  # a new entry begins after a msgstr
                entries.append(entry)
                entry = None
            if entry is None:
                entry, target = Entry(line=number), None
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            assert target is not None, f"line {number}: {raw}"
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += _unquote(line)
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + _unquote(line))
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            assert keyword in ("msgctxt", "msgid", "msgid_plural"), f"line {number}: {raw}"
            setattr(entry, keyword, _unquote(rest))
            target = (keyword,)
    if entry is not None and entry.msgstr:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries():
    parsed = parse_po(PO_PATH)
    header = [e for e in parsed if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1 and "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0].msgstr[0]
    assert "fuzzy" not in header[0].flags, "the catalogue header is marked fuzzy"
    return [e for e in parsed if e is not header[0]]


def test_reader_understands_plurals_context_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Đã nhập %(n)s "\n"tài liệu."\nmsgstr "Imported"\n\n'
        'msgctxt "tháng"\nmsgid "%(n)s kết quả"\nmsgid_plural "%(n)s kết quả"\n'
        'msgstr[0] "%(n)s result"\nmsgstr[1] ""\n"%(n)s results"\n\n#~ msgid "cũ"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, first, second = parse_po(po)
    assert header.msgstr[0] == "Language: en\n"
    assert first.msgid == "Đã nhập %(n)s tài liệu." and first.flags == {"fuzzy", "python-format"}
    assert second.key == ("tháng", "%(n)s kết quả") and second.msgstr == {
        0: "%(n)s result",
        1: "%(n)s results",
    }


def test_catalogue_has_entries(entries):
    assert len(entries) > 500
    assert any(e.msgid == "Thư viện số" for e in entries)


def test_every_entry_is_translated_and_not_fuzzy(entries):
    problems = []
    for e in entries:
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {e.where()}")
        expected_forms = {0, 1} if e.msgid_plural is not None else {0}
        if set(e.msgstr) != expected_forms or not all(s.strip() for s in e.msgstr.values()):
            problems.append(f"untranslated: {e.where()}")
    assert not problems, "Translate these entries (then `make messages`):\n" + "\n".join(problems)


def test_translations_are_english_not_copies_of_the_vietnamese(entries):
    copied = [
        e.where()
        for e in entries
        if VIETNAMESE_LETTERS.search(e.msgid)
        and any(s.strip() == e.msgid.strip() for s in e.msgstr.values())
    ]
    assert not copied, "msgstr is the Vietnamese source:\n" + "\n".join(copied)


def test_placeholders_and_surrounding_whitespace_are_kept(entries):
    problems = []
    for e in entries:
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        for form, text in e.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ (form {form}): {e.where()} → {text!r}")
            for side in (str.lstrip, str.rstrip):
                if (len(e.msgid) - len(side(e.msgid)) > 0) != (len(text) - len(side(text)) > 0):
                    problems.append(f"leading/trailing whitespace differs: {e.where()}")
    assert not problems, "\n".join(problems)


def test_source_strings_are_nfc(entries):
    """Vietnamese is written NFC everywhere; an NFD string in the code would be a second msgid."""
    decomposed = [e.where() for e in entries if unicodedata.normalize("NFC", e.msgid) != e.msgid]
    assert not decomposed, "\n".join(decomposed)
    # A decomposed spelling is recognisable as such:
    assert unicodedata.normalize("NFD", "Thư viện số") != "Thư viện số"


def test_compiled_catalogue_matches_the_po(entries):
    assert MO_PATH.exists(), "run `make messages` and commit sti/locale/en/LC_MESSAGES/django.mo"
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e.msgid_plural is None:
            got = {
                0: catalogue.pgettext(e.msgctxt, e.msgid)
                if e.msgctxt
                else catalogue.gettext(e.msgid)
            }
        elif e.msgctxt:
            got = {
                i: catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                for i, n in ((0, 1), (1, 5))
            }
        else:
            got = {i: catalogue.ngettext(e.msgid, e.msgid_plural, n) for i, n in ((0, 1), (1, 5))}
        if got != e.msgstr:
            stale.append(e.where())
    assert not stale, "django.mo is out of date; run `make messages`:\n" + "\n".join(stale[:20])


def test_django_serves_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("Thư viện số") == "Digital library"
        assert translation.gettext("Nhiệm vụ KH&CN") == "S&T tasks"
    with translation.override("vi"):
        assert translation.gettext("Thư viện số") == "Thư viện số"


@pytest.mark.skipif(
    not shutil.which("xgettext") or not shutil.which("msgmerge"), reason="needs GNU gettext"
)
def test_catalogue_is_up_to_date_with_the_source(entries, tmp_path, settings, monkeypatch):
    """Extract the strings afresh from a copy of the package: none may be missing from django.po."""
    copy = tmp_path / "sti"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "var", "__pycache__", "static", "*.pyc", ".*"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = {
        e.key for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po") if e.msgid
    }
    committed = {e.key for e in entries}
    missing = sorted(fresh - committed, key=lambda key: key[1])
    assert not missing, (
        "New strings not in django.po; run `make messages` and translate them:\n"
        + "\n".join(repr(msgid) for _, msgid in missing)
    )
    gone = sorted(committed - fresh, key=lambda key: key[1])
    assert not gone, (
        "django.po has entries no longer in the source; run `make messages`:\n"
        + "\n".join(repr(msgid) for _, msgid in gone)
    )
