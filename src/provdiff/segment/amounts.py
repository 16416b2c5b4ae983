"""Figures in every script: numbers with their scale and unit, in one canonical form.

The same amount is written "$350 billion", "3500억 달러", "3,500億ドル", "三千五百亿美元" and
"350.000 Millionen Dollar"; a fact-checker's "same claim" must see one figure in all of them, and a
changed figure must read as a change. The grammar:

* **Digits** with thousands separators and a decimal mark. Where the two readings differ
  ("3,250"; "28.500"), the sentence's language decides (``language.decimal_comma``: English,
  Chinese, Japanese and Korean write "3,250.5", the others "3.250,5"). A French "1 200" groups
  thousands with a space; only where a decimal comma is written.
* **Scales** after the number in words of each language ("billion", "Mrd.", "millones",
  "milliards", "млрд", "مليار"; the long-scale "Billion", "billón", French "billion" are 10^12),
  and the East Asian units 十 百 千 万 億 兆 (십 백 천 만 억 조; 亿, 万亿) in any mix with digits
  ("23兆2千億円", "3억5000만 원", "94.9万亿元", "两千亿美元", "삼천오백억").
* **Units**: percent in every language ("Prozent", "por ciento", "퍼센트", "百分之十五"), currency
  by sign, ISO code or word (달러, 원, 円, 元, 美元, Euro, dólares, рублей).
* **Dates and ordinals are not amounts**: "25일", "7日", "8月", "2025年" and "3분기" give no figure.

Numerals written in Han or Hangul count only with a unit of ten or more ("三千" is 3000, "一部"
is no number) and, in Hangul, only as three syllables or more with 만, 억 or 조, or before a
currency ("이천" is also a city). A text's figures are a function of the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from provdiff.segment.language import decimal_comma, detect


@dataclass(frozen=True, slots=True)
class Figure:
    """A number found in text, with its unit (``USD``, ``%``, ``""`` for a count) and where it stands."""

    value: float
    unit: str
    start: int
    end: int

    @property
    def token(self) -> str:
        """Canonical form: equal for "$350B", "$350 billion" and "3500억 달러".

        >>> [f.token for f in figures("$350B, $350 billion and 15 percent")]
        ['USD350000000000', 'USD350000000000', '15%']
        >>> [f.token for f in figures("3500억 달러, 5兆3千億円, 两千亿美元, 40 Mrd. Euro")]
        ['USD350000000000', 'JPY5300000000000', 'USD200000000000', 'EUR40000000000']
        """
        number = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{number}%" if self.unit == "%" else f"{self.unit}{number}"


# Full-width and Arabic-Indic digits read as ASCII (one character each: positions are kept).
_DIGITS = str.maketrans("０１２３４５６７８９٠١٢٣٤٥٦٧٨٩％", "01234567890123456789%")
_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW"}
_CODES = ("USD", "EUR", "GBP", "JPY", "KRW", "CNY", "RMB", "RUB", "CHF", "INR")
_CURRENCY_WORDS = {
    "USD": "dollars dollar dólares dólar dollari us-dollar долларов доллара доллар دولار "
    "달러 ドル 米ドル 美元",
    "EUR": "euros euro евро يورو 유로 ユーロ 欧元",
    "GBP": "pounds pfund libras livres фунтов 파운드 ポンド 英镑",
    "JPY": "yen yenes иен 엔 円 日元",
    "KRW": "won wones 원 ウォン 韩元",
    "CNY": "yuan юаней 위안 人民币 元",
    "RUB": "рублей рубля рубль руб rubel",
}
_CURRENCY = {word: code for code, words in _CURRENCY_WORDS.items() for word in words.split()}
_CURRENCY_AFTER = re.compile(
    r"\s?(?:(?:de|d['’])\s?)?("
    + "|".join(sorted((re.escape(w) for w in (*_CURRENCY, *_CODES)), key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.I,
)
_CJK_CURRENCY = re.compile(
    r"\s?("
    + "|".join(sorted((re.escape(w) for w in _CURRENCY if not w.isascii()), key=len, reverse=True))
    + ")"
)
# Scales in words; the number they multiply. "billion" is 10^9 in English and 10^12 in the long
# scale of French and German (``_LONG``).
_SCALES = {
    **dict.fromkeys("thousand k tsd tausend mil mille mila тыс тысяч тысячи тысяча ألف".split(), 1e3),
    **dict.fromkeys(
        "million millions mn m mln mio millionen millón millones milioni milione milhões milhão "
        "миллиона миллионов миллион млн مليون".split(),
        1e6,
    ),
    **dict.fromkeys(
        "billion billions bn b bln mrd milliarde milliarden milliard milliards miliardi miliardo "
        "bilhões bilhão миллиарда миллиардов миллиард млрд مليار".split(),
        1e9,
    ),
    **dict.fromkeys(
        "trillion trillions tn t bio billionen billón billones триллиона триллионов триллион трлн "
        "تريليون ترليون".split(),
        1e12,
    ),
    "mil millones": 1e9,
}
_LONG = frozenset(("billion", "billions"))
_SCALE = re.compile(
    r"\s?("
    + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s") for w in _SCALES), key=len, reverse=True))
    + r")(?:(?<=mrd|mio|tsd|bio|тыс|млн|лрд|рлн)\.|(?!\w))",  # "Mrd." takes its dot; "billion." not
    re.I,
)
_PERCENT = re.compile(
    r"\s?(?:%|percent\b|per\s?cent\b|pct\b|prozent\b|por\s?ciento\b|pour\s?cent\b|per\s?cento\b|"
    r"por\s?cento\b|процент[а-я]*|في\s?المئة|بالمئة|퍼센트|프로(?![가-힣])|パーセント|个百分点|個百分點)",
    re.I,
)
# After a number, what makes it a date, an ordinal or a duration (no amount): day, month, year,
# quarter, hour, minute, age.
_NOT_AMOUNT = re.compile(
    r"\s?(?:일|日|号|號|월|月|년|年|분기|시(?![가-힣])|時|분(?![기가-힣])|分|秒|초|세|歳|岁|周年|주년)"
)
_NUMBER = re.compile(r"\d+(?:[.,  ]\d+)*")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_EUROPEAN = re.compile(r"\d{1,3}(?:[.  ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?(?:\.\d+)?")
# Where a figure can start (after ``_DIGITS``): one character class, which the regex engine scans
# for fast; a "US" before "$", a code before the digits and "百分之" are looked for from there.
_START = re.compile(r"[\d$€£¥₩一二三四五六七八九两兩〇零十百千일이삼사오육칠팔구십백천]")
_CODE_END = re.compile(r"(?:USD|EUR|GBP|JPY|KRW|CNY|RMB|RUB|CHF|INR) ?$")
_CODE_BEFORE = re.compile(r"(USD|EUR|GBP|JPY|KRW|CNY|RMB|RUB|CHF|INR) ?(?=\d)")

_HAN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_DIGITS |= {"〇": 0, "零": 0}
_HANGUL_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
_BIG = {"万": 1e4, "萬": 1e4, "만": 1e4, "億": 1e8, "亿": 1e8, "억": 1e8, "兆": 1e12, "조": 1e12}
_HANGUL_BIG = ("만", "억", "조")


_READABLE_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "KRW": "₩"}
_READABLE_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_TOKEN = re.compile(r"\b([A-Z]{3})(\d+(?:\.\d+)?)\b")


def readable(text: str) -> str:
    """``text`` with each canonical money token (``Figure.token``) written as people write it:
    ``USD350000000000`` as ``$350 billion``, ``EUR210000000`` as ``€210 million``, ``KRW1200`` as
    ``₩1,200``. Evidence and conflicts keep tokens (they compare across notations and languages);
    what a reader sees goes through here. Percentages and counts are already readable.

    >>> readable("USD100000000000 -> USD150000000000; EUR2500000 vs CNY1.5")
    '$100 billion -> $150 billion; €2.5 million vs CNY 1.5'
    """

    def one(match: re.Match[str]) -> str:
        unit, value = match.group(1), float(match.group(2))
        sign = _READABLE_SIGNS.get(unit, unit + " ")
        for scale, word in _READABLE_SCALES:
            if value >= scale:
                number = f"{value / scale:.3f}".rstrip("0").rstrip(".")
                return f"{sign}{number} {word}"
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{sign}{number}"

    return _TOKEN.sub(one, text)


@lru_cache(maxsize=1 << 16)
def figures(text: str) -> tuple[Figure, ...]:
    """Numbers with their scale and unit: amounts, percentages, counts (cached: the cascade asks
    for the same sentence's figures at several stages)."""
    flat = text if text.isascii() else text.translate(_DIGITS)
    found: list[Figure] = []
    at = 0
    comma: list[bool] = []  # the sentence's decimal mark, read once and only when it matters
    while (start := _START.search(flat, at)) is not None:
        begin = start.start()
        if flat[begin] == "$" and flat.startswith("US", begin - 2) and begin - 2 >= at:
            begin -= 2
        elif (
            flat[begin].isdigit() and (code := _CODE_END.search(flat, max(at, begin - 4), begin)) is not None
        ):
            begin = code.start()
        figure = _figure(flat, begin, comma)
        if figure is None:
            at = start.end()
            continue
        at = figure.end
        if figure.unit != "-":
            found.append(figure)
    return tuple(found)


def _figure(text: str, begin: int, comma: list[bool]) -> Figure | None:
    """The figure that starts at ``begin``; unit ``-`` for a date or an ordinal (skipped)."""
    unit = ""
    at = begin
    percent_first = text.startswith("百分之", at)
    if percent_first:
        at += 3
    if text.startswith("US$", at) or (text[at] in _SIGNS and text[at] != "U"):
        sign = "us$" if text.startswith("US$", at) else text[at]
        unit = _SIGNS[sign]
        at += len(sign)
        if at < len(text) and text[at] == " ":
            at += 1
    elif (code := _CODE_BEFORE.match(text, at)) is not None:
        unit = "CNY" if code.group(1) == "RMB" else code.group(1)
        at = code.end()
    if at >= len(text):
        return None
    if text[at].isdigit():
        number = _NUMBER.match(text, at)
        if number is None:
            return None
        read = _western(_trim(number.group()), text, comma)
        if read is None:
            return None
        value, end = read[0], at + read[1]
        asian = _asian(text, end, value)
        if asian is not None:
            value, end = asian
    else:
        if unit or (begin > 0 and _numeral(text[begin - 1])):
            return None
        asian = _asian(text, at, None)
        if asian is None:
            return None
        value, end = asian
    if percent_first:
        return Figure(value, "%", begin, end)
    if not unit and (not_amount := _NOT_AMOUNT.match(text, end)) is not None:
        return Figure(value, "-", begin, not_amount.end())
    if (scale := _SCALE.match(text, end)) is not None:
        word = scale.group(1).lower()
        factor = _SCALES.get(" ".join(word.split()), 1.0)
        if word in _LONG and _long_scale(text):
            factor = 1e12
        value *= factor
        end = scale.end()
    if (percent := _PERCENT.match(text, end)) is not None:
        return Figure(value, "%", begin, percent.end())
    if not unit:
        after = _CURRENCY_AFTER.match(text, end) or _CJK_CURRENCY.match(text, end)
        if after is not None:
            word = after.group(1)
            unit = "CNY" if word.upper() == "RMB" else _CURRENCY.get(word.lower(), word.upper())
            end = after.end()
    return Figure(value, unit, begin, end)


def _trim(raw: str) -> str:
    """The number without a trailing separator, and without a space-grouped tail that is not
    three digits ("in 2024 12 people" is two numbers)."""
    if raw.isdigit():
        return raw
    parts = re.split(r"([.,  ])", raw)
    keep = [parts[0]]
    for sep, digits in zip(parts[1::2], parts[2::2], strict=True):
        if sep in "  " and len(digits) != 3:
            break
        keep += [sep, digits]
    return "".join(keep)


def _western(raw: str, text: str, comma: list[bool]) -> tuple[float, int] | None:
    """(value, characters read) of digits with separators, read by the text's convention: the
    longest number it allows ("78.146.132.102" in English is 78.146, then 132.102)."""
    if _DECIMAL_COMMA.fullmatch(raw):
        return float(raw.replace(",", ".")), len(raw)  # "1,5" and "2,85": no English reading
    european = raw.isdigit() is False and _comma(text, comma)  # the language matters only here
    number = (_EUROPEAN if european else _ENGLISH).match(raw)
    if number is None:
        return None
    found = number.group()
    if european and "," not in found and found.count(".") == 1 and len(found.rsplit(".", 1)[1]) != 3:
        return float(found), len(found)  # "2.8" in a German sentence: a decimal point after all
    group, mark = (".", ",") if european else (",", ".")
    return float(re.sub(r"[  ]", "", found).replace(group, "").replace(mark, ".")), len(found)


def _comma(text: str, memo: list[bool]) -> bool:
    if not memo:
        memo.append(decimal_comma(text))
    return memo[0]


def _long_scale(text: str) -> bool:
    """Whether "billion" means 10^12 here, as in French, German, Dutch, Spanish and Italian."""
    return detect(text) in ("fr", "de", "nl", "es", "it")


def _numeral(char: str) -> bool:
    return char in _HAN_DIGITS or char in _SMALL or char in _BIG or char in _HANGUL_DIGITS


def _asian(text: str, at: int, lead: float | None) -> tuple[float, int] | None:
    """An East Asian number from ``at``: ``lead`` (digits already read) followed by units, or a
    numeral of Han or Hangul characters; ``None`` when there is no unit to read."""
    total = 0.0
    section = 0.0
    number = lead
    last_big = False
    syllables = 0
    hangul = False
    units = 0
    end = at
    i = at
    while i < len(text):
        char = text[i]
        if char.isdigit() and number is None and (section or total):
            match = _NUMBER.match(text, i)
            assert match is not None
            raw = _trim(match.group())
            number = float(raw.replace(",", ""))
            i += len(raw)
            last_big = False
            end = i
            continue
        if char in _HAN_DIGITS and lead is None:
            digit = _HAN_DIGITS[char]
            number = digit if number is None or text[i - 1] not in _HAN_DIGITS else number * 10 + digit
        elif char in _HANGUL_DIGITS and lead is None and not _after_hangul_word(text, at):
            number, hangul = _HANGUL_DIGITS[char], True
            syllables += 1
        elif char in _SMALL:
            if char in "십백천":
                hangul, syllables = True, syllables + 1
            section += (number if number is not None else 1) * _SMALL[char]
            number = None
            units += 1
        elif char in _BIG and (
            number is not None or section or (last_big and total and char not in _HANGUL_BIG)
        ):
            if char in _HANGUL_BIG:
                hangul, syllables = True, syllables + 1
            part = section + (number or 0)
            if part == 0 and last_big:
                total *= _BIG[char]  # 万亿: ten thousand times a hundred million
            else:
                total += part * _BIG[char]
            section, number = 0.0, None
            units += 1
            last_big = True
            i += 1
            end = i
            if (
                i + 1 < len(text)
                and text[i] == " "
                and (text[i + 1].isdigit() or text[i + 1] in _HANGUL_DIGITS)
            ):
                i += 1  # "1조 2천억": a space between sections
            continue
        else:
            break
        last_big = False
        i += 1
        end = i
    if units == 0 or (lead is None and end - at < 2):
        return None
    if hangul and lead is None:
        currency = _CJK_CURRENCY.match(text, end)
        if currency is None and (syllables < 3 or not any(text[at:end].count(u) for u in _HANGUL_BIG)):
            return None
    return total + section + (number or 0), end


def _after_hangul_word(text: str, at: int) -> bool:
    """Whether ``at`` is inside a Hangul word (a numeral syllable there is part of the word)."""
    return at > 0 and "\uac00" <= text[at - 1] <= "\ud7a3"
