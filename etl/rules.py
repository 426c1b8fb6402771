"""The named rules that decide each field of a claim, and the trace that records which one did.

Each field of a claim is decided by the first of its rules below that applies: `Rulebook.decide` tries
them in order, running the code etl/claim_rules.py registers for each, and records the rule's name in
the claim's `trace` (field -> rule name), which `extract --explain` writes, the store keeps and the
dashboard's evidence panel reads out in plain words. Each rule here is a record: its name (the field
it decides, then what it looks at), what it says in plain words, and an example sentence in our own
words on which it decides, with the value it gives (tests/extract/test_rules.py runs every example
through the extractor and checks both)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class _Skip:
    """What a rule answers when it does not apply: the engine tries the next rule of the field."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Any = _Skip()

FIELDS = ("indicator", "countries", "flow_from", "kind", "comparator", "modality", "period")


@dataclass(frozen=True)
class Rule:
    name: str  # "<field>.<what it looks at>"
    says_ru: str  # what it means for the figure, in plain words, in Russian…
    says: str  # …and in English (the evidence panel shows these)
    example: str = ""  # a sentence of our own on which this rule decides the field…
    gives: object = None  # …and the value it gives there («published» is 2025-03-01 in the test)
    # "decide": tried in order by Rulebook.decide; "check": overrides the decided value afterwards (a
    # period the contract cannot hold); "second-pass": decided across claims once all are read
    stage: str = "decide"
    no_claim: bool = False  # its value means the figure is no claim of ours (its example gives none)

    @property
    def field(self) -> str:
        return self.name.split(".", 1)[0]


_RULES = (  # each field's rules in the order Rulebook.decide tries them
    # indicator
    Rule("indicator.signed-count", "число документов в предложении о подписании", "a number of documents in a sentence about signing",
         "Президенты Узбекистана и Казахстана подписали 12 соглашений.", "agreements"),
    Rule("indicator.aid-tonnes", "тонны, отправленные как помощь", "tonnes sent as aid",
         "Китай направил Киргизии гуманитарную помощь весом 40 тонн.", "aid"),
    Rule("indicator.part-of-trade", "слово торговли называет её часть: товар, отрасль («экспорт угля»)",
         "the trade word names a part of trade: a product, a sector («экспорт угля»)",
         "Экспорт угля из Казахстана в Китай составил 2 млрд долларов.", None, no_claim=True),
    Rule("indicator.word-near-figure", "слово показателя, ближайшее к цифре, прежде всего в её части предложения", "the indicator word nearest the figure, its own clause first",
         "Экспорт Казахстана в Китай составил 9 млрд долларов.", "export"),
    Rule("indicator.money-given", "выделенные деньги в статье о помощи", "money given, in an article about aid"),
    Rule("indicator.pronoun-for-previous",
         "подлежащее «он», «она», «показатель» отсылает к показателю, названному в предложении перед ним",
         "a subject «он», «она», «показатель» points back to the indicator the sentence before names",
         "Товарооборот России и Монголии растёт. Он вырос на 17,8% по итогам 2024 года.", "trade_turnover"),
    Rule("indicator.sentence-statistic", "слова показателя в её части предложения нет: показатель предыдущей цифры того же предложения",
         "no indicator word in its clause: the statistic of the sentence's previous figure",
         "Товарооборот Японии и Казахстана растёт. По итогам 2024 года он составил 2 млрд долларов, однако в "
         "январе-мае 2025 года сократился на 18,6%.", "trade_turnover"),
    Rule("indicator.document-statistic", "слова показателя нет: показатель, о котором статья", "no indicator word: the statistic the article is about",
         "Товарооборот Узбекистана и Турции в 2024 году составил 3 млрд долларов. Это на 10% больше, чем "
         "годом ранее.", "trade_turnover"),
    Rule("indicator.none", "ни слова показателя, ни показателя статьи: не наша цифра", "no indicator word and no statistic of the article: not our figure",
         "Бюджет Киргизии и Казахстана составил 2 млрд долларов.", None, no_claim=True),
    # countries
    Rule("countries.not-bilateral", "итог со всем миром или регионом («внешнеторговый оборот», «со странами региона»)",
         "a total with the whole world or a region («внешнеторговый оборот», «со странами региона»)",
         "Внешнеторговый оборот Казахстана в 2024 году составил 140 млрд долларов.", None, no_claim=True),
    Rule("countries.subnational", "сторона — область или край, а не страна", "a side is a province or region, not a country",
         "Товарооборот Ленинградской области и Беларуси составил 3 млрд долларов.", None, no_claim=True),
    Rule("countries.two-named", "две стороны, названные в предложении", "the two sides named in the sentence",
         "Товарооборот между Арменией и Ираном составил 700 млн долларов.", ["ARM", "IRN"]),
    Rule("countries.list-partner", "перечень партнёров: названный перед цифрой и главная сторона статьи", "a list of partners: the one named before the figure, with the article's main side"),
    Rule("countries.within-bloc", "торговля внутри блока («взаимная торговля государств ЕАЭС»)", "trade within a bloc («взаимная торговля государств ЕАЭС»)",
         "Взаимная торговля государств ЕАЭС в 2024 году составила 90 млрд долларов.", None, no_claim=True),
    Rule("countries.same-as-previous-figure", "те же стороны, что у предыдущей цифры этого показателя", "the same sides as the previous figure of this statistic",
         "Товарооборот Узбекистана и Турции в 2024 году составил 3 млрд долларов. К 2030 году стороны "
         "рассчитывают выйти на 10 млрд долларов.", ["TUR", "UZB"]),
    Rule("countries.partner-in-previous-trade-figure", "названа одна сторона: её пара в торговой цифре чуть раньше",
         "one side named: its pair in a trade figure shortly before",
         "Конфликт Ирана и США обсуждают везде. Товарооборот Армении с Ираном в 2018 году составил 300 млн "
         "долларов. В 2018 году экспорт в Иран снизился на 35%.", ["ARM", "IRN"]),
    Rule("countries.one-named-and-main-side", "здесь названа одна сторона, вторая — главная сторона статьи", "one side named here, the other the article's main side",
         "Торговля Казахстана и Китая растёт. Экспорт в Китай в 2024 году достиг 15 млрд долларов.",
         ["CHN", "KAZ"]),
    Rule("countries.previous-statistic-pair", "стороны здесь не названы: пара торговой цифры прямо перед ней",
         "no side named here: the pair of the trade figure just before",
         "Армения наращивает торговлю. Оборот ЕАЭС с Ираном в 2021 году составил 5 млрд долларов. При этом экспорт "
         "вырос в 2,1 раза.", ["EAEU", "IRN"]),
    Rule("countries.article-pair", "стороны здесь не названы: пара, о которой статья", "no side named here: the pair the article is about",
         "Узбекистан и Турция наращивают торговлю. В прошлом году товарооборот составил 3 млрд долларов.",
         ["TUR", "UZB"]),
    Rule("countries.none", "пару сторон установить нельзя", "no pair of sides can be told"),
    # flow_from
    Rule("flow_from.not-a-flow", "у товарооборота и соглашений нет направления", "turnover and agreements have no direction",
         "Товарооборот между Арменией и Ираном составил 700 млн долларов.", None),
    Rule("flow_from.unnamed-as-previous", "стороны не названы: направление предыдущей цифры этого показателя",
         "no side named: the direction of the previous figure of this statistic"),
    Rule("flow_from.opposite-unnamed", "стороны не названы: поток, обратный экспорту или импорту прямо перед ним",
         "no side named: the flow opposite to the export or import just before",
         "В 2024 году Армения экспортировала в Иран товаров на 500 млн долларов. Импорт составил 700 млн долларов.",
         "IRN"),
    Rule("flow_from.opposite-of-previous", "обратный поток к только что названному («экспорт …, импорт …»)", "the opposite flow of the figure just before («экспорт …, импорт …»)"),
    Rule("flow_from.pronoun-source", "«из них», «от них»: сторона, названная раньше", "«из них», «от них»: the side named before"),
    Rule("flow_from.prepositions", "предлоги и падежи сторон: «из», «в», «Китай вложил»", "the sides' prepositions and cases: «из», «в», «Китай вложил»",
         "Экспорт Казахстана в Китай составил 9 млрд долларов.", "KAZ"),
    Rule("flow_from.previous-figure", "направление предыдущей цифры этого показателя", "the direction of the previous figure of this statistic"),
    Rule("flow_from.owner-of-trade", "сторона с «с» — партнёр, другая — та, чья торговля: экспорт от неё, импорт к ней",
         "the side with «с» is the partner, the other owns the trade: its exports come from it, its imports to it",
         "Оборот ЕАЭС с Ираном в 2021 году составил 5 млрд долларов. При этом экспорт вырос в 2,1 раза.", "EAEU"),
    Rule("flow_from.title", "направление, указанное в заголовке", "the direction the title states"),
    Rule("flow_from.main-side", "подсказок нет: главная сторона статьи", "no cue: the article's main side"),
    # kind
    Rule("kind.ratio-of-two", "«в десять раз меньше поставок»: отношение двух величин, не изменение",
         "«в десять раз меньше поставок»: a ratio of two quantities, not a change",
         "Экспорт Киргизии в Китай в десять раз меньше импорта из Китая.", None, no_claim=True),
    Rule("kind.share-of-whole", "доля в целом («занимает долю в 10%»), не изменение", "a share of a whole («занимает долю в 10%»), not a change",
         "Китай занимает долю в 20% во внешней торговле Казахстана.", None, no_claim=True),
    Rule("kind.change-subject", "изменение — подлежащее глагола уровня («рост … составил 13,8%»)",
         "a change that is the subject of a verb of level («рост … составил 13,8%»)",
         "Товарооборот Туркмении и Турции за девять месяцев составил 2 млрд долларов. Рост по сравнению с "
         "прошлым годом составил 13,8%.", "change"),
    Rule("kind.change-word", "слово роста или снижения при цифре («вырос на», «снизился на»)", "a word of growth or fall with the figure («вырос на», «снизился на»)",
         "Товарооборот Киргизии и Казахстана вырос на 12%.", "change"),
    Rule("kind.factor", "кратность без слова роста или снижения («удвоился») — изменение", "a factor without a word of growth or fall («удвоился») is a change",
         "Товарооборот Турции и Ирана за пять лет удвоился.", "change"),
    Rule("kind.signed-figure", "процент со знаком («+30,6%», «−4%») или цифра после «плюс», «минус» — изменение",
         "a percentage written with its sign («+30,6%», «−4%»), or a figure after «плюс», «минус», is a change",
         "В 2024 году Армения экспортировала в Иран товаров на $0,5 млрд (+12,5%).", "change"),
    Rule("kind.percent-without-change", "процент без слова роста или снижения: доля, а не изменение",
         "a percent with no word of growth or fall: a share, not a change",
         "На Китай приходится 20% товарооборота Казахстана.", None, no_claim=True),
    Rule("kind.level", "сама величина", "the amount itself", "Товарооборот между Арменией и Ираном составил 700 млн долларов.",
         "level"),
    # comparator
    Rule("comparator.cue-word", "слово перед цифрой: «более», «свыше», «около», «менее»", "a word before the figure: «более», «свыше», «около», «менее»",
         "Товарооборот Казахстана и Китая превысил 40 млрд долларов.", "gt"),
    Rule("comparator.bound-до", "«до» перед суммой без глагола изменения — верхняя граница", "«до» alone before an amount is an upper bound",
         "Китай выделит Таджикистану помощь на сумму до 10 млн долларов.", "lt"),
    Rule("comparator.exact", "сравнительного слова нет: цифра как сказана", "no comparing word: the figure as stated",
         "Товарооборот между Арменией и Ираном составил 700 млн долларов.", "eq"),
    # modality
    Rule("modality.start-of-planned-change", "«с 1,5 млрд до 2 млрд»: исходная точка — достигнутое", "«с 1,5 млрд до 2 млрд»: the starting point is what was achieved",
         "Стороны намерены увеличить товарооборот Казахстана и Узбекистана с 4 млрд до 10 млрд долларов.",
         "actual"),
    Rule("modality.comparison-base", "«против 14 млрд» рядом с планом: уровень для сравнения — достигнутый",
         "«против 14 млрд» beside a plan: the level compared with is what was achieved",
         "Армения намерена довести товарооборот с Грузией до 3 млрд долларов против 1,5 млрд долларов в 2024 году.",
         "actual"),
    Rule("modality.stated-as-now", "«в настоящее время», «сейчас» между словом плана и цифрой: достигнуто",
         "«в настоящее время», «сейчас» between the word of plan and the figure: achieved",
         "Армения и Иран намерены довести товарооборот до 3 млрд долларов, в настоящее время он составляет "
         "порядка 1 млрд долларов.", "actual"),
    Rule("modality.mood-word", "слово плана или ожидания в части предложения с цифрой («намерены», «ожидается»)", "a word of plan or expectation in the figure's clause («намерены», «ожидается»)",
         "Казахстан и Узбекистан намерены довести товарооборот до 10 млрд долларов.", "target"),
    Rule("modality.verb-after", "глагол будущего времени после цифры («… Москва поставит»)", "a future verb after the figure («… Москва поставит»)"),
    Rule("modality.achieved", "слов плана или ожидания нет: достигнуто", "no word of plan or expectation: achieved",
         "Товарооборот между Арменией и Ираном составил 700 млн долларов.", "actual"),
    # period
    Rule("period.years-back", "«за последние N лет»: N лет до последнего названного года", "«за последние N лет»: the N years up to the latest year named"),
    Rule("period.same-period", "«за тот же период»: период последней названной статистики", "«за тот же период»: the period of the statistic last stated"),
    Rule("period.from-to-years", "изменение «с … в 2013 году до … в 2020 году»: годы от начала до конца",
         "a change «с … в 2013 году до … в 2020 году»: the years from its start to its end",
         "Товарооборот Таджикистана и Ирана сократился в пять раз: с 300 млн долларов в 2013 году до 58 млн "
         "долларов в 2020 году.", "2013/2020"),
    Rule("period.range-ends", "«с X до Y» за годы A–B: X — уровень года A, Y — года B",
         "«с X до Y» over the years A–B: X is year A's level, Y year B's",
         "За 2015–2020 годы товарооборот Армении и Ирана вырос с $200 млн до $350 млн.", "2015"),
    Rule("period.horizon-of-plan", "горизонт плана («к 2030 году») или время после слова плана", "a plan's horizon («к 2030 году») or a time stated after the planning word",
         "Казахстан и Узбекистан намерены к 2030 году довести товарооборот до 10 млрд долларов.", "2030"),
    Rule("period.time-in-clause", "время, названное в части предложения с цифрой, ближайшее первым", "the time stated in the figure's clause, nearest first",
         "В 2024 году товарооборот между Арменией и Ираном составил 700 млн долларов.", "2024"),
    Rule("period.since-year", "изменение «с 2020 года»: от того года до года публикации", "a change «с 2020 года»: from that year to the year it is published",
         "С 2020 года товарооборот между Азербайджаном и Казахстаном увеличился в 5 раз.", "2020/2025"),
    Rule("period.event-date", "подписано или отправлено: дата события рядом", "signed or sent: the date of the event nearby",
         "Визит прошёл 15 февраля 2025 года. Узбекистан и Казахстан подписали 8 соглашений.", "2025-02-15"),
    Rule("period.continued-statistic", "времени здесь нет: продолжение статистики предыдущего предложения", "no time here: continues the previous sentence's statistic",
         "В 2023 году товарооборот Армении и Ирана составил 700 млн долларов. Экспорт Армении в Иран "
         "составил 200 млн долларов.", "2023"),
    Rule("period.previous-sentence-time", "времени здесь нет: период, названный в предыдущем предложении о том же показателе",
         "no time here: the period the sentence before states about the same statistic",
         "По итогам четырех месяцев 2011 года Сербия заняла 43-е место среди партнеров Беларуси по "
         "товарообороту. Объем товарооборота Беларуси и Сербии составил 44,7 млн долларов.", "2011-01/2011-04"),
    Rule("period.none", "текст не называет времени для неё", "the text gives no time for it",
         "Товарооборот между Арменией и Ираном составил 700 млн долларов.", None),
    Rule("period.not-a-valid-period", "найденное время не является допустимым периодом: нет периода", "the time found is no valid period (e.g. a year before 1000): none", stage="check"),
    Rule("period.headline-repeat", "период той же цифры, повторённой дальше с периодом", "the period of the same figure stated again later with its period", stage="second-pass"),
)
RULES: dict[str, Rule] = {r.name: r for r in _RULES}
_FIELD_OF: dict[str, str] = {r.name: r.field for r in _RULES}


_ORDER: dict[str, tuple[Rule, ...]] = {f: tuple(r for r in _RULES if r.field == f and r.stage == "decide") for f in FIELDS}


class Rulebook:
    """The engine: each field's rules in their order, and for each the code that says whether it applies.

    A rule's code is a function of the figure's question (`Ask` in etl/claim_rules.py) that answers SKIP
    when the rule does not apply, else the value it decides; the first rule that applies decides, and the
    trace records its name. The last rule of every field always applies, so every field is decided."""

    def __init__(self, rules: tuple[Rule, ...] | None = None, fields: tuple[str, ...] | None = None) -> None:
        """The claims' rules by default; a sibling registry (the events' rules, etl/event_rules.py) passes its
        own records and fields."""
        self.fields = FIELDS if fields is None else fields
        self.rules: dict[str, Rule] = RULES if rules is None else {r.name: r for r in rules}
        self._order = _ORDER if rules is None else \
            {f: tuple(r for r in rules if r.field == f and r.stage == "decide") for f in self.fields}
        self._when: dict[str, Callable[[Any], Any]] = {}
        self._chains: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {}

    def when(self, name: str) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
        """Register the code of the rule `name` (a KeyError for a rule without its record above)."""
        rule = self.rules[name]
        if rule.stage != "decide":
            raise ValueError(f"{name}: a {rule.stage} rule is not run by the engine")

        def register(fn: Callable[[Any], T]) -> Callable[[Any], T]:
            if name in self._when:
                raise ValueError(f"{name}: registered twice")
            self._when[name] = fn
            self._chains.clear()
            return fn
        return register

    def missing(self) -> list[str]:
        """The rules the engine would try that have no code (tests check there are none)."""
        return [r.name for rules in self._order.values() for r in rules if r.name not in self._when]

    def decide(self, field: str, question: Any, why: "Trace") -> Any:
        chain = self._chains.get(field)
        if chain is None:  # (name, code) of each rule, in order: built on the first decision of the field
            chain = self._chains[field] = tuple((r.name, self._when[r.name]) for r in self._order[field])
        for name, when in chain:
            value = when(question)
            if value is not SKIP:
                why.fields[field] = name
                return value
        raise LookupError(f"no rule decided {field}: its last rule must always apply")


def ordered(field: str) -> tuple[Rule, ...]:
    """The rules of `field` that the engine tries, in order."""
    return _ORDER[field]


class Trace:
    """Which rule decided each field of one claim."""

    __slots__ = ("fields", "order")

    def __init__(self, order: tuple[str, ...] = FIELDS) -> None:
        self.fields: dict[str, str] = {}
        self.order = order  # the fields in their contract's order (an event's differ from a claim's)

    def said(self, rule: str, value: T) -> T:
        """Record that `rule` decided its field, and hand its value back (`return why.said(rule, value)`).
        A rule without its record in RULES is a KeyError: every decision is a named, described rule."""
        self.fields[_FIELD_OF[rule]] = rule
        return value

    def as_dict(self) -> dict[str, str]:
        return {f: self.fields[f] for f in self.order if f in self.fields}


def explain(trace: dict[str, str], lang: str = "en") -> list[tuple[str, str, str]]:
    """(field, rule name, plain words in `lang`) for each traced field, in the contract's order."""
    out = []
    for f in FIELDS:
        if f in trace:
            rule = RULES.get(trace[f])
            out.append((f, trace[f], "" if rule is None else rule.says_ru if lang == "ru" else rule.says))
    return out
