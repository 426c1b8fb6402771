"""Failures found by reading the extractor's output on real news pages, turned into sentences of our own.

Each case names the rule (etl/rules.py) or the reading step it concerns. The real pages themselves are
not committed (third-party text); the README says how many were read and how they scored."""
from __future__ import annotations

import pytest

from etl.extract import extract_document
from etl.model import Document


def claims(text: str, published: str = "2024-11-02"):
    return extract_document(Document(id="real", text=text, published=published))


def test_sentences_do_not_end_at_the_abbreviation_of_a_currency():
    """«млн долл. США — на 14,5% больше»: split after «долл.», «США» became a side of the change."""
    found = claims("По итогам девяти месяцев товарооборот Киргизии с Казахстаном составил 1,2 млрд долл. США — "
                   "на 14,5% больше, чем годом ранее.")
    assert [(c.countries, c.value, c.kind) for c in found] == [
        (["KAZ", "KGZ"], 1.2e9, "level"), (["KAZ", "KGZ"], 14.5, "change")]
    assert found[0].sentence == found[1].sentence


@pytest.mark.parametrize("text, value", [
    # comparator.cue-word: «больше на N» is the size of a change, not «more than N»
    ("С января по май товарооборот Казахстана и Киргизии составил 1,1 млрд долларов, что больше на 4,8% "
     "по сравнению с прошлым годом.", 4.8),
    ("В 2024 году товарооборот Таджикистана и России составил 1,9 млрд долларов, что больше на 200 млн "
     "долларов, чем годом ранее.", 2e8),
])
def test_a_comparative_before_на_states_a_change(text, value):
    (change,) = [c for c in claims(text) if c.value == value]
    assert (change.kind, change.comparator) == ("change", "eq")


def test_approaching_a_mark_is_approximate():
    """comparator.cue-word: «приблизился к отметке в 2 млрд» (the mark between the verb and the figure)."""
    (c,) = claims("Товарооборот России и Монголии за девять месяцев приблизился к отметке в 2 млрд долларов.")
    assert c.comparator == "approx"


def test_a_page_opening_with_other_lines_takes_its_headline_for_the_pair():
    """The pair of a figure whose sentence names no side comes from the title; a scraped page without a
    given title opens with chrome (exchange rates), so its title is its first line that reads as a
    headline (text.heading_of), not its first line."""
    page = ("Курсы валют от 02/07/2025\n$1 – 90.41\n€1 – 98.19 (-0,23%)\n\n"
            "Таджикистан и Туркменистан договорились расширять торговлю\n\n"
            "Двусторонний товарооборот растёт. За январь – июнь 2025 года объём взаимной торговли увеличился "
            "на 9,5% и достиг 210 млн долларов.")
    found = claims(page, "2025-07-15")
    assert [(c.countries, c.value) for c in found] == [(["TJK", "TKM"], 9.5), (["TJK", "TKM"], 2.1e8)]


@pytest.mark.parametrize("text, modality", [
    # modality.mood-word: the future of a plan verb is a plan, as its infinitive is…
    ("Узбекистан и Россия в 2023 году доведут взаимный товарооборот до 10 млрд долларов.", "target"),
    ("Узбекистан и Россия увеличат торговый оборот до 10 млрд долларов.", "target"),
    # …while the future of a verb of outcome is an expectation
    ("Товарооборот Узбекистана и России увеличится до 10 млрд долларов.", "forecast"),
    ("Посол выразил ожидание, что в этом году торговля Турции и Узбекистана выйдет на 2 млрд долларов.",
     "forecast"),
])
def test_the_future_of_a_plan_verb_is_a_plan(text, modality):
    (c,) = claims(text, "2022-11-02")
    assert c.modality == modality


@pytest.mark.parametrize("text", [
    "Индия и Россия предложили повысить объем взаимных инвестиций до 50 млрд долларов к 2025 году.",
    "Казахстан и Киргизия видят все возможности для доведения товарооборота до 2 млрд долларов.",
    "Киргизия и Россия нацелены на наращивание взаимного товарооборота до 5 миллиардов долларов.",
])
def test_до_after_a_verb_or_noun_of_bringing_is_the_level_aimed_at_not_a_bound(text):
    """comparator.bound-до does not apply: «повысить … до», «для доведения … до», «наращивание … до»."""
    (c,) = claims(text, "2022-11-02")
    assert (c.modality, c.comparator) == ("target", "eq")


@pytest.mark.parametrize("text, kind_rule", [
    ("Товарооборот Туркмении и Турции за девять месяцев составил 2 млрд долларов. Рост по сравнению с "
     "прошлым годом составил 13,8%.", "kind.change-subject"),
    ("Товарооборот Таджикистана и России достиг 1,4 млрд долларов. Темпы роста составили 13%.",
     "kind.change-subject"),
])
def test_a_growth_noun_as_subject_makes_a_change(text, kind_rule):
    change = [c for c in claims(text, "2025-10-01") if c.unit == "%"]
    assert [(c.kind, c.trace["kind"]) for c in change] == [("change", kind_rule)]


def test_the_subject_of_a_verb_of_receiving_is_where_the_money_goes():
    """flow_from.prepositions: «Киргизия получит от Китая …» — the receiver is the nominative side."""
    (c,) = claims("Киргизия безвозмездно получит от Китая более 28 миллионов долларов на реализацию "
                  "совместных проектов.", "2022-11-02")
    assert (c.indicator, c.flow_from, c.modality) == ("aid", "CHN", "target")


def test_an_undated_article_is_dated_by_its_comparison_with_the_same_period_of_a_year():
    """«за 7 месяцев текущего года … по сравнению с аналогичным периодом 2023 года»: the article is of 2024
    (periods.comparison_reference), so «текущего года» resolves, though no date is given."""
    text = ("Объем взаимной торговли Казахстана и Германии за 7 месяцев текущего года вырос на 13% по сравнению "
            "с аналогичным периодом 2023 года и составил 2,3 млрд долларов.")
    assert [c.period for c in extract_document(Document(id="u", text=text))] == ["2024-01/2024-07"] * 2


def test_a_time_noun_after_a_change_names_no_other_statistic():
    """indicator.document-statistic: «показатель … увеличился на 13,5% год к году» continues the statistic
    (a noun after the figure that is a time, or all of the trade, names nothing else)."""
    text = ("Товарооборот Азербайджана и России в 2024 году вырос до 4,8 млрд долларов. В течение восьми месяцев "
            "2025 г. показатель также увеличился на 13,5% год к году и составил более 3 млрд долларов.")
    found = claims(text, "2025-11-01")
    assert [(c.value, c.period) for c in found[1:]] == [(13.5, "2025-01/2025-08"), (3e9, "2025-01/2025-08")]


def test_lines_of_page_chrome_do_not_make_up_the_lead():
    """The lead (which names the pair) is the first sentences with words, not a page's «![]() |» lines."""
    page = ("![]() |\n![]() ![]() ![]() |\n|\n|\n"
            "Министр экономики Грузии встретилась в Баку с министром экономики Азербайджана, стороны обсудили "
            "торговлю. «За первые десять месяцев года двусторонняя торговля увеличилась на 16 процентов, "
            "в то время как экспорт в Азербайджан увеличился на 22 процента.")
    found = claims(page, "2021-12-14")
    assert [(c.countries, c.value) for c in found] == [(["AZE", "GEO"], 16.0), (["AZE", "GEO"], 22.0)]


@pytest.mark.parametrize("text, value", [
    ("На 33% вырос товарооборот между Казахстаном и Китаем с начала года", 33.0),
    ("По итогам 2025 года объём взаимной торговли между Узбекистаном и Казахстаном составил 4,97 млрд долларов, "
     "что на 11,4 процента превышает показатель предыдущего года.", 11.4),
])
def test_a_verb_of_growth_right_after_a_figure_led_by_на_makes_a_change(text, value):
    (c,) = [c for c in claims(text, "2025-06-01") if c.value == value]
    assert c.kind == "change" and c.countries in (["CHN", "KAZ"], ["KAZ", "UZB"])


def test_the_figure_as_subject_points_back_to_the_indicator_just_named():
    """indicator.pronoun-for-previous: «… о росте товарооборота … показатель вырос на 35%»."""
    (c,) = claims("Министр рассказал о росте товарооборота между Россией и Вьетнамом. По его словам, в прошлом "
                  "году показатель вырос на 35%.", "2018-03-01")
    assert (c.indicator, c.countries, c.period, c.trace["indicator"]) == (
        "trade_turnover", ["RUS", "VNM"], "2017", "indicator.pronoun-for-previous")


def test_a_bare_currency_word_several_currencies_share_is_the_sides_own():
    """«манатов» in a figure of Azerbaijan's is AZN (currency_by_side.csv); an adjective still decides."""
    (c,) = claims("Азербайджан направил в Турцию гуманитарную помощь на сумму около 25 млн манатов.", "2023-03-01")
    assert c.unit == "AZN"
    (c,) = claims("Азербайджан направил в Турцию помощь на сумму 25 млн туркменских манатов.", "2023-03-01")
    assert c.unit == "TMT"


@pytest.mark.parametrize("second", [
    "Армения вступила в ЕАЭС в 2015 году, когда её ВВП составлял около 10,5 млрд долларов.",
    "Совместный инвестиционный портфель превышает 60 млрд долларов.",
    "Общий госдолг Армении составляет 12 млрд долларов.",
])
def test_another_statistic_is_not_the_articles_statistic_continued(second):
    """indicator.document-statistic does not apply to a clause naming another statistic (indicators.toml)."""
    found = claims("Товарооборот Армении и России в 2024 году составил 7 млрд долларов. " + second, "2025-03-01")
    assert [c.value for c in found] == [7e9]


def test_a_percentage_after_a_share_word_is_no_change():
    """«Россия занимает долю в 10,3%»: a share of the whole, after a sentence's change (function_words share)."""
    found = claims("Торговля между Грузией и Россией за 11 месяцев 2025 года выросла на 5,4%, до 2,4 млрд долларов, "
                   "Россия занимает долю в 10,3% во внешнеторговом обороте Грузии.", "2025-12-09")
    assert [c.value for c in found] == [5.4, 2.4e9]


def test_an_undated_article_speaks_from_the_latest_part_of_a_year_it_names():
    """«января–октября текущего года» in an article that later names «десять месяцев 2021 года»
    (periods.undated_reference): the current year is 2021."""
    text = ("По итогам января–октября текущего года товарооборот Казахстана с Узбекистаном составил 3 млрд "
            "долларов.\n\nЗа десять месяцев 2021 года Казахстан отправил в Узбекистан 2,3 млн тонн пшеницы.")
    (c,) = extract_document(Document(id="u", text=text))
    assert c.period == "2021-01/2021-10"


@pytest.mark.parametrize("text, modality", [
    # what the sides can do is a plan (the contract: «довести до» is target)…
    ("Кыргызстан и Россия могут довести товарооборот между странами до 5 млрд долларов.", "target"),
    # …what the figure may do is an expectation (the contract: «может превысить» is forecast)
    ("Товарооборот Кыргызстана и России может превысить 5 млрд долларов.", "forecast"),
    ("Товарооборот Кыргызстана и России может выйти на 5 млрд долларов.", "forecast"),
])
def test_may_with_a_plan_verb_is_a_plan_with_an_outcome_verb_an_expectation(text, modality):
    (c,) = claims(text, "2023-03-01")
    assert c.modality == modality


def test_a_figure_stated_as_now_after_a_plan_is_achieved():
    found = claims("Армения и Иран намерены довести товарооборот до 3 млрд долларов, в настоящее время он "
                   "составляет порядка 1 млрд долларов.", "2024-05-01")
    assert [(c.value, c.modality) for c in found] == [(3e9, "target"), (1e9, "actual")]


@pytest.mark.parametrize("text, comparator, modality", [
    ("В 2025 году товарооборот Беларуси и Китая впервые превысил порог в 8,86 млрд долларов.", "gt", "actual"),
    ("Товарооборот Беларуси и Узбекистана в этом году, я уверен, перешагнет 1 млрд долларов.", "gt", "forecast"),
])
def test_marks_and_verbs_of_passing_them(text, comparator, modality):
    (c,) = claims(text, "2025-06-01")
    assert (c.comparator, c.modality) == (comparator, modality)


def test_an_abbreviated_side_before_its_verb_is_the_subject():
    """flow_from.prepositions: «РФ инвестировала в экономику республики …» — «РФ» does not decline, its
    parse guesses the genitive; before a finite verb it is the subject, the side the money comes from."""
    (c,) = claims("Россия и Узбекистан обсудили инвестиции. Президент указал, что РФ инвестировала в экономику "
                  "республики около десяти миллиардов долларов.", "2023-03-01")
    assert (c.indicator, c.flow_from, c.trace["flow_from"]) == ("investment", "RUS", "flow_from.prepositions")


@pytest.mark.parametrize("text, pairs", [
    ("Товарооборот Казахстана и Китая растёт. Внешнеторговый оборот между странами в 2017 году увеличился более "
     "чем на 30%.", [["CHN", "KAZ"]]),
    ("Внешнеторговый оборот Казахстана с Китаем в 2017 году вырос на 20%.", [["CHN", "KAZ"]]),
    # a country's foreign trade as a whole stays no claim
    ("Казахстан и Китай развивают связи. Внешнеторговый оборот Казахстана в 2017 году вырос на 20%.", []),
    ("Товарооборот России и Бразилии превысил 10 млрд долларов, а внешняя торговля Бразилии в целом "
     "составила около 600 млрд долларов.", [["BRA", "RUS"]]),
])
def test_foreign_trade_is_the_pairs_when_its_phrase_names_the_pair(text, pairs):
    """«внешнеторговый» marks one country's total unless its own phrase names the pair (indicators.toml)."""
    assert [c.countries for c in claims(text, "2018-03-01")] == pairs


def test_the_subject_of_attracting_investment_is_where_it_goes():
    """flow_from.prepositions: «Узбекистан рассчитывает привлечь 5 млрд долларов российских инвестиций»."""
    (c,) = claims("Узбекистан рассчитывает привлечь 5 миллиардов долларов российских инвестиций в этом году.",
                  "2025-03-01")
    assert (c.indicator, c.flow_from) == ("investment", "RUS")


def test_the_past_year_under_other_names():
    """calendar.toml relative_years: «в минувшем году», «в истекшем году» are the year before."""
    for word in ("минувшем", "истекшем"):
        (c,) = claims(f"В {word} году товарооборот Беларуси и Казахстана составил 950 млн долларов.", "2014-02-01")
        assert c.period == "2013"


def test_adjectives_of_a_mark_stand_between_its_verb_and_the_figure():
    """comparator.cue-word: «превысил исторический рубеж в $2 млрд» is more than 2 bn."""
    (c,) = claims("По итогам 2025 года товарооборот Кыргызстана и Казахстана превысил исторический рубеж в 2 млрд "
                  "долларов.", "2026-01-20")
    assert c.comparator == "gt"


@pytest.mark.parametrize("second", [
    "На данный момент на стадии реализации находятся 143 проекта, которые оцениваются в 33,5 млрд долларов.",
    "Число совместных предприятий превысило 3,1 тысячи.",
])
def test_projects_and_counts_do_not_continue_the_articles_statistic(second):
    found = claims("Российские инвестиции в Казахстан в 2024 году составили 4 млрд долларов. " + second, "2025-03-01")
    assert [c.value for c in found] == [4e9]


def test_an_abbreviated_subject_reaches_its_verb_across_an_adverbial():
    """«РФ за последние 18 лет вложила в экономику …»: the verb follows after a time phrase."""
    (c,) = claims("Россия и Казахстан обсудили инвестиции. РФ за последние 18 лет вложила в экономику Казахстана "
                  "20 млрд долларов.", "2023-03-01")
    assert (c.flow_from, c.trace["flow_from"]) == ("RUS", "flow_from.prepositions")


def test_an_abbreviated_percent_is_a_percent():
    """numerals.toml [unit_words]: «увеличившись на 20,8 проц.» (abbreviations of units are table rows)."""
    found = claims("За январь-апрель 2019 года товарооборот Казахстана и Узбекистана составил 1,1 млрд долларов, "
                   "увеличившись на 20,8 проц. в сравнении с аналогичным периодом прошлого года.", "2019-05-10")
    assert [(c.value, c.unit, c.kind) for c in found] == [(1.1e9, "USD", "level"), (20.8, "%", "change")]


def test_a_sector_of_the_goods_after_the_side_is_a_subset():
    """«Казахстан импортировал из Азербайджана ненефтяной продукции на 80 млн»: a part of the trade, no claim;
    the same sentence without the sector is one."""
    assert claims("За 10 месяцев Казахстан импортировал из Азербайджана ненефтяной продукции на 80 млн долларов.",
                  "2025-11-20") == []
    (c,) = claims("За 10 месяцев Казахстан импортировал из Азербайджана продукции на 80 млн долларов.", "2025-11-20")
    assert (c.indicator, c.countries, c.flow_from) == ("import", ["AZE", "KAZ"], "AZE")


def test_an_indicator_word_right_after_a_figure_names_it_when_the_word_before_leads_another():
    """indicator.word-near-figure: «…составил 70 млн долларов, из них 25 млн — на экспорт» (the word
    before names the figure it leads); but in a list «экспорт вырос до 2 млрд, импорт — на 30%» the word
    after a comma leads its own figure."""
    found = claims("В 2024 году товарооборот Киргизии и Беларуси составил 70 млн долларов, из них 25 млн "
                   "долларов — на экспорт из Киргизии.")
    assert [(c.indicator, c.value) for c in found] == [("trade_turnover", 7e7), ("export", 2.5e7)]
    found = claims("В 2024 году экспорт Киргизии в Беларусь вырос на 12%, до 2 млрд долларов, импорт — на 8%, "
                   "до 900 млн долларов.")
    assert [c.indicator for c in found] == ["export", "export", "import", "import"]


def test_the_start_of_a_range_shares_the_scale_of_its_end():
    """«(с $1,5 до $4,5 миллиона)»: the start has no scale word of its own."""
    found = claims("За пять лет торговля Киргизии с Эстонией выросла втрое (с $1,5 до $4,5 миллиона).")
    assert sorted(c.value for c in found if c.unit == "USD") == [1.5e6, 4.5e6]


def test_a_time_right_after_a_figure_is_its_own_and_a_change_spans_its_start_and_end():
    """period.from-to-years, and the time that follows a figure: «с 300 млн в 2013 году до 58 млн в 2020
    году» (the time before the second figure is the first one's)."""
    found = claims("Товарооборот Таджикистана и Ирана сократился в пять раз: с 300 млн долларов в 2013 году до "
                   "58 млн долларов в 2020 году.")
    assert [(c.value, c.period) for c in found] == [(0.2, "2013/2020"), (3e8, "2013"), (5.8e7, "2020")]


def test_a_side_in_the_genitive_right_after_the_indicator_word_owns_the_flow():
    """flow_from.prepositions: «инвестиции Германии в республику» come from Germany; «импорт Казахстана»
    goes to Kazakhstan."""
    (c,) = claims("Президент Узбекистана отметил, что объем инвестиций Германии в республику достиг 5 млрд "
                  "долларов.")
    assert (c.countries, c.flow_from) == (["DEU", "UZB"], "DEU")


def test_a_list_of_partners_belongs_to_the_side_whose_trade_the_sentence_before_names():
    """countries.list-partner: «…товарооборота Таджикистана. Так, оборот с Украиной снизился на 57,5%, с
    Киргизией – на 35,4%»: the owner named just before in the genitive, not the side the page opens with."""
    found = claims("Также в этом году вырос товарооборот с Азербайджаном (в 2,8 раза) и с Молдовой (15%).\n"
                   "С остальными странами СНГ отмечается падение товарооборота Таджикистана. Так, за первые четыре "
                   "месяца торговый оборот с Украиной снизился на 57,5%, с Киргизией – на 35,4%, с Арменией — на "
                   "28,7%.", "2016-05-17")
    assert [c.countries for c in found if c.value < 0] == [["TJK", "UKR"], ["KGZ", "TJK"], ["ARM", "TJK"]]


def test_a_figure_with_a_past_verb_is_not_made_a_forecast_by_a_verb_after_it():
    """modality.verb-after does not apply when the figure's own verb is past: «увеличился в 6 раз, в
    ближайшее время ожидается …»."""
    (c, *_) = claims("За 5 лет товарооборот между Казахстаном и Венгрией увеличился в 6 раз, в ближайшее время "
                     "ожидается рост поставок.")
    assert (c.value, c.modality) == (6.0, "actual")


def test_hope_is_an_expectation():
    """modality.mood-word: «выразил надежду на увеличение … до 1 млрд» is a forecast."""
    (c,) = claims("Премьер-министр Турции выразил надежду на увеличение товарооборота Турции и Киргизии до 1 "
                  "миллиарда долларов.")
    assert c.modality == "forecast"


@pytest.mark.parametrize("text", [
    # indicator.part-of-trade: the object of a verb of trade is a product…
    "В 2022 году Туркменистан экспортировал в Китай природный газ на сумму 10 млрд долларов.",
    # …so is what «только» singles out…
    "Экспорт из Молдовы в Россию только алкогольной продукции вырос на 56,6%.",
    # …and a share of a flow is not the flow
    "Доля импорта Киргизии из России выросла в 4,2 раза.",
])
def test_a_product_or_a_share_of_trade_is_no_claim(text):
    assert claims(text) == []


def test_a_whole_year_is_the_horizon_of_a_forecast_told_on_an_unknown_date():
    """period.horizon-of-plan: «по итогам 2022 года может превысить 2 млрд», the article's year unknown."""
    found = extract_document(Document(id="real", text="Товарооборот между Россией и Монголией по итогам 2022 года "
                                                      "может превысить 2 млрд долларов."))
    assert [(c.modality, c.period) for c in found] == [("forecast", "2022")]


def test_the_figure_word_after_a_time_phrase_points_back_to_the_previous_statistic():
    """indicator.pronoun-for-previous: in «На начало октября показатель превысил …» the noun after «на» is
    the time's, so «показатель» is the subject, and it is the statistic the sentence before names."""
    found = claims("В Минэкономики ожидают, что в этом году товарооборот Армении и Грузии достигнет $2 млрд. "
                   "На начало октября показатель превысил $1,6 млрд. Инвестиции в экономику Армении растут.",
                   published="2024-10-20")
    (c,) = [c for c in found if c.value == 1.6e9]
    assert (c.indicator, c.period, c.trace["indicator"]) == ("trade_turnover", "2024", "indicator.pronoun-for-previous")


@pytest.mark.parametrize("text", [
    "Товарооборот Армении и Грузии в этом году составит в районе 6 млрд долларов.",
    "Товарооборот Армении и Грузии в 2024 году вышел на уровень, близкий к 6 млрд долларов.",
])
def test_two_words_of_nearness_before_a_figure_make_it_approximate(text):
    """comparator.cue-word: «в районе», «близкий к» (cues.toml approx_before)."""
    (c,) = claims(text)
    assert (c.value, c.comparator) == (6e9, "approx")


def test_a_figure_opening_its_clause_takes_the_mood_of_the_verb_after_it():
    """modality.mood-word and comparator: «До $N довести …» is a target at N, not a bound reached."""
    (c,) = claims("До $3 млрд довести товарооборот с Арменией предлагает Грузия.")
    assert (c.value, c.modality, c.comparator, c.countries) == (3e9, "target", "eq", ["ARM", "GEO"])


def test_a_figure_after_plus_or_minus_is_a_change():
    """kind.signed-figure: «плюс 2 млрд долларов к товарообороту» is a change by that amount."""
    found = claims("Товарооборот Армении и Грузии в 2024 году вырос: это плюс 2 млрд долларов к товарообороту.")
    (c,) = [c for c in found if c.value == 2e9]
    assert (c.kind, c.trace["kind"]) == ("change", "kind.signed-figure")
