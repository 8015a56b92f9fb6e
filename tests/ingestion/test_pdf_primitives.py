"""The reusable PDF primitives: dates, identifiers, label matching, value finding, line building."""

from __future__ import annotations

from datetime import date

import pytest

from ingestion.pdf import labels as label_data
from ingestion.pdf.anchors import find_labels, value_at
from ingestion.pdf.dates import find_dates, parse_date
from ingestion.pdf.identifiers import (EXEMPTION, cas_is_valid, country_code, country_of_address, ec_is_valid,
                                       looks_like_number, number_fits_scheme)
from ingestion.pdf.labels import labels_for
from ingestion.pdf.layout import Page, Word, build_lines, match_key
from ingestion.pdf.shapes import date_shaper, id_shaper, text_shaper


@pytest.mark.parametrize("text, expected", [
    ("2027-03-31", date(2027, 3, 31)),
    ("31.03.2027", date(2027, 3, 31)),
    ("31/03/2027", date(2027, 3, 31)),
    ("2027/03/31", date(2027, 3, 31)),
    ("31 March 2027", date(2027, 3, 31)),
    ("March 31, 2027", date(2027, 3, 31)),
    ("Sept. 5, 2025", date(2025, 9, 5)),
    ("31. März 2027", date(2027, 3, 31)),
    ("1er février 2027", date(2027, 2, 1)),
    ("le 3 décembre 2026", date(2026, 12, 3)),
    ("03/31/2027", date(2027, 3, 31)),          # only month-first makes a date
    ("2027-02-30", None),
    ("Dezember 2026", None),                   # no day: not a date we can store
])
def test_date_wordings(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def words(text: str, y: float = 100, x: float = 50, size: float = 10, page: int = 1) -> list[Word]:
    """Words laid out as Helvetica would set them (about half an em per character)."""
    out = []
    for token in text.split(" "):
        if token == "":
            x += size * 0.6        # extra spaces widen the gap: a column break
            continue
        width = len(token) * size * 0.5
        out.append(Word(token, x, y, x + width, y + size, page, size))
        x += width + size * 0.28
    return out


def test_a_validity_range_on_one_line_gives_both_dates() -> None:
    line = words("valid from 01.04.2025 to 31 March 2026")
    assert [h.value for h in find_dates(line)] == [date(2025, 4, 1), date(2026, 3, 31)]
    assert [line[i].text for h in find_dates(line) for i in (h.first, h.last)] == \
        ["01.04.2025", "01.04.2025", "31", "2026"]


@pytest.mark.parametrize("cas, valid", [("7439-92-1", True), ("13560-89-9", True), ("84-69-5", True),
                                        ("84-69-4", False), ("50-00-0", True), ("50-00-1", False)])
def test_cas_check_digit(cas: str, valid: bool) -> None:
    assert cas_is_valid(cas) is valid


@pytest.mark.parametrize("ec, valid", [("231-100-4", True), ("236-948-9", True), ("201-553-2", True),
                                       ("231-100-5", False)])
def test_ec_check_digit(ec: str, valid: bool) -> None:
    assert ec_is_valid(ec) is valid


def test_rohs_exemption_ids() -> None:
    text = "Exemptions: 6(c), 7(c)-I, 8(b)-I; 7(a) and 15(a) of Directive 2011/65/EU Article 4(1)"
    assert [m.group(1) for m in EXEMPTION.finditer(text)] == ["6(c)", "7(c)-I", "8(b)-I", "7(a)", "15(a)"]


@pytest.mark.parametrize("number, scheme", [("SCS-COC-123456", "fsc_coc"), ("21.HUS.82712", "oeko_tex_100"),
                                            ("CU-GOTS-834908", "gots"), ("CU-GRS-123456", "grs")])
def test_certificate_number_shapes_per_scheme(number: str, scheme: str) -> None:
    assert number_fits_scheme(number, scheme)
    assert looks_like_number(number)


@pytest.mark.parametrize("token", ["31.03.2027", "GOTS", "7.0", "page"])
def test_things_that_are_not_certificate_numbers(token: str) -> None:
    assert not looks_like_number(token)


@pytest.mark.parametrize("text, code", [("Germany", "DE"), ("Deutschland", "DE"), ("USA", "US"),
                                        ("Suisse", "CH"), ("United Kingdom", "GB"), ("Milano", None)])
def test_country_names(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_country_at_the_end_of_an_address() -> None:
    assert country_of_address("400 Harbor Blvd, Oakland, CA 94607, USA") == "US"
    assert country_of_address("Via Roma 88, 20121 Milano, Italy") == "IT"
    assert country_of_address("Industriestrasse 12, 70565 Stuttgart") is None


def test_lines_split_into_cells_at_column_gaps() -> None:
    row = words("Certificate number          CU-GOTS-834908")
    [line] = build_lines(row + words("Holder   X", y=130))[:1]
    assert [[w.text for w in seg] for seg in line.segments] == [["Certificate", "number"], ["CU-GOTS-834908"]]


def test_label_matching_ignores_case_accents_punctuation_and_hyphenation() -> None:
    for printed in ("Zertifikat-Nr.: 12345", "ZERTIFIKAT NR. 12345", "Zertifikat Nr: 12345"):
        [line] = build_lines(words(printed))
        [hit] = find_labels(line, labels_for("certificate_number"))
        assert hit.label.key == match_key("zertifikat nr")
    [line] = build_lines(words("Date d'émission : 01/02/2025"))
    assert find_labels(line, labels_for("issue_date"))[0].label.text == "date d emission"


def test_short_labels_only_count_at_the_start_of_a_cell() -> None:
    [line] = build_lines(words("Part No. 4711"))
    assert not [h for h in find_labels(line, labels_for("certificate_number")) if h.label.key == "no"]


def page_of(*rows: list[Word]) -> Page:
    return Page(1, 595, 842, build_lines([w for row in rows for w in row]))


def test_value_right_of_the_label_after_a_colon() -> None:
    page = page_of(words("Valid until: 17 September 2027"))
    hit = find_labels(page.lines[0], labels_for("expiry_date"))[0]
    found = value_at(hit, page, date_shaper())
    assert found.value == date(2027, 9, 17)
    assert [w.text for w in found.words] == ["17", "September", "2027"]
    assert found.confidence >= 0.9


def test_value_in_the_next_cell_of_a_key_value_table() -> None:
    page = page_of(words("Certification body          SGS United Kingdom Ltd"))
    hit = find_labels(page.lines[0], labels_for("issuer_name"))[0]
    assert value_at(hit, page, text_shaper()).value == "SGS United Kingdom Ltd"


def test_value_below_a_sentence_that_ends_in_of() -> None:
    page = page_of(words("This is to certify that the management system of", y=100, x=120),
                   words("Lumen Components S.r.l.", y=120, x=180, size=16),
                   words("Via Roma 88, 20121 Milano, Italy", y=145, x=200))
    hit = find_labels(page.lines[0], labels_for("holder_name"))[0]
    found = value_at(hit, page, text_shaper())
    assert found.value == "Lumen Components S.r.l."
    assert found.source["page"] == 1 and found.source["bbox"][1] == 120


def test_value_above_a_caption() -> None:
    page = page_of(words("CERES GmbH", y=700), words("Accredited certification body", y=716))
    hit = find_labels(page.lines[1], labels_for("issuer_name"))[0]
    assert hit.label.role == "captions"
    assert value_at(hit, page, text_shaper()).value == "CERES GmbH"


def test_a_title_is_not_a_label_with_its_value() -> None:
    page = page_of(words("Scope Certificate", size=20))
    hit = find_labels(page.lines[0], labels_for("scope"))[0]
    assert value_at(hit, page, text_shaper()) is None


def test_spaced_certificate_numbers_are_read_whole() -> None:
    found = id_shaper(words("12 100 4711 TMS"), False)
    assert found is not None and found[1] == "12 100 4711 TMS"


def test_a_new_wording_is_a_data_change(monkeypatch: pytest.MonkeyPatch) -> None:
    data = dict(label_data.load("labels"))
    data["certificate_number"] = {"labels": {"it": ["numero di certificato"]}}
    monkeypatch.setattr(label_data, "load", lambda name: data if name == "labels" else {})
    label_data.labels_for.cache_clear()
    try:
        [line] = build_lines(words("Numero di certificato: IT-123456"))
        [hit] = find_labels(line, label_data.labels_for("certificate_number"))
        assert hit.label.text == "numero di certificato"
    finally:
        label_data.labels_for.cache_clear()


def test_every_label_field_speaks_english_german_and_french() -> None:
    data = label_data.load("labels")
    for field, entry in data.items():
        if field.startswith("_"):
            continue
        for role, by_language in entry.items():
            assert {"en", "de", "fr"} <= set(by_language), (field, role)   # and more languages for certificates


def test_a_table_cell_set_close_to_its_label_still_counts() -> None:
    page = page_of(words("Holder  Stahlbau Nord GmbH"))       # two spaces: no colon, no column gap
    hit = find_labels(page.lines[0], labels_for("holder_name"))[0]
    assert value_at(hit, page, text_shaper()).value == "Stahlbau Nord GmbH"


def test_initial_certification_date_is_not_the_issue_date() -> None:
    from ingestion.pdf.anchors import hits_for
    from ingestion.pdf.layout import PdfText

    doc = PdfText([page_of(words("Initial certification date: 2015-01-01"),
                           words("Certification date: 2024-01-01", y=120))], page_count=1)
    assert [hit.line.text for hit in hits_for(doc, "issue_date")] == ["Certification date: 2024-01-01"]
