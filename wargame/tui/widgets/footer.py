"""The footer of wargame's screens: Textual's, without the cost and the leak of rebuilding."""

from __future__ import annotations

from textual import widgets
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from wargame.i18n import N_, _
from wargame.tui.compat import drop_watchers

# Textual's own key for the command palette, which the footer translates like ours.
PALETTE = N_("palette")


class Footer(widgets.Footer):
    """Textual's Footer, rebuilt only when the keys it shows change, and letting go of the
    keys it removes.

    Textual's Footer rebuilds on every focus change (a dozen widgets re-mounted for the same
    keys: more than a frame's time on the decision screen). And each key it mounts watches
    the footer's `compact` (`data_bind`), which Textual drops only when `compact` next
    changes (textual#6666), never here: the board's footer, rebuilt whenever the legal
    actions change, kept every key it ever showed, about a hundred a turn."""

    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            active = screen.active_bindings
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            shown = (
                tuple(
                    (k, b.description, ok, tip) for k, (_, b, ok, tip) in active.items() if b.show
                ),
                palette and palette.enabled,
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)  # marks the bindings ready, and recomposes

    def compose(self):
        # Bindings are declared at class level, before the language is chosen (`N_`): the
        # footer shows each key's description and tooltip in the language of the game.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.tooltip is not None:
                    widget.tooltip = _(str(widget.tooltip))
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        drop_watchers(self, lambda owner: not owner.is_attached)
