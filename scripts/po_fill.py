#!/usr/bin/env python
"""Fill a Chinese catalogue: `python scripts/po_fill.py [--po APP/locale/...] < translations.json`.

The JSON maps an English msgid to its Chinese text (for plural entries, a list of
forms). Matching entries are set and their "fuzzy" mark removed; then the
catalogue is compiled. `--list` prints what is still untranslated or fuzzy, as
JSON ready to be filled in. A developer's tool beside `make messages`.
"""
import json
import subprocess
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main():
    po = PO
    if "--po" in sys.argv:
        po = Path(sys.argv[sys.argv.index("--po") + 1]).resolve()
    catalogue = polib.pofile(str(po), wrapwidth=79)
    if "--list" in sys.argv:
        todo = {e.msgid: "" for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)}
        json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
        return
    translations = json.load(sys.stdin)
    done = 0
    for entry in catalogue:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text]
            entry.msgstr_plural = {0: forms[0]}
        else:
            entry.msgstr = text
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        done += 1
    catalogue.save()
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
    print(f"{done} set; {len(missing)} still missing", file=sys.stderr)
    for msgid in missing:
        print("  missing:", msgid[:90], file=sys.stderr)


if __name__ == "__main__":
    main()
