"""What a PDF is, from scored wording cues (data/document_kinds.json).

Detection needs positive evidence of a declaration: a file that reads like a datasheet, a safety
data sheet, a test report or a procedure page is refused with a reason the supplier can act on,
and never read as a RoHS declaration by default.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .labels import load
from .layout import fold

#: A kind of non-declaration wins over the declaration evidence when it scores at least this.
REFUSE_AT = 4


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load("document_kinds")


@lru_cache(maxsize=None)
def _pattern(cue: str) -> tuple[str, re.Pattern[str]]:
    """The folded cue, and the cue as a whole word: most cues are absent from a page, and a
    substring test rules them out ~10x faster than the regex."""
    folded = fold(cue)
    return folded, re.compile(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])")


def _found(cue: str, text: str) -> bool:
    folded, pattern = _pattern(cue)
    return folded in text and pattern.search(text) is not None


def _score(text: str, cues: dict[str, float]) -> float:
    return sum(weight for cue, weight in cues.items() if not cue.startswith("_") and _found(cue, text))


def normalised(text: str) -> str:
    return " ".join(fold(text).split())


def declaration_score(text: str) -> float:
    """How much the text reads like somebody declaring or certifying (0: not at all)."""
    return _score(normalised(text), _data()["declaration"]["cues"])


def type_score(text: str, document_type: str) -> float:
    """How much the text names the subject of one declaration type (RoHS, REACH, EU DoC); a
    phrase that only refers to another document ("… after completion of an EU Declaration of
    Conformity", a laboratory's RoHS certificate's small print) does not count."""
    return _score(_uncited(normalised(text)), _data()["types"][document_type])


def _uncited(text: str) -> str:
    """Normalised text without the phrases that name a declaration only to refer to another
    document (`cited_not_claimed`): a laboratory's "after completion of an EU Declaration of
    Conformity" is the maker's declaration still to be written, not this file's claim."""
    for cited in _data()["cited_not_claimed"]["phrases"]:
        text = _whole(cited).sub(" ", text)
    return text


#: A certificate names RoHS or REACH at least this strongly (see `type_score`) to be about them.
SUBSTANCES_AT = 4


def substance_certificate(text: str, document_type: str) -> bool:
    """A laboratory's "Test Certificate" / "Certificate" that a manufacturer's products meet RoHS
    or REACH (TÜV, SGS, Intertek, BACL …): the manufacturer's evidence for that declaration type,
    read as one, with the manufacturer (not the laboratory) as the supplier. A certificate that
    names a certification scheme (ISO 9001, OEKO-TEX, ISO 22000 …) is that scheme's, whatever
    substances its scope mentions."""
    folded = normalised(text)
    if type_score(text, document_type) < SUBSTANCES_AT:
        return False
    schemes = load("schemes")
    cues = [c for entry in schemes["schemes"].values() for c in entry["cues"]]
    cues += [entry["cue"] for entry in schemes["other_standards"]["entries"]]
    data = _data()["substance_certificates"]
    return not any(re.search(c, folded) for c in cues) \
        and not any(_found(w, folded) for w in data["not_if"] + data["hazardous_substance_management"])


def management_certificate(text: str) -> bool:
    """Does the text certify a hazardous-substance management system (IECQ QC 080000, HSPM)?"""
    folded = normalised(text)
    return any(_found(w, folded) for w in _data()["substance_certificates"]["hazardous_substance_management"])


def _passed(text: str, rule: dict[str, Any] | None) -> bool:
    """A test of the declaration types' subject (RoHS, REACH) whose only verdict is a pass."""
    if not rule or not any(type_score(text, t) >= SUBSTANCES_AT for t in rule["types"]):
        return False
    return any(_found(w, text) for w in rule["passed"]) and not any(
        _found(w, text) for w in rule["failed"])


def passed_test_report(text: str) -> bool:
    """A laboratory's RoHS / REACH test report whose verdict is "Pass": evidence read as a declaration."""
    text = normalised(text)
    return _passed(text, _data()["not_declarations"]["test_report"].get("unless_passed")) \
        and _score(text, _data()["not_declarations"]["test_report"]["cues"]) >= REFUSE_AT


@lru_cache(maxsize=None)
def _whole(cue: str) -> re.Pattern[str]:
    """A data file's regular expression, matched only as whole words."""
    return re.compile(rf"(?<![a-z0-9])(?:{cue})(?![a-z0-9])")


def _any(cues: list[str], text: str) -> bool:
    return any(_whole(cue).search(text) for cue in cues)


def _decisive(text: str) -> str | None:
    """The reason to refuse a file of a kind no declaring wording redeems (a laboratory's EMC
    certificate quotes "hereby declares"; a sample certificate "certifies"), or None."""
    data = _data()["decisive"]
    lines = text.splitlines()
    text = normalised(text)
    # The wordings that keep a file (a maker's declaration) are not read in a phrase that only
    # refers to a declaration still to be made by somebody else.
    claimed = _uncited(text)
    for kind in data.values():
        if not isinstance(kind, dict):
            continue
        head = normalised("\n".join(lines[:kind.get("title_lines", data["title_lines"])]))
        if all(_any(group, text) for group in kind["all_of"]) \
                and all(_any(group, head) for group in kind.get("title_all_of", [])) \
                and not _any(kind["none_of"], claimed) and not _any(kind.get("title_none_of", []), _uncited(head)):
            return kind["reason"]
    return None


def _head(raw: str) -> str:
    """The file's first lines (`titles.title_lines`), folded: where its title is."""
    return " ".join(_title_lines(raw))


def _titled_otherwise(kind: dict, head: str) -> bool:
    """Does a declaration's subject (RoHS, REACH, conformity) head the file, and not this kind's
    own wording? Then the wording of a policy, a brochure or an invoice further down (a REACH
    statement's small print naming "terms and conditions" and a "code of conduct") does not make
    the file one of those: only kinds marked `unless_titled` are set aside so."""
    titles = _data()["titles"]
    return (bool(kind.get("unless_titled"))
            and (_any(titles["substance_subjects"], head) or _any(titles["conformity"], head))
            and not any(_found(cue, head) for cue in kind["cues"]))


def _weigh(text: str, head: str = "") -> tuple[float, float, str]:
    """(declaration score, best non-declaration score, that kind's reason) of normalised text;
    `head`: the file's first lines (_head), which may set a kind aside (_titled_otherwise)."""
    data = _data()
    declared = _score(text, data["declaration"]["cues"])
    if _passed(text, data["not_declarations"]["test_report"].get("unless_passed")):
        declared += REFUSE_AT      # a RoHS / REACH test with a "Pass" verdict attests like a declaration
    kinds = [(_score(text, kind["cues"]), kind["reason"]) for kind in data["not_declarations"].values()
             if not any(_found(cue, text) for cue in kind.get("unless", []))
             and not _passed(text, kind.get("unless_passed"))
             and not _titled_otherwise(kind, head)]
    best, reason = max(kinds, default=(0.0, data["no_evidence_reason"]))
    return declared, best, reason


def states(text: str) -> bool:
    """Does the normalised text make a statement (a declaration cue of at least `statement_at`),
    or name a declaration type's subject strongly (RoHS, REACH SVHC, EU conformity: a supplier's
    letter that "does not intentionally use" SVHCs), rather than only weak declaring words?"""
    data = _data()
    cues = data["declaration"]["cues"]
    return any(weight >= data["statement_at"] and _found(cue, text) for cue, weight in cues.items()
               if not cue.startswith("_")) \
        or any(type_score(text, document_type) >= SUBSTANCES_AT for document_type in data["types"])


def refusal(text: str) -> str | None:
    """The reason to refuse a file that is none of our declarations; None when it may be one."""
    decisive = _decisive(text)
    if decisive:
        return decisive
    head = _head(text)
    text = normalised(text)
    data = _data()
    declared, best, reason = _weigh(text, head)
    if declared == 0 and len(re.findall(r"[a-z]{3,}", text)) < data["min_words"]:
        return data["photo_reason"]
    if best >= REFUSE_AT and best > declared:
        return reason
    if declared == 0 or not states(text):
        return reason if best > 0 else data["no_evidence_reason"]
    return None


def strongly_other(text: str) -> bool:
    """Does the text read more like a datasheet, SDS, test report or procedure than a declaration
    (or is it a kind no declaring wording redeems)?"""
    if _decisive(text):
        return True
    declared, best, _ = _weigh(normalised(text), _head(text))
    return best >= REFUSE_AT and best > declared


def _title_lines(text: str, key: str = "title_lines") -> list[str]:
    data = _data()["titles"]
    return [normalised(line) for line in text.splitlines()[:data[key]]]


def conformity_titled(text: str) -> bool:
    """Is the file titled a declaration of conformity (any EU language) about no substance
    subject ("CE, FCC - Declaration of Conformity", not "Declaration of Conformity to EU RoHS"),
    over a list of legislation beyond RoHS and REACH (a standard, a directive)? Such a file is an
    EU/CE declaration of conformity even when RoHS 2011/65/EU is one of its directives."""
    data = _data()["titles"]
    lines = _title_lines(text, "conformity_title_lines")     # below a letterhead's lines
    titled = any(_any(data["conformity"], line) and not _any(data["substance_subjects"], " ".join(lines[i:i + 2]))
                 for i, line in enumerate(lines))
    if not titled:
        return False
    body = normalised(text)
    return any(not any(s in m.group(0) for s in data["substance_legislation"])
               for cue in data["legislation"] for m in _whole(cue).finditer(body))


def reach_titled(text: str) -> bool:
    """Is the statement about REACH first: its title area names REACH / SVHC and not RoHS
    ("Subject: REACH"), or, titled about neither, it names REACH more than RoHS (an SVHC table and
    a sentence that the parts are RoHS compliant too)? Such a statement is the REACH one even when
    its body also confirms RoHS."""
    data = _data()["titles"]
    head = " ".join(_title_lines(text))
    if _any(data["rohs_subject"], head):
        return False
    return _any(data["reach_subject"], head) or type_score(text, "reach_svhc") > type_score(text, "rohs")
