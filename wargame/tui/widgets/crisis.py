"""The schema-2 parts on screen: the phase, flags and resources on the board; the private
briefings side by side and the red cell's moves at resolution. A schema-1 deck shows none
of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from wargame.engine import crisis, seat_name
from wargame.engine.crisis import label_of
from wargame.i18n import _
from wargame.model.deck import Card, Deck
from wargame.model.game import (
    CheckpointReached,
    Event,
    FlagChanged,
    GameState,
    PhaseAdvanced,
    RedCellMoved,
    ResourceSpent,
)

if TYPE_CHECKING:  # the board loads this module; the AAR is loaded when first opened
    from wargame.aar.model import AAR


class CrisisPanel(Static):
    """The board's view of the scenario: its phase, the flags set and resources left."""

    def show_state(self, deck: Deck, state: GameState) -> None:
        if not (deck.phases or deck.flags or deck.resources):
            self.display = False
            return
        self.display = True
        self.update(crisis_text(deck, state))


def crisis_text(deck: Deck, state: GameState) -> Text:
    text = Text()
    title = crisis.phase_title(deck, state)
    if title is not None:
        i = deck.phase_index(state.scenario_phase)
        text += Text(_("Phase "), style="bold") + Text(f"{title} ({i + 1}/{len(deck.phases)})\n")
    if deck.flags:
        set_ = [label_of(deck.flags, f) for f in state.flags]
        text += (
            Text(_("In force "), style="bold") + Text(", ".join(set_) or _("nothing yet")) + "\n"
        )
    for r in deck.resources:
        left = state.resources.get(r.id, 0)
        text += Text(f"{r.label} ", style="bold") + Text(_("{left} left\n").format(left=left))
    if state.checkpoint is not None:
        text += Text(
            _("Checkpoint: {label_of}").format(label_of=label_of(deck.endings, state.checkpoint)),
            style="bold red",
        )
    text.rstrip()
    return text


def private_briefings(deck: Deck, state: GameState, card: Card) -> Table | None:
    """Every seat's private briefing on the card, side by side (None if it has none)."""
    if not card.private:
        return None
    table = Table(
        title=_("What each government was told"),
        title_justify="left",
        expand=True,
        box=box.SIMPLE_HEAD,
    )
    seats = [s for s in deck.seat_ids() if s in card.private]
    for seat in seats:
        table.add_column(Text(seat_name(deck, state, seat)), ratio=1)
    table.add_row(*(Text(card.private[s]) for s in seats))
    return table


def red_cell_rows(deck: Deck, events: Sequence[Event]) -> list[tuple[Text, Text]]:
    """(changes, why) rows for the red cell's moves, as the resolution lists any change."""
    rows = []
    for ev in events:
        if not isinstance(ev, RedCellMoved):
            continue
        changes = Text()
        for ch in ev.changes:
            if changes:
                changes.append("\n")
            changes.append(f"{deck.meter(ch.meter).label} ")
            changes.append(f"{ch.delta:+d}", style="bold green" if ch.delta > 0 else "bold red")
        why = Text(_("Red cell — {actor}").format(actor=ev.actor), style="bold red") + Text(
            f"\n{ev.explain}"
        )
        if ev.card is not None:
            when = "next" if ev.force else _("as a follow-up")
            why += Text(
                _("\nQueues {title} ({when})").format(title=deck.card(ev.card).title, when=when),
                style="italic",
            )
        rows.append((changes or Text("—"), why))
        for move in ev.moves:
            if move.clamped:
                label = deck.meter(move.meter).label
                rows.append(
                    (
                        Text(label),
                        Text(_("held at {after} (its limit)").format(after=move.after), "italic"),
                    )
                )
    return rows


def consequences(deck: Deck, state: GameState, events: Sequence[Event]) -> Text | None:
    """The lasting consequences of a resolution: flags, resources, phase, checkpoint."""
    lines = []
    for ev in events:
        if isinstance(ev, FlagChanged):
            verb = _("Now in force") if ev.value else _("No longer in force")
            lines.append(f"{verb}: {label_of(deck.flags, ev.flag)} — {ev.explain}")
        elif isinstance(ev, ResourceSpent):
            lines.append(
                _("{seat_name} spent {amount} {label_of} ({after} left)").format(
                    seat_name=seat_name(deck, state, ev.seat),
                    amount=ev.amount,
                    label_of=label_of(deck.resources, ev.resource),
                    after=ev.after,
                )
            )
        elif isinstance(ev, PhaseAdvanced):
            lines.append(
                _("The scenario moves on: {label_of}").format(
                    label_of=label_of(deck.phases, ev.phase)
                )
            )
        elif isinstance(ev, CheckpointReached):
            lines.append(_("Checkpoint reached: {title}").format(title=ev.title))
    if not lines:
        return None
    return Text(_("Lasting consequences\n"), style="bold") + Text(
        "\n".join(f"• {x}" for x in lines)
    )


def aar_private(aar: AAR) -> Group:
    """The AAR's private information, revealed: per card, each seat's briefing beside what
    it chose (side by side); then each seat's private objective and whether it was met."""
    parts: list[Table | Text] = []
    for card in aar.private_briefings:
        table = Table(
            title=_("Turn {turn}: {card_title}").format(turn=card.turn, card_title=card.card_title),
            title_justify="left",
            expand=True,
            box=box.SIMPLE_HEAD,
        )
        for b in card.briefings:
            table.add_column(Text(b.seat_name), ratio=1)
        table.add_row(*(Text(b.text) for b in card.briefings))
        table.add_row(
            *(
                Text(_("→ chose {value}").format(value=b.option_label or "—"), style="bold")
                for b in card.briefings
            )
        )
        parts.append(table)
    if aar.private_objectives:
        rows = [(o.seat_name, o.text, o.met) for o in aar.private_objectives]
        parts.append(objectives_table(rows, _("Private objectives")))
    return Group(*parts)


def private_objectives(deck: Deck, state: GameState) -> Table | None:
    """Each seat's private objective, revealed at the end, scored on the final state."""
    scored = crisis.private_objectives(deck, state)
    if not scored:
        return None
    rows = [(seat_name(deck, state, seat), text, met) for seat, text, met in scored]
    return objectives_table(rows, _("Private objectives, revealed"))


def objectives_table(rows: list[tuple[str, str, bool]], title: str) -> Table:
    """(team, objective, met) rows as a table."""
    table = Table(title=title, title_justify="left", expand=True, box=box.SIMPLE_HEAD)
    for col, ratio in ((_("Team"), 1), (_("Objective"), 3), (_("Met"), 1)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for team, text, met in rows:
        mark = Text(_("yes"), style="bold green") if met else Text(_("no"), style="bold red")
        table.add_row(Text(team), Text(text), mark)
    return table
