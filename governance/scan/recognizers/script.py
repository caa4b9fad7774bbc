"""Words of other scripts and letters read against the Latin-script names and places lists.

The names and places lists are mostly in Latin script (the sources write Cyrillic and Greek names as
their bearers transliterate them: `shevchenko`, `papadopoulos`, `kharkiv`). A Cyrillic or Greek word is
therefore also looked up in the few Latin spellings a compact transliteration gives it (Ukrainian and
Russian readings of `и`, `г`, `х`; Greek `υ`, `β`, `η`), and counts as known when one of them is. The
Cyrillic table covers the letters of every language written in Cyrillic (Kazakh, Kyrgyz, Tatar, Bashkir,
Mongolian, Tajik, Uzbek, Azerbaijani, Serbian, Macedonian, Belarusian, ...); a letter it lacks is read as
its base letter when it is one with a diacritic (`ӣ` as `и`). A Latin word with letters outside ASCII is
likewise looked up in its plain spellings (`əliyev` as `aliyev` and `eliyev`, `şəki` as `sheki`, `ștefan`
as `stefan`): data and the sources often drop the diacritics, or write them as digraphs.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

# each letter: its usual Latin spellings (the first is the national transliteration standard's)
_CYRILLIC: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g", "h"), "ґ": ("g",), "д": ("d",), "е": ("e", "ye"),
    "ё": ("e", "yo"), "є": ("ye", "ie"), "ж": ("zh",), "з": ("z",), "и": ("i", "y"), "і": ("i",), "ї": ("yi", "i"),
    "й": ("y", "i", ""), "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts", "c"), "ч": ("ch",),
    "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y",), "ь": ("",), "э": ("e",), "ю": ("yu", "iu"),
    "я": ("ya", "ia"), "ў": ("u", "o"),
    # Kazakh, Kyrgyz, Tatar, Bashkir, Mongolian, Uzbek, Tajik, Azerbaijani, Chuvash
    "ә": ("a", "ae", "e"), "ғ": ("g", "gh"), "қ": ("k", "q"), "ң": ("n", "ng"), "ө": ("o", "oe", "u"),
    "ұ": ("u",), "ү": ("u", "ue", "y"), "һ": ("h",), "җ": ("zh", "j"), "ҙ": ("z", "dh"), "ҫ": ("s", "th"),
    "ҳ": ("h", "kh"), "ҷ": ("j", "ch"), "ҹ": ("c", "j", "ch"), "ҝ": ("g",), "ӏ": ("",),
    # Serbian, Macedonian, Montenegrin
    "ђ": ("dj", "d"), "ј": ("j", "y"), "љ": ("lj", "l"), "њ": ("nj", "n"), "ћ": ("c", "ch"), "џ": ("dz", "dzh", "j"),
    "ѓ": ("gj", "g"), "ќ": ("kj", "k"), "ѕ": ("dz",),
}
_GREEK: dict[str, tuple[str, ...]] = {
    "α": ("a",), "ά": ("a",), "β": ("v", "b"), "γ": ("g", "gh"), "δ": ("d", "dh"), "ε": ("e",), "έ": ("e",),
    "ζ": ("z",), "η": ("i", "e"), "ή": ("i", "e"), "θ": ("th",), "ι": ("i",), "ί": ("i",), "ϊ": ("i",), "ΐ": ("i",),
    "κ": ("k",), "λ": ("l",), "μ": ("m",), "ν": ("n",), "ξ": ("x", "ks"), "ο": ("o",), "ό": ("o",), "π": ("p",),
    "ρ": ("r",), "σ": ("s",), "ς": ("s",), "τ": ("t",), "υ": ("y", "i"), "ύ": ("y", "i"), "ϋ": ("y", "i"),
    "ΰ": ("y", "i"), "φ": ("f", "ph"), "χ": ("ch", "h", "kh"), "ψ": ("ps",), "ω": ("o",), "ώ": ("o",),
}
# Greek digraphs read as one sound
_GREEK_DIGRAPHS = {"ου": ("ou", "u"), "ού": ("ou", "u"), "αι": ("ai", "e"), "αί": ("ai", "e"), "ει": ("ei", "i"),
                   "εί": ("ei", "i"), "οι": ("oi", "i"), "οί": ("oi", "i"), "μπ": ("b", "mp"), "ντ": ("d", "nt"),
                   "γκ": ("g", "gk"), "γγ": ("ng",), "αυ": ("av", "af"), "ευ": ("ev", "ef")}
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")
# Latin letters that are not a base letter with a diacritic (Unicode gives them no decomposition), and
# the digraphs some letters with a diacritic are also written as; every other letter with a diacritic
# is read as its base letter
_LATIN_SPECIAL: dict[str, tuple[str, ...]] = {
    "ə": ("a", "e"), "ı": ("i",), "ł": ("l",), "ø": ("o", "oe"), "æ": ("ae", "a"), "ß": ("ss",), "đ": ("d", "dj"),
    "ð": ("d",), "þ": ("th",), "œ": ("oe",), "ħ": ("h",), "ŋ": ("ng",), "ĳ": ("ij",),
    "ş": ("s", "sh"), "ș": ("s", "sh"), "ç": ("c", "ch"), "ğ": ("g", "gh", ""), "ö": ("o", "oe"), "ü": ("u", "ue"),
    "ä": ("a", "ae"), "å": ("a", "aa"), "ž": ("z", "zh"), "š": ("s", "sh"), "č": ("c", "ch"), "ć": ("c", "ch"),
    "ñ": ("n", "ny"), "ţ": ("t", "ts"), "ț": ("t", "ts"),
}
MAX_FORMS = 24  # spellings tried per word at most (the product of each letter's choices grows fast)


def non_latin(word: str) -> bool:
    return _NON_LATIN.search(word) is not None


def _base_letter(ch: str) -> str:
    """The letter without its diacritics (`ӣ` -> `и`, `ā` -> `a`), or the letter itself."""
    return unicodedata.normalize("NFD", ch)[0]


@functools.lru_cache(maxsize=65536)
def latin_forms(word: str) -> tuple[str, ...]:
    """The Latin spellings of a lower-case Cyrillic or Greek word, or the plain (ASCII) spellings of a
    Latin word with letters outside ASCII; empty for a plain Latin word or a word of another script.
    A letter outside the tables that is no base letter with a diacritic makes the word unreadable."""
    if non_latin(word):
        choices = _script_choices(word)
    elif not word.isascii():
        choices = _latin_choices(word)
    else:
        return ()
    if choices is None:
        return ()
    forms: list[str] = []
    for combo in itertools.product(*choices):
        form = "".join(combo)
        if form not in forms and form != word:
            forms.append(form)
        if len(forms) >= MAX_FORMS:
            break
    return tuple(forms)


def _script_choices(word: str) -> list[tuple[str, ...]] | None:
    choices: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _GREEK_DIGRAPHS:
            choices.append(_GREEK_DIGRAPHS[pair])
            i += 2
            continue
        ch = word[i]
        options = _CYRILLIC.get(ch) or _GREEK.get(ch)
        if options is None:
            base = _base_letter(ch)
            options = _CYRILLIC.get(base) or _GREEK.get(base)
        if options is None:
            if ch in "-'’ " or ch.isascii():
                options = (ch,)
            else:
                return None
        choices.append(options)
        i += 1
    return choices


def _latin_choices(word: str) -> list[tuple[str, ...]] | None:
    choices: list[tuple[str, ...]] = []
    for ch in word:
        if ch.isascii():
            choices.append((ch,))
            continue
        options = _LATIN_SPECIAL.get(ch)
        if options is None:
            base = _base_letter(ch)
            if not base.isascii():
                return None
            options = (base,)
        choices.append(options)
    return choices


def known_in(word: str, *lists: frozenset[str]) -> bool:
    """Is the word, or one of its Latin spellings, in one of the lists?"""
    if any(word in words for words in lists):
        return True
    return any(form in words for form in latin_forms(word) for words in lists)
