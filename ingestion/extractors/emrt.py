"""EMRT (Extended Minerals Reporting Template).

1.x covers cobalt and mica in fixed rows. 2.x lets the supplier choose up to six minerals
(D12:G13); every question then lists the chosen minerals alphabetically in a 10-row block,
and the Mine List sheet appears.
"""

from __future__ import annotations

from ..registry import register
from ..xlsx.rmi_reader import RmiExtractor, RmiLayout, company_block

EMRT_1 = RmiLayout(
    name="EMRT", major=1,
    company_cells=company_block(8),
    metals=("cobalt", "mica"),
    question_rows=(26, 32, 38, 44, 50, 56, 62),
    company_question_rows=tuple(zip("abcdefg", (69, 71, 73, 77, 79, 81, 83))),
    per_metal_company_questions=(("c", 74),),
)

EMRT_2 = RmiLayout(
    name="EMRT", major=2,
    company_cells=company_block(8, gap_after_scope=4),   # rows 12-15 hold the mineral scope
    scope_cells=("D12", "E12", "G12", "D13", "E13", "G13"),
    question_rows=(30, 42, 54, 66, 78, 90, 102),
    company_question_rows=tuple(zip("abcdefg", (115, 117, 119, 131, 133, 135, 137))),
    per_metal_company_questions=(("c", 120),),
    product_columns=("number", "name", "requester_number", "requester_name", "comments"),
    has_mine_list=True,
)


@register
class EmrtExtractor(RmiExtractor):
    document_type = "emrt"
    template_name = "EMRT"
    layouts = {1: EMRT_1, 2: EMRT_2}
    oldest_major = 1
