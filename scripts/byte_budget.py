#!/usr/bin/env python3
"""Fails when the static files grow past the budget (brotli, as the server sends them).

Since issue 15 (islands) a page fetches the WASM and its JS glue only when it has an island; the
per-route first-visit bytes are held by end2end/route-budget.json (scripts/route_bytes.py, run by
the Playwright suite). This budget holds the files themselves: all of them together, as the
heaviest page (one with an island) fetches them.

Deterministic: it compresses the built files itself (quality 11, like the server's start-up copies).
The budget is a ratchet at today's size plus a little room, so growth is a decision, not an
accident; the product target is 150 KB (see the bench report).

History: 528,000 after the lesson timers; raised to 668,000 when the contest's five pages came in
(+141 KB brotli for the application form, the organiser's page, scoring, results and the live
scoreboard), then to 700,000 for the contest's second slice (+28 KB: exports, corrections, manual
assignment, evidence, audit log), then to 752,000 for feedback and attendance and the titles editor (+56 KB), then to 794,000
for parent notices (+33 KB: the composer with per-child summaries, read lists), then to 840,000
for the timetable editor, date changes and calendar addresses (+44 KB), then to 926,000 for
feedback surveys, the timetable CSV import, the printable reports, lesson materials and the
offline note (+83 KB; the surveys' composer and results are the largest part), then to 955,000
for the other schedules page (TV lessons, duty rota, methodical days: +29 KB), then to 968,000
for the school year's quarters and semesters (the admin's form, term notes, holiday days: +10 KB;
the room is 2 KB because the WASM's size depends a little on the checkout's path: a clone in
/tmp/ci-clone measured 1.3 KB more than /work/main), then to 971,000 for the school year's
first-day form (+2.6 KB; the same room for the path), then to 974,000 for issue 16's security
fixes (+4.7 KB: the admin's list of running timers with Stop, two refusal reasons and their
messages in three languages, the survey's "results of round N" and "after the close" lines).
Every page
was in the one WASM. Then islands (issue 15): 974,000 → 128,000 (WASM 959 KB → 113 KB brotli,
the islands loader and router 4.2 KB); the student's timetable fetches none of the WASM.
Then 128,000 → 131,000 for issue 18's shell: the icon sprite (20 lucide icons, ~1.5 KB), the tab
bar, menu sheet, lesson states and today cards in the CSS.
"""
import os, subprocess, sys

BUDGET = 131_000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "target", "site", "pkg")
total = 0
FILES = {name: os.path.join(PKG, name) for name in ["sabak.wasm", "sabak.js", "sabak.css"]}
# The loader is written into pkg/ by the server at start-up; its source is in the app crate.
FILES["islands.js"] = os.path.join(ROOT, "app", "src", "shell", "islands.js")
FILES["icons.svg"] = os.path.join(ROOT, "app", "src", "shell", "icons.svg")
for name, path in FILES.items():
    data = open(path, "rb").read()
    size = len(subprocess.run(["brotli", "-c", "-q", "11"], input=data, capture_output=True, check=True).stdout)
    print(f"  {name:12} {len(data):>9} raw {size:>8} brotli")
    total += size
print(f"first-visit static files: {total} bytes brotli (budget {BUDGET})")
if total > BUDGET:
    sys.exit(f"byte budget exceeded by {total - BUDGET} bytes")
