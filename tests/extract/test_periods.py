"""Periods: time expressions resolved against the published date, and the published date inferred."""
from __future__ import annotations

from datetime import date

import pytest

from etl.periods import find_times, infer_published, period_bounds

PUB = date(2025, 10, 9)  # a Thursday


@pytest.mark.parametrize("text, period, role", [
    ("в 2024 году", "2024", "point"),
    ("в 2024 г.", "2024", "point"),
    ("по итогам 2021 года", "2021", "point"),
    ("в 2017-м", "2017", "point"),
    ("за 2007–2021 годы", "2007/2021", "point"),
    ("за январь–сентябрь 2022 года", "2022-01/2022-09", "point"),
    ("в январе–июле нынешнего года", "2025-01/2025-07", "point"),
    ("в первом квартале текущего года", "2025-Q1", "point"),
    ("в I квартале 2021 года", "2021-Q1", "point"),
    ("в первой половине 2025 года", "2025-01/2025-06", "point"),
    ("за полгода", "2025-01/2025-06", "point"),
    ("за восемь месяцев текущего года", "2025-01/2025-08", "point"),
    ("по итогам 11 месяцев 2022 года", "2022-01/2022-11", "point"),
    ("за десять месяцев прошлого года", "2024-01/2024-10", "point"),
    ("в прошлом году", "2024", "point"),
    ("с прошлогодних", "2024", "point"),
    ("с начала года", "2025", "point"),
    ("на начало ноября", "2025", "point"),  # so far this year, as «с начала года»
    ("по состоянию на начало октября 2023 года", "2023", "point"),
    ("по итогам года", "2025", "point"),
    ("в феврале", "2025-02", "point"),
    ("в сентябре 2018 года", "2018-09", "point"),
    ("27 мая", "2025-05-27", "point"),
    ("2 июля 2025 года", "2025-07-02", "point"),
    ("сегодня", "2025-10-09", "point"),
    ("во вторник", "2025-10-07", "point"),
    ("в начале этого месяца", "2025-10", "point"),
    ("к 2030 году", "2030", "to"),
    ("по сравнению с 2006-м", "2006", "base"),
    ("к аналогичному периоду 2007-го", "2007", "base"),
    ("к уровню 2023 года", "2023", "base"),
])
def test_time_expressions(text, period, role):
    [t] = find_times(text, PUB)
    assert (t.period, t.role) == (period, role)


def test_spans_back_need_an_anchor():
    [t] = find_times("за три последних года", PUB)
    assert (t.role, t.years_back, t.period) == ("back", 3, None)


def test_relative_periods_stay_unresolved_without_a_published_date():
    [t] = find_times("в прошлом году", None)
    assert t.period is None


@pytest.mark.parametrize("text, url, expected", [
    ("09.03.2021 10:30\nПолитика", None, "2021-03-09"),
    ("среда, 02 июля 2025\nЦентральноазиатский портал", None, "2025-07-02"),
    ("МОСКВА, 15 ноября 2022. /ТАСС/. Товарооборот", None, "2022-11-15"),
    ("Бишкек, 18.09.24. Выступая на заседании", None, "2024-09-18"),
    ("Душанбе, 7 мая 2018 года. В первом квартале", None, "2018-05-07"),
    ("Текст без даты", "https://kant.kg/2021-05-25/sostoyalas-vstrecha/", "2021-05-25"),
    ("Текст без даты", "https://ria.ru/20070315/62026240.html", "2007-03-15"),
    ("Текст без даты", None, None),
])
def test_published_is_inferred(text, url, expected):
    assert infer_published(text, url) == expected


def test_period_bounds():
    assert period_bounds("2021-Q1") == (date(2021, 1, 1), date(2021, 3, 31))
    assert period_bounds("2022-01/2022-09") == (date(2022, 1, 1), date(2022, 9, 30))
    assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds(None) == (None, None)
    assert period_bounds("2023-02-30") == (None, None)


@pytest.mark.parametrize("text, period", [
    ("с 2006 по 2012 годы товарооборот увеличился в 6 раз", "2006/2012"),
    ("инвестиции за 2007−2021 годы составили 3,2 млрд", "2007/2021"),  # (U+2212, a minus sign for a dash)
])
def test_year_ranges_as_real_pages_write_them(text, period):
    assert [t.period for t in find_times(text, date(2013, 5, 1))] == [period]
