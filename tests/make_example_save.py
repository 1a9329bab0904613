"""Regenerate saves/example-fault-lines.toml: one finished seminar game of the default deck,
played deliberately — the facilitator picks the injects, each team gives its reasons.

Run it when the save format or the default deck changes:

    .venv/bin/python tests/make_example_save.py

It fails loudly if a card or option it plays no longer exists in the deck.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from wargame.engine import Game, Hotwash, Timer
from wargame.store.decks import find_deck
from wargame.store.saves import write_save

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "saves" / "example-fault-lines.toml"
START = datetime.fromisoformat("2025-03-14T13:00:00+09:00")
TEAMS = {"US": "Washington cell", "ROK": "Seoul cell", "JPN": "Tokyo cell"}

# (card to reveal, or None for the follow-up the rules queue), then each seat's choice,
# its rationale as the team wrote it, and minutes the team took.
TURNS: list[tuple[str | None, dict[str, tuple[str, str, int]]]] = [
    (
        "missile-hokkaido",
        {
            "US": (
                "bomber-flight",
                "A visible trilateral flight reassures Tokyo within hours and tells "
                "Pyongyang the overflight bought nothing. It costs sorties we can afford.",
                6,
            ),
            "ROK": (
                "share-via-us",
                "We want Tokyo to have the track, but a direct GSOMIA push on day one "
                "would become the story at home. TISA gets the data there through USFK.",
                8,
            ),
            "JPN": (
                "ask-tracks",
                "Our Aegis lost the missile low over the horizon; the Korean radars saw "
                "the boost phase. Asking Seoul directly is the fastest way to close the gap.",
                5,
            ),
        },
    ),
    (
        "neo-seoul-nationals",
        {
            "US": (
                "broker",
                "If we fold Japanese nationals into our plan we become the only bridge "
                "again. Better to open a direct Seoul–Tokyo channel and stay in the room.",
                7,
            ),
            "ROK": (
                "joint-cell",
                "Japanese aircraft on Korean soil is a red line for our public, but "
                "liaison officers in a Korean-led cell are not. We keep control.",
                9,
            ),
            "JPN": (
                "ask-seoul",
                "Announcing an SDF airlift first is what went wrong in every rehearsal. "
                "We ask Seoul privately, then announce together.",
                6,
            ),
        },
    ),
    (
        None,  # the evacuation cell the joint rule just queued
        {
            "US": (
                "back-seat",
                "The cell works only if it survives without us chairing it. We observe, "
                "keep our own plan warm, and intervene only on airspace conflicts.",
                4,
            ),
            "ROK": (
                "civilian-dress",
                "Uniforms would make the front pages by evening. Civilian clothes give "
                "us the working cell without handing the opposition a photograph.",
                7,
            ),
            "JPN": (
                "share-manifests",
                "Manifests and flight schedules are what the Korean controllers need to "
                "deconflict. Sharing them costs us staff time, not face.",
                5,
            ),
        },
    ),
    (
        "radar-lock",
        {
            "US": (
                "mediate",
                "Both allies will publish their own version within a day. A private "
                "technical review is the only way to stop this becoming 2018 again.",
                5,
            ),
            "ROK": (
                "deny",
                "The Navy insists the fire-control radar was never used, and the "
                "minister has already said so on television. We cannot walk it back today.",
                11,
            ),
            "JPN": (
                "private-protest",
                "Releasing the cockpit audio would win the news cycle and lose the "
                "evacuation cell we just built. We protest through defense channels.",
                8,
            ),
        },
    ),
    (
        "intel-gsomia-deadline",
        {
            "US": (
                "press-both",
                "Pressing Seoul alone made the 2019 lapse more likely, not less. We ask "
                "both capitals to step back and offer to host the talks.",
                6,
            ),
            "ROK": (
                "conditional",
                "Letting the pact lapse mid-crisis would blind us to Japanese tracks. "
                "Suspending the notice, tied to trade talks, keeps it alive and saves face.",
                12,
            ),
            "JPN": (
                "offer-talks",
                "Export-control talks are a small price for keeping direct intelligence "
                "sharing. We offer them in the same statement, so it reads as a deal.",
                7,
            ),
        },
    ),
    (
        # The renewal at midnight, queued by the conditional suspension: the facilitator takes
        # it ahead of the artillery alert the North's guns have just forced to the head of the
        # queue.
        "intel-gsomia-renewal",
        {
            "US": (
                "exchange-schedule",
                "A renewed pact that nobody uses is the failure mode. A standing "
                "schedule of trilateral exchanges makes use the default.",
                4,
            ),
            "ROK": (
                "renew-and-use",
                "The missed launches this year made the case for us: we renew and "
                "commit to pushing tracks after every launch, and say so publicly.",
                10,
            ),
            "JPN": (
                "prompt-push",
                "If Seoul commits to pushing data, we match it launch for launch. "
                "Reciprocity is what will keep the Diet on board.",
                5,
            ),
        },
    ),
    (
        "history-takeshima-day",
        {
            "US": (
                "quiet-word",
                "Nothing we say in public about Dokdo helps. A private word to both "
                "capitals keeps the missile-defense drill on the calendar.",
                4,
            ),
            "ROK": (
                "dokdo-drill",
                "Two turns of concessions to Tokyo have cost us at home. The annual "
                "drill goes ahead as always; skipping it would be read as a retreat.",
                10,
            ),
            "JPN": (
                "official-attends",
                "Two turns of concessions have left the cabinet one more gesture from "
                "collapse. The official attends; we keep the speech short and say nothing new.",
                8,
            ),
        },
    ),
    (
        "exercise-opcon",
        {
            "US": (
                "certify",
                "Delaying certification again would tell Seoul that wartime command is "
                "never really theirs. The combined staff have earned it.",
                7,
            ),
            "ROK": (
                "sdf-liaison",
                "A Korean-led command still needs a line to the SDF bases behind it. "
                "Building the liaison cell in now is cheaper than improvising it in war.",
                13,
            ),
            "JPN": (
                "offer-liaison",
                "We offer liaison officers and let Seoul set their terms: a Korean "
                "command asking for us is worth more than us asking to join.",
                6,
            ),
        },
    ),
]

NOTES = {
    1: "Teams asked how long Japanese Aegis can hold a track without Korean data; "
    "White Cell answered 'minutes, not hours' per the briefing.",
    4: "Seoul cell debated the radar denial for eleven minutes. Worth revisiting in the "
    "hot wash: the domestic statement came before the technical facts.",
    6: "First turn in which all three teams reached for direct ROK–Japan channels "
    "without US prompting.",
}


def play() -> Game:
    deck, _ = find_deck(None)
    clock = START

    def at(minutes: float = 1) -> str:
        nonlocal clock
        clock += timedelta(minutes=minutes)
        return clock.isoformat()

    game = Game.start(deck, seed=2025, mode="hotseat", team_names=TEAMS, at=START.isoformat())
    for card, choices in TURNS:
        game.draw(card, at=at(3))
        if card is None:
            assert game.state.card is not None
        turn = game.state.turn
        if turn == 4:
            game.apply(Timer(action="pause", at=at(2)))
            game.apply(Timer(action="resume", at=at(6)))
        for seat in game.pending:
            option, why, minutes = choices[seat]
            game.decide(
                seat,
                option,
                why,
                seconds=minutes * 60.0,
                entered_by=TEAMS[seat],
                at=at(minutes),
            )
        game.resolve(at=at(2))
        if turn in NOTES:
            game.note(NOTES[turn], at=at(1))
        if turn == 4:
            game.adjudicate(
                "opinion.JPN",
                "Cockpit audio leaked to NHK despite the private protest: Japanese "
                "opinion hardens beyond what the rules model.",
                delta=-4,
                at=at(2),
            )
        if game.state.ended:
            break
    if not game.state.ended:
        game.end("Time: the seminar's last session ended.", at=at(2))
    hot = [
        ("strength", "The joint evacuation cell kept working through the radar row.", "ROK"),
        ("strength", "GSOMIA renewal came with a standing exchange schedule.", None),
        ("improvement", "Public statements ran ahead of the technical facts.", "ROK"),
        ("improvement", "Japan's cockpit-audio leak shows the limits of quiet protest.", "JPN"),
        (
            "improvement",
            "Tokyo's concessions came two turns running and public opinion nearly broke the "
            "cabinet; Takeshima Day had to be paid for. Pace them, and explain them at home.",
            "JPN",
        ),
        ("action", "Write a standing ROK–Japan NEO liaison procedure before it is needed.", None),
    ]
    for entry, text, seat in hot:
        game.apply(Hotwash(entry=entry, text=text, seat=seat, at=at(2)))  # type: ignore[arg-type]
    return game


def main() -> int:
    game = play()
    OUT.parent.mkdir(exist_ok=True)
    write_save(OUT, game.deck, game.events)
    bak = OUT.with_name(OUT.name + ".bak")
    bak.unlink(missing_ok=True)  # the example has no history worth keeping
    out = game.state.outcome
    assert out is not None
    print(f"{OUT.relative_to(ROOT)}: {len(game.events)} events, ended: {out.title}")
    print("meters: " + ", ".join(f"{k} {v}" for k, v in game.state.meters.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
