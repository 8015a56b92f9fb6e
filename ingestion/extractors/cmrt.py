"""CMRT (Conflict Minerals Reporting Template) 6.x: tantalum, tin, gold, tungsten.

Cell positions are the same in RMI's CMRT 6.01, 6.1x, 6.22, 6.31 and 6.5 templates; older
revisions (2.x-5.x) have other layouts: they are read by their English labels where the file
carries them, flagged for review, and otherwise refused with a clear "unsupported version".
"""

from __future__ import annotations

from ..registry import register
from ..xlsx.rmi_reader import RmiExtractor, RmiLayout, company_block

CMRT_6 = RmiLayout(
    name="CMRT", major=6,
    company_cells=company_block(8),                      # D8 company name .. D22 effective date
    metals=("tantalum", "tin", "gold", "tungsten"),
    question_rows=(26, 32, 38, 44, 50, 56, 62, 68),      # q1..q8, one row per metal
    company_question_rows=tuple(zip("abcdefgh", range(75, 90, 2))),
)


@register
class CmrtExtractor(RmiExtractor):
    document_type = "cmrt"
    template_name = "CMRT"
    layouts = {6: CMRT_6}
    oldest_major = 6
    reads_legacy_by_label = True      # CMRT 2.x-5.x: English labels, flagged for review
