"""`python -m wargame.locale [extract|update|compile|check]`: keep the catalogs in step with
the code (Babel is needed: `pip install -e '.[test]'`). With no argument, all three steps:
extract the template from the code, merge it into each language's .po (new messages come
in untranslated, removed ones go), compile each .po to its .mo."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    try:
        from wargame.locale.catalog import check, compile_all, extract, update
    except ImportError as exc:  # Babel is an authoring tool, in the test extra
        print(f"wargame.locale: {exc}; install Babel (pip install -e '.[test]')", file=sys.stderr)
        return 2
    steps = argv or ["extract", "update", "compile"]
    for step in steps:
        if step == "extract":
            n = extract()
            print(f"wargame.pot: {n} messages")
        elif step == "update":
            for lang, missing in update().items():
                print(f"{lang}: {missing} messages to translate")
        elif step == "compile":
            for path in compile_all():
                print(f"compiled {path}")
        elif step == "check":
            problems = check()
            for problem in problems:
                print(problem)
            return 1 if problems else 0
        else:
            print(f"unknown step {step!r}: extract, update, compile or check", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
