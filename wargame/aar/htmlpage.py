"""The AAR as one self-contained HTML page: inline CSS, meter charts as inline SVG, no
scripts and nothing fetched from the network. Every piece of text goes through
`html.escape`; newlines in user text are kept and shown by `white-space: pre-wrap`."""

from __future__ import annotations

from collections.abc import Set

from wargame.aar import crisis_text
from wargame.aar import text as t
from wargame.aar.htmlchart import _e, charts
from wargame.aar.model import AAR, TimelineEntry
from wargame.i18n import _, language
from wargame.model.game import MODE_LABELS

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; border-bottom: 3px solid #1f3a5f; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; color: #1f3a5f; border-bottom: 1px solid #c8d0da; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-bottom: .4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #c8d0da; padding: .25rem .45rem; text-align: left;
  vertical-align: top; }
th { background: #eef2f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.user { white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: #5a6570; }
.undone, .skipped, .unresolved { color: #7a7a7a; text-decoration: line-through; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: .25rem;
  background: #eef2f6; color: #1f3a5f; margin-right: .3rem; text-decoration: none; }
.up { color: #1b7a2f; } .down { color: #b3261e; }
ol.timeline { list-style: none; padding-left: 0; }
ol.timeline > li { padding: .2rem 0 .2rem .6rem; border-left: 3px solid #c8d0da; margin: .1rem 0; }
ol.timeline > li.decided { border-left-color: #1f77b4; }
ol.timeline > li.resolved { border-left-color: #1f3a5f; background: #f6f8fa; }
ol.timeline > li.adjudicated { border-left-color: #ff7f0e; }
ol.timeline ul { margin: .2rem 0; padding-left: 1.4rem; }
figure { margin: 1rem 0; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
svg { width: 100%; max-width: 52rem; height: auto; }
footer { margin-top: 2rem; font-size: .85rem; color: #5a6570; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } tr, li, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _user(text: str | None) -> str:
    """User text, escaped, with its newlines kept."""
    return f'<span class="user">{_e(t.normalise_newlines(text or ""))}</span>'


def _delta(n: int) -> str:
    cls = "up" if n > 0 else ("down" if n < 0 else "muted")
    return f'<span class="{cls}">{_e(t.signed(n))}</span>'


def _table(
    head: list[str], rows: list[list[str]], cls: str = "", num: Set[int] = frozenset()
) -> str:
    attr = f' class="{cls}"' if cls else ""
    th = "".join(
        f'<th{" class=num" if i in num else ""} scope="col">{h}</th>' for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in num else ''}>{c}</td>" for i, c in enumerate(row))
        + "</tr>\n"
        for row in rows
    )
    return f"<table{attr}><thead><tr>{th}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"


# --- the page ---------------------------------------------------------------------------


def _entry(e: TimelineEntry, aar: AAR) -> str:
    status = "" if e.status == "live" else f'<span class="badge">{_e(e.status)}</span>'
    cls = f"{e.kind} {e.status}" if e.status != "live" else e.kind
    body: str
    if e.kind == "decided":
        why = _("<br>Rationale: {user}").format(user=_user(e.rationale)) if e.rationale else ""
        body = _(
            '<strong>{e}</strong> chose <strong>{e2}</strong> <span class="muted">({e3}, '
            "{e4})</span>{why}"
        ).format(
            e=_e(t.seat_name(aar, e.seat)),
            e2=_e(e.option_label),
            e3=_e(_(e.dimension)),
            e4=_e(t.seconds(e.seconds)),
            why=why,
        )
    elif e.kind == "resolved":
        moves = "".join(
            f"<li>{_e(mv.meter_label)} {mv.before} → {mv.after} ({_delta(mv.delta)}"
            + (
                f", {_e(_(mv.band_before))} → {_e(_(mv.band_after))}"
                if mv.band_before != mv.band_after
                else ""
            )
            + (_(", clamped") if mv.clamped else "")
            + ")</li>"
            for mv in e.moves
        )
        why = "".join(
            f"<li>{_delta(ch.delta)} {_e(ch.meter_label)} — {_user(t.change_text(ch, aar))}</li>"
            for ch in e.changes
        )
        body = _("<strong>Resolution</strong> of {e}<ul>{value}</ul>").format(
            e=_e(e.card_title), value=moves or "<li>No meter moved.</li>"
        ) + (f'<ul class="muted">{why}</ul>' if why else "")
    elif e.kind == "redcell":
        moves = "".join(
            f"<li>{_e(mv.meter_label)} {mv.before} → {mv.after} ({_delta(mv.delta)})</li>"
            for mv in e.moves
        )
        body = f"<strong>{_e(e.summary)}</strong>" + (f"<ul>{moves}</ul>" if moves else "")
    elif e.kind == "adjudicated":
        mv = e.moves[0]
        body = _(
            "<strong>Adjudication</strong>: {e} {before} → {after} ({delta}) — reason: {user}"
        ).format(
            e=_e(mv.meter_label),
            before=mv.before,
            after=mv.after,
            delta=_delta(mv.delta),
            user=_user(e.text),
        )
    elif e.kind == "note":
        body = _("<strong>Note</strong>: {user}").format(user=_user(e.text))
    elif e.kind == "ended":
        body = f"<strong>{_e(e.summary)}</strong>" + (f" — {_user(e.text)}" if e.text else "")
    elif e.kind == "hotwash":
        body = _("<strong>Hot wash</strong>, {user}").format(user=_user(t.hotwash_line(e)))
    else:
        body = _user(e.summary)
    return f'<li class="{_e(cls)}" data-seq="{e.seq}">{status}{body}</li>'


def to_html(aar: AAR) -> str:
    o = aar.overview
    labels = {m.id: m.label for m in o.meters}
    h: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        _("<title>After-action report: {e}</title>").format(e=_e(o.deck_title)),
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        _("<h1>After-action report: {e}</h1>").format(e=_e(o.deck_title)),
    ]
    if o.deck_summary:
        h.append(f'<p class="user">{_e(o.deck_summary)}</p>')

    h.append(_('<h2 id="overview">1. Exercise overview</h2>'))
    rows = [
        [_("Deck"), f"{_e(o.deck_title)} ({_e(o.deck_id)})"],
        [_("Date"), _e(o.date or _("not recorded"))],
        [_("Started"), _e(o.started_at or _("not recorded"))],
        [_("Last event"), _e(o.ended_at or _("not recorded"))],
        [_("Duration"), _e(t.duration(o.duration_seconds))],
        [_("Seed"), str(o.seed)],
        [_("Mode"), _e(_(MODE_LABELS.get(o.mode, o.mode)))],
        [_("Turns played"), f"{o.turns_played} of {o.turns_planned}"],
        [_("Ending"), _e(o.ending.title) if o.ending else _("not ended")],
        [_("Decisions"), str(o.decisions)],
        [_("Adjudications"), str(o.adjudications)],
        [_("Undos"), str(o.undos)],
        [_("Skipped cards"), str(o.skipped_cards)],
    ]
    h.append(_table([_("Item"), _("Value")], rows, "overview"))
    h.append(_("<h3>Participating teams</h3>"))
    h.append(
        _table(
            [_("Seat"), _("Team"), _("Deck seat")],
            [[_e(s.id), _user(s.name), _e(s.deck_name)] for s in o.seats],
        )
    )
    h.append("<h3>Meters</h3>")
    h.append(
        _table(
            [_("Meter"), _("Start"), _("Final"), _("Change"), _("Band")],
            [
                [
                    _e(m.label),
                    str(m.start),
                    str(m.final),
                    _delta(m.final - m.start),
                    _e(
                        _(m.start_band)
                        if m.start_band == m.final_band
                        else f"{_(m.start_band)} → {_(m.final_band)}"
                    ),
                ]
                for m in o.meters
            ],
            "meters",
            {1, 2, 3},
        )
    )

    h.append(_('<h2 id="objectives">2. Objectives</h2>'))
    if aar.objectives:
        h.append(
            "<ul>"
            + "".join(
                f"<li><strong>{_e(ob.id)}</strong>: {_user(ob.text)}</li>" for ob in aar.objectives
            )
            + "</ul>"
        )
    else:
        h.append(_("<p>The deck states no objectives.</p>"))

    h.append(_('<h2 id="summary">3. Executive summary</h2>'))
    h.append(f"<p>{_e(t.ending_line(aar))}</p>")
    if o.ending and o.ending.text:
        h.append(f'<p class="user">{_e(o.ending.text)}</p>')
    h.append(_("<h3>Turning points</h3>"))
    if aar.turning_points:
        items = []
        for tp in aar.turning_points:
            causes = "; ".join(_user(t.cause_text(c, aar)) for c in tp.causes) or _("none")
            items.append(
                _("<li>{e} — caused by: {causes}</li>").format(
                    e=_e(t.turning_point_head(tp)), causes=causes
                )
            )
        h.append('<ul class="turning-points">' + "".join(items) + "</ul>")
    else:
        h.append(_("<p>No meter moved.</p>"))
    h.append(_("<h3>Meters over the game</h3>"))
    h.append(charts(aar))

    h.append(_('<h2 id="timeline">4. Timeline</h2>'))
    turn = None
    items: list[str] = []
    for e in aar.timeline:
        if e.turn != turn:
            if items:
                h.append('<ol class="timeline">' + "\n".join(items) + "</ol>")
                items = []
            turn = e.turn
            h.append(
                _("<h3>Before the first turn</h3>")
                if turn == 0
                else _("<h3>Turn {turn}</h3>").format(turn=turn)
            )
        items.append(_entry(e, aar))
    if items:
        h.append('<ol class="timeline">' + "\n".join(items) + "</ol>")

    h.append(_('<h2 id="analysis">5. Analysis</h2>'))
    h.append(_("<h3>Meter trajectories</h3>"))
    h.append(
        _table(
            [_("Meter"), *(_e(t.point_label(p.label)) for p in aar.trajectory)],
            [[_e(m.label), *(str(v) for v in aar.series(m.id))] for m in o.meters],
            "trajectory",
            set(range(1, len(aar.trajectory) + 1)),
        )
    )
    h.append("<h3>Decisions</h3>")
    h.append(
        _table(
            [
                _("Turn"),
                _("Card"),
                _("Seat"),
                _("Decision"),
                _("Dimension"),
                _("Time"),
                _("Rationale"),
            ],
            [
                [
                    str(d.turn),
                    _e(d.card_title),
                    _e(d.seat),
                    _e(d.option_label),
                    _e(_(d.dimension)),
                    _e(t.seconds(d.seconds)),
                    _user(d.rationale),
                ]
                for d in aar.decisions
            ],
            "decisions",
            {0},
        )
    )
    h += crisis_text.html(aar, _table, _user)
    h.append(_("<h3>By seat</h3>"))
    h.append(
        _table(
            [
                _("Seat"),
                _("Decisions"),
                _("Human"),
                _("Procedural"),
                _("Technical"),
                _("Rationales"),
                _("Mean time"),
                _("Net effect of its options"),
            ],
            [
                [
                    f"{_e(s.seat)} — {_user(s.name)}",
                    str(s.decisions),
                    *(str(s.dimensions[d]) for d in ("human", "procedural", "technical")),
                    str(s.rationales),
                    _e(t.seconds(s.seconds_mean)),
                    ", ".join(f"{_e(labels[k])} {_delta(v)}" for k, v in s.meter_effects.items())
                    or _("none"),
                ]
                for s in aar.by_seat
            ],
            "by-seat",
            {1, 2, 3, 4, 5},
        )
    )
    h.append(_("<h3>By interoperability dimension</h3>"))
    h.append(
        _table(
            [_("Dimension"), _("Decisions"), _("By seat"), _("Net effect"), _("Cards")],
            [
                [
                    _e(_(d.dimension)),
                    str(d.decisions),
                    _e(", ".join(f"{k} {v}" for k, v in d.by_seat.items())),
                    ", ".join(f"{_e(labels[k])} {_delta(v)}" for k, v in d.meter_effects.items())
                    or "—",
                    _e(", ".join(t.card_titles(aar, d.cards)) or _("not exercised")),
                ]
                for d in aar.by_dimension
            ],
            "by-dimension",
            {1},
        )
    )
    if aar.skipped:
        h.append(_("<h3>Skipped cards</h3><ul>"))
        h += [
            _("<li>Turn {turn}: {e}").format(turn=s.turn, e=_e(s.card_title))
            + (f" — {_user(s.reason)}" if s.reason else "")
            + "</li>"
            for s in aar.skipped
        ]
        h.append("</ul>")
    h.append(_("<h3>Discussion questions</h3>"))
    if aar.questions:
        h.append(
            '<ul class="questions">'
            + "".join(
                _("<li>Turn {turn}, {e}: {user}</li>").format(
                    turn=q.turn, e=_e(q.card_title), user=_user(q.text)
                )
                for q in aar.questions
            )
            + "</ul>"
        )
    else:
        h.append(_("<p>The cards played raise no discussion questions.</p>"))

    h.append(_('<h2 id="hotwash">6. Strengths and areas for improvement</h2>'))
    for kind, title in (("strength", _("Strengths")), ("improvement", _("Areas for improvement"))):
        h.append(f"<h3>{title}</h3>")
        entries = [x for x in aar.hotwash if x.entry == kind]
        if entries:
            h.append(
                f'<ul class="{kind}">'
                + "".join(
                    f"<li>{_user(x.text)}"
                    + (
                        f' <span class="muted">({_e(t.ties(x, aar))})</span>'
                        if t.ties(x, aar)
                        else ""
                    )
                    + "</li>"
                    for x in entries
                )
                + "</ul>"
            )
        else:
            h.append(_("<p>None recorded in the hot wash.</p>"))

    h.append(_('<h2 id="plan">7. Improvement plan</h2>'))
    if aar.improvement_plan:
        h.append(
            _table(
                [_("Issue / area for improvement"), _("Recommended action"), _("Responsible seat")],
                [
                    [_user(r.issue or "—"), _user(r.action or "—"), _e(r.seat or "—")]
                    for r in aar.improvement_plan
                ],
                "plan",
            )
        )
    else:
        h.append(_("<p>No areas for improvement or actions were recorded in the hot wash.</p>"))
    h.append(
        _(
            "<footer>Derived by wargame from {events} events; deck {e}, content hash {e2}.</footer>"
        ).format(events=o.events, e=_e(o.deck_id), e2=_e(o.deck_hash[:12]))
    )
    h += ["</body>", "</html>", ""]
    return "\n".join(h)
