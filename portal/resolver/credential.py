"""A passport as a UNTP Digital Product Passport credential (JSON-LD); the linkset is in linkset.py.

Only what the passport holds is stated; absent elements are left out rather than filled with
placeholders, so a verifier never reads an invented value."""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlsplit

from portal.passports import lifecycle
from portal.passports.gtin import level
from portal.passports.models import Passport, PassportRevision
from portal.timeutil import iso

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://test.uncefact.org/vocabulary/untp/dpp/working/"]
GTIN_SCHEME = {"type": ["IdentifierScheme"], "id": "https://id.gs1.org/01/", "name": "Global Trade Item Number (GTIN)"}
# which UNTP conformity topic a certificate scheme speaks to
TOPICS = {"iso_9001": "governance.compliance", "iso_14001": "environment.emissions", "iso_45001": "social.safety",
          "iso_50001": "environment.energy", "gots": "circularity.content", "grs": "circularity.content",
          "oeko_tex_100": "social.safety", "fsc_coc": "environment.deforestation", "other": "governance.compliance"}
SCOPES = {"cradle_to_gate": "CradleToGate", "cradle_to_grave": "CradleToGrave"}


def _time(value: Any) -> Optional[str]:
    text = iso(value)
    return text.split(".")[0] + "Z" if text and "." in text else text


def _issuer(public_url: str, data: dict[str, Any]) -> dict[str, Any]:
    host = urlsplit(public_url).netloc.replace(":", "%3A") or "localhost"
    return {"type": ["CredentialIssuer"], "id": f"did:web:{host}",
            "name": (data.get("manufacturer") or {}).get("name") or "Supplier Declaration Portal"}


def _link(url: str, name: str, link_type: str) -> dict[str, Any]:
    return {"type": ["Link"], "linkURL": url, "linkName": name, "linkType": link_type}


def _party(data: dict[str, Any], link: str) -> Optional[dict[str, Any]]:
    maker = data.get("manufacturer")
    if not maker:
        return None
    party = {"id": maker.get("website") or f"{link}#manufacturer", "name": maker["name"]}
    if maker.get("registration_id"):
        party["registeredId"] = maker["registration_id"]
    return party


def _product(passport: Passport, data: dict[str, Any], link: str) -> dict[str, Any]:
    info = data.get("product") or {}
    registered = passport.gtin + (f".10.{passport.lot}" if passport.lot else "") + \
        (f".21.{passport.serial}" if passport.serial else "")
    product: dict[str, Any] = {"type": ["Product"], "id": link, "name": info.get("name") or f"GTIN {passport.gtin}",
                               "registeredId": registered, "idScheme": GTIN_SCHEME}
    optional = {"batchNumber": passport.lot, "serialNumber": passport.serial,
                "description": info.get("description"), "productionDate": info.get("production_date"),
                "countryOfProduction": info.get("country_of_production"), "producedByParty": _party(data, link)}
    product.update({k: v for k, v in optional.items() if v})
    if info.get("image_url"):
        product["productImage"] = _link(info["image_url"], info.get("name") or "Product image", "image")
    if info.get("weight_kg") is not None:
        product["dimensions"] = {"type": ["Dimension"], "weight": {"type": ["Measure"], "value": info["weight_kg"],
                                                                   "unit": "KGM"}}
    documents = [_link(d["url"], d.get("title") or d["doc_type"].replace("_", " "), d["doc_type"])
                 for d in data.get("documents") or []]
    if documents:
        product["furtherInformation"] = documents
    return product


def _claims(data: dict[str, Any], link: str) -> list[dict[str, Any]]:
    claims = []
    for i, cert in enumerate(data.get("certificates") or []):
        claim: dict[str, Any] = {
            "type": ["Claim", "Declaration"], "id": f"{link}#certificate-{i + 1}",
            "conformityTopic": TOPICS.get(cert["scheme"], "governance.compliance"),
            "description": f"{cert.get('standard') or cert['scheme']} certificate {cert['number']}"
                           + (f", valid until {cert['expiry_date']}" if cert.get("expiry_date") else ""),
            "referenceStandard": {"type": ["Standard"], "name": cert.get("standard") or cert["scheme"],
                                  "issuingParty": {"id": f"{link}#issuer-{i + 1}",
                                                   "name": cert.get("issuer") or "unknown"}}}
        if cert.get("issue_date"):
            claim["assessmentDate"] = cert["issue_date"]
        if cert.get("url"):
            claim["conformityEvidence"] = {"type": ["SecureLink", "Link"], "linkURL": cert["url"],
                                           "linkName": f"Certificate {cert['number']}", "linkType": "certificate"}
        claims.append(claim)
    compliance = data.get("compliance") or {}
    for key, regulation, statement in (
            ("rohs_compliant", "EU RoHS Directive 2011/65/EU", "RoHS compliant"),
            ("reach_svhc_above_threshold", "EU REACH Regulation (EC) 1907/2006", "SVHC above 0.1 % w/w")):
        if key in compliance:
            claims.append({"type": ["Claim", "Declaration"], "id": f"{link}#{key}", "conformityTopic": "governance.compliance",
                           "description": f"{statement}: {'yes' if compliance[key] else 'no'}",
                           "referenceRegulation": {"type": ["Regulation"], "name": regulation,
                                                   "administeredBy": {"id": "https://european-union.europa.eu",
                                                                      "name": "European Union"}}})
    return claims


def credential(passport: Passport, revision: PassportRevision, data: dict[str, Any], public_url: str,
               link: str, line: Optional[lifecycle.Timeline] = None) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": ["ProductPassport"], "id": f"{link}#passport",
                               "product": _product(passport, data, link),
                               "granularityLevel": level(passport.lot, passport.serial)}
    subject.update(lifecycle.jsonld(line, link))   # lifecycleStatus, lifecycleEvents
    claims = _claims(data, link)
    if claims:
        subject["conformityClaim"] = claims
    carbon = data.get("carbon_footprint")
    if carbon:
        subject["emissionsScorecard"] = {"type": ["EmissionsPerformance"], "carbonFootprint": carbon["value"],
                                         "declaredUnit": carbon.get("declared_unit") or "piece",
                                         "operationalScope": SCOPES.get(carbon.get("scope"), "None"),
                                         "primarySourcedRatio": carbon.get("primary_data_share", 0)}
    recycling = data.get("recyclability")
    if recycling:
        score: dict[str, Any] = {"type": ["CircularityPerformance"]}
        if recycling.get("recyclable_percentage") is not None:
            score["recyclableContent"] = recycling["recyclable_percentage"] / 100
        if recycling.get("recycled_content_percentage") is not None:
            score["recycledContent"] = recycling["recycled_content_percentage"] / 100
        if recycling.get("instructions_url"):
            score["recyclingInformation"] = _link(recycling["instructions_url"], "Recycling instructions", "recycling")
        subject["circularityScorecard"] = score
    if data.get("due_diligence"):
        subject["dueDiligenceDeclaration"] = _link(f"{link}#due-diligence", "Responsible minerals due diligence",
                                                   "dueDiligence")
    svhc = {s["cas_number"] for s in data.get("substances") or [] if s.get("svhc") and s.get("cas_number")}
    materials = []
    for m in data.get("materials") or []:
        material: dict[str, Any] = {"type": ["Material"], "name": m["name"], "massFraction": m["percentage"] / 100}
        if m.get("origin_country_code"):
            material["originCountry"] = m["origin_country_code"]
        if m.get("recycled_percentage") is not None:
            material["recycledMassFraction"] = m["recycled_percentage"] / 100
        if m.get("cas_number"):
            material["hazardous"] = m["cas_number"] in svhc
        materials.append(material)
    if materials:
        subject["materialsProvenance"] = materials
    return {"@context": CONTEXT, "type": ["DigitalProductPassport", "VerifiableCredential"],
            "id": f"{link}#v{revision.number}", "issuer": _issuer(public_url, data),
            "validFrom": _time(revision.created_at), "credentialSubject": subject}
