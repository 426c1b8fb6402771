"""Counterparties: names in any case, adjectives, compound adjectives, capitals, leaders, blocs, «наша страна»."""
from __future__ import annotations

import pytest

from etl.countries import find_mentions, rank_context
from etl.extract import extract_document
from etl.model import Document
from etl.numbers import tokenize


def codes(lex, text: str, outlet: str | None = None) -> list[str | None]:
    return [m.code for m in find_mentions(tokenize(text, 0), lex, outlet)]


@pytest.mark.parametrize("text, expected", [
    ("между Кыргызстаном и Россией", ["KGZ", "RUS"]),
    ("Киргизии и Казахстану", ["KGZ", "KAZ"]),
    ("с Китаем, Турцией и Узбекистана", ["CHN", "TUR", "UZB"]),
    ("из КНР в РФ", ["CHN", "RUS"]),
    ("Российской Федерацией", ["RUS"]),
    ("Соединенными Штатами", ["USA"]),
    ("казахстанский экспорт", ["KAZ"]),
    ("российско-киргизские отношения", ["RUS", "KGZ"]),
    ("казахско-кыргызских связей", ["KAZ", "KGZ"]),
    ("Москва является партнёром Бишкека", ["RUS", "KGZ"]),
    ("Астана и Ташкент", ["KAZ", "UZB"]),
    ("встреча Путина и Жапарова", ["RUS", "KGZ"]),
    ("Мирзиёев и Си Цзиньпин", ["UZB", "CHN"]),
    ("с Токаевым", ["KAZ"]),
    ("партнерами по ЕАЭС", ["EAEU"]),
    ("членами Шанхайской организации сотрудничества", ["SCO"]),
    ("странами СНГ", ["CIS"]),
    ("Поднебесная", ["CHN"]),
])
def test_sides_are_named_in_every_form(lex, text, expected):
    assert [c for c in codes(lex, text) if c] == expected


def test_our_country_is_the_outlets(lex):
    assert codes(lex, "между нашей страной и Россией", outlet="KGZ") == ["KGZ", "RUS"]
    assert [c for c in codes(lex, "между нашей страной и Россией") if c] == ["RUS"]  # unknown outlet: unresolved


def test_generic_references_point_to_the_documents_pair(lex):
    kinds = [m.kind for m in find_mentions(tokenize("товарооборот двух стран и стороны", 0), lex)]
    assert kinds.count("generic") == 2


def test_lower_case_words_are_not_country_names(lex):
    """«того» is a pronoun, not Togo; «чад» is smoke, not Chad."""
    assert codes(lex, "для того чтобы чад рассеялся") == []


def test_currency_words_are_not_sides(lex):
    doc = Document("d", "Товарооборот Таджикистана и Узбекистана превысил 2,9 млрд долларов США.", "2019-01-25")
    [claim] = extract_document(doc)
    assert claim.countries == ["TJK", "UZB"]


def test_the_document_pair_ranks_title_and_lead_first(lex):
    title = find_mentions(tokenize("Кыргызстан хочет развивать отношения с Казахстаном", 0), lex)
    body = find_mentions(tokenize("Жапаров побывал в России", 0), lex)
    assert rank_context([(title, 3), (body, 1)])[:2] == ["KGZ", "KAZ"]


def test_a_list_of_partners_pairs_each_with_the_main_side():
    text = ("Торговля Таджикистана со странами СНГ\nЗа январь–апрель 2016 года Таджикистан нарастил товарооборот "
            "с Азербайджаном — в 2,8 раза, с Молдовой — на 15%.")
    claims = extract_document(Document("d", text, "2016-05-17"))
    assert [c.countries for c in claims] == [["AZE", "TJK"], ["MDA", "TJK"]]


def test_flow_follows_the_wording():
    text = ("Казахстанский экспорт в Узбекистан вырос до 1,3 млрд долларов, а импорт узбекской продукции "
            "в Казахстан — до 735,2 млн долларов.")
    claims = extract_document(Document("d", text, "2018-03-14"))
    assert [(c.indicator, c.flow_from) for c in claims] == [("export", "KAZ"), ("import", "UZB")]


def test_region_totals_and_provinces_make_no_claim():
    text = ("Токаев предложил довести торговлю Казахстана со странами региона до $15 млрд. "
            "Ленинградская область и Беларусь в прошлом году наторговали на 1,4 млрд долларов.")
    assert extract_document(Document("d", text, "2022-07-21", outlet_country="KAZ")) == []


def test_a_blocs_internal_trade_is_not_a_pair():
    text = "Торговля России и Таджикистана растет. Взаимная торговля государств ЕАЭС выросла на 12,8%."
    assert [c.value for c in extract_document(Document("d", text, "2022-12-30"))] == []


@pytest.mark.parametrize("url, expected", [
    ("https://24.kg/ekonomika/123/", "KGZ"),
    ("https://uz.sputniknews.ru/20240101/x.html", "UZB"),  # a national edition under .ru
    ("https://www.interfax.ru/business/1", "RUS"),
    ("https://centrasia.org/news.php?st=1", None),  # a generic domain says nothing
    ("not a url", None),
    ("http://[broken", None),
    (None, None),
])
def test_the_outlets_country_is_read_from_its_domain(lex, url, expected):
    from etl.countries import outlet_from_url

    assert outlet_from_url(url, lex) == expected


def test_without_outlet_country_our_country_is_the_sites():
    text = "В 2023 году товарооборот между нашей страной и Казахстаном вырос до 2 млрд долларов."
    by_site = extract_document(Document(id="d", text=text, published="2024-01-10", url="https://24.kg/x/1"))
    assert [c.countries for c in by_site] == [["KAZ", "KGZ"]]
    given = extract_document(Document(id="d", text=text, published="2024-01-10", url="https://24.kg/x/1",
                                      outlet_country="UZB"))
    assert [c.countries for c in given] == [["KAZ", "UZB"]]  # a given outlet_country wins
    assert extract_document(Document(id="d", text=text, published="2024-01-10")) == []  # unresolved: no claim
