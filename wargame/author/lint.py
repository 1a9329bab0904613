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

from pathlib import Path

from wargame.author.reach import Analysis, because
from wargame.author.warning import LintWarning
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
    found: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}  # per text
    for card, c in conditions:
        refs = found.get(c.text)
        if refs is None:
            refs = found[c.text] = _refs(c, seats)
        chose |= refs[0]
        if card is not None and refs[1]:
            per_card.setdefault(card.id, set()).update(refs[1])
    return chose, per_card


def _refs(c: Condition, seats: set[str]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The chose() pairs of one condition, and its (seat, option) tests like JPN == 'x'."""
    chose, tests = set(), set()
    for node in cond.walk(c.tree):
        if isinstance(node, cond.Call) and node.func == "chose":
            chose.add((node.args[0], node.args[1]))
        elif isinstance(node, cond.Compare):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if isinstance(a, cond.Name) and a.name in seats and isinstance(b, cond.Str):
                    tests.add((a.name, b.value))
    return chose, tests


def _moves(effects: dict[str, int]) -> bool:
    return any(v != 0 for v in effects.values())


def lint_deck(deck: Deck) -> list[LintWarning]:
    """Every lint warning for a valid deck, in deck order (no file or line yet)."""
    a = Analysis(deck)
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
                        f"can never be drawn: when {card.when}{because(why)}",
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
            # Flags and costs are consequences the meters do not show: not compared.
            lasting = opt.set_flags or opt.clear_flags or opt.cost
            if not opt.extra and not opt.followups and not mentioned and not lasting:
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
                    f"can never fire: when {ending.when}{because(why)}",
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


def _dead_rules(a: Analysis, card: Card, loc: Loc, where: str) -> list[LintWarning]:
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
                        f"when {extra.when}{because(why)}",
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
                    f"joint rule #{k + 1} can never apply: when {joint.when}{because(why)}",
                    (*loc, "joint", k, "when"),
                )
            )
    return out


def _dominated(
    deck: Deck, plain: list[tuple[int, Option]], loc: Loc, where: str
) -> list[LintWarning]:
    """Options beaten by another of the same seat on the card: no better anywhere, worse
    somewhere, on base effects, each meter judged by its direction (`Meter.direction`: a
    meter where neither way is better makes two options that differ on it incomparable).
    Only options with no extra rules, follow-ups or mentions in conditions are compared:
    those can make a weaker-looking option worth choosing."""
    out = []
    order = [m.id for m in deck.meters]
    sign = {m.id: m.sign for m in deck.meters}
    for j, opt in plain:
        for _, other in plain:
            if other is opt or other.seat != opt.seat:
                continue
            meters = set(opt.effects) | set(other.effects)
            raw = {m: other.effects.get(m, 0) - opt.effects.get(m, 0) for m in meters}
            if any(d and not sign[m] for m, d in raw.items()):
                continue  # they differ where neither way is better: incomparable
            diffs = {m: d * sign[m] for m, d in raw.items()}
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
    placed = [
        LintWarning(w.code, w.where, w.message, w.loc, name, find_line(text, w.loc))
        for w in warnings
    ]
    return sorted(placed, key=lambda w: w.line or 0)


def lint_text(text: str, name: str = "<deck>") -> tuple[Deck, list[LintWarning]]:
    """Load deck text (raising DeckError as `validate` does) and lint it."""
    from wargame.author.lint_crisis import lint_crisis

    deck = parse_deck(text, name)
    return deck, locate(lint_deck(deck) + lint_crisis(deck), text, name)


def lint_file(path: str | Path) -> tuple[Deck, list[LintWarning]]:
    """Lint a deck file and the translation files beside it (a translation file given
    here is linted with its deck)."""
    from wargame.author.lint_translation import translation_warnings
    from wargame.store.translations import deck_of

    path = deck_of(Path(path)) or Path(path)
    deck, warnings = lint_text(read_text(path), str(path))
    return deck, warnings + translation_warnings(deck, path)
