"""What can happen in a deck: which cards the rules can draw, and whether a condition can
ever hold (or ever fail) given that — worked out conservatively, for the lint.

Meters stay within their `min..max`, `turn` runs `1..deck.turns`, `played('x')` needs a card
the rules can draw, `chose(seat, option)` an option on such a card, and a seat that chose
one option cannot also have chose another. Tests of the same meter, turn or seat joined by
`and` are intersected, so `turn >= 5 and turn <= 3` is caught; anything subtler is assumed
possible.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wargame.model import condition as cond
from wargame.model.deck import Card, Condition, Deck, Option

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
BOTH = frozenset({True, False})
Interval = tuple[float, float]  # inclusive; empty when lo > hi


def _constrain(lo: float, hi: float, op: str, v: float) -> Interval | None:
    """The integer values in lo..hi for which `x op v` holds, as an interval (None for !=)."""
    if op == "<":
        return lo, min(hi, math.ceil(v) - 1)
    if op == "<=":
        return lo, min(hi, math.floor(v))
    if op == ">":
        return max(lo, math.floor(v) + 1), hi
    if op == ">=":
        return max(lo, math.ceil(v)), hi
    if op == "==":
        return (v, v) if v == int(v) and lo <= v <= hi else (1, 0)
    return None


def _compare_ranges(a: Interval, op: str, b: Interval) -> frozenset[bool]:
    """The possible truth values of `x op y` for x in a and y in b."""
    (alo, ahi), (blo, bhi) = a, b
    can_true = {
        "<": alo < bhi,
        "<=": alo <= bhi,
        ">": ahi > blo,
        ">=": ahi >= blo,
        "==": alo <= bhi and blo <= ahi,
        "!=": not (alo == ahi == blo == bhi),
    }[op]
    can_false = {
        "<": ahi >= blo,
        "<=": ahi > blo,
        ">": alo <= bhi,
        ">=": alo < bhi,
        "==": not (alo == ahi == blo == bhi),
        "!=": alo <= bhi and blo <= ahi,
    }[op]
    return frozenset(v for v, ok in ((True, can_true), (False, can_false)) if ok)


@dataclass(frozen=True, slots=True)
class _Atom:
    """A test of one variable against a constant: the values of it that pass."""

    var: str  # a meter id, "turn", or "seat:<id>"
    allowed: Interval | frozenset[str]


class Analysis:
    """Which cards the rules can draw, and whether a condition can hold given that."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.turns = deck.deck.turns
        self.meters = {m.id: m for m in deck.meters}
        self.seats = set(deck.seat_ids())
        self.reachable: set[str] = set()
        self.queueable: set[str] = set()
        self.choosable: set[tuple[str, str]] = set()
        self._info: dict[str, tuple[frozenset[tuple[str, ...]], tuple[str, ...]]] = {}
        self._memo: dict[tuple[str, Any], tuple[frozenset[bool], list[str]]] = {}
        self._domains: dict[str, dict[str, frozenset[str]]] = {}
        self._fixpoint()

    # The least fixed point: start with nothing drawn and add every card that could come
    # up given what has been found so far, until nothing changes. Whether a condition can
    # hold only grows as the drawn, queued and chosen sets grow, so a card (or a drawn
    # card's rules) is looked at again only when a fact its conditions read is added:
    # linear in the deck, where re-scanning every card per round was quadratic in a chain
    # of follow-ups.
    def _fixpoint(self) -> None:
        by_id = {c.id: c for c in self.deck.cards}
        when_readers: dict[tuple[str, ...], list[Card]] = {}
        rule_readers: dict[tuple[str, ...], list[Card]] = {}
        for card in self.deck.cards:
            for fact in self.facts(card.when):
                when_readers.setdefault(fact, []).append(card)
            rules = [x.when for o in card.options for x in o.extra] + [j.when for j in card.joint]
            for fact in {f for c in rules for f in self.facts(c)}:
                rule_readers.setdefault(fact, []).append(card)
        todo: deque[tuple[bool, Card]] = deque((False, c) for c in self.deck.cards)
        # Red-cell rules may queue their cards whenever the state calls for it: taken as
        # queueable (conservatively; whether a rule ever fires is the simulated lint's job).
        self.queueable.update(r.card for r in self.deck.red_cell if r.card is not None)

        def add(fact: tuple[str, ...]) -> None:
            todo.extend((False, c) for c in when_readers.get(fact, ()))
            todo.extend((True, c) for c in rule_readers.get(fact, ()) if c.id in self.reachable)

        while todo:
            rules, card = todo.popleft()
            if not rules:
                if card.id in self.reachable:
                    continue
                if not (self._randomly_drawn(card) or card.id in self.queueable):
                    continue
                if True not in self.truth(card.when, None, []):
                    continue
                self.reachable.add(card.id)
                add(("played", card.id))
                for o in card.options:
                    if (o.seat, o.id) not in self.choosable:
                        self.choosable.add((o.seat, o.id))
                        add(("chose", o.seat, o.id))
            for target in self.queued_by(card):
                if target != card.id and target not in self.queueable:
                    self.queueable.add(target)
                    add(("queued", target))
                    if target in by_id:
                        todo.append((False, by_id[target]))

    def queued_by(self, card: Card) -> Iterable[str]:
        """Cards that resolving `card` can queue, through rules that can apply."""
        for opt in card.options:
            yield from opt.followups
            for extra in opt.extra:
                if True in self.truth(extra.when, self.domains(card, opt), []):
                    yield from extra.followups
        for joint in card.joint:
            if True in self.truth(joint.when, self.domains(card), []):
                yield from joint.followups

    @staticmethod
    def _randomly_drawn(card: Card) -> bool:
        return not card.followup_only and card.weight > 0

    def domains(self, card: Card, option: Option | None = None) -> dict[str, frozenset[str]]:
        """What each seat can have chosen while `card` resolves (one option if given)."""
        out = self._domains.get(card.id)
        if out is None:
            out = {s: frozenset(o.id for o in card.options_for(s)) for s in self.seats}
            self._domains[card.id] = out
        if option is not None:
            return {**out, option.seat: frozenset({option.id})}
        return out

    # --- one condition ---

    def facts(self, c: Condition | None) -> frozenset[tuple[str, ...]]:
        """What of the history a condition reads: ("played", card), ("queued", card) and
        ("chose", seat, option) for its played(), queued() and chose() calls."""
        return self._about(c)[0] if c is not None else frozenset()

    def _about(self, c: Condition) -> tuple[frozenset[tuple[str, ...]], tuple[str, ...]]:
        """The history facts a condition reads and the seats it names, found once per text."""
        info = self._info.get(c.text)
        if info is None:
            nodes = list(cond.walk(c.tree))
            facts = frozenset((n.func, *n.args) for n in nodes if isinstance(n, cond.Call))
            seats = {n.name for n in nodes if isinstance(n, cond.Name) and n.name in self.seats}
            info = self._info[c.text] = (facts, tuple(sorted(seats)))
        return info

    def truth(
        self, c: Condition | None, domains: dict[str, frozenset[str]] | None, why: list[str]
    ) -> frozenset[bool]:
        """The truth values `c` can take (absent: always true); reasons go into `why`."""
        if c is None:
            return frozenset({True})
        facts, seats = self._about(c)
        if facts:  # its value moves with what is drawn, queued and chosen: work it out
            return self._truth(c.tree, domains, why)
        # Otherwise it depends on the text and the choices open to the seats it names only:
        # decks repeat conditions, so work each out once.
        key = (c.text, None if domains is None else tuple(domains.get(s) for s in seats))
        hit = self._memo.get(key)
        if hit is None:
            reasons: list[str] = []
            hit = self._memo[key] = (self._truth(c.tree, domains, reasons), reasons)
        why.extend(hit[1])
        return hit[0]

    def _truth(
        self, node: cond.Node, domains: dict[str, frozenset[str]] | None, why: list[str]
    ) -> frozenset[bool]:
        if isinstance(node, cond.Bool):
            if not node.value:
                why.append("'false' never holds")
            return frozenset({node.value})
        if isinstance(node, cond.Not):
            inner = self._truth(node.item, domains, why)
            return frozenset(not v for v in inner)
        if isinstance(node, cond.And):
            parts = [self._truth(item, domains, why) for item in node.items]
            can_true = all(True in p for p in parts) and self._jointly_possible(
                node.items, domains, why
            )
            can_false = any(False in p for p in parts)
            return frozenset(v for v, ok in ((True, can_true), (False, can_false)) if ok)
        if isinstance(node, cond.Or):
            parts = [self._truth(item, domains, why) for item in node.items]
            can_true = any(True in p for p in parts)
            can_false = all(False in p for p in parts)
            return frozenset(v for v, ok in ((True, can_true), (False, can_false)) if ok)
        if isinstance(node, cond.Call):
            return self._call(node, why)
        if isinstance(node, cond.Compare):
            return self._compare(node, domains, why)
        return BOTH

    def _call(self, node: cond.Call, why: list[str]) -> frozenset[bool]:
        if node.func == "played":
            if node.args[0] not in self.reachable:
                why.append(f"card {node.args[0]!r} is never drawn")
                return frozenset({False})
        elif node.func == "queued":
            if node.args[0] not in self.queueable:
                why.append(f"nothing that can happen queues card {node.args[0]!r}")
                return frozenset({False})
        elif node.func == "chose":
            seat, option = node.args
            if (seat, option) not in self.choosable:
                why.append(f"{seat} has {option!r} only on cards that are never drawn")
                return frozenset({False})
        return BOTH

    def _range(self, node: cond.Node) -> Interval | None:
        if isinstance(node, cond.Num):
            return node.value, node.value
        if isinstance(node, cond.Name):
            if node.name == "turn":
                return 1, self.turns
            meter = self.meters.get(node.name)
            if meter is not None:
                return meter.min, meter.max
        return None

    def _describe(self, var: str) -> str:
        if var == "turn":
            return f"turn runs 1..{self.turns} in this deck"
        if var.startswith("seat:"):
            return f"{var[5:]} cannot have chosen that here"
        m = self.meters[var]
        return f"{var} stays within {m.min}..{m.max}"

    def _compare(
        self, node: cond.Compare, domains: dict[str, frozenset[str]] | None, why: list[str]
    ) -> frozenset[bool]:
        atom = self._atom(node, domains)
        if atom is not None:
            full = self._full(atom.var, domains)
            if isinstance(atom.allowed, frozenset):
                assert isinstance(full, frozenset)
                can_true, can_false = bool(atom.allowed), bool(full - atom.allowed)
            else:
                assert not isinstance(full, frozenset)
                lo, hi = atom.allowed
                can_true, can_false = lo <= hi, (lo, hi) != full
            if not can_true:
                why.append(self._describe(atom.var))
            return frozenset(v for v, ok in ((True, can_true), (False, can_false)) if ok)
        a, b = self._range(node.left), self._range(node.right)
        if a is not None and b is not None:
            result = _compare_ranges(a, node.op, b)
            if True not in result:
                why.append(f"{cond.show(node)} never holds")
            return result
        if isinstance(node.left, cond.Str) and isinstance(node.right, cond.Str):
            same = node.left.value == node.right.value
            value = same if node.op == "==" else not same
            if not value:
                why.append(f"{cond.show(node)} never holds")
            return frozenset({value})
        if node.op in ("==", "!=") and self._is_test(node.left) and self._is_test(node.right):
            left = self._truth(node.left, domains, why)
            right = self._truth(node.right, domains, why)
            eq = {x == y for x in left for y in right}
            return frozenset(eq if node.op == "==" else {not v for v in eq})
        return BOTH

    @staticmethod
    def _is_test(node: cond.Node) -> bool:
        return isinstance(node, cond.Bool | cond.Compare | cond.And | cond.Or | cond.Not) or (
            isinstance(node, cond.Call) and node.func != "band"
        )

    def _full(self, var: str, domains: dict[str, frozenset[str]] | None) -> Interval | frozenset:
        if var.startswith("seat:"):
            return (domains or {}).get(var[5:], frozenset())
        if var == "turn":
            return 1, self.turns
        m = self.meters[var]
        return m.min, m.max

    def _atom(self, node: cond.Node, domains: dict[str, frozenset[str]] | None) -> _Atom | None:
        """The test as a set of allowed values of one variable, if it is that simple."""
        if not isinstance(node, cond.Compare):
            return None
        left, right, op = node.left, node.right, node.op
        if isinstance(left, cond.Num | cond.Str):
            left, right, op = right, left, _FLIP[op]
        if isinstance(left, cond.Name) and isinstance(right, cond.Num):
            if left.name != "turn" and left.name not in self.meters:
                return None
            lo, hi = self._full(left.name, domains)  # type: ignore[misc]
            allowed = _constrain(lo, hi, op, right.value)
            return None if allowed is None else _Atom(left.name, allowed)
        if isinstance(right, cond.Str) and op in ("==", "!="):
            if isinstance(left, cond.Name) and domains is not None and left.name in domains:
                full = domains[left.name]
                allowed = full & {right.value} if op == "==" else full - {right.value}
                return _Atom(f"seat:{left.name}", allowed)
            if isinstance(left, cond.Call) and left.func == "band" and op == "==":
                meter = self.meters.get(left.args[0])
                if meter is not None:
                    return _Atom(meter.id, _band_interval(meter, right.value))
        return None

    def _jointly_possible(
        self,
        items: tuple[cond.Node, ...],
        domains: dict[str, frozenset[str]] | None,
        why: list[str],
    ) -> bool:
        """Whether the simple tests among `and`-ed items can all pass at once."""
        found: dict[str, list[_Atom]] = {}
        for item in items:
            atom = self._atom(item, domains)
            if atom is not None:
                found.setdefault(atom.var, []).append(atom)
        for var, atoms in found.items():
            if len(atoms) < 2:
                continue
            if isinstance(atoms[0].allowed, frozenset):
                sets = [a.allowed for a in atoms]
                empty = not frozenset.intersection(*sets)  # type: ignore[arg-type]
            else:
                lo = max(a.allowed[0] for a in atoms)  # type: ignore[index]
                hi = min(a.allowed[1] for a in atoms)  # type: ignore[index]
                empty = lo > hi
            if empty:
                name = var[5:] if var.startswith("seat:") else var
                why.append(f"no value of {name} passes every test on it joined by 'and'")
                return False
        return True


def _band_interval(meter, band: str) -> Interval:
    bounds = meter.band_bounds()
    lows = [low for _, low in bounds]
    for i, (name, low) in enumerate(bounds):
        if name == band:
            high = lows[i + 1] - 1 if i + 1 < len(lows) else meter.max
            # A later band with the same lower bound hides this one entirely.
            return (low, high) if low <= high else (1, 0)
    return 1, 0


def because(why: list[str]) -> str:
    seen = list(dict.fromkeys(why))
    return f" ({'; '.join(seen)})" if seen else ""
