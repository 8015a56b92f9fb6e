"""Files that are none of our declarations are refused with a reason the supplier can act on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingestion import ExtractionError, extract_file

try:
    from .pdf_writer import PdfWriter
except ImportError:
    from pdf_writer import PdfWriter

ROOT = Path(__file__).resolve().parents[2]


def datasheet(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 50, "SR720561W  Four Digit LED Display  Datasheet", 14, True)
    p.text(56, 90, "FEATURES", 11, True)
    for i, line in enumerate(("High intensity and reliability", "Low power requirement and low cost",
                              "IC compatible, easy assembly", "Meet RoHS EU Directive", "ESD (HBM) 1000 V")):
        p.text(70, 106 + 14 * i, line, 10)
    p.text(56, 190, "DESCRIPTION", 11, True)
    p.text(70, 206, "0.56 inch four digits display, common cathode, black face, white segments", 10)
    p.text(56, 240, "Absolute Maximum Ratings", 11, True)
    p.text(70, 256, "Forward voltage 3.2 V typical; operating temperature -40 to 85 C; storage temperature", 10)
    p.text(56, 290, "Package Dimensions", 11, True).text(70, 306, "Tolerance is 0.25 mm unless noted", 10)
    return w.save(tmp_path / "datasheet.pdf")


def sds_page(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 40, "SAC305 No Clean Solder Wire 4900 - Safety Data Sheet", 11, True)
    p.text(56, 80, "Section 15: Regulatory Information", 11, True)
    p.text(56, 100, "California Proposition 65: this product does not contain any of the listed substances.", 10)
    p.text(56, 130, "RoHS (Restriction of Hazardous Substances Directive)", 10)
    p.text(56, 144, "This product does not contain any lead, cadmium or mercury and complies with European RoHS.", 10)
    p.text(56, 180, "Section 16: Other Information", 11, True)
    p.text(56, 200, "SDS prepared by the Regulatory Department. Date of Revision: 06 March 2020", 10)
    p.text(56, 214, "Supersedes: 09 July 2019. Section continued on the next page.", 10)
    return w.save(tmp_path / "sds.pdf")


def photo_like(tmp_path: Path) -> Path:
    w = PdfWriter()
    w.page().text(120, 300, "PA66 ROHS", 12).text(120, 320, "M3 x 8 100 pcs", 10)
    return w.save(tmp_path / "photo.pdf")


@pytest.mark.parametrize("build, words", [(datasheet, "product datasheet"), (sds_page, "safety data sheet"),
                                          (photo_like, "photo")])
def test_non_declarations_are_refused_with_what_to_upload(tmp_path: Path, build, words: str) -> None:
    with pytest.raises(ExtractionError) as refused:
        extract_file(build(tmp_path))
    assert refused.value.code == "not_a_declaration"
    assert words in refused.value.reason
    assert "upload" in refused.value.reason


def test_the_command_line_exits_2_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ingestion", "extract", str(datasheet(tmp_path))], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == ("This looks like a product datasheet, not a declaration — upload the "
                                   "declaration or certificate itself")


def test_a_short_declaration_is_not_taken_for_a_photo(tmp_path: Path) -> None:
    w = PdfWriter()
    w.page().text(56, 60, "We hereby declare that part KX-1 is RoHS compliant. Kite GmbH, 2025-01-02", 10)
    assert extract_file(w.save(tmp_path / "short.pdf"))["document_type"] == "rohs"


# A laboratory's EMC / safety certificate, a sample certificate and a REACH registration quote
# declaring words ("hereby declares", "this is to certify"): what the file is refuses it, and a
# maker's own declaration naming the same standards or words is still read.

def lab_emc_attestation(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "ATTESTATION OF CONFORMITY", 16, True)
    p.text(56, 90, "Attestation number: AOC-KS-2016-0142", 10).text(56, 104, "Date of issue: 2016-07-14", 10)
    p.text(56, 118, "Product: Smart card reader", 10).text(56, 132, "Model(s): R-301", 10)
    p.text(56, 146, "Applicant: Huaxin Technologies Co., Ltd., Beijing, China", 10)
    p.text(56, 172, "Bayside Compliance Laboratories hereby declares that the submitted sample(s) of the above", 9)
    p.text(56, 184, "equipment has been tested for CE-marking in accordance with the following directives and standards:", 9)
    p.text(56, 204, "EMC Directive 2014/30/EU", 10)
    p.text(56, 218, "Harmonized standards        Test report number", 10)
    p.text(56, 232, "EN 55032:2015               RKS160712007", 10).text(56, 246, "EN 55035:2017               RKS160712007", 10)
    p.text(56, 272, "The mark is permitted only after the manufacturer's issuance of a declaration of conformity;", 9)
    p.text(56, 284, "the declaration of conformity is issued under sole responsibility of the manufacturer.", 9)
    p.text(56, 320, "Attestation by: J. Huang, Lab Manager   Signature", 10)
    return w.save(tmp_path / "attestation.pdf")


def cb_test_certificate(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "CB TEST CERTIFICATE", 16, True)
    p.text(56, 90, "Product: Data acquisition and processing unit", 10)
    p.text(56, 104, "Name and address of the applicant: Soca Instruments d.o.o., Velika pot 22, Solkan, Slovenia", 9)
    p.text(56, 118, "Ratings and principal characteristics: 5 V DC", 10).text(56, 132, "Model / type ref.: V1.1", 10)
    p.text(56, 158, "A sample of the product was tested and found to be in conformity with IEC 62368-1:2014", 9)
    p.text(56, 170, "as shown in the test report ref. no. T251-0199/14 which forms part of this certificate.", 9)
    p.text(56, 196, "This CB Test Certificate is issued by the National Certification Body", 9)
    p.text(56, 222, "Date: 2014-03-05   Signature: A. Preger", 10)
    return w.save(tmp_path / "cb.pdf")


def lab_certificate_of_conformity(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "CERTIFICATE OF CONFORMITY", 16, True)
    p.text(56, 90, "Certificate No.: HTT202110371E", 10)
    p.text(56, 104, "Applicant: Polyhex Technology Company Limited", 10)
    p.text(56, 118, "Product: LoRa board", 10).text(56, 132, "Model No.: EMB-AS-03", 10)
    p.text(56, 158, "The following products have been tested by us with listed standards and found in compliance", 9)
    p.text(56, 170, "with the council EMC directive 2014/30/EU. It is possible to use CE marking.", 9)
    p.text(56, 196, "Test standards: EN 55032:2015, EN 55035:2017, EN IEC 61000-3-2:2019, EN 61000-3-3:2013", 9)
    p.text(56, 222, "Date: 2021-11-02   Shenzhen Testing Technology Co., Ltd.", 10)
    return w.save(tmp_path / "coc.pdf")


def sample_certificate(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "CERTIFICATE", 18, True)
    p.centred(90, "This is to certify that the management system of", 10)
    p.centred(110, "Lorem Ipsum Manufacturing Ltd", 14, True)
    p.centred(140, "has been assessed and found to conform to ISO 9001:2015", 10)
    p.text(56, 180, "Certificate number: 0000000   Valid until: 2027-01-01", 10)
    p.centred(240, "SAMPLE CERTIFICATE - FOR ILLUSTRATION ONLY", 12, True)
    return w.save(tmp_path / "sample.pdf")


def reach_registration(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "Certificate of REACH Registration", 16, True)
    p.text(56, 90, "This is to certify that the substance below has been registered under Regulation (EC)", 9)
    p.text(56, 102, "No 1907/2006 (REACH) with the European Chemicals Agency (ECHA), Article 20.", 9)
    p.text(56, 128, "Substance: zinc oxide   EC number: 215-222-5", 10)
    p.text(56, 142, "Registration number: 01-2119463881-32-0012", 10)
    p.text(56, 156, "Submission number: LA123456-78   Tonnage band: 100-1000 t/y", 10)
    p.text(56, 170, "Registrant: Weisser Chemie GmbH, Köln, Germany", 10)
    p.text(56, 196, "Date: 2019-05-06", 10)
    return w.save(tmp_path / "registration.pdf")


def pfas_statement(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 40, "Solkan, 14.01.2026", 10)
    p.text(56, 60, "Subject: PFAS Identification Statement", 12, True)
    p.text(56, 90, "Based on material declarations from our suppliers, Kite Elektronik GmbH declares that the", 9)
    p.text(56, 102, "supplied articles do not contain intentionally added per- and polyfluoroalkyl substances (PFAS).", 9)
    p.text(56, 114, "This statement supports customer requirements under emerging PFAS restrictions, including the", 9)
    p.text(56, 126, "proposed universal PFAS restriction under REACH (EC) No 1907/2006.", 9)
    p.text(56, 152, "Product: STEMlab 125-14, SDRlab 122-16", 10)
    p.text(56, 186, "Authorized signature: Jana Kite, CTO", 10)
    return w.save(tmp_path / "pfas.pdf")


def audit_summary(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "Audit Report - Summary", 16, True)
    p.text(56, 90, "Organisation: Kite Elektronik GmbH, Bremen   Standard: ISO 9001:2015", 10)
    p.text(56, 104, "Audit type: surveillance audit 1   Audit date: 2024-05-13   Lead auditor: P. Novak", 10)
    p.text(56, 130, "Audit findings: 0 major nonconformities, 2 minor nonconformities, 3 opportunities for improvement", 9)
    p.text(56, 142, "Corrective actions are to be submitted within 30 days. The team recommends continued certification.", 9)
    p.text(56, 168, "Certification body: DQS GmbH, certificate no. 44 100 2101", 10)
    return w.save(tmp_path / "audit.pdf")


def drawing(tmp_path: Path) -> Path:
    w = PdfWriter()
    p = w.page()
    p.text(56, 40, "HOUSING, SENSOR  KX-10", 12, True)
    p.text(56, 300, "Unless otherwise specified: all dimensions in mm, general tolerances ISO 2768-m", 9)
    p.text(56, 314, "Third angle projection   Scale 2:1   Do not scale drawing   Material: PA66 GF30, RoHS compliant", 9)
    p.text(56, 328, "Drawn by: M. Ruiz   Checked by: A. Berg   Drawing No: KX-10-001 rev C   Sheet 1 of 1", 9)
    return w.save(tmp_path / "drawing.pdf")


@pytest.mark.parametrize("build, words", [
    (pfas_statement, "statement about other substances"),
    (audit_summary, "audit report"),
    (drawing, "technical drawing"),
    (lab_emc_attestation, "EMC or electrical-safety test certificate"),
    (cb_test_certificate, "EMC or electrical-safety test certificate"),
    (lab_certificate_of_conformity, "EMC or electrical-safety test certificate"),
    (sample_certificate, "sample or placeholder"),
    (reach_registration, "REACH registration of a substance")])
def test_what_a_file_is_refuses_it_whatever_declaring_words_it_quotes(tmp_path: Path, build, words: str) -> None:
    with pytest.raises(ExtractionError) as refused:
        extract_file(build(tmp_path))
    assert refused.value.code == "not_a_declaration"
    assert words in refused.value.reason
    assert "upload" in refused.value.reason


def test_a_declaration_of_conformity_that_says_its_product_was_tested_to_emc_standards_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "DECLARATION OF CONFORMITY", 16, True)
    p.text(56, 90, "Manufacturer: Kite Elektronik GmbH, Am Hafen 3, 28217 Bremen, Germany", 10)
    p.text(56, 104, "Product: USB smart card reader   Model: KR-10", 10)
    p.text(56, 130, "The product has been tested by an accredited laboratory (test report R-2207, submitted sample(s))", 9)
    p.text(56, 142, "and complies with the EMC Directive 2014/30/EU and the Low Voltage Directive 2014/35/EU:", 9)
    p.text(56, 162, "EN 55032:2015, EN 55035:2017, EN 61000-3-2:2019, EN 62368-1:2014", 10)
    p.text(56, 196, "Bremen, 2024-02-01   Jana Kite, Managing Director   Signature", 10)
    result = extract_file(w.save(tmp_path / "doc.pdf"))
    assert result["document_type"] == "declaration_of_conformity"
    assert "2014/30/EU" in result["record"]["directives"]


def test_a_rohs_declaration_citing_its_standard_and_a_tested_sample_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "RoHS Declaration", 16, True)
    p.text(56, 90, "We, Kite Elektronik GmbH, hereby declare that the product KR-10 smart card reader", 9)
    p.text(56, 102, "complies with Directive 2011/65/EU as amended by (EU) 2015/863. A sample was tested", 9)
    p.text(56, 114, "(test report R-2207); technical documentation per EN IEC 63000 / EN 50581.", 9)
    p.text(56, 126, "The reader also meets EN 55032 and EN 62368-1 (CE, EMC directive 2014/30/EU).", 9)
    p.text(56, 160, "Bremen, 2024-02-01   Jana Kite, Managing Director", 10)
    assert extract_file(w.save(tmp_path / "rohs.pdf"))["document_type"] == "rohs"


def test_a_certificate_whose_scope_names_samples_and_illustration_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "CERTIFICATE", 18, True)
    p.centred(90, "This is to certify that the management system of", 10)
    p.centred(110, "Brightline Labs Ltd", 14, True)
    p.centred(140, "has been assessed and found to conform to ISO 9001:2015", 10)
    p.text(56, 170, "Scope: sample preparation, technical illustration and testing of product samples", 10)
    p.text(56, 190, "Certificate number: 44 100 2101   Valid until: 2027-01-01   Issued by: DQS GmbH", 10)
    assert extract_file(w.save(tmp_path / "cert.pdf"))["document_type"] == "certificate"


def test_a_reach_declaration_that_gives_registration_numbers_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "REACH Declaration", 16, True)
    p.text(56, 90, "We, Weisser Chemie GmbH, hereby declare that our zinc oxide powder does not contain any", 9)
    p.text(56, 102, "substance of very high concern (SVHC) on the Candidate List of Regulation (EC) No 1907/2006", 9)
    p.text(56, 114, "above 0.1 % w/w. The substance is registered with ECHA, registration number 01-2119463881-32.", 9)
    p.text(56, 148, "Köln, 2025-01-10   Dr. Hans Weisser, Managing Director", 10)
    assert extract_file(w.save(tmp_path / "reach.pdf"))["document_type"] == "reach_svhc"


def test_a_rohs_declaration_that_also_states_halogen_and_pfas_content_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "Halogen-free, PFAS and RoHS Declaration", 16, True)
    p.text(56, 90, "We, Kite Elektronik GmbH, hereby declare that the product KR-10 complies with Directive", 9)
    p.text(56, 102, "2011/65/EU as amended by (EU) 2015/863, is halogen-free and contains no intentionally added PFAS.", 9)
    p.text(56, 136, "Bremen, 2024-02-01   Jana Kite, Managing Director", 10)
    assert extract_file(w.save(tmp_path / "rohs.pdf"))["document_type"] == "rohs"


def test_a_certificate_issued_after_an_audit_that_names_its_findings_is_read(tmp_path: Path) -> None:
    w = PdfWriter()
    p = w.page()
    p.centred(50, "CERTIFICATE", 18, True)
    p.centred(90, "This is to certify that the management system of", 10)
    p.centred(110, "Kite Elektronik GmbH", 14, True)
    p.centred(140, "has been assessed and found to conform to ISO 9001:2015", 10)
    p.text(56, 170, "Audit report no. AR-2211; all nonconformities and audit findings were closed.", 9)
    p.text(56, 190, "Certificate number: 44 100 2101   Valid until: 2027-01-01   Issued by: DQS GmbH", 10)
    assert extract_file(w.save(tmp_path / "cert.pdf"))["document_type"] == "certificate"
