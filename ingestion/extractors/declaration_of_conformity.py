"""EU declarations of conformity (CE marking), PDF: SPEC §3 `declaration_of_conformity`."""

from __future__ import annotations

import re
from pathlib import Path

from ..pdf.anchors import Found, cue_pattern
from ..pdf.company import legal_name
from ..pdf.conformity import directives, key_values, notified_body, standards
from ..pdf.dates import find_dates
from ..pdf.declaration import declaration_date, not_title, resolved_date, signatory, supplier
from ..pdf.evidence import conformity_titled, declaration_score, type_score
from ..pdf.fields import guess_warning, put, put_notes
from ..pdf.identifiers import country_of_address, has_legal_form, legal_form_end
from ..pdf.labels import load
from ..pdf.layout import PdfText, Word, fold
from ..pdf.ocr_quality import cap_poorly_read
from ..pdf.preflight import pdf_text
from ..registry import Extractor, Probe, register
from ..result import Extraction

#: The title or the legislation it names must say "EU/EC declaration of conformity" (data: document_kinds.json).
CLAIM_AT = 4
#: RoHS 2 and its amendment, by number: "RoHS directive (2011/65/EC)" misnames the suffix, not the act.
ROHS = re.compile(r"(?<!\d)(?:2011/65|2015/863)(?!\d)")
#: "- STEMlab X; where X can be 125-10, 125-14": a bullet's sentence about models, not a model.
LISTED_CLAUSE = re.compile(r"^[-•*–]\s|;|\bwhere\b", re.IGNORECASE)
#: A listed product name is one to this many words ("STEMlab", "Smart Plug Mini").
LISTED_WORDS = 3
#: "V2.0", "Rev. B", "Version 1.2": a revision of the product, not its model.
VERSION = re.compile(r"^(?:v|ver\.?|version|rev\.?|revision|hw|sw)\s*(?:\d+(?:\.\d+)*[a-z]?|[a-z])$", re.IGNORECASE)
#: A value that another label of the same field contradicts is kept, below the promise (0.9).
CONTESTED = 0.8
#: A value read at a label that nothing checks (a name without its legal form, an address without
#: its country, a product's description) is kept at most at this: read, but not promised.
UNCHECKED = 0.85


@register
class DeclarationOfConformityExtractor(Extractor):
    document_type = "declaration_of_conformity"
    file_kinds = ("pdf",)

    def detect(self, probe: Probe) -> float:
        if probe.kind != "pdf" or not declaration_score(probe.text):
            return 0.0
        # Above RoHS (0.9): a CE declaration that lists RoHS among its directives is still a DoC.
        claimed = type_score(probe.text, self.document_type) >= CLAIM_AT or conformity_titled(probe.text)
        return 0.95 if claimed else 0.0

    def extract(self, path: Path, probe: Probe) -> Extraction:
        doc = pdf_text(path, probe)
        ex = self.new_extraction()
        put_notes(ex, doc)
        pairs = key_values(doc)
        _put_supplier(ex, doc, pairs)
        _put_products(ex, pairs)
        if not ex.record.get("products"):
            for i, found in enumerate(_introduced_products(doc)):
                put(ex, ("products", i, "name"), found)
        found = directives(doc)
        for i, f in enumerate(found):
            put(ex, ("directives", i), f)
        for i, f in enumerate(standards(doc)):
            put(ex, ("standards", i), f)
        body = notified_body(doc)
        if body is not None:
            put(ex, ("notified_body",), body, value={k: v for k, v in body.value.items() if v})
        else:
            ex.put(("notified_body",), None, confidence=0.7, source=None)
        rohs = next((f for f in found if ROHS.search(f.value)), None)
        if rohs is not None:
            put(ex, ("rohs_compliant",), rohs, value=True)
        elif found:
            put(ex, ("rohs_compliant",), Found(found[0].words, 0.8), value=False)
        _put_date_place(ex, doc, pairs)
        name, role = signatory(doc)
        if name is not None:
            put(ex, ("signatory", "name"), name)
        if role is not None:
            put(ex, ("signatory", "title"), role)
        # a value read from a page OCR read poorly (a stamp, glare, blur) is no promise, as on a certificate
        cap_poorly_read(ex.fields, doc)
        guess_warning(ex)
        return ex


#: What may follow a maker's legal form before its address: a brand or trading name in brackets, then a comma.
AFTER_NAME = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?,")
#: A comma then a number: the value runs on into a street address ("…, 23 Simpson Loan", "…, Flat 3").
STILL_ADDRESS = re.compile(r",\s*(?:\w+\s){0,2}\d")


def _put_supplier(ex: Extraction, doc: PdfText, pairs: list) -> None:
    named = next((p for p in pairs if p.field == "supplier_name"), None)
    company = legal_name(named.value) if named is not None else not_title(supplier(doc))
    if company is None:
        return
    end = legal_form_end(company.value)
    if end is not None and AFTER_NAME.match(company.value[end:]):
        # "Fabricante: X S.L., Calle Mayor 5, Madrid", "X Ltd (brand), Flat 3, …": the address follows
        company.value = company.value[:end].strip()
    if not has_legal_form(company.value) or STILL_ADDRESS.search(company.value):
        # "Manufacturer: Responsible Person" reads like a name too; "X, 23 Simpson Loan" is a name and its address
        company.confidence = min(company.confidence, UNCHECKED)
    put(ex, ("supplier", "name"), company)
    address = next((p for p in pairs if p.field == "supplier_address"), None)
    if address is not None:
        code = country_of_address(address.value.value)
        if not code:            # an address is checked by the country it ends in
            address.value.confidence = min(address.value.confidence, UNCHECKED)
        put(ex, ("supplier", "address"), address.value)
        if code:
            put(ex, ("supplier", "country_code"), Found(address.value.words, 0.8), value=code)


def _put_products(ex: Extraction, pairs: list) -> None:
    """The product's model and name; where two labels give one of them different values
    ("Model designation" and "Product type"), the surer wording wins but is not promised. A model
    is checked by its shape (a code has a digit); a name is a description, promised only beside
    such a model that identifies the product."""
    picked: dict[str, Found] = {}
    for key in ("model", "name"):
        # "Type designation: V2.0": a hardware revision, not what the product is called or ordered by
        given = [p for p in pairs if p.field == key
                 and not (key == "model" and (VERSION.match(p.value.value) or LISTED_CLAUSE.search(p.value.value)))]
        if not given:
            continue
        pick = min(given, key=lambda p: p.rank)     # stable: the first of equal wordings
        if any(fold(p.value.value) != fold(pick.value.value) for p in given):
            pick.value.confidence = min(pick.value.confidence, CONTESTED)
        picked[key] = pick.value
    coded = "model" in picked and any(c.isdigit() for c in picked["model"].value)
    codes = _listed_codes(picked["model"].value) if "model" in picked else []
    for key, found in picked.items():
        if not coded:
            found.confidence = min(found.confidence, UNCHECKED)
        if len(codes) > 1:
            # "Model number: ORA-TOF-001, ORA-TOF-002" under "Product / name: TOFU V1.0, TOFU V1.1":
            # one product per code, each named by the name in the same place of its own list
            names = _listed_names(found.value) if key == "name" else codes
            if len(names) != len(codes):
                continue        # names that do not pair with the codes name no one product
        else:
            names = _listed_names(found.value) if key == "name" and "model" not in picked else [found.value]
        for i, name in enumerate(names):
            put(ex, ("products", i, key), found, value=name)


#: "… that the product with following identification:" — a declaring sentence that ends by
#: introducing the product, printed on the next line(s) without a label; OCR reads the colon as ";".
PRODUCT_INTRO = re.compile(r"\bproducts?\b.*[:：;]$")
#: At most this many product lines, each of at most this many words.
INTRODUCED_LINES, INTRODUCED_WORDS = 3, 4
#: Read by where it stands, not at a label: a guess to check.
INTRODUCED = 0.6


def _introduced_products(doc: PdfText) -> list[Found]:
    """The short lines right under a sentence that ends "the product …:" ("GPS-LoRaWAN"); a
    line that is a sentence, a label or a date ends them."""
    lines = list(doc.lines())
    for i, line in enumerate(lines):
        text = fold(line.text).strip()
        if len(text.split()) < 3 or not PRODUCT_INTRO.search(text):
            continue
        out: list[Found] = []
        for nxt in lines[i + 1:i + 1 + INTRODUCED_LINES]:
            value = nxt.text.strip(" ,;")
            if nxt.page != line.page or len(value.split()) > INTRODUCED_WORDS or not any(c.isalpha() for c in value) \
                    or re.search(r"[:：]", value) or find_dates(nxt.words) or value.endswith(".") \
                    or cue_pattern("title_words").search(fold(value)):     # a side column's "Declaration of"
                break
            out.append(Found(list(nxt.words), INTRODUCED, value))
        return out
    return []


def _listed_codes(value: str) -> list[str]:
    """"ORA-TOF-001, ORA-TOF-002": a family's model codes in one value, each one word with a digit;
    anything else ("TX-1, 65 W") stays one value."""
    parts = [p.strip() for p in re.split(r"[,;]|\s+(?:and|und|et|y)\s+", value) if p.strip()]
    if len(parts) < 2 or any(len(p.split()) != 1 or not any(c.isdigit() for c in p) for p in parts):
        return [value]
    return parts


def _listed_names(value: str) -> list[str]:
    """"Product: STEMlab, SDRlab, SIGNALlab": a declaration for a family names each product; a
    description with a comma ("Charger, 65 W USB-C") stays whole unless every part is a short name."""
    parts = [p.strip() for p in re.split(r",|\s+(?:and|und|et|y)\s+", value) if p.strip()]
    if len(parts) < 2 or any(len(p.split()) > LISTED_WORDS or not p[0].isalpha() for p in parts):
        return [value]
    return parts


def _declaration_pages(doc: PdfText) -> set[int] | None:
    """The pages of the declaration of conformity — each page titled one and the page after it,
    where its signature often runs on — when the file holds more pages than those (a datasheet
    with the DoC on its third page and test tables after it); None when that cannot be told."""
    titles = [re.compile(rf"(?<![a-z]){t}(?![a-z])") for t in load("document_kinds")["titles"]["conformity"]]
    titled = {p.number for p in doc.pages if any(t.search(fold(ln.text)) for ln in p.lines for t in titles)}
    pages = titled | {n + 1 for n in titled}
    return pages if titled and len(pages & {p.number for p in doc.pages}) < len(doc.pages) else None


def _put_date_place(ex: Extraction, doc: PdfText, pairs: list) -> None:
    # a "Date" column of a test table on another page of the file is not the declaration's date
    pages = _declaration_pages(doc)
    if pages is not None:
        pairs = [p for p in pairs if p.field != "date" or p.value.page in pages]
    for p in pairs:
        if p.field in ("date", "place"):
            tokens = p.value.value.split()
            hits = find_dates([Word(t, 0, 0, 0, 0, 0, 0) for t in tokens])
            if hits and "declaration_date" not in ex.record:
                when = resolved_date(doc, Found(p.value.words, p.value.confidence, hits[0].value),
                                     " ".join(tokens[hits[0].first:hits[0].last + 1]))
                put(ex, ("declaration_date",), when, value=when.value.isoformat())
            place = p.value.value.split(",")[0].strip() if p.field == "place" else ""
            if place and not find_dates([Word(t, 0, 0, 0, 0, 0, 0) for t in place.split()]):
                put(ex, ("place",), Found(p.value.words, 0.8), value=place)
    if "declaration_date" not in ex.record:
        elsewhere = set() if pages is None else {id(ln) for pg in doc.pages if pg.number not in pages for ln in pg.lines}
        when = declaration_date(doc, elsewhere)
        if when is not None:
            put(ex, ("declaration_date",), when, value=when.value.isoformat())
