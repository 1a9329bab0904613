"""The AAR exports' schema-2 sections, in Markdown and HTML: the scenario at the end, the
private briefings reconciled side by side with the choices, the private objectives."""

from __future__ import annotations

from html import escape

from wargame.aar.model import AAR
from wargame.i18n import _


def _crisis_rows(aar: AAR) -> list[tuple[str, str]]:
    c = aar.crisis
    if c is None:
        return []
    rows = []
    if c.phase_title:
        rows.append((_("Final phase"), c.phase_title))
    rows.append((_("Flags in force"), ", ".join(c.flags) or _("none")))
    for res, left in c.resources.items():
        rows.append((_("Resource {res}").format(res=res), _("{left} left").format(left=left)))
    rows.append((_("Red-cell moves"), str(c.red_cell_moves)))
    if c.checkpoints_passed:
        rows.append((_("Checkpoints continued past"), ", ".join(c.checkpoints_passed)))
    return rows


def markdown(aar: AAR, inline, table) -> list[str]:
    """Markdown lines (`inline` escapes text, `table` makes a table) of the sections."""
    out: list[str] = []
    rows = _crisis_rows(aar)
    if rows:
        out += [_("### The scenario at the end"), ""]
        out += table([_("Item"), _("Value")], [[inline(a), inline(b)] for a, b in rows])
    if aar.private_briefings:
        out += [_("### Private briefings, reconciled"), ""]
        for card in aar.private_briefings:
            out += [
                _("#### Turn {turn}: {inline}").format(
                    turn=card.turn, inline=inline(card.card_title)
                ),
                "",
            ]
            out += table(
                [_("Team"), _("Was told"), _("Chose")],
                [
                    [inline(b.seat_name), inline(b.text), inline(b.option_label) or "—"]
                    for b in card.briefings
                ],
            )
    if aar.private_objectives:
        out += [_("### Private objectives"), ""]
        out += table(
            [_("Team"), _("Objective"), _("Met at the end")],
            [
                [inline(o.seat_name), inline(o.text), _("yes") if o.met else _("no")]
                for o in aar.private_objectives
            ],
        )
    return out


def html(aar: AAR, table, user) -> list[str]:
    """HTML fragments (`table` makes a table, `user` escapes user text) of the sections."""
    out: list[str] = []
    rows = _crisis_rows(aar)
    if rows:
        out.append(_("<h3>The scenario at the end</h3>"))
        out.append(
            table([_("Item"), _("Value")], [[escape(a), user(b)] for a, b in rows], "crisis")
        )
    if aar.private_briefings:
        out.append(_("<h3>Private briefings, reconciled</h3>"))
        for card in aar.private_briefings:
            out.append(
                _("<h4>Turn {turn}: {escape}</h4>").format(
                    turn=card.turn, escape=escape(card.card_title)
                )
            )
            out.append(
                table(
                    [_("Team"), _("Was told"), _("Chose")],
                    [
                        [user(b.seat_name), user(b.text), user(b.option_label or "—")]
                        for b in card.briefings
                    ],
                    "private",
                )
            )
    if aar.private_objectives:
        out.append(_("<h3>Private objectives</h3>"))
        out.append(
            table(
                [_("Team"), _("Objective"), _("Met at the end")],
                [
                    [user(o.seat_name), user(o.text), _("yes") if o.met else _("no")]
                    for o in aar.private_objectives
                ],
                "private-objectives",
            )
        )
    return out
