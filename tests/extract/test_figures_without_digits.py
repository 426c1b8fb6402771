"""Figures written without digits, and whose «наша страна» a quotation means (claim contract v1.2):
«утроить» → 3 (x), «прибавил около трети» → +33.33 % (approx), «превысил миллиард долларов» → 1e9,
and «наша страна» inside a quote is the speaker's country."""
from __future__ import annotations

import pytest

from etl.extract import extract_document
from etl.model import Document
from etl.speakers import quotations


def claims(text: str, outlet: str | None = "KAZ", published: str = "2024-10-01") -> list[tuple]:
    doc = Document(id="t", text=text, published=published, outlet_country=outlet)
    return [(c.indicator, tuple(c.countries), c.value, c.unit, c.kind, c.comparator, c.modality, c.period, c.text)
            for c in extract_document(doc)]


# ------------------------------------------------------------------ ratio verbs


@pytest.mark.parametrize("text, value, comparator, modality, words", [
    ("Президенты поставили задачу удвоить товарооборот между Россией и Узбекистаном к 2030 году.",
     2.0, "eq", "target", "удвоить"),
    ("Россия и Узбекистан намерены утроить товарооборот к 2030 году.", 3.0, "eq", "target", "утроить"),
    ("В 2023 году товарооборот между Турцией и Азербайджаном почти удвоился.", 2.0, "approx", "actual",
     "почти удвоился"),
    ("Товарооборот России и Индии утроится к 2030 году.", 3.0, "eq", "forecast", "утроится"),
    ("Удвоение товарооборота между Казахстаном и Узбекистаном в 2023 году стало итогом работы.",
     2.0, "eq", "actual", "Удвоение"),
])
def test_a_multiplying_verb_is_a_change_in_times(text, value, comparator, modality, words):
    (c,) = claims(text)
    assert c[0] == "trade_turnover"
    assert (c[2], c[3], c[4], c[5], c[6], c[8]) == (value, "x", "change", comparator, modality, words)


def test_the_verb_alone_without_an_indicator_is_no_claim():
    assert claims("Компания намерена удвоить выпуск продукции в Казахстане и Узбекистане.") == []


# ------------------------------------------------------------------ fractions


@pytest.mark.parametrize("text, value, comparator", [
    ("Товарооборот между Арменией и Ираном в 2023 году прибавил около трети.", 33.33, "approx"),
    ("Товарооборот Казахстана и Китая в 2023 году вырос более чем на четверть.", 25.0, "gt"),
    ("Товарооборот Казахстана и Китая в 2023 году вырос на две трети.", 66.66, "eq"),
    ("Товарооборот Казахстана и Китая в 2023 году сократился наполовину.", -50.0, "eq"),
])
def test_a_change_stated_as_a_fraction_is_in_percent(text, value, comparator):
    (c,) = claims(text)
    assert (c[0], c[1], c[3], c[4], c[5], c[7]) == ("trade_turnover", ("CHN", "KAZ") if "Кита" in text
                                                    else ("ARM", "IRN"), "%", "change", comparator, "2023")
    assert c[2] == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "Около трети товарооборота Киргизии и России приходится на топливо.",  # a share of a whole
    "В первой половине 2024 года стороны обсудили торговлю Казахстана и Китая.",  # a time
    "В первой четверти века товарооборот Казахстана и Китая рос.",
])
def test_a_fraction_that_is_a_share_or_a_time_is_no_claim(text):
    assert [c for c in claims(text) if c[3] == "%"] == []


# ------------------------------------------------------------------ a scale word alone


@pytest.mark.parametrize("text, value, comparator", [
    ("Товарооборот Армении и Ирана в 2023 году превысил миллиард долларов.", 1e9, "gt"),
    ("Товарооборот Армении и Ирана в 2023 году составил около миллиарда долларов.", 1e9, "approx"),
    ("Миллион долларов гуманитарной помощи выделил Иран Армении в 2023 году.", 1e6, "eq"),
])
def test_a_singular_scale_word_before_a_currency_is_one_of_it(text, value, comparator):
    (c,) = claims(text)
    assert (c[2], c[3], c[5]) == (value, "USD", comparator)


def test_a_plural_scale_word_is_vague_and_no_claim():
    assert claims("Армения и Иран в 2023 году наторговали на миллиарды долларов.") == []


# ------------------------------------------------------------------ «наша страна» in a quotation


@pytest.mark.parametrize("text", [
    "«В 2023 году товарооборот между нашей страной и Казахстаном достиг 4 млрд долларов», — заявил "
    "президент Узбекистана Шавкат Мирзиёев.",
    "Мирзиёев заявил: «В 2023 году товарооборот между нашей страной и Казахстаном достиг 4 млрд долларов».",
    "Шавкат Мирзиёев провел переговоры в Астане. «В 2023 году товарооборот между нашей страной и "
    "Казахстаном достиг 4 млрд долларов», — сказал он.",
    "«В 2023 году товарооборот между нашей страной и Казахстаном достиг 4 млрд долларов», — отметил "
    "узбекский министр.",
])
def test_our_country_in_a_quotation_is_the_speakers(text):
    # a Kazakh outlet quoting an Uzbek official: «нашей страной» is Uzbekistan
    assert [c[1] for c in claims(text, outlet="KAZ")] == [("KAZ", "UZB")]


def test_a_quotation_whose_speaker_names_no_country_keeps_the_outlets():
    text = "«В 2023 году товарооборот между нашей страной и Узбекистаном достиг 4 млрд долларов», — сказал эксперт."
    assert [c[1] for c in claims(text, outlet="KAZ")] == [("KAZ", "UZB")]


def test_a_place_in_the_attribution_is_not_the_speaker():
    text = ("«В 2023 году товарооборот нашей страны с Россией составил 50 млрд долларов», — заявил "
            "в Москве белорусский посол.")
    assert [c[1] for c in claims(text, outlet="RUS")] == [("BLR", "RUS")]


def test_outside_quotations_our_country_is_the_outlets():
    text = "В 2023 году товарооборот между нашей страной и Узбекистаном достиг 4 млрд долларов."
    assert [c[1] for c in claims(text, outlet="KAZ")] == [("KAZ", "UZB")]


def test_quotations_are_found_nested_and_unclosed():
    text = 'Он сказал: «Проект „Север“ важен». Затем "второй" и «незакрытая\n\nновый абзац'
    spans = [text[a:b] for a, b in quotations(text)]
    assert spans == ["«Проект „Север“ важен»", '"второй"', "«незакрытая"]
