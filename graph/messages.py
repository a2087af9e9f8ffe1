"""Texts as codes: every reason, note and explanation the server writes is a `Message`
(`code` + `params`), rendered in Indonesian or English only when it is sent.

The analytics build messages; nothing stores a sentence. `Message.text` is filled when the
model is serialised, in the language of the serialisation context (``{"lang": "en"}``;
Indonesian by default), so one cached result serves both languages.

Adding a text is adding one entry to `CATALOGUE` (a code and its two templates). Templates use
`str.format` fields with a format spec naming how to render the value:

- ``{x}``: as is;
- ``{x:names}``: a list of names joined the way a person writes them ("A, B dan C");
- ``{x:<vocabulary>}`` (``helix``, ``sector``, ``partnership_kind``, … see
  `graph.vocab.VOCABULARY`): the label of a code, or of each code of a list;
- ``{x:plural:word|words}``: the count and the word in the right number (English);
- ``{x:word:word|words}``: only the word in the right number.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FieldSerializationInfo, field_serializer

from graph.vocab import DEFAULT_LANG, LANGS, VOCABULARY, Helix, label

CATALOGUE: dict[str, tuple[str, str]] = {
    # -- why an innovation is under-connected ----------------------------------------------
    "no_active_actor": (
        "belum ada aktor aktif: tidak ada yang mengusungnya",
        "no active actor: nobody carries it",
    ),
    "missing_kinds": (
        f"mencakup {{covered}} dari {len(Helix)} unsur heliks (belum ada: {{missing:helix}})",
        f"covers {{covered}} of {len(Helix)} helix kinds (missing: {{missing:helix}})",
    ),
    "one_actor_carries_all": (
        "satu aktor mengusung semua unsur",
        "one actor carries every helix kind",
    ),
    "few_actors": ("hanya {count} aktor", "only {count:plural:actor|actors}"),
    "not_launched": (
        "belum diluncurkan pada {at} (diluncurkan {launched_on})",
        "not launched yet on {at} (launched {launched_on})",
    ),
    # -- recommendations ---------------------------------------------------------------------
    "rec_brings_missing": (
        "membawa unsur {helix:helix} yang belum ada",
        "brings the missing {helix:helix} kind",
    ),
    "rec_backs_up": (
        "memperkuat unsur {helix:helix} yang kini diusung satu aktor",
        "backs up the {helix:helix} kind, now carried by one actor",
    ),
    "rec_works_with": (
        "bekerja bersama {partners:names} pada {count} inovasi ({innovations:names})",
        "works with {partners:names} on {count:plural:innovation|innovations} ({innovations:names})",
    ),
    "rec_works_with_sector": (
        "bekerja bersama {partners:names} pada {count} inovasi {sector:sector} "
        "({innovations:names})",
        "works with {partners:names} on {count} {sector:sector} "
        "{count:word:innovation|innovations} ({innovations:names})",
    ),
    "rec_partners_with": ("bermitra dengan {partners:names}", "partners with {partners:names}"),
    "rec_knows_through": (
        "mengenal tim melalui {partners:names}",
        "knows the team through {partners:names}",
    ),
    "rec_no_tie": ("belum punya ikatan dengan tim", "no tie to the team yet"),
    "rec_sector_record": (
        "bekerja di sektor {sector:sector} pada {in_sector} dari {total} inovasinya",
        "works in {sector:sector} on {in_sector} of its {total:plural:innovation|innovations}",
    ),
    "rec_sector_own": ("bekerja di sektor {sector:sector}", "works in {sector:sector}"),
    "rec_same_kind_of_work": (
        "mengerjakan hal serupa ({tags:names})",
        "does the same kind of work ({tags:names})",
    ),
    "rec_same_district": ("kecamatan yang sama ({district})", "same district ({district})"),
    "rec_same_region": ("kabupaten/kota yang sama", "same region"),
    "rec_same_province": ("provinsi yang sama", "same province"),
    "rec_light_load": (
        "bebannya ringan ({ties} ikatan aktif)",
        "light load ({ties:plural:active tie|active ties})",
    ),
    "rec_stretched": (
        "sudah sibuk ({ties} ikatan aktif)",
        "already stretched ({ties:plural:active tie|active ties})",
    ),
    "gap_no_actor": (
        "grafik belum memiliki aktor {helix:helix} untuk diusulkan; tambahkan satu, "
        "mis. {helix:helix_example}",
        "the graph has no {helix:helix} actor to propose; add one, e.g. {helix:helix_example}",
    ),
    "gap_no_other_actor": (
        "grafik belum memiliki aktor {helix:helix} lain untuk diusulkan; tambahkan satu, "
        "mis. {helix:helix_example}",
        "the graph has no other {helix:helix} actor to propose; add one, "
        "e.g. {helix:helix_example}",
    ),
    "no_strong_candidate": (
        "belum ada kandidat kuat untuk unsur {helix:helix}: tak satu pun dari {candidates} "
        "aktor unsur ini punya mitra bersama dengan tim, sektor, kecamatan atau jenis kerja yang "
        "sama dengan inovasi ini",
        "no strong candidate yet for the {helix:helix} kind: none of its {candidates} "
        "{candidates:word:actor|actors} shares a partner with the team, the sector, the "
        "district or the kind of work of this innovation",
    ),
    # -- provenance --------------------------------------------------------------------------
    "rests_on_illustrative": (
        "berdasar relasi ilustratif (contoh), bukan data terlapor",
        "rests on illustrative (example) ties, not on reported data",
    ),
    # -- introduction paths -------------------------------------------------------------------
    "hop_shared": (
        "{a} dan {b} bekerja bersama pada {innovations:names}",
        "{a} and {b} work together on {innovations:names}",
    ),
    "hop_partnership": (
        "{a} dan {b} memiliki kemitraan ({kind:partnership_kind})",
        "{a} and {b} have a partnership ({kind:partnership_kind})",
    ),
    "hop_shared_partnership": (
        "{a} dan {b} bekerja bersama pada {innovations:names} dan memiliki kemitraan "
        "({kind:partnership_kind})",
        "{a} and {b} work together on {innovations:names} and have a partnership "
        "({kind:partnership_kind})",
    ),
    "path_direct": (
        "sudah bekerja bersama: {a} dan {b} pada {innovations:names}",
        "already work together: {a} and {b} on {innovations:names}",
    ),
    "path_direct_partnership": (
        "sudah bermitra: {a} dan {b} ({kind:partnership_kind})",
        "already partners: {a} and {b} ({kind:partnership_kind})",
    ),
    "path_introduction": (
        "perkenalan melalui {via:names} ({hops} langkah)",
        "introduction through {via:names} ({hops:plural:hop|hops})",
    ),
    # -- what-if ----------------------------------------------------------------------------
    "whatif_loses_kinds": ("kehilangan unsur {kinds:helix}", "loses the {kinds:helix} kind"),
    "whatif_gains_kinds": ("mendapat unsur {kinds:helix}", "gains the {kinds:helix} kind"),
    "whatif_loses_actors": (
        "kehilangan {count} aktor ({actors:names})",
        "loses {count:plural:actor|actors} ({actors:names})",
    ),
    "whatif_becomes_under_connected": (
        "menjadi kurang terhubung",
        "becomes under-connected",
    ),
    "whatif_no_longer_under_connected": (
        "tidak lagi kurang terhubung",
        "is no longer under-connected",
    ),
    "whatif_index_change": (
        "indeks keberlanjutan {before} → {after}",
        "sustainability index {before} → {after}",
    ),
    # -- IGA gain ---------------------------------------------------------------------------
    "iga_add_kind": (
        "tambahkan mitra {helix:helix}: skor keterlibatan aktor {before} → {after}",
        "add a {helix:helix} partner: actor-involvement score {before} → {after}",
    ),
    "iga_add_kinds": (
        "tambahkan mitra {kinds:helix}: skor keterlibatan aktor {before} → {after}",
        "add partners of {kinds:helix}: actor-involvement score {before} → {after}",
    ),
    "iga_at_maximum": (
        "sudah mendapat skor tertinggi (3) untuk keterlibatan aktor",
        "already at the highest actor-involvement score (3)",
    ),
    "iga_uncertain": (
        "perkiraan: pita skor IGA untuk 5 unsur tidak dipublikasikan (kami beri 2) dan "
        "'lainnya' kami baca sebagai organisasi non-pemerintah",
        "estimate: the IGA band for 5 kinds is not published (we score it 2) and we read "
        "'other' as NGOs",
    ),
    # -- yearly duty ------------------------------------------------------------------------
    "duty_missing": (
        "{unit} belum meluncurkan inovasi pada tahun {year}",
        "{unit} launched no innovation in {year}",
    ),
    "duty_met": (
        "{unit} meluncurkan {count} inovasi pada tahun {year}",
        "{unit} launched {count:plural:innovation|innovations} in {year}",
    ),
}
"""code -> (Indonesian template, English template)."""


def name_list(names: Sequence[str], lang: str = DEFAULT_LANG, most: int = 3) -> str:
    """Join names the way a person would write them, in `lang`.

    >>> name_list(["Dinas Kesehatan", "ULM"]), name_list(["Dinas Kesehatan", "ULM"], "en")
    ('Dinas Kesehatan dan ULM', 'Dinas Kesehatan and ULM')
    >>> name_list(["A", "B", "C", "D", "E"], "en")
    'A, B, C and 2 others'
    >>> name_list(["A", "B", "C", "D", "E"])
    'A, B, C dan 2 lainnya'
    """
    names = [str(n) for n in names]
    word = "and" if lang == "en" else "dan"
    if len(names) <= 1:
        return "".join(names)
    if len(names) > most:
        rest = len(names) - most
        others = ("other" if rest == 1 else "others") if lang == "en" else "lainnya"
        return f"{', '.join(names[:most])} {word} {rest} {others}"
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        kind, _, arg = format_spec.partition(":")
        if kind in ("plural", "word"):
            one, _, many = arg.partition("|")
            word = one if value == 1 else many
            return word if kind == "word" else f"{value} {word}"
        if kind == "names":
            return name_list(list(value), self.lang)
        if kind in VOCABULARY:
            if isinstance(value, (list, tuple)):
                names = [label(kind, v, self.lang) for v in value]
                return name_list(names, self.lang, most=len(names))  # closed lists are short
            return label(kind, value, self.lang)
        return str(super().format_field(value, format_spec))


def render(code: str, params: Mapping[str, Any], lang: str = DEFAULT_LANG) -> str:
    """The text of a message in `lang` (`id` or `en`).

    >>> render("missing_kinds", {"covered": 2, "missing": ["academia", "media"]}, "en")
    ... # doctest: +ELLIPSIS
    'covers 2 of ... helix kinds (missing: Academia and Media)'
    >>> render("missing_kinds", {"covered": 2, "missing": ["academia", "media"]})
    ... # doctest: +ELLIPSIS
    'mencakup 2 dari ... unsur heliks (belum ada: Akademisi dan Media)'
    >>> render("few_actors", {"count": 1}, "en"), render("few_actors", {"count": 1})
    ('only 1 actor', 'hanya 1 aktor')
    """
    templates = CATALOGUE[code]
    template = templates[1] if lang == "en" else templates[0]
    text: str = _Formatter(lang).vformat(template, (), dict(params))
    return text


def context_lang(context: object) -> str:
    """The language of a serialisation context (Indonesian unless `en` is asked)."""
    if isinstance(context, Mapping):
        lang = context.get("lang")
        if lang in LANGS:
            return str(lang)
    return DEFAULT_LANG


class Message(BaseModel):
    """A text as a code with parameters, and its rendering in the language asked."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Stable code of the text.", examples=["missing_kinds"])
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Values the text names (codes, counts, names).",
        examples=[{"covered": 2, "missing": ["academia", "media"]}],
    )
    text: str = Field(
        "",
        description="The text in the language asked (`lang=` or Accept-Language; Indonesian "
        "by default).",
        examples=[render("missing_kinds", {"covered": 2, "missing": ["academia", "media"]})],
    )

    @field_serializer("text")
    def _render(self, _: str, info: FieldSerializationInfo) -> str:
        return render(self.code, self.params, context_lang(info.context))


def msg(code: str, **params: Any) -> Message:
    """A message; refuses codes the catalogue does not have (so none is sent untranslated)."""
    if code not in CATALOGUE:
        raise KeyError(f"no text for message code {code!r}")
    return Message(code=code, params=params)


def join_texts(messages: Sequence[Message], lang: str) -> str:
    """The rendered messages joined with '; ' (one line of reasons)."""
    return "; ".join(render(m.code, m.params, lang) for m in messages)
