"""Patterns from a tune set of real declarations by many makers (RoHS letters, test-laboratory
certificates, REACH letters, EU declarations of conformity in several languages), rebuilt as
generated PDFs: a letterhead of four or more lines above a "Declaration of Conformity" title; the
directive suffixes of other EU languages ("93/42/ETY", "2007/47/EY"); the date of first CE marking,
which is not the declaration's date; a superscript ordinal that OCR reads as a quote ("16" October");
RoHS named with the wrong suffix ("2011/65/EC"); a laboratory certificate's "Product:" line above
its "Model(s):" list; and a statement titled for one product after a dash. Each test fails if the
pattern is typed or read wrongly, or promised (>= 0.9) when it cannot be checked."""

from __future__ import annotations

from pathlib import Path

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def letterhead_doc(w: PdfWriter) -> None:
    """A DoC under a five-line letterhead, naming RoHS (with the EC suffix) and REACH among its acts."""
    p = w.page()
    p.text(330, 50, "Wrenfield Devices Ltd.", 12, True)
    p.text(330, 64, "4 Mill Lane,", 10)
    p.text(330, 78, "Little Haddon, Oxfordshire,", 10)
    p.text(330, 92, "OX9 2ZZ,", 10)
    p.text(330, 106, "England", 10)
    p.centred(160, "Declaration of Conformity", 22, True)
    p.text(60, 210, "Hereby declaring, under our sole responsibility, that the product:", 10)
    p.text(60, 230, "Product name: Wrenfield Beacon, Wrenfield Beacon 2", 10)
    p.text(60, 250, "is in conformity with the essential requirements of the:", 10)
    p.text(70, 270, "RED (2014/53/EU)", 10)
    p.text(70, 284, "EMC directive (2004/108/EC)", 10)
    p.text(70, 298, "RoHS directive (2011/65/EC)", 10)
    p.text(70, 312, "REACH regulation (1907/2006)", 10)
    p.text(60, 340, "The product is in conformity with the following standards:", 10)
    p.text(70, 354, "EN 301 489-1 V2.1.1", 10)
    p.text(70, 368, "EN 300 328 V2.2.2", 10)
    p.text(60, 420, 'Date: 16" October 2020', 10)
    p.text(60, 434, "Name: Alan Pryce", 10)
    p.text(60, 448, "Title: Director", 10)


def test_a_titled_doc_under_a_letterhead_is_a_doc_and_covers_rohs(tmp_path: Path) -> None:
    result = _extract(tmp_path, letterhead_doc, "letterhead_doc")
    record = result["record"]
    # REACH among the acts does not make it a REACH statement: its title, under the letterhead, says what it is
    assert result["document_type"] == "declaration_of_conformity"
    assert record["rohs_compliant"] is True       # "2011/65/EC": RoHS 2 by its number, whatever the suffix
    assert record["declaration_date"] == "2020-10-16"      # OCR's quote for a superscript "th"


def finnish_swedish_doc(w: PdfWriter) -> None:
    """A medical-device DoC in Finnish, then Swedish: directives with their own suffixes, the date
    of first CE marking near the top and the signature's date at the end."""
    p = w.page()
    p.text(60, 50, "Declaration of Conformity version 2.0", 9)
    p.centred(90, "Vaatimustenmukaisuusvakuutus", 16, True)
    p.text(60, 130, "Tuote", 10).text(250, 130, "Glucolink Uploader", 10)
    p.text(60, 146, "Laillinen valmistaja", 10).text(250, 146, "Koivu Health Oy", 10)
    p.text(250, 160, "Hameenkatu 3, FI-33100 Tampere, Finland", 10)
    p.text(60, 180, "CE-merkin ensimmainen paivamaara", 10).text(250, 180, "31.12.2019", 10)
    p.text(60, 214, "Koivu Health Oy vakuuttaa, etta tuote on seuraavien saadosten mukainen:", 10)
    p.text(70, 230, "- laakintalaitedirektiivi 93/42/ETY", 10)
    p.text(70, 244, "- muutos 2007/47/EY", 10)
    q = w.page()
    q.centred(90, "Forsakran om overensstammelse", 16, True)
    q.text(60, 130, "Produkt", 10).text(250, 130, "Glucolink Uploader", 10)
    q.text(60, 146, "Juridisk tillverkare", 10).text(250, 146, "Koivu Health Oy", 10)
    q.text(60, 180, "Forsta datum for CE-markning", 10).text(250, 180, "31 december 2019", 10)
    q.text(60, 214, "Direktiv 93/42/EEG om medicintekniska produkter, andring 2007/47/EG", 10)
    q.text(60, 300, "Nimi / Namn: Aino Virtanen", 10)
    q.text(60, 316, "Paivamaara / Datum: 18 November 2020", 10)


def test_a_doc_in_finnish_and_swedish_is_read_and_dated_by_its_signature(tmp_path: Path) -> None:
    result = _extract(tmp_path, finnish_swedish_doc, "fi_sv_doc")
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"      # not refused
    assert "93/42/EEC" in record["directives"] and "2007/47/EC" in record["directives"]
    # "Första datum för CE-märkning" is when the CE mark was first affixed, not the declaration's date
    assert record.get("declaration_date") != "2019-12-31"
    assert record.get("declaration_date") in (None, "2020-11-18")


def lab_certificate_with_models(w: PdfWriter) -> None:
    p = w.page()
    p.centred(70, "CERTIFICATE OF CONFORMITY", 18, True)
    p.text(60, 110, "Certificate No.: TL240511207", 10)
    p.text(60, 140, "Applicant", 10).text(180, 140, ": Harbin Lumio Electronics Co., Ltd", 10)
    p.text(60, 158, "Manufacturer", 10).text(180, 158, ": Harbin Lumio Electronics Co., Ltd", 10)
    p.text(60, 176, "Product", 10).text(180, 176, ": Desk Lamp", 10)
    p.text(60, 194, "Brand Name", 10).text(180, 194, ": LUMIO", 10)
    p.text(60, 212, "Model(s)", 10).text(180, 212, ": DL20, DL21, DL22", 10)
    p.text(60, 250, "Test Standard(s): IEC 62321: 2013/2015/2017", 10)
    p.text(60, 280, "The EUT described above has been examined by us and found in compliance with the", 10)
    p.text(60, 294, "Council RoHS Directive (EU) 2015/863 amending Annex II to Directive 2011/65/EU.", 10)
    p.text(300, 360, "May 11, 2024", 10)


def test_a_laboratory_certificate_lists_its_models_not_the_product_kind(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_certificate_with_models, "lab_models")
    products = [p.get("part_number") or p.get("model") or p.get("name") for p in result["record"]["products"]]
    assert result["document_type"] == "rohs"
    assert products == ["DL20", "DL21", "DL22"]        # not "Desk Lamp", what the product is


def titled_for_one_product(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 50, "ORSOLA ELETTRONICA S.p.A. Via Roma 12, Bergamo (BG) Italia", 8)
    p.text(60, 100, "DECLARATION OF CONFORMITY TO EU DIRECTIVE", 15, True)
    p.text(60, 120, "2015/863/UE (RoHS III) - LYNXBOARD", 15, True)
    p.text(60, 170, "ORSOLA ELETTRONICA declares that the printed circuit board and full PCBA are compliant", 10)
    p.text(60, 184, "with RoHS III EU Directive 2015/863/UE.", 10)
    p.text(60, 240, "Bergamo, 13/05/2020", 10)


def titled_with_a_revision(w: PdfWriter) -> None:
    p = w.page()
    p.text(60, 100, "RoHS Compliance Statement - Rev. 2", 15, True)
    p.text(60, 150, "Orsola Elettronica S.p.A. declares that all its products are compliant with", 10)
    p.text(60, 164, "Directive 2011/65/EU and (EU) 2015/863.", 10)
    p.text(60, 220, "Bergamo, 13/05/2020", 10)


def test_a_statement_titled_for_one_product_names_it_but_does_not_promise_it(tmp_path: Path) -> None:
    result = _extract(tmp_path, titled_for_one_product, "titled_product")
    products = result["record"]["products"]
    assert [p.get("part_number") or p.get("name") for p in products] == ["LYNXBOARD"]
    assert _conf(result, "/products/0/" + next(iter(products[0]))) < PROMISE
    # a revision after the dash is the document's, not a product
    other = _extract(tmp_path, titled_with_a_revision, "titled_revision")
    assert other["record"].get("products", []) == []


def we_the_manufacturer_doc(w: PdfWriter) -> None:
    """The maker under "We, the manufacturer", the product alone on the line after the declaring
    sentence, and the signatory's job title printed on the company's line under the signature."""
    p = w.page()
    p.centred(60, "Declaration of Conformity", 18, True)
    p.text(60, 90, "RED directive (2014/53/EU)", 10)
    p.text(60, 104, "RoHS directive (2011/65/EU)", 10)
    p.text(60, 140, "We, the manufacturer", 10)
    p.text(60, 154, "Alsterwerk GmbH", 10)
    p.text(60, 168, "Kanalstrasse 9", 10)
    p.text(60, 182, "22085 Hamburg", 10)
    p.text(60, 196, "Germany", 10)
    p.text(60, 220, "declare on our sole responsibility that the product with following identification:", 10)
    p.text(60, 240, "Level-LoRaWAN", 10)
    p.text(60, 260, "to which this declaration relates is in conformity with the essential requirements of", 10)
    p.text(60, 274, "the RED directive (2014/53/EU). The product is also compliant to the RoHS directive.", 10)
    p.text(60, 300, "The following standards have been applied:", 10)
    p.text(70, 314, "ETSI EN 300 220-2 V3.1.1", 10)
    p.text(60, 380, "Hamburg, 14.06.2019", 10)
    p.text(60, 394, "Place and date of issue", 8)
    p.text(300, 394, "Managing Director Alsterwerk GmbH", 10)


def test_a_product_on_the_line_after_the_declaring_sentence_and_no_job_title_in_the_name(tmp_path: Path) -> None:
    result = _extract(tmp_path, we_the_manufacturer_doc, "we_the_manufacturer")
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"
    assert record["supplier"]["name"] == "Alsterwerk GmbH"      # not "Managing Director Alsterwerk GmbH"
    assert [p.get("name") for p in record["products"]] == ["Level-LoRaWAN"]
    assert _conf(result, "/products/0/name") < PROMISE         # read by where it stands, not at a label


def lab_rohs_verification(w: PdfWriter) -> None:
    """A laboratory's RoHS verification titled "Declaration of Conformity", whose small print says
    the CE mark may be used after completion of an EU declaration of conformity; its product line
    describes the product with a code inside, the model label identifies it."""
    p = w.page()
    p.centred(60, "DECLARATION", 18, True)
    p.centred(82, "of Conformity", 18, True)
    p.text(60, 120, "Registration No.: HTR2408115", 10)
    p.text(60, 140, "Applicant : Kowloon Sensorik Co., Ltd.", 10)
    p.text(60, 158, "Product : Grove - 433MHz Radio Receiver", 10)
    p.text(60, 176, "Model No. : RXM4330P", 10)
    p.text(60, 210, "The verification of RoHS Compliance has been granted to the applicant based on the review of", 10)
    p.text(60, 224, "test report on the sample in accordance with the provisions of EU RoHS Directive 2011/65/EU.", 10)
    p.text(60, 252, "The CE mark can be used under the responsibility of the manufacturer, after completion", 9)
    p.text(60, 264, "of an EU Declaration of Conformity and compliance with all relevant EU Directives.", 9)
    p.text(300, 320, "August 26, 2014", 10)


def test_a_laboratory_rohs_verification_is_rohs_and_names_the_model(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_rohs_verification, "lab_rohs_verification")
    record = result["record"]
    assert result["document_type"] == "rohs"     # the small print's EU DoC is another document
    assert [p.get("part_number") or p.get("name") for p in record["products"]] == ["RXM4330P"]


def test_a_laboratory_verification_in_accordance_with_rohs_is_compliant(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_rohs_verification, "lab_rohs_verification_flag")
    # "verification of RoHS Compliance has been granted … in accordance with the provisions of EU RoHS Directive"
    assert result["record"]["rohs_compliant"] is True
