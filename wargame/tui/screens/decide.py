"""Deciding: the hot-seat hand-off, one seat's private decision, and open mode's
one-screen entry of every seat's choice by the facilitator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.visual import visualize
from textual.widgets import Button, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wargame.i18n import N_, _
from wargame.model.deck import Card, Seat
from wargame.model.deck import Option as DeckOption
from wargame.store.drafts import Draft
from wargame.tui.compat import drop_watchers
from wargame.tui.screens.handoff import HandoffScreen as HandoffScreen  # re-exported
from wargame.tui.widgets.footer import Footer

# Told each seat's typing so far, (seat, option or None, rationale): the board keeps it as a
# draft, so Esc, leaving or quitting loses nothing.
KeepDraft = Callable[[str, str | None, str], None]

NUMBER_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
# Not priority bindings: a key reaches the focused list first, in the order typed, so a
# digit typed after letters the list has passed on to the rationale goes there too.
PICK_BINDINGS = [
    Binding(
        k,
        f"pick({i})",
        N_("Pick {k}").format(k=k),
        show=False,
        tooltip=N_("Pick option {k}").format(k=k),
        id=f"pick.{k}",
    )
    for i, k in enumerate(NUMBER_KEYS)
]


class PickList(OptionList):
    """A seat's options. A number key picks and leaves the focus here, so the team can still
    change its mind with another number; any other text typed here goes on into the
    rationale box, so that picking and then typing why just works. Enter (or a click) picks
    the highlighted option and moves to the rationale; Tab moves there too.

    Keeping the focus on a number key also keeps the pick cheap: moving it restyles both
    widgets and rebuilds the footer, about 30 ms, more than a frame."""

    def __init__(self, *options: Option, rationale: str, id: str) -> None:
        super().__init__(*options, id=id)
        self.rationale = rationale
        # Set from the first letter passed on until the list has the focus again: keys
        # typed in a burst (or by a fast typist) can arrive before the focus has moved, and
        # a digit among them is part of the rationale, not a new pick.
        self.forwarding = False

    def on_focus(self) -> None:
        self.forwarding = False

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            return
        if not self.forwarding and event.key in self.screen.active_bindings:
            return
        self.forwarding = True
        event.stop()
        event.prevent_default()
        box = self.screen.query_one(f"#{self.rationale}", TextArea)
        box.focus()
        box.insert(event.character or "", maintain_selection_offset=False)


def option_item(index: int, option: DeckOption, unavailable: dict[str, str]) -> Option:
    """One line of a seat's options; one that is not open now is shown, greyed, with why,
    and cannot be picked."""
    why = unavailable.get(option.id)
    if why:
        return Option(
            Content(
                _("{value}. {label} — not open: {why}").format(
                    value=index + 1, label=option.label, why=why
                )
            ),
            id=option.id,
            disabled=True,
        )
    return Option(Content(f"{index + 1}. {option.label}"), id=option.id)


def _typing(focused: object) -> bool:
    """Whether keys go to a rationale: it has the focus, or is about to (see PickList)."""
    return isinstance(focused, TextArea) or (isinstance(focused, PickList) and focused.forwarding)


class Rationale(TextArea):
    """A TextArea that lets go of the app when it is removed. TextArea watches the app's
    theme, and Textual drops such a watcher only when the theme next changes (textual#6666),
    so each closed decision screen's rationale box stayed in memory for the whole game."""

    def on_unmount(self) -> None:
        drop_watchers(self.app, lambda owner: owner is self)


@dataclass(frozen=True)
class Choice:
    """What one seat decided, as the decision screen hands it back."""

    seat: str
    option: str
    rationale: str
    seconds: float | None


class DecisionScreen(Screen[Choice | None]):
    """One seat's private decision: its brief and prompt, its options, a rationale."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "confirm",
            N_("Confirm"),
            tooltip=N_("Record this decision"),
            priority=True,
            id="decision.confirm",
        ),
        Binding(
            "escape",
            "cancel",
            N_("Back"),
            tooltip=N_("Back without deciding"),
            id="decision.cancel",
        ),
        *PICK_BINDINGS,
    ]

    def __init__(
        self,
        seat: Seat,
        team: str,
        card: Card,
        clock: Callable[[], float],
        draft: Draft | None = None,
        keep: KeepDraft | None = None,
        unavailable: dict[str, str] | None = None,
        private: str = "",
        briefing: str | None = None,
    ) -> None:
        super().__init__(classes="decision")
        self.seat, self.team, self.card, self.clock = seat, team, card, clock
        # Schema 2: options not open now (id -> why), this seat's own briefing.
        self.unavailable = unavailable or {}
        self.private, self.briefing = private, briefing or card.briefing
        self.options = card.options_for(seat.id)
        self.started = clock()
        self.draft, self.keep = draft, keep
        ids = [o.id for o in self.options]
        self.picked: int | None = ids.index(draft.option) if draft and draft.option in ids else None
        self._said: Text | None = None

    def compose(self) -> ComposeResult:
        prompt = self.card.prompts.get(self.seat.id, _("What do you do?"))
        # Outside the scrolling body: at 80×24 the team always sees whose screen this is.
        # Full width (wargame.tcss): a long title wraps onto a second line, never cut.
        title = _("{team} decides — {title}").format(team=self.team, title=self.card.title)
        yield Label(Text(title, style="bold"), id="decision-title")
        with VerticalScroll(id="decision-body"):
            if self.seat.brief:
                yield Static(Text(self.seat.brief, style="italic"), id="decision-brief")
            yield Static(Content(self.briefing.strip()), id="decision-briefing")
            if self.private:
                private = Static(Content(self.private.strip()), id="decision-private")
                private.border_title = _("For {team} only").format(team=self.team)
                yield private
            # Static, not Label, here and below: long text wraps at 80 columns, never cut.
            yield Static(Text(prompt, style="bold"), id="decision-prompt")
            yield PickList(
                *[option_item(i, o, self.unavailable) for i, o in enumerate(self.options)],
                id="decision-options",
                rationale="decision-rationale",
            )
            yield Label(self._picked_text(), id="decision-picked")
            yield Static(
                _(
                    "Rationale (why? it goes into the after-action review; "
                    "kept as a draft until you confirm)"
                )
            )
            yield Rationale(
                self.draft.rationale if self.draft else "",
                id="decision-rationale",
                soft_wrap=True,
                tab_behavior="focus",
            )
            with Horizontal(id="decision-buttons"):
                yield Button(_("Confirm (Ctrl+S)"), id="decision-confirm", variant="primary")
                yield Button(_("Back (Esc)"), id="decision-back")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.picked is not None:
            options.highlighted = self.picked
        options.focus()
        if self.draft is not None:
            box = self.query_one(TextArea)
            box.move_cursor(box.document.end)
            self.notify(_("Your draft is back: carry on."), timeout=3)

    def _keep(self) -> None:
        if self.keep is not None:
            option = None if self.picked is None else self.options[self.picked].id
            self.keep(self.seat.id, option, self.query_one(TextArea).text)

    @on(TextArea.Changed, "#decision-rationale")
    def _typed(self) -> None:
        self._keep()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Number keys pick options, except while typing the rationale.
        return not (action == "pick" and _typing(self.focused))

    def action_pick(self, index: int) -> None:
        """A number key: pick, and stay in the list (see PickList)."""
        if index >= len(self.options):
            # Say so, rather than ignore the key: the team sees why nothing was picked.
            self._say(self._picked_text(_("No option {value} here").format(value=index + 1)))
            return
        why = self.unavailable.get(self.options[index].id)
        if why:
            self._say(
                self._picked_text(
                    _("Option {value} is not open: {why}").format(value=index + 1, why=why)
                )
            )
            return
        self.query_one(OptionList).highlighted = index
        self._choose(index)

    @on(OptionList.OptionSelected, "#decision-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # Enter or a click: this one, and on to the rationale.
        self._choose(event.option_index)
        self.query_one(TextArea).focus()

    def _picked_text(self, problem: str | None = None) -> Text:
        """The line under the options: the choice so far and what to do next, or what was
        wrong with the last key."""
        if self.picked is None:
            return Text(
                _("{value}: press its number (1–{count}) or click it").format(
                    value=problem or _("No option picked yet"), count=len(self.options)
                ),
                "italic",
            )
        if problem is None:
            writing = isinstance(self.focused, TextArea)
            problem = _("Ctrl+S records it") if writing else _("type why next, or another number")
        said = Text(
            _("Chosen: {value}. {label}").format(
                value=self.picked + 1, label=self.options[self.picked].label
            ),
            "bold",
        )
        said.append(f" — {problem}", "italic")
        return said

    def on_descendant_focus(self) -> None:
        # The hint under the options follows the focus: the list picks, the box types.
        self._say(self._picked_text())

    def _choose(self, index: int) -> None:
        self.picked = index
        self._say(self._picked_text())
        self._keep()

    def _say(self, text: Text) -> None:
        """Update the line under the options, laying the screen out again only if the
        line's height changes: a relayout of this screen costs several ms."""
        if text == self._said:
            return
        self._said = text
        label = self.query_one("#decision-picked", Label)
        width = label.content_size.width
        same = width and visualize(label, text).get_height(label.styles, width) == (
            label.content_size.height
        )
        label.update(text, layout=not same)

    @on(Button.Pressed, "#decision-confirm")
    def action_confirm(self) -> None:
        index = self.picked
        if index is None:
            self.notify(
                _("Pick an option first: a number key, or arrows and Enter."), severity="warning"
            )
            return
        rationale = self.query_one(TextArea).text.strip()
        self.dismiss(
            Choice(
                self.seat.id,
                self.options[index].id,
                rationale,
                round(self.clock() - self.started, 1),
            )
        )

    @on(Button.Pressed, "#decision-back")
    def action_cancel(self) -> None:
        self.dismiss(None)


class OpenDecisionScreen(Screen[list[Choice] | None]):
    """Open mode: the facilitator enters every seat's announced choice on one screen."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "confirm",
            N_("Record all"),
            tooltip=N_("Record every seat's decision"),
            priority=True,
            id="open.confirm",
        ),
        Binding(
            "escape", "cancel", N_("Back"), tooltip=N_("Back without recording"), id="open.cancel"
        ),
        *PICK_BINDINGS,
    ]

    def __init__(
        self,
        seats: list[tuple[Seat, str]],
        card: Card,
        clock: Callable[[], float],
        drafts: dict[str, Draft] | None = None,
        keep: KeepDraft | None = None,
        unavailable: dict[str, dict[str, str]] | None = None,
    ) -> None:
        super().__init__(classes="decision")
        self.seats, self.card, self.clock = seats, card, clock
        self.unavailable = unavailable or {}  # seat -> option id -> why it is not open
        self.started = clock()
        self.drafts, self.keep = drafts or {}, keep
        self.picked: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        title = _("Decisions — {title}").format(title=self.card.title)
        yield Label(Text(title, style="bold"), id="decision-title")
        with VerticalScroll(id="decision-body"):
            yield Static(_("Enter each team's announced choice and rationale. Ctrl+S records all."))
            for seat, team in self.seats:
                with Vertical(classes="open-seat"):
                    prompt = self.card.prompts.get(seat.id, _("What do you do?"))
                    yield Static(Text(f"{team}: {prompt}", style="bold"))
                    blocked = self.unavailable.get(seat.id, {})
                    yield PickList(
                        *[
                            option_item(i, o, blocked)
                            for i, o in enumerate(self.card.options_for(seat.id))
                        ],
                        id=f"open-options-{seat.id}",
                        rationale=f"open-rationale-{seat.id}",
                    )
                    yield Label(
                        Text(_("No option picked yet: its number, or arrows and Enter"), "italic"),
                        id=f"open-picked-{seat.id}",
                    )
                    draft = self.drafts.get(seat.id)
                    yield Rationale(
                        draft.rationale if draft else "",
                        id=f"open-rationale-{seat.id}",
                        soft_wrap=True,
                        tab_behavior="focus",
                        classes="open-rationale",
                    )
            yield Button(_("Record all (Ctrl+S)"), id="open-confirm", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        lists = list(self.query(OptionList))
        for options in lists:
            options.highlighted = 0
        for seat, _team in self.seats:
            draft = self.drafts.get(seat.id)
            ids = [o.id for o in self.card.options_for(seat.id)]
            if draft is not None and draft.option in ids:
                options = self.query_one(f"#open-options-{seat.id}", OptionList)
                options.highlighted = ids.index(draft.option)
                self._choose(options, ids.index(draft.option))
        lists[0].focus()

    def _keep(self, seat: str) -> None:
        if self.keep is not None:
            text = self.query_one(f"#open-rationale-{seat}", TextArea).text
            self.keep(seat, self.picked.get(seat), text)

    @on(TextArea.Changed, ".open-rationale")
    def _typed(self, event: TextArea.Changed) -> None:
        self._keep((event.text_area.id or "").removeprefix("open-rationale-"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Number keys pick in the focused team's list, never while typing a rationale.
        focused = self.focused
        return not (action == "pick" and (_typing(focused) or not isinstance(focused, OptionList)))

    def action_pick(self, index: int) -> None:
        """A number key: pick in the focused team's list, and stay there (see PickList)."""
        options = self.focused
        if (
            isinstance(options, OptionList)
            and index < options.option_count
            and not options.get_option_at_index(index).disabled
        ):
            options.highlighted = index
            self._choose(options, index)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # Enter or a click: this one, and on to the team's rationale.
        seat = self._choose(event.option_list, event.option_index)
        self.query_one(f"#open-rationale-{seat}", TextArea).focus()

    def _choose(self, options: OptionList, index: int) -> str:
        seat = (options.id or "").removeprefix("open-options-")
        option = self.card.options_for(seat)[index]
        self.picked[seat] = option.id
        label = _("Chosen: {value}. {label}").format(value=index + 1, label=option.label)
        self.query_one(f"#open-picked-{seat}", Label).update(Text(label, style="bold"))
        self._keep(seat)
        return seat

    @on(Button.Pressed, "#open-confirm")
    def action_confirm(self) -> None:
        choices = []
        seconds = round(self.clock() - self.started, 1)
        for seat, team in self.seats:
            if seat.id not in self.picked:
                self.notify(
                    _("Pick an option for {team} (arrows, then Enter).").format(team=team),
                    severity="warning",
                    markup=False,
                )
                self.query_one(f"#open-options-{seat.id}", OptionList).focus()
                return
            rationale = self.query_one(f"#open-rationale-{seat.id}", TextArea).text.strip()
            choices.append(Choice(seat.id, self.picked[seat.id], rationale, seconds))
        self.dismiss(choices)

    def action_cancel(self) -> None:
        self.dismiss(None)
