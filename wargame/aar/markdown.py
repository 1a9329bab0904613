"""The AAR as Markdown, laid out like an HSEEP after-action report.

All text that comes from players, the facilitator or the deck goes through `inline`, which
backslash-escapes every character Markdown (CommonMark + GFM tables) could read as markup
and turns newlines into `<br>`, so each text stays on one line, inert, and reads back intact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wargame.aar import crisis_text
from wargame.aar import text as t
from wargame.aar.model import AAR, Decision, TimelineEntry
from wargame.i18n import N_, _
from wargame.model.game import MODE_LABELS

# Punctuation with meaning inline in CommonMark/GFM (and `#`, which would close a heading).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")


@lru_cache(maxsize=4096)  # titles, names and labels come back on every row
def inline(text: str | None) -> str:
    """User text made inert for Markdown, newlines kept as `<br>`."""
    if not text:
        return ""
    escaped = _SPECIAL.sub(r"\\\1", t.normalise_newlines(text))
    # Table cells and line ends drop surrounding white space; character references keep it.
    core = escaped.strip()
    if len(core) != len(escaped):
        start = escaped.index(core) if core else len(escaped)
        lead, trail = escaped[:start], escaped[start + len(core) :]
        escaped = _refs(lead) + core + _refs(trail)
    return escaped.replace("\n", "<br>")


def _refs(space: str) -> str:
    return "".join(c if c == "\n" else f"&#{ord(c)};" for c in space)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _decision_rows(decisions: list[Decision]) -> list[list[str]]:
    return [
        [
            str(d.turn),
            inline(d.card_title),
            inline(d.seat),
            inline(d.option_label),
            _(d.dimension),
            t.seconds(d.seconds),
            inline(d.rationale),
        ]
        for d in decisions
    ]


DECISION_HEAD = [
    N_("Turn"),
    N_("Card"),
    N_("Seat"),
    N_("Decision"),
    N_("Dimension"),
    N_("Time"),
    N_("Rationale"),
]


def _entry(e: TimelineEntry, aar: AAR) -> str:
    mark = "*(undone)* " if e.status == "undone" else ""
    if e.status in ("skipped", "unresolved"):
        mark = f"*({e.status})* "
    if e.kind == "decided":
        why = _(" — rationale: {inline}").format(inline=inline(e.rationale)) if e.rationale else ""
        return _("- {mark}**{inline}** chose **{inline2}** ({dimension}, {seconds}){why}").format(
            mark=mark,
            inline=inline(e.seat),
            inline2=inline(e.option_label),
            dimension=_(e.dimension),
            seconds=t.seconds(e.seconds),
            why=why,
        )
    if e.kind == "resolved":
        lines = [
            _("- {mark}**Resolution** of {inline}:").format(mark=mark, inline=inline(e.card_title))
        ]
        for mv in e.moves:
            clamp = _(", clamped") if mv.clamped else ""
            band = (
                f", {_(mv.band_before)} → {_(mv.band_after)}"
                if mv.band_before != mv.band_after
                else ""
            )
            lines.append(
                f"  - {inline(mv.meter_label)} {mv.before} → {mv.after} "
                f"({t.signed(mv.delta)}{band}{clamp})"
            )
        for ch in e.changes:
            lines.append(
                f"  - *{t.signed(ch.delta)} {inline(ch.meter_label)}* — "
                f"{inline(t.change_text(ch, aar))}"
            )
        if not e.moves:
            lines.append(_("  - no meter moved"))
        return "\n".join(lines)
    if e.kind == "redcell":
        lines = [f"- {mark}**{inline(e.summary)}**"]
        lines += [
            f"  - {inline(mv.meter_label)} {mv.before} → {mv.after} ({t.signed(mv.delta)})"
            for mv in e.moves
        ]
        return "\n".join(lines)
    if e.kind == "adjudicated":
        mv = e.moves[0]
        return _(
            "- {mark}**Adjudication**: {inline} {before} → {after} ({signed}) — reason: {inline2}"
        ).format(
            mark=mark,
            inline=inline(mv.meter_label),
            before=mv.before,
            after=mv.after,
            signed=t.signed(mv.delta),
            inline2=inline(e.text),
        )
    if e.kind == "note":
        return _("- **Note**: {inline}").format(inline=inline(e.text))
    if e.kind == "hotwash":
        return _("- **Hot wash**, {inline}").format(inline=inline(t.hotwash_line(e)))
    if e.kind == "ended":
        return f"- {mark}**{inline(e.summary)}**" + (f" — {inline(e.text)}" if e.text else "")
    return f"- {mark}{inline(e.summary)}"


def to_markdown(aar: AAR) -> str:
    o = aar.overview
    out: list[str] = [_("# After-action report: {inline}").format(inline=inline(o.deck_title)), ""]
    if o.deck_summary:
        out += [inline(o.deck_summary), ""]

    out += [_("## 1. Exercise overview"), ""]
    ending = f"{inline(o.ending.title)}" if o.ending else _("not ended")
    out += _table(
        [_("Item"), _("Value")],
        [
            [_("Deck"), f"{inline(o.deck_title)} ({inline(o.deck_id)})"],
            [_("Date"), o.date or _("not recorded")],
            [_("Started"), inline(o.started_at) or _("not recorded")],
            [_("Last event"), inline(o.ended_at) or _("not recorded")],
            [_("Duration"), t.duration(o.duration_seconds)],
            [_("Seed"), str(o.seed)],
            [_("Mode"), _(MODE_LABELS.get(o.mode, o.mode))],
            [_("Turns played"), f"{o.turns_played} of {o.turns_planned}"],
            [_("Ending"), ending],
            [_("Decisions"), str(o.decisions)],
            [_("Adjudications"), str(o.adjudications)],
            [_("Undos"), str(o.undos)],
            [_("Skipped cards"), str(o.skipped_cards)],
        ],
    )
    out += [_("### Participating teams"), ""]
    out += _table(
        [_("Seat"), _("Team"), _("Deck seat")],
        [[inline(s.id), inline(s.name), inline(s.deck_name)] for s in o.seats],
    )
    out += [_("### Meters"), ""]
    out += _table(
        [_("Meter"), _("Start"), _("Final"), _("Change"), _("Band")],
        [
            [
                inline(m.label),
                str(m.start),
                str(m.final),
                t.signed(m.final - m.start),
                _(m.start_band)
                if m.start_band == m.final_band
                else f"{_(m.start_band)} → {_(m.final_band)}",
            ]
            for m in o.meters
        ],
    )

    out += [_("## 2. Objectives"), ""]
    if aar.objectives:
        out += [f"- **{inline(ob.id)}**: {inline(ob.text)}" for ob in aar.objectives]
    else:
        out.append(_("The deck states no objectives."))
    out.append("")

    out += [_("## 3. Executive summary"), "", inline(t.ending_line(aar))]
    if o.ending and o.ending.text:
        out += ["", inline(o.ending.text)]
    out += ["", _("### Turning points"), ""]
    if aar.turning_points:
        for tp in aar.turning_points:
            causes = "; ".join(inline(t.cause_text(c, aar)) for c in tp.causes)
            out.append(
                _("- {inline} — caused by: {value}").format(
                    inline=inline(t.turning_point_head(tp)), value=causes or _("none")
                )
            )
    else:
        out.append(_("No meter moved."))
    out.append("")

    out += [_("## 4. Timeline"), ""]
    turn = None
    for e in aar.timeline:
        if e.turn != turn:
            turn = e.turn
            out += [
                "",
                _("### Before the first turn")
                if turn == 0
                else _("### Turn {turn}").format(turn=turn),
                "",
            ]
        out.append(_entry(e, aar))
    out.append("")

    out += [_("## 5. Analysis"), "", _("### Meter trajectories"), ""]
    head = [_("Meter"), *(t.point_label(p.label) for p in aar.trajectory)]
    out += _table(head, [[inline(m.label), *(str(v) for v in aar.series(m.id))] for m in o.meters])
    out += [_("### Decisions"), ""]
    out += _table([_(h) for h in DECISION_HEAD], _decision_rows(aar.decisions))
    out += crisis_text.markdown(aar, inline, _table)
    out += [_("### By seat"), ""]
    labels = {m.id: m.label for m in o.meters}
    for s in aar.by_seat:
        dims = ", ".join(f"{_(k)} {v}" for k, v in s.dimensions.items())
        effects = ", ".join(
            f"{inline(labels[k])} {t.signed(v)}" for k, v in s.meter_effects.items()
        )
        out += [
            f"#### {inline(s.seat)} — {inline(s.name)}",
            "",
            _("- Decisions: {decisions} ({dims}); with a rationale: {rationales}").format(
                decisions=s.decisions, dims=dims, rationales=s.rationales
            ),
            _("- Time taken: {seconds} in all, {seconds2} on average").format(
                seconds=t.seconds(s.seconds_total), seconds2=t.seconds(s.seconds_mean)
            ),
            _("- Net effect of its options: {value}").format(value=effects or _("none")),
            "",
        ]
    out += [_("### By interoperability dimension"), ""]
    out += _table(
        [_("Dimension"), _("Decisions"), _("By seat"), _("Net effect"), _("Cards")],
        [
            [
                _(d.dimension),
                str(d.decisions),
                ", ".join(f"{inline(k)} {v}" for k, v in d.by_seat.items()),
                ", ".join(f"{inline(labels[k])} {t.signed(v)}" for k, v in d.meter_effects.items())
                or "—",
                ", ".join(inline(c) for c in t.card_titles(aar, d.cards)) or _("not exercised"),
            ]
            for d in aar.by_dimension
        ],
    )
    if aar.skipped:
        out += [_("### Skipped cards"), ""]
        out += [
            _("- Turn {turn}: {inline}").format(turn=s.turn, inline=inline(s.card_title))
            + (f" — {inline(s.reason)}" if s.reason else "")
            for s in aar.skipped
        ]
        out.append("")
    out += [_("### Discussion questions"), ""]
    if aar.questions:
        out += [
            _("- Turn {turn}, {inline}: {inline2}").format(
                turn=q.turn, inline=inline(q.card_title), inline2=inline(q.text)
            )
            for q in aar.questions
        ]
    else:
        out.append(_("The cards played raise no discussion questions."))
    out.append("")

    out += [_("## 6. Strengths and areas for improvement"), ""]
    for kind, title in (("strength", _("Strengths")), ("improvement", _("Areas for improvement"))):
        out += [f"### {title}", ""]
        items = [h for h in aar.hotwash if h.entry == kind]
        for h in items:
            tie = t.ties(h, aar)
            out.append(f"- {inline(h.text)}" + (f" *({inline(tie)})*" if tie else ""))
        if not items:
            out.append(_("None recorded in the hot wash."))
        out.append("")

    out += [_("## 7. Improvement plan"), ""]
    if aar.improvement_plan:
        out += _table(
            [_("Issue / area for improvement"), _("Recommended action"), _("Responsible seat")],
            [
                [inline(r.issue) or "—", inline(r.action) or "—", inline(r.seat) or "—"]
                for r in aar.improvement_plan
            ],
        )
    else:
        out += [_("No areas for improvement or actions were recorded in the hot wash."), ""]
    out += [
        "---",
        "",
        _(
            "*Derived by wargame from {events} events; deck {inline}, content hash {deck_hash}.*"
        ).format(events=o.events, inline=inline(o.deck_id), deck_hash=o.deck_hash[:12]),
        "",
    ]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text)
