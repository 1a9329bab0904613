"""Plain-text pieces shared by the exporters and the AAR screen: numbers, times, labels.

Nothing here reads a clock, so the same AAR always formats the same way."""

from __future__ import annotations

from wargame.aar.model import AAR, Cause, HotwashItem, MeterChange, TimelineEntry, TurningPoint
from wargame.i18n import N_, _, language, ngettext

ENTRY_TITLES = {
    "strength": N_("Strength"),
    "improvement": N_("Area for improvement"),
    "action": N_("Recommended action"),
}


def ending_words(reason: str, turn: int, title: str, text: str) -> tuple[str, str]:
    """The title and text of how a game ended, as people read them: a deck's ending in its
    own words; the rules' own endings (the last turn played, the deck exhausted, ended by
    the facilitator), which the log records in English, in the language in use."""
    if language() == "en":
        return title, text  # as recorded: an old save's words export unchanged
    if reason == "turns":
        text = ngettext(
            "The game ran its full {turns} turn.", "The game ran its full {turns} turns.", turn
        )
        return _("The last turn is played"), text.format(turns=turn)
    if reason == "deck":
        return _("The deck is exhausted"), _("No card is left that can be drawn.")
    if reason == "facilitator":
        return _("Ended by the facilitator"), text  # the facilitator's own reason
    return title, text


def signed(n: int) -> str:
    """+5, −5 or ±0, with a true minus sign for reading."""
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "±0")


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    total = round(value)
    if total < 60:
        return _("{seconds} s").format(seconds=total)
    return _("{value} min {value2:02d} s").format(value=total // 60, value2=total % 60)


def duration(value: float | None) -> str:
    if value is None:
        return _("not recorded")
    minutes = round(value / 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    return _("{value} h {value2:02d} min").format(value=minutes // 60, value2=minutes % 60)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def ending_line(aar: AAR) -> str:
    end = aar.overview.ending
    if end is None:
        return _("The game had not ended when this review was made.")
    if end.reason == "ending" and end.ending:
        # The ending's title, not its id: the id is for the deck's author.
        return _("Ended on turn {turn} with the ending “{title}”.").format(
            turn=end.turn, title=end.title
        )
    return _("Ended on turn {turn}: {title}.").format(turn=end.turn, title=end.title)


def cause_text(cause: Cause, aar: AAR) -> str:
    if cause.kind == "adjudication":
        return _("adjudication {signed} ({explain})").format(
            signed=signed(cause.delta), explain=cause.explain
        )
    if cause.kind == "joint":
        return _("joint rule {signed} ({explain})").format(
            signed=signed(cause.delta), explain=cause.explain
        )
    who = seat_name(aar, cause.seat)
    what = cause.option_label or cause.option or ""
    extra = " (extra)" if cause.kind == "extra" else ""
    return f"{who} “{what}”{extra} {signed(cause.delta)}"


def turning_point_head(tp: TurningPoint) -> str:
    """E.g. "Turn 3 (Radar lock): ROK–Japan trust 50 → 36 (−14, steady → strained)"."""
    where = (
        _("Turn {turn} ({card_title})").format(turn=tp.turn, card_title=tp.card_title)
        if tp.card_title
        else _("At the {label}").format(label=tp.label)
    )
    band = (
        f"{_(tp.band_before)} → {_(tp.band_after)}"
        if tp.crossed_band
        else _("stays {band_after}").format(band_after=_(tp.band_after))
    )
    return f"{where}: {tp.meter_label} {tp.before} → {tp.after} ({signed(tp.delta)}, {band})"


def change_text(ch: MeterChange, aar: AAR) -> str:
    """Why a meter moved: the rule's explanation, naming the seat when it does not."""
    if ch.rule == "joint":
        return _("joint rule: {explain}").format(explain=ch.explain)
    seat = ch.seat or ""
    name = seat_name(aar, ch.seat)
    said = ch.explain.startswith(seat) or any(
        s.id == seat and ch.explain.startswith(s.name) for s in aar.overview.seats
    )
    extra = " (extra)" if ch.rule == "extra" else ""
    return f"{ch.explain}{extra}" if said else f"{name}{extra}: {ch.explain}"


def seat_name(aar: AAR, seat: str | None) -> str:
    if seat is None:
        return ""
    for s in aar.overview.seats:
        if s.id == seat:
            return s.name if s.name == s.id else f"{s.id} ({s.name})"
    return seat


def ties(item: HotwashItem, aar: AAR) -> str:
    """What a hot-wash entry is tied to, e.g. "seat ROK (Republic of Korea); card
    Evacuation; objective “Can Seoul and Tokyo coordinate …?”"."""
    parts = []
    if item.seat:
        parts.append(_("seat {seat}").format(seat=seat_name(aar, item.seat)))
    if item.card:
        parts.append(_("card {card}").format(card=item.card_title or item.card))
    if item.objective:
        text = next((o.text for o in aar.objectives if o.id == item.objective), item.objective)
        parts.append(_("objective “{objective}”").format(objective=text))
    return "; ".join(parts)


def card_titles(aar: AAR, cards: list[str]) -> list[str]:
    """Card ids as their titles (the cards a breakdown lists are all decided on)."""
    titles = {d.card: d.card_title for d in aar.decisions}
    return [titles.get(c, c) for c in cards]


def point_label(label: str) -> str:
    """Short axis labels: "start", "1", "2", …, "end"."""
    return label.removeprefix("turn ")


def hotwash_line(e: TimelineEntry) -> str:
    """A hot-wash timeline entry without the "Hot wash, " prefix of its summary."""
    return e.summary.removeprefix("Hot wash, ")
