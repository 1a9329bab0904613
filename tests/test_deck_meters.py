"""How a meter reads: its direction (`better`), its seat, its group and its bands' severity —
in the format, in `lint`'s dominance check and in the simulator's policies — and the content
hash those presentation keys leave alone."""

from __future__ import annotations

import pytest

from wargame.author.lint import lint_text
from wargame.author.policies import score
from wargame.model.deck import meter_groups
from wargame.store.decks import DeckError, parse_deck

from .conftest import DATA

MINI = (DATA / "mini.toml").read_text()
TRUST = 'kind = "trust"\n'  # the first meter of mini.toml, trust.ROK-JPN


def with_trust(extra: str, text: str = MINI) -> str:
    out = text.replace(TRUST, TRUST + extra, 1)
    assert out != text
    return out


TINY = """
schema = 1

[deck]
id = "tiny"
title = "Tiny"
turns = 2

[[seats]]
id = "ROK"
name = "Republic of Korea"

[[seats]]
id = "JPN"
name = "Japan"

[[meters]]
id = "opinion.ROK"
label = "ROK public opinion"
kind = "opinion"
start = 50

[[meters]]
id = "escalation"
label = "Escalation"
kind = "escalation"
start = 30

[[cards]]
id = "launch"
title = "Launch"
category = "missile"
briefing = "A missile flies."

[[cards.options]]
seat = "ROK"
id = "calm-down"
label = "Calm down"
effects = { "escalation" = -5, "opinion.ROK" = -2 }

[[cards.options]]
seat = "ROK"
id = "stir-up"
label = "Stir up"
effects = { "escalation" = 5, "opinion.ROK" = -2 }

[[cards.options]]
seat = "JPN"
id = "wait"
label = "Wait"
effects = { "escalation" = 1 }
"""
ESC = 'kind = "escalation"\n'


def with_escalation(extra: str, text: str = TINY) -> str:
    out = text.replace(ESC, ESC + extra, 1)
    assert out != text
    return out


def test_direction_defaults_by_kind():
    deck = parse_deck(MINI, "mini.toml")
    assert {m.direction for m in deck.meters} == {"higher"}
    assert parse_deck(TINY, "t").meter("escalation").direction == "lower"
    other = parse_deck(TINY.replace(ESC, 'kind = "other"\n'), "t")
    assert other.meter("escalation").direction == "neither"
    assert other.meter("escalation").sign == 0


def test_presentation_keys_keep_the_content_hash():
    """Declaring how meters read changes nothing a save replays, so the hash stays."""
    plain = parse_deck(MINI, "mini.toml")
    text = with_trust(
        'better = "lower"\nseat = "ROK"\ngroup = "Alliance trust"\n'
        'band_severity = { steady = "good" }\n'
    ).replace("critical = 0,", 'critical = { from = 0, severity = "warning" },')
    dressed = parse_deck(text, "mini.toml")
    m = dressed.meter("trust.ROK-JPN")
    assert (m.direction, m.seat, m.group) == ("lower", "ROK", "Alliance trust")
    assert m.bands == plain.meter("trust.ROK-JPN").bands  # the table's `from`, as a number
    assert m.band_severity == {"steady": "good", "critical": "warning"}
    assert dressed.content_hash == plain.content_hash


def test_the_default_deck_declares_how_its_meters_read(default_deck):
    esc = default_deck.meter("escalation")
    assert esc.direction == "lower"
    assert [esc.severity(n) for n, _ in esc.band_bounds()] == [
        "good",
        "neutral",
        "warning",
        "danger",
    ]
    for m in default_deck.meters:
        if m.kind in ("opinion", "readiness"):
            assert m.seat == m.id.rpartition(".")[2]
        else:
            assert m.seat is None


@pytest.mark.parametrize(
    ("band", "severity", "better"),
    [
        ("critical", "danger", "higher"),
        ("strong", "good", "higher"),
        ("strong", "good", "lower"),  # the default names say what they mean
        ("steady", "neutral", "neither"),
    ],
)
def test_default_band_names_read_as_they_say(band, severity, better):
    deck = parse_deck(with_trust(f'better = "{better}"\n'), "mini.toml")
    assert deck.meter("trust.ROK-JPN").severity(band) == severity


def test_custom_bands_read_by_their_place_from_the_worse_end():
    bands = "bands = { calm = 0, uneasy = 30, tense = 50, brink = 80 }\n"
    lower = parse_deck(with_escalation(bands), "t")
    m = lower.meter("escalation")
    assert [m.severity(n) for n in ("brink", "tense", "uneasy", "calm")] == [
        "danger",
        "warning",
        "neutral",
        "good",
    ]
    other = parse_deck(TINY.replace(ESC, 'kind = "other"\n' + bands), "t")
    assert {other.meter("escalation").severity(n) for n in ("calm", "brink")} == {"neutral"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('seat = "XX"\n', "meter trust.ROK-JPN: seat: unknown seat 'XX'"),
        ('better = "up"\n', "better: Input should be 'higher', 'lower' or 'neither'"),
        (
            'band_severity = { calm = "good" }\n',
            "band_severity names 'calm', which is not a band of this meter "
            "(bands: critical, strained, steady, strong)",
        ),
    ],
)
def test_bad_meter_keys_are_one_clear_line(change, message):
    with pytest.raises(DeckError) as exc:
        parse_deck(with_trust(change), "mini.toml")
    assert message in str(exc.value)
    assert "\n" not in str(exc.value).strip()


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ('{ from = 0, colour = "red" }', "band 'critical': unknown key 'colour'"),
        ('{ severity = "good" }', "band 'critical': a band table needs 'from'"),
        ('{ from = 0, severity = "red" }', "band_severity.critical: Input should be 'danger'"),
        ('{ from = "0" }', "bands.critical: Input should be a valid integer"),
    ],
)
def test_bad_band_tables_are_one_clear_line(band, message):
    with pytest.raises(DeckError) as exc:
        parse_deck(MINI.replace("critical = 0,", f"critical = {band},", 1), "mini.toml")
    assert message in str(exc.value)


def test_groups_come_from_the_deck_in_its_order():
    deck = parse_deck(
        with_trust('group = "Alliance"\n').replace(
            'kind = "readiness"\n', 'kind = "readiness"\ngroup = "Alliance"\n'
        ),
        "mini.toml",
    )
    assert [(title, [m.id for m in ms]) for title, ms in meter_groups(deck.meters)] == [
        ("Alliance", ["trust.ROK-JPN", "readiness.JPN"]),
        ("Public opinion", ["opinion.ROK"]),
    ]


# --- lint and the policies follow the direction ----------------------------------------------


def dominated(text: str) -> list[str]:
    _, warnings = lint_text(text, "deck.toml")
    return [w.message for w in warnings if w.code == "dominated-option"]


def test_lint_counts_a_fall_in_a_lower_is_better_meter_as_a_gain():
    assert dominated(TINY) == [
        "option ROK/stir-up is dominated by calm-down: no better on any meter, worse on escalation"
    ]
    higher = with_escalation('better = "higher"\n')
    assert dominated(higher) == [
        "option ROK/calm-down is dominated by stir-up: no better on any meter, worse on escalation"
    ]


def test_options_differing_where_neither_way_is_better_are_not_compared():
    assert dominated(with_escalation('better = "neither"\n')) == []


def test_nationalist_scores_the_meters_naming_the_seat(default_deck):
    for card in default_deck.cards:
        for opt in card.options:
            own = {m.id for m in default_deck.meters if m.seat == opt.seat}
            want = sum(v for m, v in opt.effects.items() if m in own)
            assert score(default_deck, "nationalist", opt) == want


def test_nationalist_uses_a_declared_seat_and_the_direction():
    deck = parse_deck(with_escalation('seat = "ROK"\n'), "t")
    card = deck.card("launch")
    calm, stir = card.options_for("ROK")
    assert deck.meter("escalation").owner(deck.seat_ids()) == "ROK"
    assert score(deck, "nationalist", calm) == 5 - 2
    assert score(deck, "nationalist", stir) == -5 - 2
    plain = parse_deck(TINY, "t")  # escalation is no one's: only opinion.ROK counts
    assert score(plain, "nationalist", calm) == score(plain, "nationalist", stir) == -2
