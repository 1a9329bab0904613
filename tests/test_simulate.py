"""The balance simulator: reproducible to the byte (also across --jobs), faithful to the
engine, policies that pick what they say, and a report whose numbers add up."""

from __future__ import annotations

import json
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wargame.author.simulate import (
    POLICIES,
    SCRIPTED,
    _Plan,
    game_rng,
    play_game,
    quantile,
    run,
    scripted_choice,
    simulate,
)
from wargame.cli import main
from wargame.engine import Game, fold, replay
from wargame.store.decks import parse_deck

from .conftest import DATA

MINI = (DATA / "mini.toml").read_text()
DEFECTS = (DATA / "defects.toml").read_text()


def dump(report: dict) -> str:
    return json.dumps(report, sort_keys=True)


def test_same_seed_same_json_whatever_the_jobs(mini_deck):
    one = dump(simulate(mini_deck, games=120, policy="mixed", seed=7, jobs=1))
    assert dump(simulate(mini_deck, games=120, policy="mixed", seed=7, jobs=1)) == one
    assert dump(simulate(mini_deck, games=120, policy="mixed", seed=7, jobs=2)) == one
    assert dump(simulate(mini_deck, games=120, policy="mixed", seed=8, jobs=1)) != one


def test_the_command_prints_identical_json_for_the_same_seed(capsys):
    args = ["simulate", str(DATA / "mini.toml"), "--games", "40", "--seed", "3", "--json"]
    assert main(args) == 0
    first = capsys.readouterr()
    assert main([*args, "--jobs", "2"]) == 0
    second = capsys.readouterr()
    assert first.out == second.out
    assert first.err == second.err == ""  # no progress bar when not a terminal
    report = json.loads(first.out)
    assert report["run"]["games"] == 40 and report["run"]["policy"] == "random"


def test_simulated_games_match_the_engine_move_for_move(mini_deck):
    """The simulator's fast path changes nothing: the same games played through `Game`,
    one validated command at a time, end the same way."""
    tally = run(mini_deck, games=25, policy="cautious", seed=5)
    for i in range(25):
        game = Game.start(mini_deck, seed=game_rng(5, i).getrandbits(32))
        while not game.state.ended:
            game.draw()
            for seat in game.pending:
                game.decide(seat, scripted_choice(mini_deck, "cautious", game.card.id, seat))
            game.resolve()
        out = game.state.outcome
        assert tally.outcomes[i] == (out.reason, out.ending, out.turn)
        assert tally.finals[i] == tuple(game.state.meters[m.id] for m in mini_deck.meters)


@pytest.mark.parametrize("policy", ["random", "mixed", "bold"])
def test_a_simulated_game_is_the_fold_of_its_events(default_deck, policy):
    plan = _Plan.of(default_deck)
    for i in range(10):
        rng = game_rng(11, i)
        if policy == "mixed":
            seats = {s: POLICIES[(i + k) % len(POLICIES)] for k, s in enumerate(plan.seats)}
        else:
            seats = dict.fromkeys(plan.seats, policy)
        state, log = play_game(default_deck, plan, seats, rng, rng.getrandbits(32))
        assert state.ended
        assert replay(default_deck, log) == state
        assert fold(default_deck, log) == state


def test_the_report_adds_up(mini_deck):
    games = 400
    r = simulate(mini_deck, games=games, policy="random", seed=1)
    assert sum(o["games"] for o in r["outcomes"]) == games
    assert sum(o["share"] for o in r["outcomes"]) == pytest.approx(1, abs=1e-3)
    for o in r["outcomes"]:
        assert sum(o["by_turn"].values()) == o["games"]
        assert 1 <= o["turn"]["min"] <= o["turn"]["median"] <= o["turn"]["max"] <= 4
    for meter in mini_deck.meters:
        m = r["meters"][meter.id]
        assert meter.min <= m["min"] <= m["q1"] <= m["median"] <= m["q3"] <= m["max"] <= meter.max
        assert 0 <= m["at_min"] <= 1 and 0 <= m["at_max"] <= 1
    turns_played = sum(int(t) * n for o in r["outcomes"] for t, n in o["by_turn"].items())
    assert sum(c["drawn"] for c in r["cards"].values()) == turns_played
    assert r["cards"]["cell"]["drawn"] < r["cards"]["neo"]["drawn"]  # cell is only a follow-up
    for card in mini_deck.cards:
        for seat in mini_deck.seat_ids():
            rows = [o for o in r["options"] if o["card"] == card.id and o["seat"] == seat]
            assert sum(o["picks"] for o in rows) == r["cards"][card.id]["drawn"]
            assert sum(o["rate"] for o in rows) == pytest.approx(1, abs=1e-3)
            assert all(0 < o["rate"] < 1 for o in rows if len(rows) > 1)  # random tries all


def test_option_effects_average_what_was_applied(mini_deck):
    r = simulate(mini_deck, games=400, policy="random", seed=2)
    by = {(o["card"], o["seat"], o["option"]): o for o in r["options"]}
    # No extra rules: the average is exactly the option's own effects.
    assert by[("missile", "JPN", "track")]["effect"] == {"readiness.JPN": 5.0}
    assert by[("history", "ROK", "fund")]["effect"] == {"opinion.ROK": -6.0, "trust.ROK-JPN": 6.0}
    # sdf-airlift's extra (-8 to ROK opinion while trust is below 30) fires in some games.
    airlift = by[("neo", "JPN", "sdf-airlift")]["effect"]
    assert airlift["readiness.JPN"] == 10 and airlift["trust.ROK-JPN"] == -10
    assert -8 < airlift["opinion.ROK"] < 0


MINI_CHOICES = {
    # (card, seat): cautious, bold, cooperative, nationalist
    ("neo", "JPN"): ("charter", "sdf-airlift", "charter", "sdf-airlift"),
    ("neo", "ROK"): ("joint-cell", "joint-cell", "joint-cell", "go-alone"),  # 9 = 9: first
    ("missile", "JPN"): ("track", "intercept", "intercept", "track"),  # no trust: first
    ("missile", "ROK"): ("withhold", "share", "share", "withhold"),
    ("radar", "JPN"): ("quiet", "protest", "quiet", "protest"),
    ("radar", "ROK"): ("investigate", "deny", "investigate", "deny"),  # |changes| 10 vs 11
    ("history", "ROK"): ("enforce", "fund", "fund", "enforce"),  # |changes| 11 vs 12
}


@pytest.mark.parametrize("policy", SCRIPTED)
def test_each_scripted_policy_picks_what_it_says(mini_deck, policy):
    column = SCRIPTED.index(policy)
    for (card, seat), picks in MINI_CHOICES.items():
        assert scripted_choice(mini_deck, policy, card, seat) == picks[column], (card, seat)
    # And in a run every seat picks exactly that, every time its card comes up.
    r = simulate(mini_deck, games=60, policy=policy, seed=4)
    for o in r["options"]:
        if o["faced"]:
            chosen = scripted_choice(mini_deck, policy, o["card"], o["seat"]) == o["option"]
            assert o["rate"] == (1.0 if chosen else 0.0)


def test_mixed_gives_each_seat_a_policy_per_game(mini_deck):
    r = simulate(mini_deck, games=300, policy="mixed", seed=9)
    rates = [o["rate"] for o in r["options"] if o["faced"] and o["card"] != "cell"]
    assert all(0 < x < 1 for x in rates)  # no seat is stuck with one policy


def test_suspects_name_undrawn_cards_and_pinned_meters():
    # The defects deck, without its instant ending, and with a meter starting at its min
    # that nothing moves.
    text = DEFECTS.replace('when = "readiness.JPN >= 0"', 'when = "turn > 100"').replace(
        'label = "Escalation"\nstart = 10', 'label = "Escalation"\nstart = 0'
    )
    r = simulate(parse_deck(text), games=200, policy="random", seed=1)
    s = r["suspects"]
    assert s["cards_never_drawn"] == ["late", "cell"]
    assert s["meters_pinned"] == [{"meter": "escalation", "bound": "min", "share": 1.0}]
    assert s["options_never_chosen"] == []


def test_an_option_every_policy_prefers_is_a_suspect():
    text = MINI.replace(
        '[[cards.options]]\nseat = "ROK"\nid = "staff"',
        '[[cards.options]]\nseat = "JPN"\nid = "ignore"\nlabel = "Ignore it"\n'
        'effects = { "readiness.JPN" = -4 }\n\n[[cards.options]]\nseat = "ROK"\nid = "staff"',
    )
    deck = parse_deck(text)
    r = simulate(deck, games=50, policy="random", seed=1)
    assert "cell/JPN/staff" in r["suspects"]["options_always_chosen"]
    assert "cell/JPN/ignore" not in r["suspects"]["options_always_chosen"]


def test_options_never_chosen_only_for_random_and_mixed(mini_deck):
    # One game: each seat tries one option per card, so the others are never chosen.
    r = simulate(mini_deck, 1, "random", 1)
    never = r["suspects"]["options_never_chosen"]
    faced = {(o["card"], o["seat"], o["option"]) for o in r["options"] if o["faced"]}
    picked = {(o["card"], o["seat"], o["option"]) for o in r["options"] if o["picks"]}
    assert sorted(never) == sorted("/".join(k) for k in faced - picked) and never
    # Under a scripted policy that list would only restate the policy: left empty.
    assert simulate(mini_deck, 1, "cautious", 1)["suspects"]["options_never_chosen"] == []


@given(st.lists(st.integers(-1000, 1000), min_size=2, max_size=50))
def test_quartiles_agree_with_statistics(values):
    s = sorted(values)
    expected = statistics.quantiles(s, n=4, method="inclusive")
    got = [quantile(s, q) for q in (0.25, 0.5, 0.75)]
    assert got == pytest.approx(expected)


def floats(data):
    if isinstance(data, float):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from floats(v)
    elif isinstance(data, list):
        for v in data:
            yield from floats(v)


def test_report_floats_are_rounded(mini_deck):
    values = list(floats(simulate(mini_deck, games=37, policy="random", seed=1)))
    assert values and all(round(x, 4) == x for x in values)
    assert any(round(x, 3) != x for x in values)  # 37 games give long fractions to round


def test_the_tables_name_every_section(capsys):
    assert main(["simulate", str(DATA / "mini.toml"), "--games", "30", "--policy", "bold"]) == 0
    out = capsys.readouterr().out
    for heading in ("Outcomes", "Final meters", "Cards drawn", "Options", "Suspects"):
        assert heading in out
    assert "30 games, policy bold, seed 1" in out


@pytest.mark.parametrize(
    "args", [["--games", "0"], ["--policy", "greedy"], ["--jobs", "0"], ["--games", "x"]]
)
def test_bad_arguments_are_refused(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(DATA / "mini.toml"), *args])
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_bad_deck_is_one_line(capsys):
    assert main(["simulate", "no-such.toml"]) == 1
    assert capsys.readouterr().out.strip() == "no-such.toml: no such file"


def test_unknown_policy_in_python_is_a_value_error(mini_deck):
    with pytest.raises(ValueError, match="unknown policy"):
        run(mini_deck, 1, policy="greedy")
