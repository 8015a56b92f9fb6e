"""CRT (Cobalt Reporting Template) 2.x: one metal, six questions, company questions A-I."""

from __future__ import annotations

from ..registry import register
from ..xlsx.rmi_reader import RmiExtractor, RmiLayout, company_block

CRT_2 = RmiLayout(
    name="CRT", major=2,
    company_cells=company_block(8),                      # D8 .. D22, as in CMRT 6.x
    metals=("cobalt",),
    question_rows=(26, 32, 38, 44, 50, 56),
    company_question_rows=tuple(zip("abcdefghi", range(63, 80, 2))),
)


@register
class CrtExtractor(RmiExtractor):
    document_type = "crt"
    template_name = "CRT"
    layouts = {2: CRT_2}
    oldest_major = 2
