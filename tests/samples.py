"""Sample records shared by the tests: the smallest valid record of each document type,
hand-written from SPEC §3 (the schemas must accept them)."""

VALID_RECORDS = {
    "cmrt": {"template": {"name": "CMRT", "version": "6.5"},
             "company": {"name": "Acme", "declaration_scope": "company", "effective_date": "2026-05-31",
                         "contact": {"name": "A B", "email": "a@acme.test"}, "authorizer": {"name": "C D"}},
             "answers": {"q1": {"tin": "yes"}}, "smelters": [{"metal": "tin", "name": "X", "smelter_id": "CID000001"}],
             "products": []},
    "certificate": {"scheme": "iso_9001", "certificate_number": "Q-1", "holder": {"name": "Acme"},
                    "issuer": {"name": "TÜV"}, "issue_date": "2025-01-01", "expiry_date": "2028-01-01"},
    "material_composition": {"product": {"part_number": "P-1"},
                             "materials": [{"name": "Copper", "percentage": 60}, {"name": "PA6", "percentage": 40}]},
    "rohs": {"supplier": {"name": "Acme"}, "declaration_date": "2026-01-01", "products": [{"part_number": "P-1"}],
             "rohs_compliant": True, "exemptions": ["6(c)"]},
    "reach_svhc": {"supplier": {"name": "Acme"}, "declaration_date": "2026-01-01",
                   "products": [{"part_number": "P-1"}], "candidate_list_date": "2025-06-25",
                   "svhc_above_threshold": False, "substances": []},
}
