#!/usr/bin/env python3
"""Builds the icon sprite (app/src/shell/icons.svg) from the npm package lucide-static (ISC).

Run `npm install && python3 scripts/icons.py` after changing ICONS; the sprite is committed, so
a build needs neither the package nor this script. Each icon becomes a <symbol id="NAME">; a page
draws one with <svg class="icon"><use href="/pkg/icons.svg?v=…#NAME"/></svg>, and the browser
keeps the one file for a year."""
import json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.environ.get("LUCIDE", os.path.join(ROOT, "node_modules", "lucide-static"))
TARGET = os.path.join(ROOT, "app", "src", "shell", "icons.svg")

# Our name -> lucide's name. Our names are what the Rust code asks for (shell::Icon).
ICONS = {
    "home": "house",
    "timetable": "calendar-days",
    "timer": "timer",
    "tasks": "clipboard-list",
    "journal": "book-open",
    "feedback": "message-square",
    "schedules": "calendar-range",
    "surveys": "list-checks",
    "notices": "bell",
    "contest": "trophy",
    "class": "users",
    "users": "user-round",
    "classes": "school",
    "import": "upload",
    "editor": "table",
    "reports": "file-text",
    "menu": "menu",
    "logout": "log-out",
    "join": "video",
    "clock": "clock",
}


def symbol(ours, theirs):
    with open(os.path.join(SOURCE, "icons", theirs + ".svg"), encoding="utf-8") as f:
        svg = f.read()
    inner = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
    shapes = " ".join(line.strip() for line in inner.strip().splitlines())
    shapes = re.sub(r"\s*/>", "/>", shapes)
    return f'<symbol id="{ours}" viewBox="0 0 24 24">{shapes}</symbol>'


def main():
    with open(os.path.join(SOURCE, "package.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    body = "\n".join(symbol(o, t) for o, t in ICONS.items())
    sprite = (
        f"<!-- lucide-static v{version}, ISC license: https://lucide.dev/license -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">\n'
        f"{body}\n</svg>\n"
    )
    with open(TARGET, "w", encoding="utf-8") as f:
        f.write(sprite)
    print(f"{TARGET}: {len(ICONS)} icons, {len(sprite)} bytes")


if __name__ == "__main__":
    sys.exit(main())
