"""The message catalogs: `wargame.pot` (the template, extracted from the code) and, per
language, `<lang>/LC_MESSAGES/wargame.po` (translations) and its compiled `wargame.mo`,
which is all the game reads at run time. Refresh them with `python -m wargame.locale`."""
