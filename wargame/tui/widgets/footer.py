"""The footer of the long-lived screens: Textual's, without the leak it has when it rebuilds."""

from __future__ import annotations

from textual import widgets


class Footer(widgets.Footer):
    """Textual's Footer, letting go of the keys it no longer shows.

    Each key the footer builds watches the footer's `compact` (`data_bind`), and Textual
    drops such a watcher only when `compact` next changes (textual#6666), which it never
    does here. The board rebuilds its footer whenever the legal actions change, so a game
    kept every footer key it ever showed: about a hundred widgets a turn."""

    async def recompose(self) -> None:
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(owner, call) for owner, call in watchers if owner.is_attached]
