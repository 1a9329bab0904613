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
            d.dimension,
            t.seconds(d.seconds),
            inline(d.rationale),
        ]
        for d in decisions
    ]


DECISION_HEAD = ["Turn", "Card", "Seat", "Decision", "Dimension", "Time", "Rationale"]


def _entry(e: TimelineEntry, aar: AAR) -> str:
    mark = "*(undone)* " if e.status == "undone" else ""
    if e.status in ("skipped", "unresolved"):
        mark = f"*({e.status})* "
    if e.kind == "decided":
        why = f" — rationale: {inline(e.rationale)}" if e.rationale else ""
        return (
            f"- {mark}**{inline(e.seat)}** chose **{inline(e.option_label)}** "
            f"({e.dimension}, {t.seconds(e.seconds)}){why}"
        )
    if e.kind == "resolved":
        lines = [f"- {mark}**Resolution** of {inline(e.card_title)}:"]
        for mv in e.moves:
            clamp = ", clamped" if mv.clamped else ""
            band = (
                f", {mv.band_before} → {mv.band_after}" if mv.band_before != mv.band_after else ""
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
            lines.append("  - no meter moved")
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
        return (
            f"- {mark}**Adjudication**: {inline(mv.meter_label)} {mv.before} → {mv.after} "
            f"({t.signed(mv.delta)}) — reason: {inline(e.text)}"
        )
    if e.kind == "note":
        return f"- **Note**: {inline(e.text)}"
    if e.kind == "hotwash":
        return f"- **Hot wash**, {inline(t.hotwash_line(e))}"
    if e.kind == "ended":
        return f"- {mark}**{inline(e.summary)}**" + (f" — {inline(e.text)}" if e.text else "")
    return f"- {mark}{inline(e.summary)}"


def to_markdown(aar: AAR) -> str:
    o = aar.overview
    out: list[str] = [f"# After-action report: {inline(o.deck_title)}", ""]
    if o.deck_summary:
        out += [inline(o.deck_summary), ""]

    out += ["## 1. Exercise overview", ""]
    ending = f"{inline(o.ending.title)}" if o.ending else "not ended"
    out += _table(
        ["Item", "Value"],
        [
            ["Deck", f"{inline(o.deck_title)} ({inline(o.deck_id)})"],
            ["Date", o.date or "not recorded"],
            ["Started", inline(o.started_at) or "not recorded"],
            ["Last event", inline(o.ended_at) or "not recorded"],
            ["Duration", t.duration(o.duration_seconds)],
            ["Seed", str(o.seed)],
            ["Mode", MODE_LABELS.get(o.mode, o.mode)],
            ["Turns played", f"{o.turns_played} of {o.turns_planned}"],
            ["Ending", ending],
            ["Decisions", str(o.decisions)],
            ["Adjudications", str(o.adjudications)],
            ["Undos", str(o.undos)],
            ["Skipped cards", str(o.skipped_cards)],
        ],
    )
    out += ["### Participating teams", ""]
    out += _table(
        ["Seat", "Team", "Deck seat"],
        [[inline(s.id), inline(s.name), inline(s.deck_name)] for s in o.seats],
    )
    out += ["### Meters", ""]
    out += _table(
        ["Meter", "Start", "Final", "Change", "Band"],
        [
            [
                inline(m.label),
                str(m.start),
                str(m.final),
                t.signed(m.final - m.start),
                m.start_band
                if m.start_band == m.final_band
                else f"{m.start_band} → {m.final_band}",
            ]
            for m in o.meters
        ],
    )

    out += ["## 2. Objectives", ""]
    if aar.objectives:
        out += [f"- **{inline(ob.id)}**: {inline(ob.text)}" for ob in aar.objectives]
    else:
        out.append("The deck states no objectives.")
    out.append("")

    out += ["## 3. Executive summary", "", inline(t.ending_line(aar))]
    if o.ending and o.ending.text:
        out += ["", inline(o.ending.text)]
    out += ["", "### Turning points", ""]
    if aar.turning_points:
        for tp in aar.turning_points:
            causes = "; ".join(inline(t.cause_text(c, aar)) for c in tp.causes)
            out.append(f"- {inline(t.turning_point_head(tp))} — caused by: {causes or 'none'}")
    else:
        out.append("No meter moved.")
    out.append("")

    out += ["## 4. Timeline", ""]
    turn = None
    for e in aar.timeline:
        if e.turn != turn:
            turn = e.turn
            out += ["", "### Before the first turn" if turn == 0 else f"### Turn {turn}", ""]
        out.append(_entry(e, aar))
    out.append("")

    out += ["## 5. Analysis", "", "### Meter trajectories", ""]
    head = ["Meter", *(t.point_label(p.label) for p in aar.trajectory)]
    out += _table(head, [[inline(m.label), *(str(v) for v in aar.series(m.id))] for m in o.meters])
    out += ["### Decisions", ""]
    out += _table(DECISION_HEAD, _decision_rows(aar.decisions))
    out += crisis_text.markdown(aar, inline, _table)
    out += ["### By seat", ""]
    labels = {m.id: m.label for m in o.meters}
    for s in aar.by_seat:
        dims = ", ".join(f"{k} {v}" for k, v in s.dimensions.items())
        effects = ", ".join(
            f"{inline(labels[k])} {t.signed(v)}" for k, v in s.meter_effects.items()
        )
        out += [
            f"#### {inline(s.seat)} — {inline(s.name)}",
            "",
            f"- Decisions: {s.decisions} ({dims}); with a rationale: {s.rationales}",
            f"- Time taken: {t.seconds(s.seconds_total)} in all, "
            f"{t.seconds(s.seconds_mean)} on average",
            f"- Net effect of its options: {effects or 'none'}",
            "",
        ]
    out += ["### By interoperability dimension", ""]
    out += _table(
        ["Dimension", "Decisions", "By seat", "Net effect", "Cards"],
        [
            [
                d.dimension,
                str(d.decisions),
                ", ".join(f"{inline(k)} {v}" for k, v in d.by_seat.items()),
                ", ".join(f"{inline(labels[k])} {t.signed(v)}" for k, v in d.meter_effects.items())
                or "—",
                ", ".join(inline(c) for c in t.card_titles(aar, d.cards)) or "not exercised",
            ]
            for d in aar.by_dimension
        ],
    )
    if aar.skipped:
        out += ["### Skipped cards", ""]
        out += [
            f"- Turn {s.turn}: {inline(s.card_title)}"
            + (f" — {inline(s.reason)}" if s.reason else "")
            for s in aar.skipped
        ]
        out.append("")
    out += ["### Discussion questions", ""]
    if aar.questions:
        out += [f"- Turn {q.turn}, {inline(q.card_title)}: {inline(q.text)}" for q in aar.questions]
    else:
        out.append("The cards played raise no discussion questions.")
    out.append("")

    out += ["## 6. Strengths and areas for improvement", ""]
    for kind, title in (("strength", "Strengths"), ("improvement", "Areas for improvement")):
        out += [f"### {title}", ""]
        items = [h for h in aar.hotwash if h.entry == kind]
        for h in items:
            tie = t.ties(h, aar)
            out.append(f"- {inline(h.text)}" + (f" *({inline(tie)})*" if tie else ""))
        if not items:
            out.append("None recorded in the hot wash.")
        out.append("")

    out += ["## 7. Improvement plan", ""]
    if aar.improvement_plan:
        out += _table(
            ["Issue / area for improvement", "Recommended action", "Responsible seat"],
            [
                [inline(r.issue) or "—", inline(r.action) or "—", inline(r.seat) or "—"]
                for r in aar.improvement_plan
            ],
        )
    else:
        out += ["No areas for improvement or actions were recorded in the hot wash.", ""]
    out += [
        "---",
        "",
        f"*Derived by wargame from {o.events} events; deck {inline(o.deck_id)}, "
        f"content hash {o.deck_hash[:12]}.*",
        "",
    ]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text)
