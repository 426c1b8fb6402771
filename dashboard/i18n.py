"""Interface labels in English and Russian, and locale-aware formatting of figures, periods and dates.

Pure functions only: the page passes the chosen language in; nothing here reads Streamlit state."""
from __future__ import annotations

import csv
import math
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from dashboard import country_names
from etl import vocabulary
from etl.vocabulary import INDICATORS_INFO

Lang = Literal["en", "ru"]
LANGS: tuple[Lang, ...] = ("en", "ru")
DEFAULT_LANG: Lang = "en"

NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"

_LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Russian)
    "app_title": ("Bilateral indicators", "Двусторонние показатели"),
    "app_caption": (
        "Figures stated in Russian-language news, each linked to the sentence that states it.",
        "Цифры из русскоязычных новостей — каждая со ссылкой на предложение, в котором она названа.",
    ),
    "language": ("Language", "Язык"),
    "filters": ("Filters", "Фильтры"),
    "country": ("Country", "Страна"),
    "any_country": ("All countries", "Все страны"),
    "partners": ("Partners", "Партнёры"),
    "partners_help": (
        "Partners of the chosen country; leave empty for all of them.",
        "Партнёры выбранной страны; пусто — все партнёры.",
    ),
    "pairs": ("Country pairs", "Пары стран"),
    "indicators": ("Indicators", "Показатели"),
    "modalities": ("Modality", "Модальность"),
    "period": ("Period (years)", "Период (годы)"),
    "period_help": (
        "Keeps figures whose period overlaps these years; figures without a stated period are left out "
        "once the range is narrowed.",
        "Оставляет цифры, период которых пересекается с этими годами; цифры без периода при сужении "
        "диапазона не показываются.",
    ),
    "outlets": ("Outlets", "Издания"),
    "search": ("Search in sentences", "Поиск в предложениях"),
    "search_placeholder": ("e.g. товарооборот", "например, товарооборот"),
    "search_help": (
        "Every word typed must occur in the sentence, in any order and case (ё = е), in any of its forms "
        "(Китай finds Китаем) or inside a longer word.",
        "Каждое слово должно встречаться в предложении — в любом порядке и регистре (ё = е), в любой форме "
        "(«Китай» находит «Китаем») или внутри другого слова.",
    ),
    "all": ("All", "Все"),
    "reset": ("Reset filters", "Сбросить фильтры"),
    "share_hint": (
        "The address bar holds these filters: copy it to share this view.",
        "Фильтры сохраняются в адресе страницы — скопируйте его, чтобы поделиться видом.",
    ),
    "series": ("Series", "Ряд"),
    "undated": ("Show figures without a period (at publication date)", "Цифры без периода (по дате публикации)"),
    "latest_actual": ("Latest actual", "Последнее фактическое"),
    "latest_target": ("Latest target", "Последняя цель"),
    "n_claims": ("Figures", "Цифр"),
    "n_docs": ("Articles", "Статей"),
    "n_pairs": ("Country pairs", "Пар стран"),
    "none_yet": ("none", "нет"),
    "table": ("Claims", "Цифры"),
    "showing": ("Showing {shown} of {total}.", "Показано {shown}, всего {total}."),  # total: `count(…, "figure")`
    "download_csv": ("Download CSV", "Скачать CSV"),
    "csv_capped": (
        "The CSV holds the first {cap} of {total}; `python -m etl export` writes them all.",
        "В CSV первые {cap}, всего {total}; все строки выгружает `python -m etl export`.",
    ),
    "download_png": ("Chart as PNG", "График в PNG"),
    "download_svg": ("Chart as SVG", "График в SVG"),
    "evidence": ("Source", "Источник"),
    "evidence_hint": (
        "Click a point on the chart or a row in the table to see the sentence that states the figure.",
        "Нажмите на точку графика или строку таблицы, чтобы увидеть предложение с этой цифрой.",
    ),
    "claim_gone": (
        "The selected figure is no longer in the database.",
        "Выбранной цифры больше нет в базе.",
    ),
    "clear_selection": ("Clear", "Сбросить"),
    "whole_article": ("Whole article ({n} highlighted)", "Вся статья (выделено: {n})"),
    "untitled": ("(untitled)", "(без заголовка)"),
    "published": ("Published", "Опубликовано"),
    "published_inferred": ("inferred from the text", "определено по тексту"),
    "outlet": ("Outlet", "Издание"),
    "snapshot": ("Snapshot", "Снимок страницы"),
    "snapshot_download": ("The page as it was fetched", "Страница в том виде, в каком её получили"),
    "open_source": ("Open the original", "Открыть оригинал"),
    "as_written": ("As written", "Как в тексте"),
    "extracted_by": ("Extractor version", "Версия экстрактора"),
    "how_read": ("How the figure was read (the rule that decided each field)",
                 "Как прочитана цифра (правило, решившее каждое поле)"),
    "field_indicator": ("indicator", "показатель"),
    "field_countries": ("sides", "стороны"),
    "field_flow_from": ("direction", "направление"),
    "field_kind": ("kind", "вид"),
    "field_comparator": ("comparator", "сравнение"),
    "field_modality": ("modality", "модальность"),
    "field_period": ("period", "период"),
    "no_url": ("(no URL)", "(без ссылки)"),
    "no_period": ("period not stated", "период не указан"),
    "period_so_far": ("{period} so far (to {date})", "{period}, неполный период (на {date})"),
    "period_so_far_year": ("{period} so far (to {date})", "{period}, с начала года (на {date})"),
    "partial_mark": ("so far", "неполн."),
    "conflicts": ("Figures that disagree", "Расходящиеся цифры"),
    "conflicts_caption": (
        "Same pair, indicator, unit, modality and period, but different values: each source is shown, "
        "none is averaged away.",
        "Одна пара, показатель, единица, модальность и период, но разные значения: показан каждый "
        "источник, ничего не усреднено.",
    ),
    "no_conflicts": ("No disagreeing figures in this selection.", "В этой выборке цифры не расходятся."),
    "points_capped": (
        "The chart shows the {shown} most recent of {total}.",
        "На графике {shown} самых новых, всего {total}.",
    ),
    "undated_note": (
        "Without a stated period, so in the table only: {n}.",
        "Без периода, поэтому только в таблице: {n}.",
    ),
    "no_chart_points": (
        "No figure in this series has a period to place on the time axis.",
        "Ни у одной цифры этого ряда нет периода, чтобы показать её на оси времени.",
    ),
    "sources": ("sources", "источников"),
    "no_db": ("No database at `{path}`.", "Базы данных нет: `{path}`."),
    "no_db_hint": (
        "Build it from the bundled sample corpus with `python -m etl build-sample` (or start with "
        "`./run dashboard`, which does it for you), or point `INDICATORS_DB` at another file.",
        "Соберите её из встроенного корпуса: `python -m etl build-sample` (или запустите `./run dashboard` — "
        "он сделает это сам), либо укажите другой файл в `INDICATORS_DB`.",
    ),
    "bad_db": (
        "`{path}` is not a claims database: {error}",
        "`{path}` — не база утверждений: {error}",
    ),
    "busy_db": (
        "The database is being updated; reload in a moment. ({error})",
        "База обновляется; перезагрузите страницу чуть позже. ({error})",
    ),
    "empty_db": ("The database `{path}` holds no figures yet.", "В базе `{path}` пока нет цифр."),
    "empty_db_hint": (
        "Load articles with `python -m etl ingest PATH…` (see README).",
        "Загрузите статьи: `python -m etl ingest ПУТЬ…` (см. README).",
    ),
    "no_match": ("No figures match these filters.", "Под эти фильтры не подходит ни одна цифра."),
    "no_match_hint": (
        "Widen the period, clear the search or press “Reset filters”.",
        "Расширьте период, очистите поиск или нажмите «Сбросить фильтры».",
    ),
    # pages
    "page_overview": ("Overview", "Обзор"),
    "page_explorer": ("Explorer", "Все цифры"),
    "page_pair": ("Country pair", "Пара стран"),
    "page_claim": ("Figure", "Цифра"),
    "overview_caption": (
        "Country pairs ranked by how often the news states figures about them. Pick a row to open the pair.",
        "Пары стран по числу цифр, названных о них в новостях. Выберите строку, чтобы открыть пару.",
    ),
    "overview_hint": ("{n} pairs. A click on a row opens the pair's page.",
                      "Пар: {n}. Нажмите на строку, чтобы открыть страницу пары."),
    "explore_all": ("Explore every figure", "Все цифры с фильтрами"),
    "no_pairs": ("No pair has figures for this country.", "Для этой страны нет ни одной пары с цифрами."),
    "col_statements": ("Figures", "Цифр"),
    "col_articles": ("Articles", "Статей"),
    "col_latest_turnover": ("Latest turnover", "Последний товарооборот"),
    "col_year": ("Year", "Год"),
    "col_change": ("Change", "Изменение"),
    "latest_turnover": ("Latest actual turnover", "Последний фактический товарооборот"),
    "vs_year": ("vs {year}: {value}", "к {year}: {value}"),
    "no_prev_year": ("no full-year figure for {year}", "нет цифры за весь {year} год"),
    "target_sub": ("target for {horizon} · {outlet} · {date}", "цель на {horizon} · {outlet} · {date}"),
    "method_annual": (
        "How the yearly line is drawn: one value per year, the actual figure for the whole calendar year "
        "(never a year so far, a quarter or a month) from the most recently published article that states "
        "it; every other statement is a point. The change compares a year with the year before when both "
        "are on the line.",
        "Как строится линия по годам: одно значение на год — фактическая цифра за весь календарный год "
        "(не за часть года, квартал или месяц) из самой свежей статьи, где она названа; остальные цифры — "
        "точки. Изменение сравнивает год с предыдущим, если оба есть на линии.",
    ),
    "line_points": ("The line: {years} years; the points: {n}.", "Линия: лет — {years}; точки: {n}."),
    "chart_sub_pair": (
        "Line: one actual full-year value per year (most recent article); points: every statement; "
        "▲ target, ◆ forecast.",
        "Линия: одна фактическая цифра за год (самая свежая статья); точки: все утверждения; ▲ цель, ◆ прогноз.",
    ),
    "no_pair": ("No pair chosen: pick one, or start from the overview.",
                "Пара не выбрана: выберите её или начните с обзора."),
    "pair_gone": ("The database has no figures for {pair}.", "В базе нет цифр для пары {pair}."),
    "pick_pair": ("Country pair", "Пара стран"),
    "all_pairs": ("All pairs", "Все пары"),
    "pair_pages": ("Pair pages", "Страницы пар"),
    "explore_pair": ("These figures in the explorer", "Эти цифры во всех цифрах"),
    "axis_scale": ("Axis", "Шкала"),
    "scale_linear": ("linear", "линейная"),
    "scale_log": ("log", "логарифм."),
    "row_opens_figure": ("A click on a row opens its figure's page.", "Нажмите на строку, чтобы открыть страницу цифры."),
    "sources_title": ("Sources", "Источники"),
    "as_of": ("Data as of {date}.", "Данные на {date}."),
    "no_claim": ("No figure named in the address. Open one from a chart or a table.",
                 "В адресе не указана цифра. Откройте её из графика или таблицы."),
    "permalink": ("Permalink of this figure", "Постоянная ссылка на эту цифру"),
    # diplomacy events (dashboard/events.py and the pair page's section)
    "ev_when": ("Date", "Дата"), "ev_type": ("Event", "Событие"), "ev_level": ("Level", "Уровень"),
    "ev_planned": ("planned", "планируется"), "ev_actual": ("took place", "состоялось"),
    "ev_undated": ("no date in the text: the article's date", "дата не указана: дата статьи"),
    "ev_sentence": ("Sentence", "Предложение"), "ev_source": ("Article", "Статья"),
    "ev_count": ("Documents", "Документов"), "ev_visits": ("Visits: {level}", "Визиты: {level}"),
    "ev_talks": ("Talks", "Переговоры"), "ev_calls": ("Calls", "Телефонные разговоры"),
    "ev_signed": ("Documents signed", "Подписано документов"), "ev_year": ("Year", "Год"),
    "ev_status": ("Status", "Статус"), "ev_outlet": ("Outlet", "Издание"),
    "diplomacy": ("Diplomacy", "Дипломатия"),
    "diplomacy_none": ("No diplomacy events of this pair in the database.",
                       "В базе нет дипломатических событий этой пары."),
    "diplomacy_hint": (
        "Each mark is one event at its date (shape: type, colour: level, hollow: planned, faded: no date in "
        "the text). A click on a mark or a row shows its sentence and article.",
        "Каждая отметка — одно событие в его дату (форма — тип, цвет — уровень, полая — планируется, бледная — "
        "дата в тексте не указана). Нажмите на отметку или строку, чтобы увидеть предложение и статью.",
    ),
    "diplomacy_counts": ("Per year (events that took place, with a date)",
                         "По годам (состоявшиеся события с датой)"),
    "diplomacy_events": ("Events", "События"),
    "diplomacy_event": ("The event", "Событие"),
    # the explorer's events view, an event's page, events' downloads (dashboard/screens/explorer_events.py,
    # event.py, dashboard/event_ui.py)
    "page_event": ("Diplomacy event", "Дипломатическое событие"),
    "explore_what": ("What to explore", "Что смотреть"),
    "what_figures": ("Figures", "Цифры"), "what_events": ("Diplomacy events", "Дипломатические события"),
    "ev_title": ("Diplomacy events", "Дипломатические события"),
    "ev_caption": (
        "Visits, talks, calls, signings and relations established, as Russian-language news report them; each "
        "linked to the sentence that reports it.",
        "Визиты, переговоры, телефонные разговоры, подписания и установление отношений — как о них пишут "
        "русскоязычные новости; каждое со ссылкой на предложение, где о нём сказано.",
    ),
    "n_events": ("Events", "Событий"),
    "ev_types": ("Event types", "Типы событий"), "ev_levels": ("Levels", "Уровни"),
    "ev_statuses": ("Status", "Статус"),
    "ev_period_help": (
        "Keeps events whose date overlaps these years; events without a date in the text are left out once the "
        "range is narrowed.",
        "Оставляет события, дата которых пересекается с этими годами; события без даты в тексте при сужении "
        "диапазона не показываются.",
    ),
    "ed_types": ("event types", "типы событий"), "ed_levels": ("levels", "уровни"), "ed_status": ("status", "статус"),
    "ed_no_filters": ("No filters: every diplomacy event in the database.",
                      "Без фильтров: все дипломатические события базы."),
    "ev_no_match": ("No events match these filters.", "Под эти фильтры не подходит ни одно событие."),
    "ev_no_match_hint": (
        "Widen the period, clear the search, pick other types, levels or statuses, or press “Reset filters”.",
        "Расширьте период, очистите поиск, выберите другие типы, уровни или статусы либо нажмите «Сбросить фильтры».",
    ),
    "ev_none_in_db": (
        "The database holds no diplomacy events (a store made before events existed: `./run etl reextract` "
        "extracts them from its articles).",
        "В базе нет дипломатических событий (база сделана до появления событий: `./run etl reextract` извлечёт "
        "их из её статей).",
    ),
    "ev_pick_hint": (
        "Click a mark on the timeline or a row in the table to see the sentence that reports the event.",
        "Нажмите на отметку на шкале времени или строку таблицы, чтобы увидеть предложение о событии.",
    ),
    "ev_gone": ("The selected event is no longer in the database.", "Выбранного события больше нет в базе."),
    "ev_page_link": ("This event's page", "Страница события"),
    "ev_permalink": ("Permalink of this event", "Постоянная ссылка на это событие"),
    "ev_no_event": (
        "No event named in the address. Open one from a pair's page or the explorer's diplomacy events.",
        "В адресе не указано событие. Откройте его со страницы пары или из дипломатических событий.",
    ),
    "ev_how_read": ("How the event was read (the rule that decided each field)",
                    "Как прочитано событие (правило, решившее каждое поле)"),
    "evf_type": ("type", "тип"), "evf_countries": ("sides", "стороны"), "evf_host": ("host", "где"),
    "evf_level": ("level", "уровень"), "evf_date": ("date", "дата"), "evf_modality": ("status", "статус"),
    "evf_count": ("documents", "число документов"),
    "ev_host": ("Host", "Где"), "ev_no_date": ("no date in the text", "дата в тексте не указана"),
    "ev_same_pair": ("Other events of the same pair", "Другие события той же пары"),
    "ev_no_same_pair": ("No other event of this pair.", "Других событий этой пары нет."),
    "ev_row_opens": ("A click on a row opens its event's page.", "Нажмите на строку, чтобы открыть страницу события."),
    "ev_undated_title": ("Without a date in the text, listed at their article's date",
                         "Без даты в тексте — по дате статьи"),
    "ev_undated_row": ("No date (article's date)", "Без даты (дата статьи)"),
    "ev_in_explorer": ("These events in the explorer", "Эти события во всех событиях"),
    "ev_pair_only": ("No figures of this pair in the database; its diplomacy events are below.",
                     "Цифр этой пары в базе нет; ниже — её дипломатические события."),
    "ev_pair_filter": ("pair", "пара"),
    "units_events": (
        "One row per event per article. `date`: YYYY, YYYY-MM, YYYY-MM-DD or START/END, empty when the text gives "
        "no time (`doc_published` is the article's date); `count`: the number of documents signed, when the text "
        "gives it; `level`: the highest office among the named participants.",
        "Одна строка — одно событие в одной статье. `date` — ГГГГ, ГГГГ-ММ, ГГГГ-ММ-ДД или НАЧАЛО/КОНЕЦ, пусто, "
        "если в тексте нет времени (`doc_published` — дата статьи); `count` — число подписанных документов, если "
        "оно названо; `level` — высшая должность среди названных участников.",
    ),
    "method_events": (
        "Every diplomacy event that matches the filters, as reported: nothing is merged across articles; "
        "the most recent event first (an undated one at its article's date).",
        "Все дипломатические события, подходящие под фильтры, как о них сообщается: между статьями ничего не "
        "объединено; сначала самые поздние (событие без даты — по дате статьи).",
    ),
    "method_pair_events": (
        "Every diplomacy event of the pair, as reported; the yearly counts (`_yearly.csv`) count events that took "
        "place and have a date, and sum the documents signed.",
        "Все дипломатические события пары, как о них сообщается; подсчёт по годам (`_yearly.csv`) учитывает "
        "состоявшиеся события с датой и суммирует подписанные документы.",
    ),
    "method_event": ("The event and the other events of its pair, as reported.",
                     "Событие и другие события той же пары, как о них сообщается."),
    "caveat_events_extracted": (
        "Events are read from news by rules and may be misread: each row keeps its sentence to check against.",
        "События прочитаны из новостей правилами и могут быть прочитаны неверно: у каждой строки есть предложение "
        "для проверки.",
    ),
    "caveat_events_repeated": (
        "Two articles reporting one contact give two rows.",
        "Две статьи об одном контакте дают две строки.",
    ),
    "caveat_events_undated": (
        "An event without a date in the text has an empty `date` and is shown at its article's date; a year "
        "range leaves it out.",
        "У события без даты в тексте поле `date` пусто, на странице оно показано по дате статьи; диапазон лет его "
        "исключает.",
    ),
    # official statistics (dashboard/official.py)
    "official_line": ("{reporter}'s report (official)", "данные {reporter} (официальные)"),
    "official_legend": ("Official statistics", "Официальная статистика"),
    "official_source": ("Official statistics: {files}.", "Официальная статистика: {files}."),
    "official_gap": ("Official statistics {year}: {note}", "Официальная статистика за {year} год: {note}"),
    "official_gap_vs": ("vs {reporter}'s report: {pct}", "к данным {reporter}: {pct}"),
    "figure_page": ("This figure's page", "Страница цифры"),
    "same_statements": ("Other statements of the same pair, indicator and period",
                        "Другие цифры той же пары, показателя и периода"),
    "no_same_statements": ("No other statement of this pair, indicator and period.",
                           "Других цифр этой пары, показателя и периода нет."),
    # plain-language filters
    "d_filtered": ("Filtered — {parts}.", "Фильтры — {parts}."),
    "d_no_filters": ("No filters: every figure in the database.", "Без фильтров: все цифры базы."),
    "d_country": ("country", "страна"),
    "d_partners": ("partners", "партнёры"),
    "d_pairs": ("pairs", "пары"),
    "d_indicators": ("indicators", "показатели"),
    "d_modalities": ("modality", "модальность"),
    "d_years": ("periods overlapping", "периоды, пересекающие"),
    "d_from_year": ("{year} and later", "{year} и позже"),
    "d_to_year": ("up to {year}", "до {year}"),
    "d_outlets": ("outlets", "издания"),
    "d_search": ("sentence contains", "в предложении"),
    # downloads
    "download_json": ("The same rows as JSON, with the README's fields", "Те же строки в JSON, с полями README"),
    "download_zip": ("The CSV with a README (filters, units, method, caveats, sources, link, date)",
                     "CSV и README (фильтры, единицы, метод, оговорки, источники, ссылка, дата)"),
    "export_chart": ("Export chart", "Скачать график"),
    "chart_source": ("Source: Bilateral indicators, figures from Russian-language news · {url} · {date}",
                     "Источник: «Двусторонние показатели», цифры из русскоязычных новостей · {url} · {date}"),
    "r_date": ("Downloaded", "Скачано"),
    "r_url": ("View", "Вид"),
    "r_filters": ("Filters", "Фильтры"),
    "r_no_filters": ("none: every figure in the database", "нет: все цифры базы"),
    "r_files": ("Files", "Файлы"),
    "r_data_file": ("the data, {n} rows, as on the page", "данные, строк: {n}, как на странице"),
    "r_units": ("Units", "Единицы"),
    "r_method": ("How values were chosen", "Как выбраны значения"),
    "r_caveats": ("Caveats", "Оговорки"),
    "r_sources": ("Sources", "Источники"),
    "r_about": (
        "Made by the Bilateral indicators dashboard: figures read by rules from Russian-language news, each "
        "with the sentence that states it.",
        "Сделано в «Двусторонних показателях»: цифры, прочитанные правилами из русскоязычных новостей, "
        "каждая с предложением, где она названа.",
    ),
    "units_claims": (
        "`value` and `value_max` in `unit` (USD, EUR, RUB: currency units, not millions; t: tonnes; %: percent; "
        "x: times; count: a number of documents); `kind` says whether a figure is a level or a change.",
        "`value` и `value_max` в единицах `unit` (USD, EUR, RUB — денежные единицы, не миллионы; t — тонны; "
        "% — проценты; x — разы; count — число документов); `kind` — уровень или изменение.",
    ),
    "units_overview": ("Turnover in US dollars (not millions); change in percent.",
                       "Товарооборот в долларах США (не в миллионах); изменение в процентах."),
    "method_claims": (
        "Every figure that matches the filters, as stated: nothing is averaged or merged; newest article first.",
        "Все цифры, подходящие под фильтры, как они названы: ничего не усреднено и не объединено; сначала новые статьи.",
    ),
    "method_claim": ("The figure and the other statements of its pair, indicator and period, as stated.",
                     "Цифра и другие утверждения той же пары, показателя и периода, как они названы."),
    "caveat_extracted": (
        "Figures are read from news by rules and may be misread: each row keeps its sentence to check against.",
        "Цифры прочитаны из новостей правилами и могут быть прочитаны неверно: у каждой строки есть предложение для проверки.",
    ),
    "caveat_partial": (
        "A figure for a period not over when published (a year so far) covers the period up to publication only.",
        "Цифра за период, не закончившийся к публикации (с начала года), покрывает его лишь до дня публикации.",
    ),
    "caveat_change": ("A change is blank unless the year before is on the yearly line.",
                      "Изменение пусто, если предыдущего года нет на линии."),
    # table columns
    "col_period": ("Period", "Период"),
    "col_pair": ("Pair", "Пара"),
    "col_indicator": ("Indicator", "Показатель"),
    "col_figure": ("Figure", "Значение"),
    "col_modality": ("Modality", "Модальность"),
    "col_flow": ("From", "Откуда"),
    "col_as_written": ("As written", "Как в тексте"),
    "col_sentence": ("Sentence", "Предложение"),
    "col_outlet": ("Outlet", "Издание"),
    "col_published": ("Published", "Дата"),
    "col_source": ("Source", "Источник"),
    "col_title": ("Title", "Заголовок"),
    "col_sources": ("Sources", "Источники"),
    "open_link": ("open", "открыть"),
    # chart
    "axis_period": ("Period", "Период"),
    "legend_pair": ("Pair", "Пара"),
    "legend_modality": ("Modality", "Модальность"),
    "tt_figure": ("Figure", "Значение"),
    "tt_as_written": ("As written", "Как в тексте"),
    "tt_period": ("Period", "Период"),
    "tt_outlet": ("Outlet", "Издание"),
    "tt_pair": ("Pair", "Пара"),
    "tt_modality": ("Modality", "Модальность"),
    "tt_sources": ("Sentences stating it", "Предложений с этой цифрой"),
    "tt_title": ("Article", "Статья"),
}

# The contract's labels live with its vocabulary (etl/vocabulary.py), as (English, Russian) here.
INDICATOR_LABELS: dict[str, tuple[str, str]] = {i.value: (x.label.en, x.label.ru) for i, x in INDICATORS_INFO.items()}
MODALITY_LABELS: dict[str, tuple[str, str]] = {m.value: (x.en, x.ru) for m, x in vocabulary.MODALITY_LABELS.items()}
KIND_LABELS: dict[str, tuple[str, str]] = {k.value: (x.en, x.ru) for k, x in vocabulary.KIND_LABELS.items()}
_COMPARATOR_WORDS: dict[str, tuple[str, str]] = {c.value: (x.en, x.ru)
                                                  for c, x in vocabulary.COMPARATOR_WORDS.items()}
_UNIT_WORDS: dict[str, tuple[str, str]] = {"t": ("t", "т"), "count": ("", "")}

# English names for the codes the corpus uses (the lexicon only has Russian ones), and the blocs,
# which the lexicon does not list.
_COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "RUS": ("Russia", "Россия"), "KAZ": ("Kazakhstan", "Казахстан"), "KGZ": ("Kyrgyzstan", "Кыргызстан"),
    "UZB": ("Uzbekistan", "Узбекистан"), "TJK": ("Tajikistan", "Таджикистан"),
    "TKM": ("Turkmenistan", "Туркменистан"), "BLR": ("Belarus", "Беларусь"), "UKR": ("Ukraine", "Украина"),
    "MDA": ("Moldova", "Молдова"), "ARM": ("Armenia", "Армения"), "AZE": ("Azerbaijan", "Азербайджан"),
    "GEO": ("Georgia", "Грузия"), "CHN": ("China", "Китай"), "MNG": ("Mongolia", "Монголия"),
    "TUR": ("Türkiye", "Турция"), "IRN": ("Iran", "Иран"), "IND": ("India", "Индия"),
    "AFG": ("Afghanistan", "Афганистан"), "PAK": ("Pakistan", "Пакистан"), "JPN": ("Japan", "Япония"),
    "KOR": ("South Korea", "Южная Корея"), "PRK": ("North Korea", "Северная Корея"),
    "ARE": ("United Arab Emirates", "ОАЭ"), "SAU": ("Saudi Arabia", "Саудовская Аравия"),
    "QAT": ("Qatar", "Катар"), "USA": ("United States", "США"), "DEU": ("Germany", "Германия"),
    "FRA": ("France", "Франция"), "GBR": ("United Kingdom", "Великобритания"), "ITA": ("Italy", "Италия"),
    "POL": ("Poland", "Польша"), "LVA": ("Latvia", "Латвия"), "LTU": ("Lithuania", "Литва"),
    "EST": ("Estonia", "Эстония"), "HUN": ("Hungary", "Венгрия"), "ISR": ("Israel", "Израиль"),
    "EGY": ("Egypt", "Египет"), "VNM": ("Vietnam", "Вьетнам"), "MYS": ("Malaysia", "Малайзия"),
    "IDN": ("Indonesia", "Индонезия"), "SGP": ("Singapore", "Сингапур"), "SRB": ("Serbia", "Сербия"),
    **{b.value: (x.en, x.ru) for b, x in vocabulary.BLOC_NAMES.items()},
}

_LEXICON = Path(__file__).resolve().parent.parent / "etl" / "lexicon" / "countries.csv"


# A noun's forms for counting: English one/other; Russian one (1, 21, 101), few (2–4, 22–24) and many
# (5–20, 25–30, 11–14 and 0): 1 цифра, 2 цифры, 5 цифр.
_NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str, str]]] = {
    "figure": (("figure", "figures"), ("цифра", "цифры", "цифр")),
    "row": (("row", "rows"), ("строка", "строки", "строк")),
    "event": (("event", "events"), ("событие", "события", "событий")),
    "article": (("article", "articles"), ("статья", "статьи", "статей")),
}


def plural(n: int, noun: str, lang: Lang) -> str:
    """The form of `noun` that goes after the number `n`."""
    en, ru = _NOUNS[noun]
    if lang == "en":
        return en[0] if n == 1 else en[1]
    if n % 10 == 1 and n % 100 != 11:
        return ru[0]
    return ru[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else ru[2]


def count(n: int, noun: str, lang: Lang) -> str:
    """'1 figure', '1,234 figures', '2 цифры', '5 цифр'."""
    return f"{format_number(n, lang, 0)} {plural(n, noun, lang)}"


def t(key: str, lang: Lang, **fmt: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled from `fmt`; the key itself if unknown."""
    pair = _LABELS.get(key)
    text = key if pair is None else pair[LANGS.index(lang)]
    return text.format(**fmt) if fmt else text


def _pick(table: dict[str, tuple[str, str]], key: str | None, lang: Lang) -> str:
    if key is None:
        return ""
    pair = table.get(key)
    return key if pair is None else pair[LANGS.index(lang)]


def indicator_label(code: str, lang: Lang) -> str:
    return _pick(INDICATOR_LABELS, code, lang)


def modality_label(code: str, lang: Lang) -> str:
    return _pick(MODALITY_LABELS, code, lang)


def kind_label(code: str, lang: Lang) -> str:
    return _pick(KIND_LABELS, code, lang)


@lru_cache(maxsize=1)
def _lexicon_ru_names() -> dict[str, str]:
    """Russian names from the extractor's lexicon, when it is there: the single source for the many codes
    this module does not list."""
    try:
        with _LEXICON.open(encoding="utf-8", newline="") as f:
            return {row["code"]: row["name"] for row in csv.DictReader(f) if row.get("code") and row.get("name")}
    except (OSError, KeyError, csv.Error):
        return {}


def country_name(code: str, lang: Lang) -> str:
    """Display name of a country or bloc code; the code itself when no name is known."""
    known = _COUNTRY_NAMES.get(code)
    if lang == "ru":
        return known[1] if known else _lexicon_ru_names().get(code, code)
    return known[0] if known else country_names.ENGLISH.get(code, code)


def country_option(code: str, lang: Lang) -> str:
    """How a code reads in a select box: the code first, so typing it finds it, then the name."""
    name = country_name(code, lang)
    return code if name == code else f"{code} · {name}"


def pair_label(pair: str, lang: Lang) -> str:
    """'KAZ–KGZ' -> 'KAZ–KGZ · Kazakhstan – Kyrgyzstan'."""
    a, _, b = pair.partition(EN_DASH)
    if not b:
        return pair
    return f"{pair} · {country_name(a, lang)} {EN_DASH} {country_name(b, lang)}"


# ---------------------------------------------------------------- numbers

_SCALES: tuple[tuple[float, str, str], ...] = (
    (1e12, "tn", "трлн"),
    (1e9, "bn", "млрд"),
    (1e6, "mn", "млн"),
)


def _scale_for(magnitude: float) -> tuple[float, str, str]:
    for factor, en, ru in _SCALES:
        if magnitude >= factor:
            return factor, en, ru
    return 1.0, "", ""


def _digits_for(mantissa: float, scaled: bool) -> int:
    """Three significant digits for scaled amounts (1.25 bn, 12.5 bn, 125 bn); two decimals otherwise,
    since small unscaled figures are percentages and ratios where 33.33 means what it says."""
    if not scaled:
        return 2
    m = abs(mantissa)
    return 2 if m < 10 else 1 if m < 100 else 0


def format_number(x: float, lang: Lang, digits: int = 2) -> str:
    """A plain number: '1 234,5' (ru, non-breaking space) or '1,234.5' (en); trailing zeros dropped."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = f"{abs(x):,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if lang == "ru":
        s = s.replace(",", NBSP).replace(".", ",")
    sign = MINUS if x < 0 and s.strip("0,.\u00a0") else ""
    return sign + s


def _unit_text(unit: str, lang: Lang) -> str:
    pair = _UNIT_WORDS.get(unit)
    return unit if pair is None else pair[LANGS.index(lang)]


def format_amount(value: float, unit: str, lang: Lang, value_max: float | None = None) -> str:
    """'1,5 млрд USD' / '1.5 bn USD', '6 %' / '6%', '1,8×', '7'; a range shares the scale of its upper end."""
    top = max(abs(value), abs(value_max) if value_max is not None else 0.0)
    factor, en_word, ru_word = (1.0, "", "") if unit in ("%", "x") else _scale_for(top)
    scaled = factor != 1.0
    lo = format_number(value / factor, lang, _digits_for(value / factor, scaled))
    num = lo
    if value_max is not None and not math.isnan(value_max):
        hi = format_number(value_max / factor, lang, _digits_for(value_max / factor, scaled))
        num = f"{lo}{EN_DASH}{hi}"
    if unit == "x":
        return f"{num}×"
    if unit == "%":
        return f"{num}{NBSP}%" if lang == "ru" else f"{num}%"
    word = ru_word if lang == "ru" else en_word
    parts = [num, word, _unit_text(unit, lang)]
    return NBSP.join(p for p in parts if p)


def format_figure(
    value: float,
    unit: str,
    lang: Lang,
    *,
    kind: str = "level",
    comparator: str = "eq",
    value_max: float | None = None,
) -> str:
    """The figure as an analyst reads it: 'more than 3 bn USD', '+6%', 'около 1,5 млрд USD'."""
    amount = format_amount(value, unit, lang, value_max)
    if kind == "change" and value > 0 and unit != "x":
        amount = "+" + amount
    words = _COMPARATOR_WORDS.get(comparator, ("", ""))[LANGS.index(lang)]
    return f"{words}{amount}"


def comparator_symbol(comparator: str) -> str:
    """A one-character mark for chart labels: the tooltip spells the words out."""
    return {"gt": ">", "lt": "<", "approx": "≈"}.get(comparator, "")


# ---------------------------------------------------------------- periods and dates

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек."),
}
_ROMAN = ("I", "II", "III", "IV")
_ONE = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2})(?:-(\d{2}))?)?$")


def format_date(d: date | str | None, lang: Lang) -> str:
    """ISO for English (sortable, unambiguous), dd.mm.yyyy for Russian readers."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return d
    if hasattr(d, "date") and callable(d.date):  # pandas Timestamp / datetime
        d = d.date()
    if isinstance(d, float) and math.isnan(d):
        return ""
    return d.strftime("%d.%m.%Y") if lang == "ru" else d.isoformat()


def _one_period(p: str, lang: Lang) -> tuple[str, str] | None:
    """(label without year, year) of one contract period, or None when malformed."""
    m = _ONE.match(p)
    if not m:
        return None
    year, q, month, day = m.groups()
    if q:
        return (f"Q{q}" if lang == "en" else f"{_ROMAN[int(q) - 1]}{NBSP}кв."), year
    if day:
        return format_date(p, lang), ""
    if month and 1 <= int(month) <= 12:
        return _MONTHS[lang][int(month) - 1], year
    return "", year


def _day_label(d: date, period: str, lang: Lang) -> str:
    """A day short where the period names its year ('Feb 26' / '26.02' in 2025), else in full."""
    if not period.startswith(str(d.year)):
        return format_date(d, lang)
    return f"{_MONTHS['en'][d.month - 1]} {d.day}" if lang == "en" else d.strftime("%d.%m")


def partial_until(period_end: date | None, published: date | None, modality: str | None) -> date | None:
    """The last day an actual figure can cover when its period ends after its article was published: the
    publication date. «С начала года» is stored as the whole year ("2025") in the contract, but a figure
    published in February reports January and February only; shown as the year it reads as a collapse
    next to the previous full year. None for a whole period, a plan or a forecast (which may look ahead),
    or when a date is missing."""
    if modality != "actual" or period_end is None or published is None:
        return None
    return published if period_end > published else None


def format_period(period: str | None, lang: Lang, until: date | None = None) -> str:
    """'2016-01/2016-04' -> 'Jan–Apr 2016'; '2018-Q1' -> 'I кв. 2018'; unknown shapes pass through.
    A period known only `until` a day (`partial_until`) says so: '2025 so far (to 2025-02-26)'."""
    if not period or not isinstance(period, str):
        return ""
    if until is not None:
        key = "period_so_far_year" if re.fullmatch(r"\d{4}", period) else "period_so_far"
        return t(key, lang, period=format_period(period, lang), date=_day_label(until, period, lang))
    parts = [_one_period(p, lang) for p in period.split("/")]
    if any(p is None for p in parts):
        return period
    if len(parts) == 1:
        label, year = parts[0]
        return NBSP.join(x for x in (label, year) if x)
    (la, ya), (lb, yb) = parts
    if ya and ya == yb and la and lb:
        return f"{la}{EN_DASH}{lb}{NBSP}{ya}"
    left = NBSP.join(x for x in (la, ya) if x)
    right = NBSP.join(x for x in (lb, yb) if x)
    return f"{left}{EN_DASH}{right}"


def vega_number_locale(lang: Lang) -> dict:
    """d3-format locale for chart axes, so Russian axes read '1,5' and '2 000'."""
    if lang == "ru":
        return {"decimal": ",", "thousands": NBSP, "grouping": [3], "currency": ["", " ₽"]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}


def vega_time_locale(lang: Lang) -> dict | None:
    """d3-time-format locale; None keeps Vega's English default."""
    if lang != "ru":
        return None
    return {
        "dateTime": "%A, %e %B %Y г. %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
        "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
        "months": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                   "октябрь", "ноябрь", "декабрь"],
        "shortMonths": list(_MONTHS["ru"]),
    }
