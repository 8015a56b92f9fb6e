"""The review screen's sections: a one-value field is not a section of its own whose title repeats
its only row's label ("Standard" above "Standard"); one-value fields share the document's section."""

from portal.review import sections


def _row(path: str, order: int) -> dict:
    return {"path": path, "order": order, "errors": [], "confidence": 0.95}


def test_one_value_fields_share_the_documents_section_and_objects_keep_their_own(app):
    rows = [_row("/scheme", 0), _row("/standard", 1), _row("/certificate_number", 2), _row("/holder/name", 3),
            _row("/holder/country", 4), _row("/issue_date", 5), _row("/expiry_date", 6)]
    with app.test_request_context():
        built = sections.build(rows, "certificate", None, {})
    assert [(s["key"], s["title"]) for s in built] == [("record", "Certificate"), ("holder", "Certificate holder")]
    assert [r["path"] for r in built[0]["rows"]] == ["/scheme", "/standard", "/certificate_number",
                                                     "/issue_date", "/expiry_date"]
    assert [r["path"] for r in built[1]["rows"]] == ["/holder/name", "/holder/country"]


def test_a_doubtful_value_still_comes_first(app):
    rows = [_row("/scheme", 0), {**_row("/expiry_date", 1), "confidence": 0.5}]
    with app.test_request_context():
        built = sections.build(rows, "certificate", None, {})
    assert [s["key"] for s in built] == ["attention", "record"]
    assert [r["path"] for r in built[0]["rows"]] == ["/expiry_date"]
