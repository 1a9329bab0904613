"""Deck lint: warnings about a deck that loads but would make a dull or broken seminar.

`wargame validate` finds decks that cannot be played; the lint finds decks that can be played
but should not be, yet: a card the rules can never reveal, an option that changes nothing or
is worse than another on every meter, a meter nothing moves, an ending that can never fire,
a card missing what the facilitator needs (notes, questions, sources).

Whether a condition can ever hold is worked out *conservatively*: a warning means it can
never hold; silence does not prove it can. Meters stay within their `min..max`, `turn` runs
`1..deck.turns`, `played('x')` needs a card the rules can draw, `chose(seat, option)` an
option on such a card, and a seat that chose one option cannot also have chose another.
Tests of the same meter, turn or seat joined by `and` are intersected, so
`turn >= 5 and turn <= 3` is caught; anything subtler is assumed possible. Facilitator picks
are outside the rules, so "never drawn" means never by a random draw or a follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from wargame.model import condition as cond
from wargame.model.deck import Card, Condition, Deck, Loc, Option
from wargame.store.decks import find_line, parse_deck, read_text

# Every kind of warning, with the one-line meaning shown by `wargame lint --codes`.
CODES: dict[str, str] = {
    "never-drawn": "a card whose `when` can never hold",
    "orphan-card": "a follow-up-only (or weight 0) card that nothing reachable queues",
    "dead-rule": "an extra or joint rule whose `when` can never hold",
    "no-op-option": "an option with no effects, extra rules or follow-ups",
    "dominated-option": "an option no better on any meter than another of the same seat, "
    "and worse on one",
    "unmoved-meter": "a meter that no option, extra or joint rule moves",
    "no-notes": "a card without facilitator notes",
    "no-questions": "a card without discussion questions",
    "no-sources": "a card without sources",
    "dead-ending": "an ending whose `when` can never hold",
    "instant-ending": "an ending whose `when` always holds, so the game ends on turn 1",
}


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One warning: what kind, about what (`card neo`), and where in the file."""

    code: str
    where: str
    message: str
    loc: Loc = ()
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(p for p in (place, self.where, self.message) if p)


# --- what can happen ----------------------------------------------------------------------

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


class _Analysis:
    """Which cards the rules can draw, and whether a condition can hold given that."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.turns = deck.deck.turns
        self.meters = {m.id: m for m in deck.meters}
        self.seats = set(deck.seat_ids())
        self.reachable: set[str] = set()
        self.queueable: set[str] = set()
        self.choosable: set[tuple[str, str]] = set()
        self._fixpoint()

    # The least fixed point: start with nothing drawn and add every card that could come
    # up given what has been found so far, until nothing changes.
    def _fixpoint(self) -> None:
        while True:
            self._derive()
            new = {
                c.id
                for c in self.deck.cards
                if c.id not in self.reachable
                and (self._randomly_drawn(c) or c.id in self.queueable)
                and True in self.truth(c.when, None, [])
            }
            if not new:
                return
            self.reachable |= new

    def _derive(self) -> None:
        self.choosable = {
            (o.seat, o.id) for c in self.deck.cards if c.id in self.reachable for o in c.options
        }
        self.queueable = set()
        for card in self.deck.cards:
            if card.id in self.reachable:
                for target in self.queued_by(card):
                    if target != card.id:
                        self.queueable.add(target)

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
        out = {s: frozenset(o.id for o in card.options_for(s)) for s in self.seats}
        if option is not None:
            out[option.seat] = frozenset({option.id})
        return out

    # --- one condition ---

    def truth(
        self, c: Condition | None, domains: dict[str, frozenset[str]] | None, why: list[str]
    ) -> frozenset[bool]:
        """The truth values `c` can take (absent: always true); reasons go into `why`."""
        if c is None:
            return frozenset({True})
        return self._truth(c.tree, domains, why)

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


def _because(why: list[str]) -> str:
    seen = list(dict.fromkeys(why))
    return f" ({'; '.join(seen)})" if seen else ""


# --- the checks ---------------------------------------------------------------------------


def _condition_refs(deck: Deck) -> tuple[set[tuple[str, str]], dict[str, set[tuple[str, str]]]]:
    """(seat, option) pairs named by chose() anywhere, and by seat tests per card."""
    chose: set[tuple[str, str]] = set()
    per_card: dict[str, set[tuple[str, str]]] = {}
    conditions: list[tuple[Card | None, Condition]] = [(None, e.when) for e in deck.endings]
    for card in deck.cards:
        if card.when is not None:
            conditions.append((None, card.when))
        conditions += [(card, x.when) for o in card.options for x in o.extra]
        conditions += [(card, j.when) for j in card.joint]
    seats = set(deck.seat_ids())
    for card, c in conditions:
        for node in cond.walk(c.tree):
            if isinstance(node, cond.Call) and node.func == "chose":
                chose.add((node.args[0], node.args[1]))
            elif isinstance(node, cond.Compare) and card is not None:
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(a, cond.Name) and a.name in seats and isinstance(b, cond.Str):
                        per_card.setdefault(card.id, set()).add((a.name, b.value))
    return chose, per_card


def _moves(effects: dict[str, int]) -> bool:
    return any(v != 0 for v in effects.values())


def lint_deck(deck: Deck) -> list[LintWarning]:
    """Every lint warning for a valid deck, in deck order (no file or line yet)."""
    a = _Analysis(deck)
    out: list[LintWarning] = []
    chose, seat_refs = _condition_refs(deck)
    named = {
        f
        for c in deck.cards
        for f in (
            *(f for o in c.options for f in o.followups),
            *(f for o in c.options for x in o.extra for f in x.followups),
            *(f for j in c.joint for f in j.followups),
        )
        if f != c.id
    }

    for i, card in enumerate(deck.cards):
        where = f"card {card.id}"
        loc: Loc = ("cards", i)
        why: list[str] = []
        if card.id not in a.reachable:
            if True not in a.truth(card.when, None, why):
                out.append(
                    LintWarning(
                        "never-drawn",
                        where,
                        f"can never be drawn: when {card.when}{_because(why)}",
                        (*loc, "when"),
                    )
                )
            elif card.id not in named:
                kind = "is follow-up only" if card.followup_only else "has weight 0"
                out.append(
                    LintWarning(
                        "orphan-card",
                        where,
                        f"can never be drawn: it {kind}, but no option, extra or joint "
                        "rule queues it",
                        loc,
                    )
                )
            else:
                out.append(
                    LintWarning(
                        "orphan-card",
                        where,
                        "can never be drawn: only rules that can never apply queue it",
                        loc,
                    )
                )
        else:
            out += _dead_rules(a, card, loc, where)
        refs = seat_refs.get(card.id, set())
        plain: list[tuple[int, Option]] = []
        for j, opt in enumerate(card.options):
            mentioned = (opt.seat, opt.id) in chose or (opt.seat, opt.id) in refs
            if not _moves(opt.effects) and not opt.extra and not opt.followups and not mentioned:
                out.append(
                    LintWarning(
                        "no-op-option",
                        where,
                        f"option {opt.seat}/{opt.id} changes nothing (no effects, extra rules "
                        "or follow-ups)",
                        (*loc, "options", j),
                    )
                )
            if not opt.extra and not opt.followups and not mentioned:
                plain.append((j, opt))
        out += _dominated(deck, plain, loc, where)
        for code, missing, text in (
            ("no-notes", not card.facilitator_notes.strip(), "no facilitator notes"),
            ("no-questions", not card.questions, "no discussion questions"),
            ("no-sources", not card.sources, "no sources"),
        ):
            if missing:
                out.append(LintWarning(code, where, text, loc))

    moved = {
        m
        for c in deck.cards
        for effects in (
            *(o.effects for o in c.options),
            *(x.effects for o in c.options for x in o.extra),
            *(j.effects for j in c.joint),
        )
        for m, v in effects.items()
        if v != 0
    }
    for i, meter in enumerate(deck.meters):
        if meter.id not in moved:
            out.append(
                LintWarning(
                    "unmoved-meter",
                    f"meter {meter.id}",
                    "no card moves this meter (no option, extra or joint rule changes it)",
                    ("meters", i),
                )
            )

    for i, ending in enumerate(deck.endings):
        why = []
        values = a.truth(ending.when, None, why)
        where = f"ending {ending.id}"
        if True not in values:
            out.append(
                LintWarning(
                    "dead-ending",
                    where,
                    f"can never fire: when {ending.when}{_because(why)}",
                    ("endings", i, "when"),
                )
            )
        elif False not in values:
            out.append(
                LintWarning(
                    "instant-ending",
                    where,
                    f"always fires, ending every game on turn 1: when {ending.when}",
                    ("endings", i, "when"),
                )
            )
    return out


def _dead_rules(a: _Analysis, card: Card, loc: Loc, where: str) -> list[LintWarning]:
    out = []
    for j, opt in enumerate(card.options):
        for k, extra in enumerate(opt.extra):
            why: list[str] = []
            if True not in a.truth(extra.when, a.domains(card, opt), why):
                out.append(
                    LintWarning(
                        "dead-rule",
                        where,
                        f"option {opt.seat}/{opt.id}: extra rule #{k + 1} can never apply: "
                        f"when {extra.when}{_because(why)}",
                        (*loc, "options", j, "extra", k, "when"),
                    )
                )
    for k, joint in enumerate(card.joint):
        why = []
        if True not in a.truth(joint.when, a.domains(card), why):
            out.append(
                LintWarning(
                    "dead-rule",
                    where,
                    f"joint rule #{k + 1} can never apply: when {joint.when}{_because(why)}",
                    (*loc, "joint", k, "when"),
                )
            )
    return out


def _dominated(
    deck: Deck, plain: list[tuple[int, Option]], loc: Loc, where: str
) -> list[LintWarning]:
    """Options beaten by another of the same seat on the card: no better anywhere, worse
    somewhere, on base effects (every meter counts as higher-is-better). Only options with
    no extra rules, follow-ups or mentions in conditions are compared: those can make a
    weaker-looking option worth choosing."""
    out = []
    order = [m.id for m in deck.meters]
    for j, opt in plain:
        for _, other in plain:
            if other is opt or other.seat != opt.seat:
                continue
            meters = set(opt.effects) | set(other.effects)
            diffs = {m: other.effects.get(m, 0) - opt.effects.get(m, 0) for m in meters}
            if all(d >= 0 for d in diffs.values()) and any(d > 0 for d in diffs.values()):
                worse = ", ".join(m for m in order if diffs.get(m, 0) > 0)
                out.append(
                    LintWarning(
                        "dominated-option",
                        where,
                        f"option {opt.seat}/{opt.id} is dominated by {other.id}: no better on "
                        f"any meter, worse on {worse}",
                        (*loc, "options", j),
                    )
                )
                break
    return out


# --- files --------------------------------------------------------------------------------


def locate(warnings: list[LintWarning], text: str, name: str) -> list[LintWarning]:
    """The warnings with file name and line filled in, sorted by line (stable)."""
    placed = [replace(w, file=name, line=find_line(text, w.loc)) for w in warnings]
    return sorted(placed, key=lambda w: w.line or 0)


def lint_text(text: str, name: str = "<deck>") -> tuple[Deck, list[LintWarning]]:
    """Load deck text (raising DeckError as `validate` does) and lint it."""
    deck = parse_deck(text, name)
    return deck, locate(lint_deck(deck), text, name)


def lint_file(path: str | Path) -> tuple[Deck, list[LintWarning]]:
    path = Path(path)
    return lint_text(read_text(path), str(path))
