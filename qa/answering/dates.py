"""Relative dates in news: "on Friday", "yesterday", "last month" mean a day (or a week, a
month, a year) counted from the article's publication date. These pure functions find such
phrases in a text, resolve them against a publication date and write the result as a
reader expects it ("23 June 2023", "12–18 June 2023", "May 2023", "2022").

A weekday alone ("on Friday", "Friday's vote") is the most recent such day on or before the
publication date; "last Friday" is the one before the publication date, "next Friday" the
one after it. Weeks run Monday to Sunday."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qa.types import Article

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# the words of a month or a day, lower case: no story's name nor a place ("in March")
CALENDAR_WORDS = frozenset({*(name.lower() for name in MONTH_NAMES), *WEEKDAYS})
NUMBER_WORDS = {  # numbers written as words, one to twelve
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_COUNTS = {"a": 1, "an": 1, **NUMBER_WORDS}  # "a week ago"
_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(MONTH_NAMES) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_COUNT = r"\d{1,3}|" + "|".join(_COUNTS)
_RELATIVE = re.compile(
    rf"\b(?:(?P<direction>last|next|this past|this coming)\s+)?(?P<weekday>{_WEEKDAY})(?!s\b)(?!\w)"
    r"|\b(?P<day>yesterday|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening))\b"
    r"|\b(?P<which>last|this|next|earlier this|later this)\s+(?P<period>week|weekend|month|year)\b"
    rf"|\b(?P<count>{_COUNT})\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    re.I,
)
# words that make a weekday a name ("Good Friday", "Super Tuesday") or a habit ("every Friday")
_NOT_A_DAY_BEFORE = re.compile(
    r"(?:\b(?:good|black|cyber|super|ash|maundy|holy|easter|bloody|palm|shrove|blue|giving|every|each|"
    r"usa)\s+)$",
    re.I,
)
# a weekday followed by its calendar date ("Friday, June 23", "Friday 23 June") needs no resolving
_CALENDAR_AFTER = re.compile(
    rf"^,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})|(?:{_MONTH})\.?\s+\d)", re.I
)
_CALENDAR_DATE = re.compile(rf"\b(?:1[0-9]{{3}}|20[0-9]{{2}})\b|\b(?:{_MONTH})\b", re.I)


@dataclass(frozen=True)
class RelativeDate:
    """A relative date phrase at `text[start:end]` and the days it names, `first` to `last`
    (one day, a week, a month or a year)."""

    phrase: str
    start: int
    end: int
    first: date
    last: date

    @property
    def label(self) -> str:
        """The days it names, written out: "23 June 2023", "May 2023", "2022"."""
        return format_range(self.first, self.last)


def publication_date(published: str | None) -> date | None:
    """The date of an article's `published` field (ISO, optionally with a time), or None
    when it has none or it is not a date."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def article_date(article: Article, today: date | None = None) -> date:
    """The date an article's story is of (for "latest" questions, and for what came
    before it): its publication date, else `today` (the real today without one)."""
    return publication_date(article.published) or today or date.today()


def format_date(day: date) -> str:
    """ "23 June 2023" (no leading zero, month name in English whatever the locale)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_range(first: date, last: date) -> str:
    """A day, a whole month ("May 2023"), a whole year ("2022") or a range of days
    ("12–18 June 2023", "29 May – 4 June 2023", "26 December 2022 – 1 January 2023")."""
    if first == last:
        return format_date(first)
    if first == date(first.year, 1, 1) and last == date(first.year, 12, 31):
        return str(first.year)
    if first.day == 1 and last == _month_end(first):
        return f"{MONTH_NAMES[first.month - 1]} {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTH_NAMES[first.month - 1]} – {format_date(last)}"
    return f"{format_date(first)} – {format_date(last)}"


def names_calendar_date(text: str) -> bool:
    """Whether `text` names a year or a month ("in 2019", "June 23"): a date that needs no
    publication date to be read."""
    return _CALENDAR_DATE.search(text) is not None


def find_relative_dates(text: str, published: date) -> list[RelativeDate]:
    """The relative date phrases of `text`, in order, each resolved against `published`.
    Weekdays that are names ("Good Friday"), habits ("every Friday", "on Fridays") or
    followed by their calendar date ("Friday, June 23") are left out."""
    found = []
    for match in _RELATIVE.finditer(text):
        if match.group("weekday") and not _a_day(text, match):
            continue
        days = resolve(match, published)
        if days is not None:
            found.append(RelativeDate(match.group(0), match.start(), match.end(), *days))
    return found


def _a_day(text: str, match: re.Match[str]) -> bool:
    """A weekday match names one day: not a name, not a habit, not followed by its date."""
    before = text[: match.start()]
    return not (_NOT_A_DAY_BEFORE.search(before) or _CALENDAR_AFTER.match(text[match.end() :]))


def resolve(match: re.Match[str], published: date) -> tuple[date, date] | None:
    """The first and last day that a `_RELATIVE` match names, counted from `published`; None
    for a phrase too vague to place ("this weekend")."""
    if match.group("weekday"):
        direction = (match.group("direction") or "").lower()
        return _one(weekday_date(match.group("weekday"), published, direction))
    if match.group("day"):
        word = " ".join(match.group("day").lower().split())
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        return _one(published + timedelta(days=shift))
    if match.group("period"):
        which = " ".join(match.group("which").lower().split())
        return period_dates(match.group("period").lower(), which, published)
    count = match.group("count").lower()
    n = int(count) if count.isdigit() else _COUNTS[count]
    return ago_dates(n, match.group("unit").lower(), published)


def _one(day: date) -> tuple[date, date]:
    return day, day


def weekday_date(name: str, published: date, direction: str = "") -> date:
    """The day called `name` ("Friday"): the latest on or before `published`; with
    `direction` "last" or "this past" the latest before it; with "next" or "this coming" the
    first after it."""
    target = WEEKDAYS.index(name.lower())
    if direction in ("next", "this coming"):
        return published + timedelta(days=(target - published.weekday() - 1) % 7 + 1)
    back = (published.weekday() - target) % 7
    if back == 0 and direction in ("last", "this past"):
        back = 7
    return published - timedelta(days=back)


def period_dates(period: str, which: str, published: date) -> tuple[date, date] | None:
    """The days of "last week", "this month", "earlier this year", "last weekend" and the
    like, counted from `published`."""
    step = {"last": -1, "next": 1}.get(which, 0)  # "this", "earlier this", "later this": 0
    if period == "weekend":
        if which != "last":
            return None  # "this weekend" may be the one before or the one after
        sunday = published - timedelta(days=(published.weekday() - 6) % 7 or 7)
        return sunday - timedelta(days=1), sunday
    if period == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        first, last = monday, monday + timedelta(days=6)
        if which == "earlier this":
            last = published
        elif which == "later this":
            first = published
        return first, last
    if period == "month":
        first = _shift_month(published.replace(day=1), step)
        return first, _month_end(first)
    year = published.year + step
    return date(year, 1, 1), date(year, 12, 31)


def ago_dates(count: int, unit: str, published: date) -> tuple[date, date]:
    """The days of "two days ago", "a week ago", "three months ago", "a year ago": a day for
    days and weeks, a whole month or year for months and years."""
    if unit == "day":
        return _one(published - timedelta(days=count))
    if unit == "week":
        return _one(published - timedelta(weeks=count))
    if unit == "month":
        first = _shift_month(published.replace(day=1), -count)
        return first, _month_end(first)
    return date(published.year - count, 1, 1), date(published.year - count, 12, 31)


def _shift_month(first: date, months: int) -> date:
    """The first day of the month `months` after the month starting on `first`."""
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    return date(year, month + 1, 1)


def _month_end(day: date) -> date:
    return _shift_month(day.replace(day=1), 1) - timedelta(days=1)


def resolved_label(text: str, published: date) -> str | None:
    """How the relative dates of `text` read on the calendar: "23 June 2023" for one (or
    several naming the same days), "Friday: 23 June 2023; Saturday: 24 June 2023" for
    several; None when `text` has none."""
    found = find_relative_dates(text, published)
    labels = list(dict.fromkeys(r.label for r in found))
    if len(labels) <= 1:
        return labels[0] if labels else None
    first_of: dict[str, RelativeDate] = {}
    for relative in found:
        first_of.setdefault(relative.label, relative)
    return "; ".join(f"{r.phrase}: {r.label}" for r in first_of.values())
