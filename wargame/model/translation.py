"""A deck's text in another language: a translation file, keyed by the deck's own ids.

A translation sits next to its deck as `<deck>.<language>.toml` and gives only text people
read (titles, briefings, labels, explanations); ids, conditions, effects and numbers stay in
the deck. Every field is optional: what a file leaves out is shown in the deck's own
language, and `missing_text` lists it for the author. `translation_problems` finds what a
file names that its deck does not have; `localize` gives the deck with the text swapped in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from wargame.model.deck import Category, Deck, Language, Loc, Model
from wargame.model.deck_check import Problem
from wargame.model.fields import Explain, Id, Name, OptionalExplain, Text, Title

TRANSLATION_SCHEMA = 1


class DeckText(Model):
    title: Title | None = None
    summary: Text | None = None
    objectives: dict[Id, Text] = Field(default_factory=dict)


class SeatText(Model):
    name: Name | None = None
    brief: Text | None = None
    private_objective: Text | None = None


class MeterText(Model):
    label: Name | None = None
    group: Name | None = None


class PhaseText(Model):
    title: Title | None = None
    text: Text | None = None


class FlagText(Model):
    label: Name | None = None
    text: Text | None = None


class ResourceText(Model):
    label: Name | None = None


class RedCellText(Model):
    actor: Name | None = None
    explain: Explain | None = None


class EndingText(Model):
    title: Title | None = None
    text: Text | None = None


class OptionText(Model):
    label: Title | None = None
    explain: OptionalExplain | None = None
    unavailable_reason: OptionalExplain | None = None
    extra: list[Explain] | None = None


class CardText(Model):
    title: Title | None = None
    briefing: Text | None = None
    facilitator_notes: Text | None = None
    questions: list[Text] | None = None
    prompts: dict[Id, Text] = Field(default_factory=dict)
    private: dict[Id, Text] = Field(default_factory=dict)
    briefing_if: list[Text] | None = None
    joint: list[Explain] | None = None
    options: dict[Id, dict[Id, OptionText]] = Field(default_factory=dict)


class Translation(Model):
    schema_version: Literal[1] = Field(alias="schema")
    translates: Id
    language: Language
    deck: DeckText = Field(default_factory=DeckText)
    seats: dict[Id, SeatText] = Field(default_factory=dict)
    meters: dict[Id, MeterText] = Field(default_factory=dict)
    bands: dict[Id, Name] = Field(default_factory=dict)
    categories: dict[Category, Name] = Field(default_factory=dict)
    phases: dict[Id, PhaseText] = Field(default_factory=dict)
    flags: dict[Id, FlagText] = Field(default_factory=dict)
    resources: dict[Id, ResourceText] = Field(default_factory=dict)
    red_cell: dict[Id, RedCellText] = Field(default_factory=dict)
    endings: dict[Id, EndingText] = Field(default_factory=dict)
    cards: dict[Id, CardText] = Field(default_factory=dict)


# --- what a translation may name ---------------------------------------------------------


def translation_problems(deck: Deck, tr: Translation) -> list[Problem]:
    """Everything the translation names that the deck does not have, each at its path in
    the translation file, and text a translation may not blank out."""
    out: list[Problem] = []

    def unknown(loc: Loc, what: str, known: Any) -> None:
        if loc[-1] not in known:
            out.append(Problem(loc, f"the deck has no {what} {loc[-1]!r}"))

    def count(loc: Loc, given: list[str] | None, expected: int, what: str) -> None:
        if given is not None and len(given) != expected:
            out.append(
                Problem(
                    loc,
                    f"gives {len(given)} {what} where the deck has {expected}; "
                    "give them all, in the deck's order",
                )
            )

    if tr.translates != deck.id:
        out.append(Problem(("translates",), f"names deck {tr.translates!r}, not {deck.id!r}"))
    if tr.language == deck.deck.language:
        out.append(Problem(("language",), f"is the deck's own language ({tr.language!r})"))
    objectives = {o.id for o in deck.deck.objectives}
    for oid in tr.deck.objectives:
        unknown(("deck", "objectives", oid), "objective", objectives)
    seats = {s.id: s for s in deck.seats}
    for sid, st in tr.seats.items():
        unknown(("seats", sid), "seat", seats)
        if (
            sid in seats
            and st.private_objective is not None
            and seats[sid].private_objective is None
        ):
            out.append(
                Problem(("seats", sid, "private_objective"), "the seat has no private objective")
            )
    for table, kind, given, known in (
        ("meters", "meter", tr.meters, {m.id for m in deck.meters}),
        ("bands", "band", tr.bands, set(deck.band_ids())),
        ("categories", "category", tr.categories, {c.category for c in deck.cards}),
        ("phases", "phase", tr.phases, {p.id for p in deck.phases}),
        ("flags", "flag", tr.flags, {f.id for f in deck.flags}),
        ("resources", "resource", tr.resources, {r.id for r in deck.resources}),
        ("red_cell", "red-cell rule", tr.red_cell, {r.id for r in deck.red_cell}),
        ("endings", "ending", tr.endings, {e.id for e in deck.endings}),
    ):
        for key in given:
            unknown((table, key), kind, known)
    for cid, ct in tr.cards.items():
        if not deck.has_card(cid):
            unknown(("cards", cid), "card", ())
            continue
        card = deck.card(cid)
        loc: Loc = ("cards", cid)
        count((*loc, "questions"), ct.questions, len(card.questions), "questions")
        count((*loc, "briefing_if"), ct.briefing_if, len(card.briefing_if), "briefing_if texts")
        count((*loc, "joint"), ct.joint, len(card.joint), "joint explanations")
        if ct.briefing is not None and not ct.briefing.strip():
            out.append(Problem((*loc, "briefing"), "a card's briefing may not be empty"))
        for sid in ct.prompts:
            unknown((*loc, "prompts", sid), "seat", seats)
        for sid in ct.private:
            unknown((*loc, "private", sid), "private briefing for seat", card.private)
        for sid, options in ct.options.items():
            if sid not in seats:
                unknown((*loc, "options", sid), "seat", seats)
                continue
            for oid, ot in options.items():
                option = card.option(sid, oid)
                if option is None:
                    out.append(
                        Problem(
                            (*loc, "options", sid, oid), f"{sid} has no option {oid!r} on this card"
                        )
                    )
                    continue
                count(
                    (*loc, "options", sid, oid, "extra"),
                    ot.extra,
                    len(option.extra),
                    "extra explanations",
                )
    return out


# --- the text a translation covers, as one walk of the deck -----------------------------


def _texts(deck: Deck, tr: Translation) -> Iterator[tuple[str, bool]]:
    """(where, translated?) for every text field of the deck a translation should give."""
    info = deck.deck
    yield "deck title", tr.deck.title is not None
    if info.summary:
        yield "deck summary", tr.deck.summary is not None
    for o in info.objectives:
        yield f"objective {o.id}", o.id in tr.deck.objectives
    for s in deck.seats:
        st = tr.seats.get(s.id, SeatText())
        yield f"seat {s.id} name", st.name is not None
        if s.brief:
            yield f"seat {s.id} brief", st.brief is not None
        if s.private_objective is not None:
            yield f"seat {s.id} private_objective", st.private_objective is not None
    for m in deck.meters:
        mt = tr.meters.get(m.id, MeterText())
        yield f"meter {m.id} label", mt.label is not None
        if m.group:
            yield f"meter {m.id} group", mt.group is not None
    for band in sorted(deck.band_ids()):
        yield f"band {band}", band in tr.bands
    for category in sorted({c.category for c in deck.cards}):
        yield f"category {category}", category in tr.categories
    for p in deck.phases:
        pt = tr.phases.get(p.id, PhaseText())
        yield f"phase {p.id} title", pt.title is not None
        if p.text:
            yield f"phase {p.id} text", pt.text is not None
    for f in deck.flags:
        ft = tr.flags.get(f.id, FlagText())
        yield f"flag {f.id} label", ft.label is not None
        if f.text:
            yield f"flag {f.id} text", ft.text is not None
    for r in deck.resources:
        yield f"resource {r.id} label", tr.resources.get(r.id, ResourceText()).label is not None
    for rule in deck.red_cell:
        rt = tr.red_cell.get(rule.id, RedCellText())
        yield f"red-cell rule {rule.id} actor", rt.actor is not None
        yield f"red-cell rule {rule.id} explain", rt.explain is not None
    for e in deck.endings:
        et = tr.endings.get(e.id, EndingText())
        yield f"ending {e.id} title", et.title is not None
        if e.text:
            yield f"ending {e.id} text", et.text is not None
    for c in deck.cards:
        ct = tr.cards.get(c.id, CardText())
        at = f"card {c.id}"
        yield f"{at} title", ct.title is not None
        yield f"{at} briefing", ct.briefing is not None
        if c.facilitator_notes:
            yield f"{at} facilitator_notes", ct.facilitator_notes is not None
        if c.questions:
            yield f"{at} questions", ct.questions is not None
        for sid in c.prompts:
            yield f"{at} prompt for {sid}", sid in ct.prompts
        for sid in c.private:
            yield f"{at} private briefing for {sid}", sid in ct.private
        if c.briefing_if:
            yield f"{at} briefing_if", ct.briefing_if is not None
        if c.joint:
            yield f"{at} joint", ct.joint is not None
        for option in c.options:
            ot = ct.options.get(option.seat, {}).get(option.id, OptionText())
            where = f"{at} option {option.seat}/{option.id}"
            yield f"{where} label", ot.label is not None
            if option.explain:
                yield f"{where} explain", ot.explain is not None
            if option.unavailable_reason:
                yield f"{where} unavailable_reason", ot.unavailable_reason is not None
            if option.extra:
                yield f"{where} extra", ot.extra is not None


def missing_text(deck: Deck, tr: Translation) -> tuple[list[str], int]:
    """The deck's text fields the translation leaves in the deck's language, and how many
    text fields there are in all."""
    fields = list(_texts(deck, tr))
    return [where for where, done in fields if not done], len(fields)


# --- the deck in the translation's language ----------------------------------------------


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def localize(deck: Deck, tr: Translation) -> Deck:
    """The deck with the translation's text in place of its own (the rest as it is), in the
    translation's language. The caller checks `translation_problems` first."""
    data = deck.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    info = data["deck"]
    info["language"] = tr.language
    _put(info, "title", tr.deck.title)
    _put(info, "summary", tr.deck.summary)
    for o in info.get("objectives", []):
        _put(o, "text", tr.deck.objectives.get(o["id"]))
    for s in data["seats"]:
        st = tr.seats.get(s["id"], SeatText())
        _put(s, "name", st.name)
        _put(s, "brief", st.brief)
        if st.private_objective is not None and "private_objective" in s:
            s["private_objective"]["text"] = st.private_objective
    for m in data["meters"]:
        mt = tr.meters.get(m["id"], MeterText())
        _put(m, "label", mt.label)
        if "group" in m:
            _put(m, "group", mt.group)
    for table, given in (
        ("phases", tr.phases),
        ("flags", tr.flags),
        ("resources", tr.resources),
        ("red_cell", tr.red_cell),
        ("endings", tr.endings),
    ):
        for item in data.get(table, []):
            given_text = given.get(item["id"])
            if given_text is not None:
                item.update(given_text.model_dump(exclude_none=True))
    for c in data["cards"]:
        ct = tr.cards.get(c["id"])
        if ct is None:
            continue
        for key in ("title", "briefing", "facilitator_notes", "questions"):
            _put(c, key, getattr(ct, key))
        for key in ("prompts", "private"):
            if getattr(ct, key):
                c[key] = {**c.get(key, {}), **getattr(ct, key)}
        for item, text in zip(c.get("briefing_if", []), ct.briefing_if or [], strict=False):
            item["text"] = text
        for item, text in zip(c.get("joint", []), ct.joint or [], strict=False):
            item["explain"] = text
        for o in c["options"]:
            ot = ct.options.get(o["seat"], {}).get(o["id"])
            if ot is None:
                continue
            for key in ("label", "explain", "unavailable_reason"):
                _put(o, key, getattr(ot, key))
            for item, text in zip(o.get("extra", []), ot.extra or [], strict=False):
                item["explain"] = text
    labels = data.setdefault("labels", {})
    labels["bands"] = {**labels.get("bands", {}), **tr.bands}
    labels["categories"] = {**labels.get("categories", {}), **tr.categories}
    return Deck.model_validate(data)
