"""The deck's semantic checks: ids that must exist, conditions that must make sense.

`check_deck` runs on a structurally valid deck and returns every problem, each at a
pydantic-style location path, so the loader can name the field and line of each."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.model import condition as cond
from wargame.model.deck import V2_FIELDS, Card, Condition, Deck, Effects, Loc, Model, Option


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deck, at a pydantic-style location path."""

    loc: Loc
    message: str


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    dups = []
    for i, x in enumerate(ids):
        if x in seen:
            dups.append(i)
        seen.add(x)
    return dups


class _Checker:
    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.problems: list[Problem] = []
        self.memo: dict[tuple[str, bool], tuple[list[str], bool]] = {}
        self.seats = set(deck.seat_ids())
        self.meters = {m.id: m for m in deck.meters}
        self.cards = {c.id for c in deck.cards}
        self.options_by_seat: dict[str, set[str]] = {s: set() for s in self.seats}
        for card in deck.cards:
            for o in card.options:
                self.options_by_seat.setdefault(o.seat, set()).add(o.id)
        self.flags = {f.id for f in deck.flags}
        self.resources = {r.id: r for r in deck.resources}
        self.phases = {p.id for p in deck.phases}
        self.rules = {r.id for r in deck.red_cell}
        self.objectives = {o.id for o in deck.deck.objectives}
        self.v1 = deck.schema_version == 1

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(loc, message))

    def run(self) -> list[Problem]:
        d = self.deck
        for name, items in (
            ("seats", d.seats),
            ("meters", d.meters),
            ("cards", d.cards),
            ("endings", d.endings),
            ("objectives", d.deck.objectives),
            ("phases", d.phases),
            ("flags", d.flags),
            ("resources", d.resources),
            ("red_cell", d.red_cell),
        ):
            ids = [x.id for x in items]
            base: Loc = ("deck", "objectives") if name == "objectives" else (name,)
            for i in _duplicates(ids):
                self.add((*base, i, "id"), f"duplicate id {ids[i]!r}")
        for i, meter in enumerate(d.meters):
            if meter.seat is not None and meter.seat not in self.seats:
                self.add(("meters", i, "seat"), f"unknown seat {meter.seat!r}")
        for i, card in enumerate(d.cards):
            self.card(("cards", i), card)
        for i, ending in enumerate(d.endings):
            self.condition(("endings", i, "when"), ending.when, None)
            self.needs_v2(("endings", i), ending)
        self.needs_v2((), d)
        for i, seat in enumerate(d.seats):
            self.needs_v2(("seats", i), seat)
            if seat.private_objective is not None:
                loc = ("seats", i, "private_objective", "when")
                self.condition(loc, seat.private_objective.when, None)
        self.schema_2_parts()
        self.labels()
        return self.problems

    def labels(self) -> None:
        bands = set(self.deck.band_ids())
        categories = {c.category for c in self.deck.cards}
        for field, given, known in (
            ("bands", self.deck.labels.bands, bands),
            ("categories", self.deck.labels.categories, categories),
        ):
            for key in given:
                if key not in known:
                    self.add(("labels", field, key), f"no meter or card uses {key!r}")

    def needs_v2(self, loc: Loc, model: Model) -> None:
        if self.v1:
            for name in sorted(model.model_fields_set & V2_FIELDS[type(model).__name__]):
                self.add((*loc, name), "needs 'schema = 2' at the top of the file")

    def schema_2_parts(self) -> None:
        d = self.deck
        categories = {c.category for c in d.cards}
        tags = {t for c in d.cards for t in c.tags}
        for i, phase in enumerate(d.phases):
            loc: Loc = ("phases", i)
            for k, category in enumerate(phase.categories):
                if category not in categories:
                    self.add((*loc, "categories", k), f"no card has category {category!r}")
            for k, tag in enumerate(phase.tags):
                if tag not in tags:
                    self.add((*loc, "tags", k), f"no card has tag {tag!r}")
            self.card_ids((*loc, "cards"), phase.cards)
            if phase.advance_when is not None:
                self.condition((*loc, "advance_when"), phase.advance_when, None)
        for i, res in enumerate(d.resources):
            if res.seat is not None and res.seat not in self.seats:
                self.add(("resources", i, "seat"), f"unknown seat {res.seat!r}")
        for i, rule in enumerate(d.red_cell):
            loc = ("red_cell", i)
            self.condition((*loc, "when"), rule.when, None)
            self.effects((*loc, "effects"), rule.effects)
            if rule.card is not None:
                self.card_ids(loc, [rule.card], "card")
            self.flag_ids(loc, rule)
            if rule.card is None and not rule.effects and not (rule.set_flags or rule.clear_flags):
                self.add(loc, "a red-cell rule needs a card, effects or flags to set or clear")

    def card_ids(self, loc: Loc, ids: list[str], field: str | None = None) -> None:
        for k, card_id in enumerate(ids):
            if card_id not in self.cards:
                self.add((*loc, field) if field else (*loc, k), f"unknown card {card_id!r}")

    def flag_ids(self, loc: Loc, rule: object) -> None:
        for name in ("set_flags", "clear_flags"):
            for k, flag in enumerate(getattr(rule, name)):
                if flag not in self.flags:
                    self.add((*loc, name, k), f"unknown flag {flag!r} (declare it in [[flags]])")

    def card(self, loc: Loc, card: Card) -> None:
        if card.when is not None:
            self.condition((*loc, "when"), card.when, None)
        self.needs_v2(loc, card)
        for k, objective in enumerate(card.objectives):
            if objective not in self.objectives:
                self.add((*loc, "objectives", k), f"unknown objective {objective!r}")
        for seat in card.private:
            if seat not in self.seats:
                self.add((*loc, "private", seat), f"unknown seat {cond.quote(seat)}")
        for k, extra_text in enumerate(card.briefing_if):
            self.condition((*loc, "briefing_if", k, "when"), extra_text.when, None)
        for seat in card.prompts:
            if seat not in self.seats:
                self.add((*loc, "prompts", seat), f"unknown seat {cond.quote(seat)}")
        seen: set[tuple[str, str]] = set()
        for j, opt in enumerate(card.options):
            oloc = (*loc, "options", j)
            if opt.seat not in self.seats:
                self.add((*oloc, "seat"), f"unknown seat {opt.seat!r}")
            if (opt.seat, opt.id) in seen:
                self.add((*oloc, "id"), f"duplicate option {opt.id!r} for seat {opt.seat}")
            seen.add((opt.seat, opt.id))
            self.effects((*oloc, "effects"), opt.effects)
            self.followups((*oloc, "followups"), opt.followups)
            self.needs_v2(oloc, opt)
            self.flag_ids(oloc, opt)
            self.option_rules(oloc, opt)
            for k, extra in enumerate(opt.extra):
                xloc = (*oloc, "extra", k)
                self.condition((*xloc, "when"), extra.when, card)
                self.effects((*xloc, "effects"), extra.effects)
                self.followups((*xloc, "followups"), extra.followups)
                self.needs_v2(xloc, extra)
                self.flag_ids(xloc, extra)
        for seat in sorted(self.seats):
            n = len(card.options_for(seat))
            if n == 0:
                self.add((*loc, "options"), f"seat {seat} has no option")
            elif n > 9:
                self.add((*loc, "options"), f"seat {seat} has {n} options; at most 9")
        for k, joint in enumerate(card.joint):
            jloc = (*loc, "joint", k)
            self.condition((*jloc, "when"), joint.when, card)
            self.effects((*jloc, "effects"), joint.effects)
            self.followups((*jloc, "followups"), joint.followups)
            self.needs_v2(jloc, joint)
            self.flag_ids(jloc, joint)

    def option_rules(self, loc: Loc, opt: Option) -> None:
        # Availability is decided before any seat has chosen: no seat names here.
        for name in ("requires", "unavailable_when"):
            c = getattr(opt, name)
            if c is not None:
                self.condition((*loc, name), c, None)
        for res_id in opt.cost:
            res = self.resources.get(res_id)
            if res is None:
                self.add((*loc, "cost", res_id), f"unknown resource {res_id!r}")
            elif res.seat is not None and res.seat != opt.seat:
                self.add((*loc, "cost", res_id), f"resource {res_id!r} belongs to {res.seat}")

    def effects(self, loc: Loc, effects: Effects) -> None:
        for meter_id in effects:
            if meter_id not in self.meters:
                self.add((*loc, meter_id), f"unknown meter {meter_id!r}")

    def followups(self, loc: Loc, followups: list[str]) -> None:
        for i, card_id in enumerate(followups):
            if card_id not in self.cards:
                self.add((*loc, i), f"unknown card {card_id!r}")

    def condition(self, loc: Loc, c: Condition, card: Card | None) -> None:
        # Decks repeat conditions: what is wrong with one depends on its text, whether it
        # sits in a card's rules, and (only if it tests a seat's choice) on that card.
        key = (c.text, card is None)
        known = self.memo.get(key)
        if known is None or (known[1] and card is not None):
            known = self.memo[key] = self.condition_messages(c, card)
        for msg in known[0]:
            self.add(loc, msg)

    def condition_messages(self, c: Condition, card: Card | None) -> tuple[list[str], bool]:
        """The problems of one condition, and whether they depend on the card it is on."""
        out: list[str] = []
        for node in cond.walk(c.tree):
            msg = None
            if isinstance(node, cond.Name):
                msg = self.name(node.name, card)
            elif isinstance(node, cond.Call):
                msg = self.call(node)
            elif isinstance(node, cond.Compare):
                msg = self.compare(node, card)
            elif isinstance(node, cond.And | cond.Or | cond.Not):
                items = node.items if not isinstance(node, cond.Not) else (node.item,)
                for item in items:
                    if self.kind(item) != "bool":
                        msg = f"{_show(item)} is not a test; compare it with something"
                        break
            if msg:
                out.append(f"{msg} in {cond.quote(c.text)}")
        if self.kind(c.tree) != "bool" and not out:
            out.append(f"{cond.quote(c.text)} is not a test; compare it with something")
        names_a_seat = any(
            isinstance(n, cond.Name) and n.name in self.seats for n in cond.walk(c.tree)
        )
        return out, names_a_seat

    def name(self, name: str, card: Card | None) -> str | None:
        if name == "turn" or name in self.meters:
            return None
        if name in self.seats:
            if card is None:
                return (
                    f"seat {name!r} can only be tested inside a card's extra or joint rules; "
                    f"use chose('{name}', 'option-id') here"
                )
            return None
        return f"unknown name {cond.quote(name)} (not a meter, a seat or 'turn')"

    def call(self, node: cond.Call) -> str | None:
        if node.func in ("played", "queued"):
            if node.args[0] not in self.cards:
                return f"unknown card {cond.quote(node.args[0])}"
        elif node.func == "band":
            if node.args[0] not in self.meters:
                return f"unknown meter {cond.quote(node.args[0])}"
        elif node.func == "chose":
            seat, option = node.args
            if seat not in self.seats:
                return f"unknown seat {cond.quote(seat)}"
            if option not in self.options_by_seat.get(seat, set()):
                return f"seat {seat} has no option {cond.quote(option)} on any card"
        elif node.func in cond.SCHEMA_2_FUNCTIONS and self.v1:
            return f"{node.func}() needs 'schema = 2' at the top of the file"
        else:
            known = {
                "flag": (self.flags, "flag"),
                "phase": (self.phases, "phase"),
                "resource": (self.resources, "resource"),
                "fired": (self.rules, "red-cell rule"),
            }[node.func]
            if node.args[0] not in known[0]:
                return f"unknown {known[1]} {cond.quote(node.args[0])}"
        return None

    def kind(self, node: cond.Node) -> str:
        if (
            isinstance(node, cond.Num)
            or (isinstance(node, cond.Name) and node.name not in self.seats)
            or (isinstance(node, cond.Call) and node.func == "resource")
        ):
            return "number"
        if isinstance(node, cond.Str | cond.Name) or (
            isinstance(node, cond.Call) and node.func == "band"
        ):
            return "string"
        return "bool"

    def compare(self, node: cond.Compare, card: Card | None) -> str | None:
        lk, rk = self.kind(node.left), self.kind(node.right)
        if lk != rk:
            return f"cannot compare {_show(node.left)} with {_show(node.right)}"
        if lk == "bool" and node.op not in ("==", "!="):
            return f"{node.op!r} needs numbers on both sides"
        if lk == "string":
            if node.op not in ("==", "!="):
                return f"{node.op!r} needs numbers; text can only be compared with == or !="
            return self.string_pair(node.left, node.right, card) or self.string_pair(
                node.right, node.left, card
            )
        return None

    def string_pair(self, subject: cond.Node, value: cond.Node, card: Card | None) -> str | None:
        if not isinstance(value, cond.Str):
            return None
        if isinstance(subject, cond.Name) and subject.name in self.seats and card is not None:
            ids = [o.id for o in card.options_for(subject.name)]
            if value.value not in ids:
                return f"seat {subject.name} has no option {cond.quote(value.value)} on this card"
        if isinstance(subject, cond.Call) and subject.func == "band":
            meter = self.meters.get(subject.args[0])
            if meter is not None:
                names = [n for n, _ in meter.band_bounds()]
                if value.value not in names:
                    bands = ", ".join(names)
                    band = cond.quote(value.value)
                    return f"meter {meter.id} has no band {band} (bands: {bands})"
        return None


def _show(node: cond.Node) -> str:
    text = cond.show(node)
    return text if len(text) <= cond.QUOTE_CHARS else text[: cond.QUOTE_CHARS - 1] + "…"


def check_deck(deck: Deck) -> list[Problem]:
    """Every semantic problem in a structurally valid deck."""
    return _Checker(deck).run()
