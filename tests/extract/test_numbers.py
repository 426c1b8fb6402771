"""Figures as written: digits, separators, scale and currency words, number words, ratios, ranges."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.numbers import find_figures, tokenize


def figures(lex, s: str):
    return [(f.value, f.value_max, f.unit, s[f.start:f.end]) for f in find_figures(tokenize(s, 0), lex)]


@pytest.mark.parametrize("text, value, unit", [
    ("товарооборот составил 1,5 млрд долларов", 1.5e9, "USD"),
    ("товарооборот составил 38.5 млн долларов", 38.5e6, "USD"),
    ("превысил 3 миллиарда долларов США в год", 3e9, "USD"),
    ("достиг $215,7 млн", 215.7e6, "USD"),
    ("составил $ 7 млрд", 7e9, "USD"),
    ("составил 3 млрд долл. в год", 3e9, "USD"),
    ("составил 1 500 тонн", 1500, "t"),
    ("составил 1\u00a0500 тонн", 1500, "t"),
    ("составил 12\u2009300 тонн", 12300, "t"),
    ("2 тыс. тонн дизельного топлива", 2000, "t"),
    ("9,5 тыс. тонн зерна", 9500, "t"),
    ("25,5 тонны помощи", 25.5, "t"),
    ("достигла $2 млрд 842 млн.", 2.842e9, "USD"),
    ("свыше 2\u00a0млрд 351,5\u00a0млн долларов", 2.3515e9, "USD"),
    ("полтора миллиарда долларов", 1.5e9, "USD"),
    ("полутора миллиардов рублей", 1.5e9, "RUB"),
    ("двух миллиардов евро", 2e9, "EUR"),
    ("трёх миллиардов юаней", 3e9, "CNY"),
    ("трех миллионов тенге", 3e6, "KZT"),
    ("десяти миллиардов долларов", 10e9, "USD"),
    ("ста тысяч долларов", 1e5, "USD"),
    ("одного миллиарда долларов", 1e9, "USD"),
    ("двадцать пять миллионов сомов", 25e6, "KGS"),
    ("14,8 млрд сумов", 14.8e9, "UZS"),
    ("310 млн азербайджанских манатов", 310e6, "AZN"),
    ("900 млн лари", 900e6, "GEL"),
    ("50 млрд пакистанских рупий", 50e9, "PKR"),
    ("100 млрд египетских фунтов", 100e9, "EGP"),
    ("5 трлн донгов", 5e12, "VND"),
    ("8 трлн вон", 8e12, "KRW"),
    ("40 млрд афгани", 40e9, "AFN"),
    ("2 млн шекелей", 2e6, "ILS"),
    ("3,1 трлн российских рублей", 3.1e12, "RUB"),
    ("вырос на 6%", 6, "%"),
    ("вырос на 6 %", 6, "%"),
    ("на 35 процентов", 35, "%"),
    ("вырос в 1,8 раза", 1.8, "x"),
    ("почти в пять раз", 5, "x"),
    ("вдвое", 2, "x"),
    ("подписали 7 соглашений", 7, "count"),
    ("подписали семь документов", 7, "count"),
    ("15 межправительственных документов", 15, "count"),
    ("более двух десятков документов", 20, "count"),
])
def test_one_figure(lex, text, value, unit):
    found = figures(lex, text)
    assert len(found) == 1, found
    assert found[0][0] == pytest.approx(value)
    assert found[0][2] == unit


@pytest.mark.parametrize("text", [
    "Просмотров: 9766",
    "28–30 апреля т. г. на границе",
    "15 октября 1992 года",
    "эвакуировали более 117 тысяч человек",
    "высотой около 7 тысяч метров",
    "2,5 тысячи одеял и 20 палаток",
    "Борт Ил-76 стартует в 10:00",
    "10-е заседание, 54-летием, в 2017-м",
    "1,3 тыс. километров",
    "в 61 вагоне и 13 грузовиках",
    "одной из главных тем",
    "в разы",
])
def test_not_a_figure(lex, text):
    assert figures(lex, text) == []


def test_a_range_is_one_figure_with_its_upper_end(lex):
    assert figures(lex, "от 1 до 2 млрд долларов")[0][:3] == (1e9, 2e9, "USD")
    assert figures(lex, "1–2 млрд долларов")[0][:3] == (1e9, 2e9, "USD")


def test_a_list_sharing_its_scale_is_two_figures(lex):
    """«с 1,5 млрд до 2 млрд долларов», «с прошлогодних 7,5 до 15 млрд долларов»: two claims."""
    a = figures(lex, "увеличить с прошлогодних 1,5\u00a0млрд до 2\u00a0млрд долларов")
    assert [(v, u) for v, _, u, _ in a] == [(1.5e9, None), (2e9, "USD")]
    b = figures(lex, "увеличить вдвое — с прошлогодних 7,5 до 15 млрд долларов")
    assert [(v, u) for v, _, u, _ in b] == [(2, "x"), (7.5e9, "USD"), (15e9, "USD")]


SCALES = {"тыс.": 1e3, "тысяч": 1e3, "млн": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9,
          "миллиарда": 1e9, "миллиардов": 1e9, "трлн": 1e12}
CURRENCIES = {"долларов": "USD", "долларов США": "USD", "долл.": "USD", "рублей": "RUB", "евро": "EUR",
              "юаней": "CNY", "тенге": "KZT", "сомов": "KGS", "сумов": "UZS"}
SEPARATORS = [" ", "\u00a0", "\u2009", "\u202f"]


def written(value: float, sep: str, decimal: str) -> str:
    """A number as a Russian news text writes it: grouped thousands, a decimal comma or point."""
    whole, frac = f"{value:.2f}".split(".")
    frac = frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sep.join(groups) + (decimal + frac if frac else "")


amounts = st.one_of(st.integers(min_value=1, max_value=999_999_999).map(float),
                    st.decimals(min_value="0.01", max_value="99999", places=2).map(float))


@settings(max_examples=300, deadline=None)
@given(value=amounts, sep=st.sampled_from(SEPARATORS), decimal=st.sampled_from([",", "."]),
       scale=st.sampled_from([None, *SCALES]), currency=st.sampled_from(list(CURRENCIES)),
       dollar_sign=st.booleans())
def test_any_written_amount_reads_back(lex, value, sep, decimal, scale, currency, dollar_sign):
    number = written(value, sep, decimal)
    if dollar_sign:
        text = f"товарооборот составил ${number}" + (f" {scale}" if scale else "")
        unit = "USD"
    else:
        text = f"товарооборот составил {number}" + (f" {scale}" if scale else "") + f" {currency}"
        unit = CURRENCIES[currency]
    found = figures(lex, text)
    assert len(found) == 1, (text, found)
    assert found[0][0] == pytest.approx(value * (SCALES[scale] if scale else 1), rel=1e-9)
    assert found[0][2] == unit


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value="0.1", max_value="999.9", places=1).map(float),
       decimal=st.sampled_from([",", "."]), word=st.sampled_from(["%", " %", " процента", " процентов"]))
def test_any_written_percent_reads_back(lex, value, decimal, word):
    text = f"товарооборот вырос на {written(value, ' ', decimal)}{word}"
    found = figures(lex, text)
    assert len(found) == 1 and found[0][2] == "%" and found[0][0] == pytest.approx(value)


def test_a_minus_sign_joins_a_range_as_a_dash_does(lex):
    """«$ 500−700 млн» (U+2212) is one figure from 500 to 700 million."""
    (fig,) = figures(lex, "Белоруссия и Вьетнам создали задел для достижения товарооборота в $ 500−700 млн.")
    assert fig[:3] == (5e8, 7e8, "USD")
