"""Lint of the schema-2 parts: phases that cannot be reached, flags never read or never
set, red-cell rules that never fire, objectives never exercised.

Phases and flags are judged from the deck's text (a warning means never, as in `lint`);
red-cell rules and objectives from a short seeded simulation under every policy, since
whether a state-triggered rule fires depends on play: its warning means "never in N
simulated games", and says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from wargame.author.warning import LintWarning
from wargame.model import condition as cond
from wargame.model.deck import Condition, Deck, Loc

# Every kind of warning of the schema-2 parts (`wargame lint --codes` lists them too).
CODES: dict[str, str] = {
    "unreachable-phase": "a phase the game can never reach (an earlier phase never ends, "
    "or the turns run out first), or never reached in simulated games",
    "unread-flag": "a flag no condition reads",
    "unset-flag": "a flag conditions read but nothing sets",
    "silent-red-cell": "a red-cell rule that never fired in simulated games",
    "unexercised-objective": "an objective no card exercises, or none that is ever drawn",
}

# Games the lint simulates: random play, then each scripted policy.
SIM_GAMES = {"random": 200, "cautious": 40, "bold": 40, "cooperative": 40, "nationalist": 40}


def conditions(deck: Deck) -> Iterator[tuple[Loc, Condition]]:
    """Every condition in the deck, with its location."""
    for i, c in enumerate(deck.cards):
        loc: Loc = ("cards", i)
        if c.when is not None:
            yield (*loc, "when"), c.when
        for k, b in enumerate(c.briefing_if):
            yield (*loc, "briefing_if", k, "when"), b.when
        for j, o in enumerate(c.options):
            for name in ("requires", "unavailable_when"):
                if getattr(o, name) is not None:
                    yield (*loc, "options", j, name), getattr(o, name)
            for k, x in enumerate(o.extra):
                yield (*loc, "options", j, "extra", k, "when"), x.when
        for k, jr in enumerate(c.joint):
            yield (*loc, "joint", k, "when"), jr.when
    for i, e in enumerate(deck.endings):
        yield ("endings", i, "when"), e.when
    for i, r in enumerate(deck.red_cell):
        yield ("red_cell", i, "when"), r.when
    for i, p in enumerate(deck.phases):
        if p.advance_when is not None:
            yield ("phases", i, "advance_when"), p.advance_when
    for i, s in enumerate(deck.seats):
        if s.private_objective is not None:
            yield ("seats", i, "private_objective", "when"), s.private_objective.when


def _setters(deck: Deck) -> Iterator[object]:
    for c in deck.cards:
        for o in c.options:
            yield o
            yield from o.extra
        yield from c.joint
    yield from deck.red_cell


def lint_crisis(deck: Deck, simulate: bool = True) -> list[LintWarning]:
    if deck.schema_version < 2:
        return []
    out = _phases(deck) + _flags(deck)
    if simulate and (deck.red_cell or deck.phases or any(c.objectives for c in deck.cards)):
        out += _simulated(deck, out)
    return out


def _phases(deck: Deck) -> list[LintWarning]:
    out = []
    turns = 0  # turns the earlier phases take at most, when all of them end by turns only
    for i, phase in enumerate(deck.phases):
        where = f"phase {phase.id}"
        if i > 0:
            prev = deck.phases[i - 1]
            if prev.turns is None and prev.advance_when is None:
                out.append(
                    LintWarning(
                        "unreachable-phase",
                        where,
                        f"only the facilitator can reach it: phase {prev.id} has no turns and "
                        "no advance_when",
                        ("phases", i),
                    )
                )
                break
            if turns >= deck.deck.turns:
                out.append(
                    LintWarning(
                        "unreachable-phase",
                        where,
                        f"the earlier phases take all {deck.deck.turns} turns",
                        ("phases", i),
                    )
                )
                break
        if phase.advance_when is not None:
            turns = -(10**9)  # may end early: no longer a bound
        turns += phase.turns or 0
    return out


def _flags(deck: Deck) -> list[LintWarning]:
    read: set[str] = set()
    for _, c in conditions(deck):
        for node in cond.walk(c.tree):
            if isinstance(node, cond.Call) and node.func == "flag":
                read.add(node.args[0])
    set_ = {f for rule in _setters(deck) for f in rule.set_flags}  # type: ignore[attr-defined]
    out = []
    for i, flag in enumerate(deck.flags):
        where = f"flag {flag.id}"
        if flag.id not in read:
            out.append(
                LintWarning(
                    "unread-flag",
                    where,
                    "no condition reads it (option availability, when, briefing_if, ...)",
                    ("flags", i),
                )
            )
        if flag.id not in set_:
            out.append(
                LintWarning(
                    "unset-flag",
                    where,
                    "nothing sets it (no option, extra, joint or red-cell rule)",
                    ("flags", i),
                )
            )
    return out


def _simulated(deck: Deck, already: list[LintWarning]) -> list[LintWarning]:
    from wargame.author.simulate import run

    fired: set[str] = set()
    reached: set[str] = set()
    exercised: set[str] = set()
    games = 0
    for policy, n in SIM_GAMES.items():
        tally = run(deck, n, policy, seed=1)
        games += n
        fired |= {r for r, k in tally.fired.items() if k}
        reached |= {p for p, k in tally.reached.items() if k}
        exercised |= {o for o, k in tally.exercised.items() if k}
    out = []
    for i, rule in enumerate(deck.red_cell):
        if rule.id not in fired:
            out.append(
                LintWarning(
                    "silent-red-cell",
                    f"red-cell rule {rule.id}",
                    f"never fired in {games} simulated games: when {rule.when}",
                    ("red_cell", i, "when"),
                )
            )
    flagged = {w.where for w in already if w.code == "unreachable-phase"}
    for i, phase in enumerate(deck.phases):
        if phase.id not in reached and f"phase {phase.id}" not in flagged:
            out.append(
                LintWarning(
                    "unreachable-phase",
                    f"phase {phase.id}",
                    f"never reached in {games} simulated games",
                    ("phases", i),
                )
            )
    named = {o for c in deck.cards for o in c.objectives}
    for i, objective in enumerate(deck.deck.objectives):
        if objective.id not in named:
            message = "no card exercises it (add it to some cards' objectives)"
        elif objective.id not in exercised:
            message = f"exercised in none of {games} simulated games"
        else:
            continue
        out.append(
            LintWarning(
                "unexercised-objective",
                f"objective {objective.id}",
                message,
                ("deck", "objectives", i),
            )
        )
    return out
