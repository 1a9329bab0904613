"""The AAR exports' schema-2 sections, in Markdown and HTML: the scenario at the end, the
private briefings reconciled side by side with the choices, the private objectives."""

from __future__ import annotations

from html import escape

from wargame.aar.model import AAR


def _crisis_rows(aar: AAR) -> list[tuple[str, str]]:
    c = aar.crisis
    if c is None:
        return []
    rows = []
    if c.phase_title:
        rows.append(("Final phase", c.phase_title))
    rows.append(("Flags in force", ", ".join(c.flags) or "none"))
    for res, left in c.resources.items():
        rows.append((f"Resource {res}", f"{left} left"))
    rows.append(("Red-cell moves", str(c.red_cell_moves)))
    if c.checkpoints_passed:
        rows.append(("Checkpoints continued past", ", ".join(c.checkpoints_passed)))
    return rows


def markdown(aar: AAR, inline, table) -> list[str]:
    """Markdown lines (`inline` escapes text, `table` makes a table) of the sections."""
    out: list[str] = []
    rows = _crisis_rows(aar)
    if rows:
        out += ["### The scenario at the end", ""]
        out += table(["Item", "Value"], [[inline(a), inline(b)] for a, b in rows])
    if aar.private_briefings:
        out += ["### Private briefings, reconciled", ""]
        for card in aar.private_briefings:
            out += [f"#### Turn {card.turn}: {inline(card.card_title)}", ""]
            out += table(
                ["Team", "Was told", "Chose"],
                [
                    [inline(b.seat_name), inline(b.text), inline(b.option_label) or "—"]
                    for b in card.briefings
                ],
            )
    if aar.private_objectives:
        out += ["### Private objectives", ""]
        out += table(
            ["Team", "Objective", "Met at the end"],
            [
                [inline(o.seat_name), inline(o.text), "yes" if o.met else "no"]
                for o in aar.private_objectives
            ],
        )
    return out


def html(aar: AAR, table, user) -> list[str]:
    """HTML fragments (`table` makes a table, `user` escapes user text) of the sections."""
    out: list[str] = []
    rows = _crisis_rows(aar)
    if rows:
        out.append("<h3>The scenario at the end</h3>")
        out.append(table(["Item", "Value"], [[escape(a), user(b)] for a, b in rows], "crisis"))
    if aar.private_briefings:
        out.append("<h3>Private briefings, reconciled</h3>")
        for card in aar.private_briefings:
            out.append(f"<h4>Turn {card.turn}: {escape(card.card_title)}</h4>")
            out.append(
                table(
                    ["Team", "Was told", "Chose"],
                    [
                        [user(b.seat_name), user(b.text), user(b.option_label or "—")]
                        for b in card.briefings
                    ],
                    "private",
                )
            )
    if aar.private_objectives:
        out.append("<h3>Private objectives</h3>")
        out.append(
            table(
                ["Team", "Objective", "Met at the end"],
                [
                    [user(o.seat_name), user(o.text), "yes" if o.met else "no"]
                    for o in aar.private_objectives
                ],
                "private-objectives",
            )
        )
    return out
