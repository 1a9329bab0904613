"""Remote seats: a host serves the authoritative game over WebSockets; each seat joins with
its own code from its own terminal or browser and receives only what it may see.

No Textual here: the screens that show a remote game live in `wargame.tui.remote`."""
