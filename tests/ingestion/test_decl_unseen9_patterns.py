"""Patterns from a ninth set of real declarations, from makers not seen before: what a declaration
IS follows its title — a "CE, FCC - Declaration of Conformity" that lists standards is a DoC even
with RoHS among its legislation; a statement whose subject is REACH is the REACH one even when it
names no "SVHC" (Article 33, "more than 0.1 % (w/w)") or also confirms RoHS — bare act numbers
("RoHS 2011/65 and EU 2015/863"), a product line listing a family, "comply to", a "Model and S/N"
column and a colon that opens the next cell. Rebuilt as generated PDFs; each test fails if the
pattern is typed or read wrongly, or promised (>= 0.9) when it cannot be checked."""

from __future__ import annotations

from pathlib import Path

try:
    from .pdf_writer import PdfWriter
    from .test_cert_patterns import PROMISE, _conf, _extract
except ImportError:
    from pdf_writer import PdfWriter
    from test_cert_patterns import PROMISE, _conf, _extract


def _letterhead(p) -> None:
    p.text(60, 120, "Manufacturer:", 10)
    p.text(60, 134, "Kestrel Instruments d.o.o.,", 10)
    p.text(60, 148, "Obrtna ulica 7, SI-4000 Kranj, Slovenia", 10)
    p.text(60, 168, "Product: FieldLab, ScopeLab, WaveLab", 10)
    p.text(60, 184, "Models:", 10)
    p.text(70, 198, "-   FieldLab X; where X can be 100-12, 100-14", 10)
    p.text(70, 212, "-   ScopeLab X; where X is 200-16", 10)


def ce_fcc_declaration(w: PdfWriter) -> None:
    """Titled a declaration of conformity without "EU"; standards, then RoHS and REACH by bare number."""
    p = w.page()
    p.centred(70, "CE, FCC - Declaration of Conformity", 16, True)
    _letterhead(p)
    p.text(60, 250, "We declare under our sole responsibility that this product is in conformity with the provisions", 10)
    p.text(60, 264, "of the following regulations and standards:", 10)
    p.text(70, 284, "-   IEC CISPR 32:2015", 10)
    p.text(70, 298, "-   IEC 62368-1:2018", 10)
    p.text(70, 312, "-   Restriction of the use of certain hazardous substances RoHS 2011/65 and EU", 10)
    p.text(70, 326, "2015/863.", 10)
    p.text(70, 340, "-   REACH 1907/2006.", 10)
    p.text(60, 420, "Kranj, 04.07.2023", 10).text(300, 420, "Janez Novak", 10)
    p.text(300, 434, "CTO", 10)


def test_a_titled_declaration_of_conformity_listing_rohs_is_a_doc(tmp_path: Path) -> None:
    result = _extract(tmp_path, ce_fcc_declaration, "ce_fcc_doc")
    record = result["record"]
    assert result["document_type"] == "declaration_of_conformity"     # not the RoHS declaration
    assert {"2011/65/EU", "(EU) 2015/863", "(EC) No 1907/2006"} <= set(record["directives"])
    assert record["rohs_compliant"] is True
    # the family on the "Product:" line, one product each, read but not promised; the bullets'
    # sentences about models ("FieldLab X; where X can be …") are no model
    assert [p.get("name") for p in record["products"]] == ["FieldLab", "ScopeLab", "WaveLab"]
    assert not any("model" in p for p in record["products"])
    assert _conf(result, "/products/0/name") < PROMISE


def rohs_titled_conformity(w: PdfWriter) -> None:
    p = w.page()
    p.centred(70, "Declaration of Conformity to EU RoHS", 16, True)
    p.text(60, 120, "Kestrel Instruments d.o.o., Kranj, Slovenia", 10)
    p.text(60, 150, "We declare that the products listed below comply with Directive 2011/65/EU", 10)
    p.text(60, 164, "as amended by (EU) 2015/863, tested to IEC 62321.", 10)
    p.text(60, 190, "Part Number: KI-2040", 10)
    p.text(60, 230, "Date: 2023-07-04", 10)


def test_a_declaration_of_conformity_titled_about_rohs_stays_rohs(tmp_path: Path) -> None:
    result = _extract(tmp_path, rohs_titled_conformity, "rohs_titled_doc")
    assert result["document_type"] == "rohs"
    assert result["record"]["rohs_compliant"] is True


def untitled_rohs_conformity(w: PdfWriter) -> None:
    """Titled only "Declaration of Conformity", about RoHS alone (its test standard, an ISO 9001 note)."""
    p = w.page()
    p.centred(70, "Declaration of Conformity", 16, True)
    p.text(60, 110, "Manufacturer: Kestrel Instruments d.o.o., Kranj, Slovenia", 10)
    p.text(60, 126, "Part Number: KI-2040", 10)
    p.text(60, 160, "We declare that the product above complies with Directive 2011/65/EU as amended by", 10)
    p.text(60, 174, "(EU) 2015/863, tested to IEC 62321 and documented to EN IEC 63000.", 10)
    p.text(60, 200, "Our quality management system is certified to ISO 9001.", 10)
    p.text(60, 240, "Date: 2023-07-04", 10)


def test_a_declaration_of_conformity_about_rohs_alone_stays_rohs(tmp_path: Path) -> None:
    result = _extract(tmp_path, untitled_rohs_conformity, "untitled_rohs_doc")
    assert result["document_type"] == "rohs"     # no legislation beyond RoHS: the RoHS declaration


def reach_subject_statement(w: PdfWriter, *, rohs_too: bool = False, cas: bool = True) -> None:
    """A letter whose subject line is REACH: components above 0.1 % (w/w), Article 33, no "SVHC"."""
    p = w.page()
    p.text(60, 60, "Kranj, 18.5.2026", 10)
    p.text(60, 80, "Subject: REACH", 10, True)
    _letterhead(p)
    p.text(60, 250, "In order to accomplish the requirements regarding the Regulation No 1907/2006 (REACH),", 10)
    p.text(60, 264, "we have requested from all our suppliers declarations regarding their components.", 10)
    p.text(60, 290, "In composition of products we identified 2 components that have more than 0.1 % (w/w)", 10)
    p.text(60, 304, "concentration of a substance, according to the analytical results:", 10)
    if cas:
        p.text(60, 318, "the identified substance (Lead, CAS 7439-92-1) is present under an applicable exemption.", 10)
    p.text(60, 330, "All products listed above are compliant with Regulation (EC) No 1907/2006, including", 10)
    p.text(60, 344, "Article 33 requirements.", 10)
    if rohs_too:
        p.text(60, 370, "The products are also compliant with RoHS Directive 2011/65/EU and (EU) 2015/863.", 10)
    p.text(60, 420, "Authorized signature:", 10)
    p.text(60, 434, "Janez Novak, CTO of Kestrel Instruments d.o.o.", 10)


def test_a_statement_whose_subject_is_reach_is_read_as_reach(tmp_path: Path) -> None:
    result = _extract(tmp_path, reach_subject_statement, "reach_subject")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"      # not refused for want of the word "SVHC"
    assert record["supplier"]["name"] == "Kestrel Instruments d.o.o."
    assert record["declaration_date"] == "2026-05-18"
    assert record["svhc_above_threshold"] is True
    # the substance named in running text, from its parenthesis ("the identified substance (Lead, CAS …")
    assert [(s["name"], s["cas_number"]) for s in record["substances"]] == [("Lead", "7439-92-1")]
    assert [p.get("part_number") for p in record["products"]] == ["FieldLab", "ScopeLab", "WaveLab"]
    assert _conf(result, "/products/0/part_number") < PROMISE


def test_components_above_a_tenth_of_a_percent_said_in_a_sentence_are_svhc_present(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: reach_subject_statement(w, cas=False), "reach_sentence")
    assert result["record"]["svhc_above_threshold"] is True
    assert _conf(result, "/svhc_above_threshold") < PROMISE     # a sentence, not a table: not promised


def test_a_reach_statement_that_also_confirms_rohs_stays_reach(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: reach_subject_statement(w, rohs_too=True), "reach_and_rohs")
    assert result["document_type"] == "reach_svhc"      # the title says REACH, not RoHS


def comply_to_letter(w: PdfWriter) -> None:
    """"comply to" (not "comply with"); the product in a two-column table under its headers."""
    p = w.page()
    p.text(60, 50, "Lindwell Electronics Co., Ltd.", 12, True)
    p.text(60, 66, "No. 9 Xueqing Road, Haidian District, Beijing 100085 PRC", 9)
    p.text(60, 100, "Feb. 17th, 2013", 10)
    p.centred(130, "Declaration of Compliance to EC Directive 2002/95/EC", 12, True)
    p.centred(146, "on the Restriction of the use of certain Hazardous Substances (RoHS)", 12, True)
    p.text(60, 180, "In our sole responsibility, we hereby declare:", 10)
    p.text(60, 194, "the products listed in the following comply to EC Directive 2002/95/EC, do not contain", 10)
    p.text(60, 208, "any homogeneous material that contains lead (Pb) in excess of 0.1 % (1000 ppm).", 10)
    p.text(60, 250, "Product Information", 10, True)
    p.text(60, 270, "Name of Product", 10, True).text(300, 270, "Model and S/N", 10, True)
    p.text(60, 286, "Smart card reader", 10).text(300, 286, "LW301", 10)
    p.text(60, 340, "Sincerely,", 10)


def test_comply_to_is_a_compliance_statement_and_the_model_column_the_product(tmp_path: Path) -> None:
    result = _extract(tmp_path, comply_to_letter, "comply_to")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert record["rohs_compliant"] is True
    assert [p.get("part_number") for p in record["products"]] == ["LW301"]


def lab_conformity_certificate(w: PdfWriter) -> None:
    """A laboratory's RoHS certificate of conformity: "Model No." with its colon in the next cell."""
    p = w.page()
    p.centred(70, "CERTIFICATE OF CONFORMITY", 18, True)
    p.text(60, 120, "Certificate No.", 10).text(200, 120, ":   HTT202404999R", 10)
    p.text(60, 140, "Manufacturer", 10).text(200, 140, ": Solvia Computing Inc.", 10)
    p.text(60, 160, "Product", 10).text(200, 160, ": Industrial grade single board computer", 10)
    p.text(60, 180, "Model No.", 10).text(200, 180, ": SOLVIA Model Nova", 10)
    p.text(60, 220, "This is to certify that, on the basis of the tests undertaken as per report no.:", 10)
    p.text(60, 234, "HTT202404999CH, the submitted sample of the above item complies with:", 10)
    p.text(60, 250, "IEC 62321-4:2013+A1:2017", 10)
    p.text(60, 266, "and fulfills testing requirement of the RoHS Directive 2011/65/EU Annex II", 10)
    p.text(60, 280, "amending Annex (EU) 2015/863.", 10)
    p.text(60, 310, "Date of issue: Apr. 17, 2024", 10)
    p.text(60, 760, "Shenzhen Nordtest Technology Co., Ltd.", 8)


def test_a_model_no_whose_colon_opens_the_next_cell_names_the_product(tmp_path: Path) -> None:
    result = _extract(tmp_path, lab_conformity_certificate, "lab_coc_model_no")
    record = result["record"]
    assert result["document_type"] == "rohs"
    assert [p.get("part_number") or p.get("name") for p in record["products"]] == ["SOLVIA Model Nova"]
    assert result["fields"]["/products/0/part_number"]["confidence"] < PROMISE


def denied_components_statement(w: PdfWriter) -> None:
    p = w.page()
    p.centred(70, "REACH SVHC Statement", 16, True)
    p.text(60, 110, "Kestrel Instruments d.o.o., Kranj, Slovenia", 10)
    p.text(60, 126, "Part Number: KI-2040", 10)
    p.text(60, 160, "We confirm that there are no components that have more than 0.1 % (w/w) of a substance", 10)
    p.text(60, 174, "on the Candidate List, Regulation (EC) No 1907/2006, Article 33.", 10)
    p.text(60, 210, "Date: 2023-07-04", 10)


def test_a_sentence_that_denies_components_above_the_threshold_is_no_svhc_present(tmp_path: Path) -> None:
    result = _extract(tmp_path, denied_components_statement, "reach_denied")
    assert result["document_type"] == "reach_svhc"
    assert result["record"].get("svhc_above_threshold") is not True


def spanish_doc(w: PdfWriter) -> None:
    """A DoC in Spanish: declaring words, title and labels in that language; the address after the name."""
    p = w.page()
    p.centred(70, "Declaración UE de conformidad", 16, True)
    p.text(60, 110, "Fabricante: Iberluz Electrónica S.L., Calle Mayor 5, 28013 Madrid, España", 10)
    p.text(60, 130, "Producto: Lámpara LED de escritorio", 10)
    p.text(60, 146, "Modelo: IL-LED-220", 10)
    p.text(60, 180, "La presente declaración se expide bajo la exclusiva responsabilidad del fabricante.", 10)
    p.text(60, 196, "El objeto de la declaración es conforme con la legislación de armonización de la Unión:", 10)
    p.text(60, 212, "Directiva 2014/35/UE, Directiva 2014/30/UE, Directiva 2011/65/UE", 10)
    p.text(60, 228, "Normas armonizadas: EN 60598-1:2015, EN 55015:2013", 10)
    p.text(60, 300, "Madrid, 14.06.2023", 10)


def italian_doc(w: PdfWriter) -> None:
    p = w.page()
    p.centred(70, "Dichiarazione di conformità UE", 16, True)
    p.text(60, 110, "Fabbricante: Lucenord S.r.l., Via Roma 5, 20121 Milano, Italia", 10)
    p.text(60, 146, "Modello: LN-220", 10)
    p.text(60, 180, "La presente dichiarazione è rilasciata sotto la responsabilità esclusiva del fabbricante.", 10)
    p.text(60, 196, "L'oggetto della dichiarazione è conforme alla normativa di armonizzazione dell'Unione:", 10)
    p.text(60, 212, "Direttiva 2014/35/UE, Direttiva 2011/65/UE", 10)
    p.text(60, 228, "Norme armonizzate: EN 60598-1:2015", 10)
    p.text(60, 300, "Milano, 14.06.2023", 10)


def test_declarations_of_conformity_in_spanish_and_italian_are_read(tmp_path: Path) -> None:
    for build, name, maker, model in ((spanish_doc, "doc_es", "Iberluz Electrónica S.L.", "IL-LED-220"),
                                      (italian_doc, "doc_it", "Lucenord S.r.l.", "LN-220")):
        result = _extract(tmp_path, build, name)      # not refused for want of English declaring words
        record = result["record"]
        assert result["document_type"] == "declaration_of_conformity"
        assert record["supplier"]["name"] == maker                # the name, not its address after it
        assert record["products"][0]["model"] == model
        assert "2011/65/EU" in record["directives"] and record["rohs_compliant"] is True
        assert record["declaration_date"] == "2023-06-14"


def svhc_table_statement(w: PdfWriter) -> None:
    """Titled about neither regulation: a Candidate List table above 0.1 %, RoHS confirmed in one line."""
    p = w.page()
    p.text(60, 50, "Kestrel Instruments d.o.o.", 12, True)
    p.text(60, 66, "Obrtna ulica 7, SI-4000 Kranj, Slovenia", 9)
    p.centred(100, "Compliance Statement", 16, True)
    p.text(60, 130, "Part Number: KI-2040", 10)
    p.text(60, 160, "Regulation (EC) No 1907/2006 (REACH): the product contains the following substances of", 10)
    p.text(60, 174, "very high concern on the Candidate List above 0.1 % (w/w):", 10)
    p.text(60, 200, "Substance", 10, True).text(300, 200, "CAS No.", 10, True).text(420, 200, "Concentration", 10, True)
    p.text(60, 216, "Lead", 10).text(300, 216, "7439-92-1", 10).text(420, 216, "0.25 %", 10)
    p.text(60, 250, "The product is also compliant with RoHS Directive 2011/65/EU.", 10)
    p.text(60, 290, "Date: 2024-03-01", 10)


def test_a_statement_listing_svhc_above_the_threshold_is_reach_though_it_confirms_rohs(tmp_path: Path) -> None:
    result = _extract(tmp_path, svhc_table_statement, "svhc_table")
    record = result["record"]
    assert result["document_type"] == "reach_svhc"
    assert record["svhc_above_threshold"] is True
    assert [(s["name"], s["cas_number"]) for s in record["substances"]] == [("Lead", "7439-92-1")]


def english_doc(w: PdfWriter, maker: str) -> None:
    """An EU DoC whose "Manufacturer:" row holds the name, a trading name in brackets and the address."""
    p = w.page()
    p.centred(70, "EU Declaration of Conformity", 16, True)
    p.text(60, 110, "Product: Rainbow Board", 10)
    p.text(60, 126, "Model Number: RB-01", 10)
    p.text(60, 142, f"Manufacturer: {maker}", 10)
    p.text(60, 180, "This declaration of conformity is issued under the sole responsibility of the manufacturer.", 10)
    p.text(60, 196, "The object of the declaration is in conformity with the relevant Union harmonisation legislation:", 10)
    p.text(60, 212, "Directive 2014/30/EU, Directive 2011/65/EU", 10)
    p.text(60, 228, "Harmonised standards: EN 55032:2015, EN 55035:2017", 10)
    p.text(60, 300, "Date of Issue: 2025-05-01", 10)


def test_a_makers_name_ends_before_its_trading_name_and_address(tmp_path: Path) -> None:
    result = _extract(tmp_path, lambda w: english_doc(w, "Lowland Devices Ltd (rainbowlab), Flat 3, 23 Simpson Loan, "
                                                         "Edinburgh, EH3 9GD"), "doc_brand")
    assert result["record"]["supplier"]["name"] == "Lowland Devices Ltd"
    # a name that runs on into a street address the layout does not set apart is read, never promised
    result = _extract(tmp_path, lambda w: english_doc(w, "Lowland Devices Ltd Unit 4, 23 Simpson Loan, Edinburgh"),
                      "doc_addr")
    assert _conf(result, "/supplier/name") < PROMISE


def rohs_letter_by(w: PdfWriter, maker: str) -> None:
    """A RoHS statement whose "We, X, declare" names the maker with its trading name."""
    p = w.page()
    p.centred(70, "RoHS Compliance Statement", 16, True)
    p.text(60, 120, f"We, {maker}, declare that the product below complies with Directive 2011/65/EU", 10)
    p.text(60, 136, "and its amendment (EU) 2015/863.", 10)
    p.text(60, 160, "Part number: HX-220", 10)
    p.text(60, 200, "Date: 2025-03-14", 10)


def test_a_trading_name_after_the_legal_form_is_not_the_legal_name(tmp_path: Path) -> None:
    """"X LLC dba Brand" (doing business as), "X Ltd t/a Brand": the declaration is made by X LLC."""
    result = _extract(tmp_path, lambda w: english_doc(w, "Harbour Circuits LLC dba Blinkwerk"), "doc_dba")
    assert result["record"]["supplier"]["name"] == "Harbour Circuits LLC"
    result = _extract(tmp_path, lambda w: rohs_letter_by(w, "Lowland Devices Ltd t/a Rainbowlab"), "rohs_ta")
    assert result["record"]["supplier"]["name"] == "Lowland Devices Ltd"
    # a name without a legal form keeps its words: nothing says where a trading name would start
    result = _extract(tmp_path, lambda w: english_doc(w, "Blinkwerk Labs"), "doc_plain")
    assert result["record"]["supplier"]["name"] == "Blinkwerk Labs"
