"""Merkle roots over every passport's chain head, inclusion proofs, and the checks behind
`GET /verify/…` and `flask passports verify`.

Hashing follows RFC 6962 (Certificate Transparency): leaf = SHA-256(0x00 ‖ leaf text), node =
SHA-256(0x01 ‖ left ‖ right), so a leaf can never pass for a node. A level with an odd number of
nodes carries its last node up unchanged. The leaf text is "<passport id>:<chain length>:<head>",
leaves sorted by passport id. No external ledger: `anchored_at` stays null.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import func
from sqlmodel import Session, select

from portal.timeutil import iso, utcnow

from .chain import ChainCheck, backfill, verify_chain
from .models import ChainLink, MerkleRoot, Passport, PassportRevision

log = logging.getLogger(__name__)


def leaf_hash(passport_id: str, length: int, head: str) -> str:
    return hashlib.sha256(b"\x00" + f"{passport_id}:{length}:{head}".encode("ascii")).hexdigest()


def node_hash(left: str, right: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def tree_levels(leaves: list[str]) -> list[list[str]]:
    """Every level of the tree, leaves first, the root alone last."""
    levels = [leaves or [hashlib.sha256(b"").hexdigest()]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) if i + 1 < len(below) else below[i]
                       for i in range(0, len(below), 2)])
    return levels


def audit_path(levels: list[list[str]], index: int) -> list[dict[str, str]]:
    """The siblings from leaf `index` up to the root, each saying on which side it goes."""
    path = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append({"position": "left" if sibling < index else "right", "hash": level[sibling]})
        index //= 2
    return path


def root_from_path(leaf: str, path: list[dict[str, str]]) -> str:
    """What anyone can recompute from a proof: the root the leaf and its path lead to."""
    value = leaf
    for step in path:
        value = node_hash(step["hash"], value) if step["position"] == "left" else node_hash(value, step["hash"])
    return value


def chain_heads(session: Session) -> list[list[Any]]:
    """[passport id, chain length, head hash] of every chained passport, by passport id."""
    last = (select(ChainLink.passport_id, func.max(ChainLink.position).label("position"))
            .group_by(ChainLink.passport_id).subquery())
    rows = session.exec(select(ChainLink.passport_id, ChainLink.position, ChainLink.hash)
                        .join(last, (ChainLink.passport_id == last.c.passport_id)
                              & (ChainLink.position == last.c.position))
                        .order_by(ChainLink.passport_id)).all()
    return [[passport_id, position + 1, head] for passport_id, position, head in rows]


def compute_root(session: Session) -> MerkleRoot:
    """Chain anything not yet chained, then store a new root over all chain heads (not committed)."""
    chained = backfill(session)
    if chained:
        # expected once after the upgrade; later, rows without links mean links were deleted
        log.warning("merkle: chained %s revisions and events that had no link", chained)
    leaves = chain_heads(session)
    levels = tree_levels([leaf_hash(*leaf) for leaf in leaves])
    now = utcnow()
    row = MerkleRoot(day=now.strftime("%Y-%m-%d"), root=levels[-1][0], leaf_count=len(leaves), leaves=leaves,
                     computed_at=now)
    session.add(row)
    session.flush()
    return row


def latest_root(session: Session) -> Optional[MerkleRoot]:
    return session.exec(select(MerkleRoot).order_by(MerkleRoot.id.desc()).limit(1)).first()


def find_root(session: Session, value: Optional[str] = None, day: Optional[str] = None) -> Optional[MerkleRoot]:
    """An earlier root a verifier holds: by its value (64 hex digits) or by the UTC day it was
    computed (the day's last when the CLI made more than one). A root that changed nothing since
    the day before has the same value: the latest such row answers, with the same verdict."""
    query = select(MerkleRoot).where(MerkleRoot.root == value) if value else select(MerkleRoot).where(
        MerkleRoot.day == day)
    return session.exec(query.order_by(MerkleRoot.id.desc()).limit(1)).first()


def daily_root() -> str:
    """The worker's periodic job (hourly, idempotent): one root per UTC day."""
    from portal.db import session_scope
    from portal.settings import load_settings
    with session_scope(load_settings().database_url) as session:
        today = utcnow().strftime("%Y-%m-%d")
        if session.exec(select(MerkleRoot.id).where(MerkleRoot.day == today)).first() is not None:
            return f"merkle root for {today} already computed"
        row = compute_root(session)
        return f"merkle root {row.root} over {row.leaf_count} passports"


_TREES: dict[tuple[int, str], tuple[dict[str, int], list[list[str]]]] = {}


def _tree(row: MerkleRoot) -> tuple[dict[str, int], list[list[str]]]:
    """Per root: leaf index by passport id and the tree's levels, built once (a root never
    changes; keyed by id and value, so another database's root 1 is another tree)."""
    key = (row.id, row.root)
    if key not in _TREES:
        if len(_TREES) >= 4:
            _TREES.pop(next(iter(_TREES)))
        _TREES[key] = ({leaf[0]: i for i, leaf in enumerate(row.leaves)},
                       tree_levels([leaf_hash(*leaf) for leaf in row.leaves]))
    return _TREES[key]


def inclusion_proof(row: MerkleRoot, passport_id: str) -> Optional[dict[str, Any]]:
    """The proof that the passport's chain head as of `row` is in `row.root` (None: not in it)."""
    index_of, levels = _tree(row)
    index = index_of.get(passport_id)
    if index is None:
        return None
    _, length, head = row.leaves[index]
    return {"merkleRoot": row.root, "rootId": row.id, "computedAt": iso(row.computed_at),
            "anchoredAt": iso(row.anchored_at), "leafIndex": index, "leafCount": row.leaf_count,
            "chainLength": length, "chainHead": head, "leaf": levels[0][index],
            "path": audit_path(levels, index)}


@dataclass
class Verdict:
    """A passport's history checked against its chain and the latest Merkle root."""

    passport: Passport
    chain: ChainCheck
    root: Optional[MerkleRoot]
    proof: Optional[dict[str, Any]]
    matches_current_data: bool
    proof_valid: bool
    problems: list[str]

    def json(self) -> dict[str, Any]:
        """DPPespr's verification shape, plus what a person needs to act on a failure."""
        return {"passportId": self.passport.id, "gtin": self.passport.gtin, "lot": self.passport.lot,
                "serial": self.passport.serial, "version": self.passport.version,
                "matchesCurrentData": self.matches_current_data, "proofValid": self.proof_valid,
                "merkleRoot": self.root.root if self.root and self.proof else None,
                "rootComputedAt": iso(self.root.computed_at) if self.root and self.proof else None,
                "anchoredAt": iso(self.root.anchored_at) if self.root and self.proof else None,
                "chainLength": self.chain.length, "chainHead": self.chain.head,
                "problems": self.problems, "verifiedAt": iso(utcnow())}


def verify(session: Session, passport: Passport, root: Optional[MerkleRoot] = None) -> Verdict:
    """matchesCurrentData: every revision and event row still hashes to its link and the current
    revision is chained. proofValid: the chain recomputed from the rows reaches the head the root
    (the latest unless one is given) holds for this passport, and that leaf's path leads to the root."""
    check = verify_chain(session, passport)
    problems = list(check.problems)
    current = session.exec(select(PassportRevision.number).where(PassportRevision.passport_id == passport.id,
                                                                 PassportRevision.number == passport.version)).first()
    if current is None:
        problems.append(f"the current revision {passport.version} is missing")
    matches = check.intact and current is not None
    chosen = root
    root = root if root is not None else latest_root(session)
    proof = inclusion_proof(root, passport.id) if root is not None else None
    proof_valid = False
    if root is None:
        problems.append("no Merkle root has been computed yet")
    elif proof is None and chosen is not None:
        problems.append(f"the passport is not in the Merkle root of {root.day}: it was created after that root")
    elif proof is None:
        problems.append("the passport is newer than the latest Merkle root; the next daily root includes it")
    else:
        recomputed = check.hash_at(proof["chainLength"])
        path_ok = root_from_path(leaf_hash(passport.id, proof["chainLength"], proof["chainHead"]),
                                 proof["path"]) == root.root
        if recomputed != proof["chainHead"]:
            problems.append("the history no longer leads to the chain head the Merkle root holds")
        if not path_ok:
            problems.append("the inclusion proof does not lead to the Merkle root")
        proof_valid = recomputed == proof["chainHead"] and path_ok
    return Verdict(passport, check, root, proof, matches, proof_valid, problems)


class EarlierRoots:
    """Every stored root's chain heads, read once, for `flask passports verify`: a chain
    only grows, so the history must still lead to the head each earlier root holds. That catches
    a row altered and re-chained (its links deleted and rebuilt) after the first root."""

    def __init__(self, session: Session) -> None:
        rows = session.exec(select(MerkleRoot).order_by(MerkleRoot.id)).all()[:-1]   # `verify` checks the latest
        self.roots = [(row.day, {leaf[0]: (leaf[1], leaf[2]) for leaf in row.leaves}) for row in rows]

    def problems(self, check: ChainCheck) -> list[str]:
        found = []
        for day, heads in self.roots:
            if check.passport_id in heads:
                length, head = heads[check.passport_id]
                if check.hash_at(length) != head:
                    found.append(f"the history no longer leads to the chain head an earlier root ({day}) holds")
        return found[:1] + ([f"(and {len(found) - 1} more roots)"] if len(found) > 1 else [])
