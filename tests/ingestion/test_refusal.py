"""Files that are none of our declarations are refused with a reason the supplier can act on, and a
real declaration or certificate that mentions what they are (a datasheet, a test report, a notified
body's certificate, a product standard) is still read."""

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


# A laboratory's EMC / safety certificate, a sample certificate, a REACH registration, a statement
# about other substances, an audit summary, a drawing: what the file is refuses it whatever declaring
# words it quotes ("hereby declares", "this is to certify"), and a maker's own declaration naming
# the same standards or words is still read.

def page(tmp_path: Path, name: str, title: str, lines: tuple[str, ...]) -> Path:
    w = PdfWriter()
    p = w.page()
    p.centred(50, title, 16, True)
    for i, line in enumerate(lines):
        p.text(56, 90 + 14 * i, line, 9)
    return w.save(tmp_path / f"{name}.pdf")


#: Files that are none of our declarations: (title, lines, words of the reason they are refused with)
REFUSED_FOR_WHAT_THEY_ARE = {
    "lab_emc_attestation": ("ATTESTATION OF CONFORMITY", (
        "Attestation number: AOC-KS-2016-0142",
        "Date of issue: 2016-07-14",
        "Product: Smart card reader",
        "Model(s): R-301",
        "Applicant: Huaxin Technologies Co., Ltd., Beijing, China",
        "Bayside Compliance Laboratories hereby declares that the submitted sample(s) of the above",
        "equipment has been tested for CE-marking in accordance with the following directives and standards:",
        "EMC Directive 2014/30/EU",
        "Harmonized standards        Test report number",
        "EN 55032:2015               RKS160712007",
        "EN 55035:2017               RKS160712007",
        "The mark is permitted only after the manufacturer's issuance of a declaration of conformity;",
        "the declaration of conformity is issued under sole responsibility of the manufacturer.",
        "Attestation by: J. Huang, Lab Manager   Signature",
    ), "EMC or electrical-safety test certificate"),
    "cb_test_certificate": ("CB TEST CERTIFICATE", (
        "Product: Data acquisition and processing unit",
        "Name and address of the applicant: Soca Instruments d.o.o., Velika pot 22, Solkan, Slovenia",
        "Ratings and principal characteristics: 5 V DC",
        "Model / type ref.: V1.1",
        "A sample of the product was tested and found to be in conformity with IEC 62368-1:2014",
        "as shown in the test report ref. no. T251-0199/14 which forms part of this certificate.",
        "This CB Test Certificate is issued by the National Certification Body",
        "Date: 2014-03-05   Signature: A. Preger",
    ), "EMC or electrical-safety test certificate"),
    "lab_certificate_of_conformity": ("CERTIFICATE OF CONFORMITY", (
        "Certificate No.: HTT202110371E",
        "Applicant: Polyhex Technology Company Limited",
        "Product: LoRa board",
        "Model No.: EMB-AS-03",
        "The following products have been tested by us with listed standards and found in compliance",
        "with the council EMC directive 2014/30/EU. It is possible to use CE marking.",
        "Test standards: EN 55032:2015, EN 55035:2017, EN IEC 61000-3-2:2019, EN 61000-3-3:2013",
        "Date: 2021-11-02   Shenzhen Testing Technology Co., Ltd.",
    ), "EMC or electrical-safety test certificate"),
    "sample_certificate": ("CERTIFICATE", (
        "This is to certify that the management system of",
        "Lorem Ipsum Manufacturing Ltd",
        "has been assessed and found to conform to ISO 9001:2015",
        "Certificate number: 0000000   Valid until: 2027-01-01",
        "SAMPLE CERTIFICATE - FOR ILLUSTRATION ONLY",
    ), "sample or placeholder"),
    "reach_registration": ("Certificate of REACH Registration", (
        "This is to certify that the substance below has been registered under Regulation (EC)",
        "No 1907/2006 (REACH) with the European Chemicals Agency (ECHA), Article 20.",
        "Substance: zinc oxide   EC number: 215-222-5",
        "Registration number: 01-2119463881-32-0012",
        "Submission number: LA123456-78   Tonnage band: 100-1000 t/y",
        "Registrant: Weisser Chemie GmbH, Köln, Germany",
        "Date: 2019-05-06",
    ), "REACH registration of a substance"),
    "pfas_statement": ("Solkan, 14.01.2026", (
        "Subject: PFAS Identification Statement",
        "Based on material declarations from our suppliers, Kite Elektronik GmbH declares that the",
        "supplied articles do not contain intentionally added per- and polyfluoroalkyl substances (PFAS).",
        "This statement supports customer requirements under emerging PFAS restrictions, including the",
        "proposed universal PFAS restriction under REACH (EC) No 1907/2006.",
        "Product: STEMlab 125-14, SDRlab 122-16",
        "Authorized signature: Jana Kite, CTO",
    ), "statement about other substances"),
    "audit_summary": ("Audit Report - Summary", (
        "Organisation: Kite Elektronik GmbH, Bremen   Standard: ISO 9001:2015",
        "Audit type: surveillance audit 1   Audit date: 2024-05-13   Lead auditor: P. Novak",
        "Audit findings: 0 major nonconformities, 2 minor nonconformities, 3 opportunities for improvement",
        "Corrective actions are to be submitted within 30 days. The team recommends continued certification.",
        "Certification body: DQS GmbH, certificate no. 44 100 2101",
    ), "audit report"),
    "drawing": ("HOUSING, SENSOR  KX-10", (
        "Unless otherwise specified: all dimensions in mm, general tolerances ISO 2768-m",
        "Third angle projection   Scale 2:1   Do not scale drawing   Material: PA66 GF30, RoHS compliant",
        "Drawn by: M. Ruiz   Checked by: A. Berg   Drawing No: KX-10-001 rev C   Sheet 1 of 1",
    ), "technical drawing"),
    # Seen on documents companies publish (a certification body's listing or certificate, a notified
    # body's type examination, a specification for the customer's approval, weak declaring words only):
    # A directory page printed from a certification body's website: a maker's models under a
    # product category; a certificate's reader took its company name and file number for a certificate.
    "listing_card_printout": ("QQHM7.E480021 - Power Supplies - Component", (
        "2024/03/11   https://productiq.example.org/listing/QQHM7.E480021",
        "QQHM7.E480021",
        "Power Supplies - Component",
        "See General Information for Power Supplies - Component",
        "NORTHGATE POWER TECHNOLOGY CO LTD    E480021",
        "No. 18 Keji Road, Dongguan, Guangdong 523000 China",
        "Switching power supply, Model(s) NP-2405, NP-2410, NP-1220",
        "Marking: Company name, model designation and the Recognized Component Mark.",
        "Last Updated on 2023-11-02",
        "The appearance of a company's name or product in this database does not in itself assure",
        "that products so identified have been manufactured under the Follow-Up Service.",
        "Page Bottom",
    ), "register of certified products"),
    # A certification body's product safety certificate: the maker's evidence, not its declaration.
    "nrtl_certificate_of_compliance": ("CERTIFICATE OF COMPLIANCE", (
        "Certificate Number: 20240311-E480021   Report Reference: E480021-A12-UL",
        "Issue Date: 2024-03-11",
        "Issued to: Northgate Power Technology Co Ltd, Dongguan, China",
        "This is to certify that representative samples of the product as specified on this certificate",
        "were tested according to the current requirements of UL 1310, Class 2 Power Units, and",
        "CSA C22.2 No. 223. Product: switching power supply, models NP-2405, NP-2410.",
        "Only those products bearing the Listing Mark should be considered as being covered.",
        "Look for the Listing Mark on the product.   Authorized by: B. Miller, Certification Program Owner",
    ), "EMC or electrical-safety test certificate"),
    # National product safety certificates: China's compulsory certification, an Australian approval.
    "china_compulsory_certification_certificate": ("CHINA COMPULSORY PRODUCT CERTIFICATION CERTIFICATE", (
        "Certificate No.: 2024010907000001",
        "Name and address of the applicant: Kite Electronics (Shenzhen) Co., Ltd.",
        "Name of product: switching power adapter   Model: KP-2405",
        "Standards and technical requirements for the products: GB 4943.1-2022; GB/T 9254.1-2021",
        "Implementation rule for compulsory certification: CNCA-C09-01:2020",
        "Date of issue: 2024-03-11   Valid until: 2029-03-10   Kite Quality Certification Centre",
    ), "EMC or electrical-safety test certificate"),
    "australian_certificate_of_approval": ("CERTIFICATE OF APPROVAL", (
        "Certificate No.: KA-241122-EA   Issued: 2024-11-22",
        "This certificate of approval is issued to Kite Electronics Pty Ltd for the electrical article:",
        "switching power supply KP-2405, having been evaluated to AS/NZS 62368.1:2022.",
        "The approval mark may be applied to the article.   Certifier: Kite Approvals Pty Ltd",
    ), "EMC or electrical-safety test certificate"),
    "notified_body_type_examination": ("EU TYPE-EXAMINATION CERTIFICATE", (
        "Certificate No.: 2797/10234/PPE-24   Module B, Regulation (EU) 2016/425, Annex V",
        "Notified body 2797: Prüfinstitut Nord GmbH, Hamburg, Germany",
        "Manufacturer: Kite Workwear GmbH, Am Hafen 3, 28217 Bremen, Germany",
        "Product: safety shoe S3 SRC, model KW-300",
        "The type of PPE described above has been examined and meets the essential health and safety",
        "requirements of Annex II, on the basis of EN ISO 20345:2022 (test report PN-24-1187).",
        "Valid until: 2029-05-31   Hamburg, 2024-06-01   Dr. K. Brandt, Head of Certification Body",
    ), "type-examination"),
    # A notified body's certificate for a construction product under Regulation (EU) 305/2011.
    "notified_body_certificate_of_constancy_of_performance": ("CERTIFICATE OF CONSTANCY OF PERFORMANCE", (
        "1234-CPR-5678",
        "In compliance with Regulation (EU) No 305/2011 (the Construction Products Regulation), this",
        "certificate applies to the construction product external windows KW-70, placed on the market by",
        "Kite Fenster GmbH, Bremen. This certificate attests that all provisions concerning the assessment",
        "and verification of constancy of performance described in Annex ZA of EN 14351-1:2006+A2:2016",
        "under system 1 are applied and that the product fulfils all the prescribed requirements.",
        "First issued 2020-02-01.   Notified body 1234, Prüfinstitut Nord GmbH",
    ), "type-examination"),
    # A certification body's attestation for a machine: it names the directives and says the CE mark
    # needs the manufacturer's own EC declaration of conformity; a robot's "max. reach" is not REACH.
    "certification_body_attestation_for_a_machine": ("ATTESTATION CERTIFICATE", (
        "of Machinery, Electromagnetic Compatibility and Low Voltage Directives",
        "Technical file of the company mentioned below has been inspected and the audit completed.",
        "Company name: Kite Robotics Co., Ltd., Suzhou, China   Product name: collaborative robot",
        "Model: KR5, max. reach 922 mm   Related directives: 2006/42/EC, 2014/35/EU, 2014/30/EU",
        "Related standards: EN ISO 12100:2010, EN 60204-1:2006, EN 61000-6-3:2007",
        "Certificate number: M.2021.206.C63018   Expiry date: 23.03.2026",
        "The CE mark can only be used under the responsibility of the manufacturer with the completion",
        "of the EC declaration of conformity for all the relevant directives.",
    ), "type-examination or attestation certificate"),
    # A maker's specification with approval boxes for the customer: a datasheet in all but name.
    "specification_for_customer_approval": ("Li-ion Battery Pack Specification", (
        "Pack type: cell (2S2P) + PCM + housing   Cell model: 14500-800   Pack model: ID984",
        "Registered   Checked   Approved      2017-12-01",
        "Customer approve:   Dept.   Signature   Date",
        "1. Modified list  2. Scope  3. Cell specification  4. General performance",
        "5. Environment performance  6. Protection circuit  7. 2D drawing  8. Label  9. Packing",
        "Nominal voltage 7.4 V   Nominal capacity 1520 mAh   Cycle life 300 cycles",
    ), "datasheet"),
    # A laboratory's certificate of conformity says the CE mark needs the maker's declaration still
    # to be written ("after completion of an EU declaration of conformity"): naming it keeps no file.
    "lab_certificate_naming_the_makers_declaration_to_come": ("Certificate of Conformity", (
        "Certificate No.: KT-2026-0611E",
        "Applicant: Kite Energy Storage Co., Ltd., Xiamen, China",
        "Product: 12.8V230Ah LiFePO4 battery   Model No.: KE-LFP12230",
        "Test standards: EN IEC 61000-6-1:2019, EN IEC 61000-6-3:2021, EN 61000-3-2:2019",
        "The products have been tested by us with listed standards and found in compliance with the",
        "council EMC 2014/30/EU. This certificate of conformity is not transferable and based on an",
        "evaluation of a sample of the above mentioned product.",
        "The CE mark can be used, under the responsibility of the manufacturer, after completion of an EU",
        "Declaration of Conformity and compliance with all relevant EU directives.",
        "Signatory: K. Yang, Senior Manager   Date: Jun. 30, 2026",
    ), "EMC or electrical-safety test certificate"),
    # A certificate of analysis gives one batch's results; its "complies with the given
    # specifications" is about that batch, and a certificate's reader took it for a certificate.
    "certificate_of_analysis_for_a_batch": ("Certificate of Analysis", (
        "Cat. No.: KX-8490   Name: KX-069   CAS No.: 1234-56-7",
        "Batch No.: 2024-0111-A",
        "Analytical data",
        "Appearance: white to off-white solid powder   HNMR: consistent with structure",
        "Purity (HPLC): 99.77 %",
        "Conclusion: the product has been tested and complies with the given specifications.",
        "Storage: powder 2-8 C 2 years   Kite Chemicals Ltd., Guangzhou   tech@kite-chem.example",
    ), "certificate of analysis"),
    # A product's marketing sheet lists "RoHS compliant" among its benefits and industry approvals.
    "marketing_sheet_listing_rohs_among_its_benefits": ("KX-815 Immersion & Ultrasonic Detergent", (
        "An unrivaled combination of cleanability and material compatibility: KX-815 is the product",
        "of choice in most immersion and ultrasonic cleaning applications.",
        "Benefits: aerospace approved; water-based, dilutable formulation; extends bath life;",
        "in-process corrosion control; free rinsing.",
        "Greener 10 ways: no ozone depleting substances; biodegradable; recycles easily; RoHS compliant.",
        "Industry approvals & conformance: Airbus AIPI 09-01-003; Boeing BAC 5749; Honeywell EMS 53170.",
        "Kite Chemicals Inc., 1 Harbour Drive, Bremen",
    ), "brochure"),
    # A buyer's terms of purchase require RoHS, REACH and a certificate of conformity from the supplier:
    # "shall comply with" is a contract's clause, not a declaration.
    "terms_of_purchase_requiring_rohs_and_a_certificate": ("General Terms and Conditions of Purchase", (
        "1. Scope. These terms apply to all purchase orders issued by Kite Elektronik GmbH (the Buyer)",
        "to the Supplier. Deviating terms of the Supplier are not accepted.",
        "2. Quality. The Supplier shall deliver goods that comply with the specifications and with all",
        "applicable laws, in particular Directive 2011/65/EU (RoHS) and Regulation (EC) No 1907/2006 (REACH),",
        "and shall provide a certificate of conformity and a RoHS declaration with each first delivery.",
        "3. Warranty. The warranty period is 24 months from delivery.",
        "4. Liability and indemnification. The Supplier shall indemnify the Buyer against claims of third parties.",
        "5. Governing law and jurisdiction: German law; place of jurisdiction Bremen.",
    ), "terms and conditions"),
    # A quality manual says what suppliers declare and that the products are RoHS compliant.
    "quality_manual_naming_rohs": ("Quality Manual", (
        "Kite Elektronik GmbH   Document QM-01   Revision 7   Approved by: J. Kite, Managing Director",
        "1. Scope of the quality management system: design and manufacture of card readers.",
        "2. Quality policy: we are committed to customer satisfaction and continual improvement.",
        "3. Management responsibility, management review, internal audits and document control.",
        "4. Purchasing: suppliers are evaluated; they declare that parts comply with RoHS 2011/65/EU",
        "and REACH; we confirm that our products are RoHS compliant.",
        "5. Control of nonconforming product, corrective and preventive action.",
    ), "internal procedure or manual"),
    # A producer's WEEE registration: a number for the company, read as a certificate before.
    "weee_producer_registration": ("Registration Certificate", (
        "Stiftung Elektro-Altgeräte Register (stiftung ear) hereby confirms the registration of",
        "Kite Elektronik GmbH, Am Hafen 3, 28217 Bremen as producer of electrical and electronic equipment",
        "under the ElektroG (WEEE Directive 2012/19/EU).",
        "WEEE-Reg.-Nr. DE 12345678   Brand: KITE   Equipment type: small IT equipment (category 6)",
        "Date of registration: 2021-03-01",
    ), "company registration"),
    # Letters a supplier sends with its products: who may sell them, what changes, when they end.
    "letter_of_authorization_for_a_distributor": ("LETTER OF AUTHORIZATION", (
        "Date: 2025-03-01", "To whom it may concern,",
        "We, Kite Elektronik GmbH, manufacturer of KR-series card readers, hereby authorize",
        "Northgate Trading Co., Ltd. to act as our authorized distributor in Southeast Asia for the",
        "products listed below. This authorization is valid until 2026-12-31.",
        "Products: KR-10, KR-20 (RoHS compliant)",
        "Sincerely,  Jana Kite, Managing Director   Signature",
    ), "letter of authorisation"),
    "authorized_distributor_certificate": ("CERTIFICATE OF AUTHORIZED DISTRIBUTOR", (
        "This is to certify that Northgate Trading Co., Ltd. is an authorized distributor of",
        "Kite Elektronik GmbH products in Southeast Asia. Valid from 2025-01-01 to 2026-12-31.",
        "Certificate No.: AD-2025-017   Kite Elektronik GmbH, Bremen   Jana Kite, Managing Director",
    ), "distributor's certificate"),
    "product_change_notification": ("Product Change Notification PCN-2024-07", (
        "Dear valued customer,",
        "Kite Elektronik GmbH would like to inform you that the housing material of KR-10 changes from",
        "PA66 to PC/ABS from 2024-09-01. Form, fit and function are unchanged; the product remains",
        "compliant with RoHS 2011/65/EU and REACH. Last time buy of the old version: 2024-08-15.",
        "Best regards, Jana Kite, Quality Manager",
    ), "product change or discontinuation notice"),
    "end_of_life_notice": ("End of Life Notice", (
        "Dear customer, we regret to inform you that the product KR-10 is discontinued.",
        "Last time buy: 2025-06-30. Recommended replacement: KR-12, which is RoHS compliant.",
        "Sincerely, Kite Elektronik GmbH",
    ), "product change or discontinuation notice"),
    # Declaring words only in their weak sense: a signature line, the word "conformity" in a warning.
    "manual_with_only_weak_declaring_words": ("USER MANUAL - SMART PLUG SP-2", (
        "Thank you for choosing the SP-2. Keep this manual for later reference and hand it over with the",
        "product. Installation: plug the device into a grounded outlet and pair it with the app.",
        "Cleaning: unplug the device first and wipe it with a dry cloth; never immerse it in water.",
        "The CE mark shows the conformity of the product; a change to the device voids the warranty.",
        "Warranty card: buyer's name, date of purchase and dealer's stamp and signature.",
        "Disposal: take the device to a collection point for electrical equipment, not household waste.",
    ), "does not read like a declaration"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_FOR_WHAT_THEY_ARE))
def test_what_a_file_is_refuses_it_whatever_declaring_words_it_quotes(tmp_path: Path, name: str) -> None:
    title, lines, words = REFUSED_FOR_WHAT_THEY_ARE[name]
    with pytest.raises(ExtractionError) as refused:
        extract_file(page(tmp_path, name, title, lines))
    assert refused.value.code == "not_a_declaration"
    assert words in refused.value.reason
    assert "upload" in refused.value.reason


def test_a_declaration_of_conformity_that_says_its_product_was_tested_to_emc_standards_is_read(tmp_path: Path) -> None:
    result = extract_file(page(tmp_path, "doc", "DECLARATION OF CONFORMITY", (
        "Manufacturer: Kite Elektronik GmbH, Am Hafen 3, 28217 Bremen, Germany",
        "Product: USB smart card reader   Model: KR-10",
        "The product has been tested by an accredited laboratory (test report R-2207, submitted sample(s))",
        "and complies with the EMC Directive 2014/30/EU and the Low Voltage Directive 2014/35/EU:",
        "EN 55032:2015, EN 55035:2017, EN 61000-3-2:2019, EN 62368-1:2014",
        "Bremen, 2024-02-01   Jana Kite, Managing Director   Signature",
    )))
    assert result["document_type"] == "declaration_of_conformity"
    assert "2014/30/EU" in result["record"]["directives"]


KITE_SIGNED = "Bremen, 2024-02-01   Jana Kite, Managing Director"
ISO_9001_BY_DQS = ("This is to certify that the management system of Kite Elektronik GmbH",
                   "has been assessed and found to conform to ISO 9001:2015",
                   "Certificate number: 44 100 2101   Valid until: 2027-01-01   Issued by: DQS GmbH")
#: Declarations and certificates that use a refused kind's words: (title, lines, the type they are read as)
READ_DESPITE_THE_WORDS = {
    "rohs_citing_its_standard_and_a_tested_sample": ("RoHS Declaration", (
        "We, Kite Elektronik GmbH, hereby declare that the product KR-10 smart card reader",
        "complies with Directive 2011/65/EU as amended by (EU) 2015/863. A sample was tested",
        "(test report R-2207); technical documentation per EN IEC 63000 / EN 50581.",
        "The reader also meets EN 55032 and EN 62368-1 (CE, EMC directive 2014/30/EU).", KITE_SIGNED), "rohs"),
    "rohs_also_stating_halogen_and_pfas_content": ("Halogen-free, PFAS and RoHS Declaration", (
        "We, Kite Elektronik GmbH, hereby declare that the product KR-10 complies with Directive",
        "2011/65/EU as amended by (EU) 2015/863, is halogen-free and contains no intentionally added PFAS.",
        KITE_SIGNED), "rohs"),
    "reach_giving_registration_numbers": ("REACH Declaration", (
        "We, Weisser Chemie GmbH, hereby declare that our zinc oxide powder does not contain any",
        "substance of very high concern (SVHC) on the Candidate List of Regulation (EC) No 1907/2006",
        "above 0.1 % w/w. The substance is registered with ECHA, registration number 01-2119463881-32.",
        "Köln, 2025-01-10   Dr. Hans Weisser, Managing Director"), "reach_svhc"),
    "certificate_whose_scope_names_samples_and_illustration": ("CERTIFICATE", (
        *ISO_9001_BY_DQS, "Scope: sample preparation, technical illustration and testing of product samples"),
        "certificate"),
    "certificate_issued_after_an_audit_that_names_its_findings": ("CERTIFICATE", (
        *ISO_9001_BY_DQS, "Audit report no. AR-2211; all nonconformities and audit findings were closed."),
        "certificate"),    "doc_citing_a_notified_bodys_type_examination": ("EU DECLARATION OF CONFORMITY", (
        "Manufacturer: Kite Workwear GmbH, Am Hafen 3, 28217 Bremen, Germany",
        "Object of the declaration: safety shoe S3 SRC, model KW-300",
        "This declaration of conformity is issued under the sole responsibility of the manufacturer.",
        "The object of the declaration described above is in conformity with Regulation (EU) 2016/425.",
        "Harmonised standard: EN ISO 20345:2022. The notified body Prüfinstitut Nord GmbH (2797)",
        "performed the EU type-examination (Module B) and issued the EU type-examination certificate",
        "2797/10234/PPE-24.", KITE_SIGNED + "   Signature"), "declaration_of_conformity"),
    "rohs_declaration_naming_its_datasheet_and_test_report": ("RoHS Declaration", (
        "We, Kite Elektronik GmbH, hereby declare that the products listed in the datasheet KR-10",
        "rev. 3 comply with Directive 2011/65/EU as amended by (EU) 2015/863.",
        "Test report no. R-2207 (ICP-OES) is available on request.", KITE_SIGNED + "   Signature"), "rohs"),
    "rohs_report_of_analysis_quoting_its_terms_and_conditions": ("REPORT OF ANALYSIS", (
        "Certificate No. 05653/LAB   Date: May 2, 2019",
        "Client: PT Kite Karya, Ngoro Industri Persada Blok K-5-A, Mojokerto",
        "Type of sample: stainless steel flange   Quantity received: 5 pc   Packing: paper box",
        "Test required: RoHS, lead, cadmium and mercury as specified in Directive 2011/65/EU",
        "Period of analysis: April 8 up to 29, 2019",
        "Parameter        Method               Unit   MDL   Limit   Result   Conclusion",
        "Lead (Pb)        IEC 62321 ICP-OES    ppm    2     1000    39       Pass",
        "Cadmium (Cd)     IEC 62321 ICP-OES    ppm    1     100     2        Pass",
        "Mercury (Hg)     IEC 62321 AAS        ppm    1     1000    n.d.     Pass",
        "This report is issued under the laboratory's General Terms and Conditions of Service."), "rohs"),
    "reach_letter_with_only_weak_declaring_words": ("Kite Wire Co., 5610 Harbour Drive, Bremen", (
        "March 4, 2025",
        "REACH, Regulation (EC) No 1907/2006, addresses substances of very high concern (SVHC) on the",
        "Candidate List. Kite Wire Co. is a producer of articles. Kite Wire Co. does not intentionally use",
        "or add any of the 247 SVHC above 0.1 % weight, and our raw material suppliers do not either.",
        "Sincerely,", "Jana Kite, Quality Engineer"), "reach_svhc"),
    "rohs_certificate_of_analysis_with_passed_results": ("Certificate of Analysis", (
        "Sample: PA66 housing KX-10, lot 2407-11   Test required: RoHS, Directive 2011/65/EU and (EU) 2015/863",
        "Parameter   Method              Unit    MDL   Limit   Result   Conclusion",
        "Lead (Pb)   IEC 62321 ICP-OES   mg/kg   2     1000    n.d.     Pass",
        "Cadmium     IEC 62321 ICP-OES   mg/kg   2     100     n.d.     Pass",
        "Client: Kite Elektronik GmbH, Bremen   Date: 2024-08-02   Analyst: P. Novak"), "rohs"),
    "declaration_of_conformity_citing_the_completion_of_its_technical_file": ("EU DECLARATION OF CONFORMITY", (
        "Manufacturer: Kite Elektronik GmbH, Am Hafen 3, 28217 Bremen, Germany",
        "Product: USB smart card reader   Model: KR-10",
        "This declaration of conformity is issued under the sole responsibility of the manufacturer.",
        "The product was tested to EN 55032:2015 and EN 55035:2017 (EMC Directive 2014/30/EU) and",
        "the CE mark is affixed after completion of the EU declaration of conformity.",
        KITE_SIGNED + "   Signature"), "declaration_of_conformity"),
    "rohs_declaration_naming_its_products_applications_and_approvals": ("RoHS Compliance Statement", (
        "Kite Chemicals Inc. hereby declares that its detergent KX-815, approved for aerospace cleaning",
        "applications (Boeing BAC 5749), complies with Directive 2011/65/EU as amended by (EU) 2015/863;",
        "its benefits to our customers include that no exemption is used.",
        KITE_SIGNED + "   Signature"), "rohs"),
    "rohs_declaration_printing_the_weee_registration_and_terms": ("RoHS Declaration", (
        "We, Kite Elektronik GmbH, hereby declare that the product KR-10 complies with Directive",
        "2011/65/EU as amended by (EU) 2015/863. Our general terms and conditions of sale apply;",
        "warranty and liability are governed by them.", KITE_SIGNED,
        "Kite Elektronik GmbH   WEEE-Reg.-Nr. DE 12345678   registered at Amtsgericht Bremen"), "rohs"),
    "environmental_certificate_of_registration_for_a_weee_recycler": ("Certificate of Registration", (
        "This is to certify that the environmental management system of Kite Recycling Ltd, Leeds",
        "has been assessed and found to conform to ISO 14001:2015",
        "Scope: collection and treatment of WEEE; registered producer compliance scheme services",
        "Certificate number: EMS 700123   Valid until: 2027-01-01   Issued by: BSI"), "certificate"),
    "doc_naming_its_authorised_representative_in_the_first_lines": ("EU DECLARATION OF CONFORMITY", (
        "Authorised representative: Kite Distribution GmbH, Bremen (authorized distributor in the EU)",
        "Manufacturer: Kite Elektronik Co., Ltd., Shenzhen   Product: USB smart card reader KR-10",
        "This declaration of conformity is issued under the sole responsibility of the manufacturer.",
        "The object of the declaration is in conformity with Directives 2014/30/EU and 2011/65/EU.",
        KITE_SIGNED + "   Signature"), "declaration_of_conformity"),
    "rohs_and_elv_statement_naming_end_of_life_vehicles": ("RoHS and End of Life Vehicles Statement", (
        "Kite Elektronik GmbH confirms that the product KR-10 complies with Directive 2011/65/EU as",
        "amended by (EU) 2015/863 and with the End of Life Vehicles Directive 2000/53/EC; no change",
        "of material is planned.", KITE_SIGNED + "   Signature"), "rohs"),
    "doc_citing_a_certificate_of_constancy_of_performance": ("EU DECLARATION OF CONFORMITY", (
        "Manufacturer: Kite Fenster GmbH, Am Hafen 3, 28217 Bremen, Germany   Product: window drive KW-D2",
        "This declaration of conformity is issued under the sole responsibility of the manufacturer.",
        "The object of the declaration is in conformity with Directives 2014/35/EU and 2011/65/EU; the",
        "window it drives holds the certificate of constancy of performance 1234-CPR-5678.",
        KITE_SIGNED + "   Signature"), "declaration_of_conformity"),
    "management_certificate_of_approval_for_a_power_supply_maker": ("CERTIFICATE OF APPROVAL", (
        "This is to certify that the quality management system of Kite Electronics Pty Ltd, Sydney",
        "has been approved by Kite Register to ISO 9001:2015",
        "Scope: design and manufacture of power supplies evaluated to AS/NZS 62368.1 and GB 4943.1.",
        "Certificate number: 10234567   Valid until: 2027-01-01"), "certificate"),
    "management_certificate_whose_scope_names_a_product_standard": ("CERTIFICATE", (
        "This is to certify that the quality management system of Kite Medical GmbH, Bremen",
        "has been assessed and found to conform to ISO 13485:2016",
        "Scope: design and manufacture of medical electrical equipment tested to IEC 60601-1-2 and",
        "UL 60601-1; representative samples are evaluated by the design department.",
        "Certificate number: 44 100 2102   Valid until: 2027-01-01   Issued by: DQS GmbH"), "certificate"),
}


@pytest.mark.parametrize("name", sorted(READ_DESPITE_THE_WORDS))
def test_a_declaration_or_certificate_using_a_refused_kinds_words_is_read(tmp_path: Path, name: str) -> None:
    title, lines, document_type = READ_DESPITE_THE_WORDS[name]
    assert extract_file(page(tmp_path, name, title, lines))["document_type"] == document_type
