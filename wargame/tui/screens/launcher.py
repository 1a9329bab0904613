"""The launcher: start a new game (deck, seed, turns, mode, team names) or resume, review or
restore a saved one."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.validation import Integer
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
)
from textual.widgets.option_list import Option

from wargame.i18n import N_, _, language
from wargame.model.game import MODE_LABELS
from wargame.store.decks import DeckEntry, available_decks
from wargame.store.saves import SaveEntry, SaveError, list_saves, load_save, restore_backup
from wargame.store.translations import localized_entry
from wargame.tui.messages import ResumeGame, StartGame


class LauncherScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "ctrl+n",
            "start",
            N_("Start new game"),
            tooltip=N_("Start a game with these settings"),
            id="launcher.start",
            priority=True,
        ),
        Binding(
            "r",
            "resume",
            N_("Resume"),
            tooltip=N_("Continue the selected saved game"),
            id="launcher.resume",
        ),
        Binding(
            "v",
            "review",
            N_("Review"),
            tooltip=N_("Open the after-action review of the selected saved game"),
            id="launcher.review",
        ),
        Binding(
            "b",
            "restore",
            N_("Restore backup"),
            tooltip=N_("Put a damaged save's backup back"),
            id="launcher.restore",
            show=False,
        ),
        Binding("q", "app.quit", N_("Quit"), tooltip=N_("Leave wargame"), id="launcher.quit"),
    ]

    def __init__(self, saves: Path) -> None:
        super().__init__(classes="launcher")
        self.saves = saves
        self.decks: list[DeckEntry] = [
            localized_entry(e, language()) for e in available_decks() if e.deck is not None
        ]
        self.entries: list[SaveEntry] = []
        self.narrow_columns = False

    def compose(self) -> ComposeResult:
        yield Static(
            Text(
                _(" wargame — a seminar wargame for the US–ROK–Japan alliance "),
                style="bold reverse",
            ),
            id="launcher-title",
        )
        with Horizontal(id="launcher"):
            with VerticalScroll(id="new-game"):
                yield Label(Text(_("New game"), style="bold"), id="new-game-title")
                yield Label(_("Deck"), classes="field-title")
                yield OptionList(
                    *[
                        Option(
                            Content(
                                _("{title} — {count} cards").format(
                                    title=e.deck.deck.title, count=len(e.deck.cards)
                                )
                            ),
                            id=str(i),
                        )
                        for i, e in enumerate(self.decks)
                        if e.deck
                    ],
                    id="decks",
                )
                yield Static(id="deck-summary")
                with Horizontal(classes="field-row"):
                    yield Label(_("Seed"), classes="field-label")
                    yield Input("1", id="seed", type="integer", validators=[Integer()])
                    yield Label(_("Turns"), classes="field-label")
                    yield Input(
                        id="turns",
                        type="integer",
                        placeholder=_("deck's"),
                        validators=[Integer(minimum=1, maximum=200)],
                    )
                yield Label(_("Mode"), classes="field-title")
                with RadioSet(id="mode"):
                    yield RadioButton(
                        _("Hot-seat: teams take turns"), value=True, id="mode-hotseat"
                    )
                    yield RadioButton(_("Open: facilitator enters all"), id="mode-open")
                yield Label(_("Team names (optional)"), classes="field-title")
                yield Horizontal(id="teams")
                yield Button(_("Start game (Ctrl+N)"), id="start", variant="primary")
            with Vertical(id="saved"):
                yield Label(Text(_("Saved games"), style="bold"), classes="section")
                # Full width (wargame.tcss): a long saves path wraps instead of being cut.
                saves_where = _("Saves go to {folder}").format(folder=self.saves)
                yield Label(Content(saves_where), id="saves-where")
                yield DataTable(id="saves", cursor_type="row", zebra_stripes=True)
                yield Static(id="save-detail")
                with Horizontal(id="save-buttons"):
                    yield Button(_("Resume (r)"), id="resume")
                    yield Button(_("Review (v)"), id="review")
                    yield Button(_("Restore backup (b)"), id="restore")
        yield Footer()

    def _add_columns(self) -> None:
        """The saves list's columns for the width now. Every column has a set width: the
        saves arrive from a worker after the table is drawn, and a DataTable may draw new
        rows at its header's width before it widens an auto-width column, then keep those
        cells cached ("in pl" for "in play"). What tells saves apart comes first; below 110
        columns only those three are shown (none cut at the edge), and the detail line
        under the table says the rest."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.narrow_columns = self._narrow()
        columns = [(_("Game"), 14), (_("Turn"), 5), (_("State"), 7)]  # "in play", "damaged"
        if not self.narrow_columns:
            columns += [(_("Last played"), 11), (_("Mode"), 8)]
        for label, width in columns:  # wide enough for the heading in any language
            table.add_column(label, width=max(width, cell_len(label)))

    def _narrow(self) -> bool:
        """Below the app's narrow breakpoint. The screen gets its breakpoint classes on its
        first resize, which may come after mount: until then, ask the app for the size now
        (so the columns are built once, not built wide and rebuilt a frame later)."""
        if self.has_class("-narrow") or self.has_class("-wide"):
            return self.has_class("-narrow")
        return "-narrow" in self.app.breakpoints().split()  # type: ignore[attr-defined]

    def on_resize(self) -> None:
        # Screen gives itself its breakpoint classes before this handler runs.
        if self._narrow() != self.narrow_columns:
            self._add_columns()
            self._fill(self.entries)

    def on_mount(self) -> None:
        self._add_columns()
        decks = self.query_one("#decks", OptionList)
        if self.decks:
            default = next(
                (i for i, e in enumerate(self.decks) if e.deck and e.deck.id == "fault-lines"), 0
            )
            decks.highlighted = default  # shows the deck, through OptionHighlighted
        decks.focus()
        for e in self.decks:
            if e.error is not None:  # a broken translation: the deck plays in its own language
                self.notify(
                    _(
                        "{path}: its translation cannot be used ({problem}); "
                        "the deck is shown in its own language."
                    ).format(path=e.path, problem=e.error.problems[0]),
                    severity="warning",
                    timeout=15,
                )
        self.load_saves()

    # --- decks ------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#decks")
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        await self._show_deck(int(event.option.id or 0))

    async def _show_deck(self, index: int) -> None:
        deck = self.decks[index].deck
        assert deck is not None
        info = deck.deck
        cats = sorted({deck.category_label(c.category) for c in deck.cards})
        summary = Text(info.summary.strip() + "\n", style="italic")
        summary += Text(
            _("{count} cards ({names}) · {turns} turns · seats {names2}").format(
                count=len(deck.cards),
                names=", ".join(cats),
                turns=info.turns,
                names2=", ".join(deck.seat_ids()),
            )
        )
        self.query_one("#deck-summary", Static).update(summary)
        self.query_one("#turns", Input).placeholder = f"{info.turns}"
        teams = self.query_one("#teams", Horizontal)
        await teams.remove_children()
        await teams.mount_all(
            Input(
                placeholder=s.id,
                id=f"team-{s.id}",
                classes="team-name",
                tooltip=_("What to call the {id} team (default: {name})").format(
                    id=s.id, name=s.name
                ),
            )
            for s in deck.seats
        )

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        decks = self.query_one("#decks", OptionList)
        if decks.highlighted is None:
            self.notify(_("Choose a deck first."), severity="warning")
            return
        deck = self.decks[decks.highlighted].deck
        assert deck is not None
        try:
            seed = int(self.query_one("#seed", Input).value or "1")
            turns_text = self.query_one("#turns", Input).value.strip()
            turns = int(turns_text) if turns_text else None
        except ValueError:
            self.notify(_("Seed and turns must be whole numbers."), severity="error")
            return
        mode = "open" if self.query_one("#mode-open", RadioButton).value else "hotseat"
        names = {s.id: self.query_one(f"#team-{s.id}", Input).value.strip() for s in deck.seats}
        self.post_message(StartGame(deck, seed, turns, mode, {k: v for k, v in names.items() if v}))

    # --- saves ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="saves")
    def load_saves(self) -> None:
        entries = list_saves(self.saves)
        self.app.call_from_thread(self._fill, entries)

    def _fill(self, entries: list[SaveEntry]) -> None:
        self.entries = entries
        table = self.query_one(DataTable)
        table.clear()
        for e in entries:
            if e.ok:
                state = Text(_("ended") if e.ended else _("in play"), "dim" if e.ended else "")
                # "2026-11-22T09:00:00+00:00" → "11-22 09:00": the year is rarely news.
                played = e.last_played.replace("T", " ")[5:16]
                mode = _(MODE_LABELS[e.mode])
                # "Fault Lines: A Crisis on …" → "Fault Lines" (and "동해의 밤 — 日韓…" →
                # "동해의 밤"): the detail line has the rest. A short title still longer than
                # its column wraps (the row grows to fit), rather than being cut at the edge.
                title = Text(e.title.split(":")[0].split(" — ")[0])
                cells = [title, f"{e.turn}/{e.turns}", state, played, mode]
            else:
                damaged = Text(_("damaged"), style="bold red")
                cells = [Content(e.path.name), "", damaged, "", ""]
            table.add_row(*cells[: len(table.columns)], height=None)
        if not entries:
            self.query_one("#save-detail", Static).update(
                Text(_("No saved games yet. Every new game is saved as it is played."), "italic")
            )

    @on(DataTable.RowHighlighted)
    def _show_save(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.entries):
            return
        e = self.entries[event.cursor_row]
        detail = Text(f"{e.path.name}\n", style="bold")
        if e.ok:
            detail += Text(
                _("{title}\nTeams: {names}").format(
                    title=e.title, names=", ".join(e.teams.values())
                )
            )
            played = e.last_played.replace("T", " ")[:16]
            detail += Text(
                _("\nLast played {played} · {MODE_LABELS}").format(
                    played=played, MODE_LABELS=MODE_LABELS[e.mode]
                )
            )
            if e.ended:
                detail += Text(_("\nEnded: {ending}").format(ending=e.ending))
        else:
            detail += Text(_("Damaged: {error}").format(error=e.error), style="red")
            if e.bak_ok:
                detail += Text(_("\nA good backup exists: press b to restore it."))
            elif e.has_bak:
                detail += Text(_("\nIts backup is damaged too."))
        self.query_one("#save-detail", Static).update(detail)
        # Only the buttons that can act on this save: a damaged one can only be restored,
        # from a good backup (and at 80 columns a third button would not fit).
        for button in self.query("#save-buttons Button"):
            button.display = e.bak_ok if button.id == "restore" else e.ok

    def _selected(self) -> SaveEntry | None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            self.notify(_("Select a saved game first."), severity="warning")
            return None
        return self.entries[table.cursor_row]

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.post_message(ResumeGame(entry.path))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_resume()

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        try:
            loaded = load_save(entry.path)
        except SaveError as exc:
            self.notify(str(exc), title=_("Cannot open this save"), severity="error", markup=False)
            return
        from wargame.tui.screens.aar import AARScreen

        self.app.push_screen(AARScreen(loaded.deck, loaded.events, loaded.path))

    @on(Button.Pressed, "#restore")
    def action_restore(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        if entry.ok:
            self.notify(_("This save is fine; nothing to restore."))
            return
        try:
            restore_backup(entry.path)
        except SaveError as exc:
            self.notify(str(exc), title=_("Cannot restore"), severity="error", markup=False)
            return
        self.notify(
            _("Restored {name} from its backup.").format(name=entry.path.name), markup=False
        )
        self.load_saves()
