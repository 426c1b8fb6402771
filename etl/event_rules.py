"""The named rules that decide each field of a diplomacy event (../shared/spec/events.md), run by the
engine of etl/rules.py: the same `Rule` records (name, plain words in Russian and English, an example
sentence of our own and the value it gives) in a registry of their own, with the events' fields.

Each rule's code is a function of one event word's question (`EventAsk` in etl/events.py) that answers
SKIP when it does not apply. Rules whose value is None for `type` turn the word down (no event, its
reason in the rejection's trace). Rules of the "second-pass" stage are decided across the events of a
document once all are read (etl/events.py: merging, host, level and date from the visit)."""
from __future__ import annotations

from etl.rules import Rule, Rulebook
from etl.vocabulary import EVENT_FIELDS

EVENT_RULES = (
    # type: first the reasons a word of an event states none, then the type its word gives
    Rule("type.invitation", "приглашение само по себе не событие", "an invitation alone is not an event",
         "Президент Казахстана пригласил лидера Монголии посетить Астану.", None, no_claim=True),
    Rule("type.back-reference", "отсылка к неназванному прежнему контакту («по итогам последней встречи»)",
         "a reference to an unspecified earlier contact («по итогам последней встречи»)",
         "Армения и Иран выполняют решения последней встречи.", None, no_claim=True),
    Rule("type.repeated-visits", "визиты во множественном числе — череда визитов, не один",
         "visits in the plural: a series of visits, not one",
         "Армения и Иран регулярно обмениваются визитами на высшем уровне.", None, no_claim=True),
    Rule("type.anniversary", "годовщина отношений — не событие", "an anniversary of relations is not an event",
         "В этом году Армения и Китай отмечают 30-летие установления дипломатических отношений.", None, no_claim=True),
    Rule("type.multilateral", "встреча многих сторон («встреча лидеров стран СНГ») или поездка на саммит",
         "a meeting of many («встреча лидеров стран СНГ») or a trip to a summit",
         "Президент Армении прибыл в Казань на саммит СНГ.", None, no_claim=True),
    Rule("type.company-contract", "договор подписали компании или банки, а не стороны",
         "companies or banks signed it, not the sides",
         "Казахский банк и узбекская компания подписали соглашение о кредите.", None, no_claim=True),
    Rule("type.nobody-travels", "глагол поездки без официального лица («прибыл самолёт»)",
         "a verb of travel with no official («прибыл самолёт»)",
         "В Ереван прибыл самолёт из Ирана с грузом.", None, no_claim=True),
    Rule("type.own-country", "поездка в свою же страну", "travel within one's own country",
         "Посол Армении в Иране прибыл в Ереван на совещание.", None, no_claim=True),
    Rule("type.part-of-call", "«обсудили» после звонка или по телефону — часть звонка",
         "«обсудили» after a call or by phone is part of the call",
         "Президенты Армении и Ирана провели телефонный разговор. Лидеры обсудили транзит.", None, no_claim=True),
    Rule("type.treaty-with-date", "договор, названный с датой подписания («Договор … от 8 апреля 1997 года»)",
         "a treaty named with its signing date («Договор … от 8 апреля 1997 года»)",
         "Основой отношений Армении и Ирана остается Договор о дружбе от 12 мая 1995 года.", "signing"),
    Rule("type.event-word", "слово события: визит, переговоры, звонок, подписание, установление отношений",
         "an event word: a visit, talks, a call, a signing, relations established",
         "Президент Армении прибыл в Тегеран с официальным визитом.", "visit"),
    # countries
    Rule("countries.traveller-and-destination", "визит: страна того, кто едет, и страна, куда он едет",
         "a visit: the traveller's country and the country travelled to",
         "Президент Армении прибыл в Тегеран с официальным визитом.", ["ARM", "IRN"]),
    Rule("countries.two-named", "две стороны, названные в предложении", "the two sides named in the sentence",
         "Министры иностранных дел Армении и Ирана провели переговоры.", ["ARM", "IRN"]),
    Rule("countries.one-named-and-main-side", "названа одна сторона, вторая — главная сторона статьи",
         "one side named here, the other the article's main side",
         "Армения и Иран наращивают торговлю. Премьер-министр Армении провел переговоры с коллегой.", ["ARM", "IRN"]),
    Rule("countries.article-pair", "стороны не названы: пара, о которой статья", "no side named: the pair the article is about",
         "Армения и Иран наращивают торговлю. Стороны подписали 5 соглашений.", ["ARM", "IRN"]),
    Rule("countries.none", "пару сторон установить нельзя", "no pair of sides can be told"),
    # host
    Rule("host.not-placed", "звонок и отношения места не имеют", "calls and relations have no place",
         "Президенты Армении и Ирана провели телефонный разговор.", None),
    Rule("host.destination", "визит: страна, куда едут", "a visit: the country travelled to",
         "Президент Армении прибыл в Тегеран с официальным визитом.", "IRN"),
    Rule("host.place-named", "место названо: город, столица, «в нашей стране»", "the place is named: a city, a capital, «в нашей стране»",
         "Премьер-министры Армении и Ирана провели переговоры в Тебризе.", "IRN"),
    Rule("host.none", "место не названо", "no place given",
         "Министры иностранных дел Армении и Ирана провели переговоры.", None),
    Rule("host.from-visit", "место — страна визита, в ходе которого это было", "the place is the country of the visit it belongs to",
         stage="second-pass"),
    # level
    Rule("level.highest-named", "высшая должность среди названных участников (лидеры — по должности в тот год)",
         "the highest office among the named participants (leaders by their office that year)",
         "Министры иностранных дел Армении и Ирана провели переговоры.", "minister"),
    Rule("level.none-named", "участники не названы", "no participant named",
         "Армения и Иран наращивают торговлю. Стороны подписали 5 соглашений.", "other"),
    Rule("level.from-visit", "участники не названы: уровень визита или переговоров, частью которых это было",
         "no participant named: the level of the visit or talks it is part of", stage="second-pass"),
    # date
    Rule("date.treaty-date", "дата в названии договора", "the date in the treaty's name",
         "Основой отношений Армении и Ирана остается Договор о дружбе от 12 мая 1995 года.", "1995-05-12"),
    Rule("date.day-range", "несколько дней («22–23 января»): интервал", "several days («22–23 января»): an interval",
         "Президент Армении посетит Иран 22–23 января.", "2025-01-22/2025-01-23"),
    Rule("date.time-of-event", "время события в его части предложения, не время сообщения", "the event's time in its clause, not the report's",
         "25 февраля президент Армении прибыл в Тегеран с официальным визитом.", "2025-02-25"),
    Rule("date.after-arrival", "«после прилёта»: день прибытия визита, названный раньше",
         "«после прилёта» (after the arrival): the day of the visit's arrival stated before",
         "1 марта президент Армении прибыл в Тегеран с официальным визитом. После прилёта лидеры провели переговоры.",
         "2025-03-01"),
    Rule("date.none", "время не названо", "no time given",
         "Министры иностранных дел Армении и Ирана провели переговоры.", None),
    Rule("date.merged-mention", "дата того же события, названная в другом предложении", "the date another sentence gives the same event",
         stage="second-pass"),
    Rule("date.from-visit", "дата визита, частью которого это было", "the date of the visit it is part of", stage="second-pass"),
    Rule("date.visit-spans-activities", "визит с днём прибытия: до последнего дня его встреч и подписаний",
         "a visit dated by its arrival: through the last day of its meetings and signings", stage="second-pass"),
    Rule("date.from-activity", "визит без даты: дата единственной датированной встречи в его ходе",
         "an undated visit: the date of its one dated meeting", stage="second-pass"),
    # modality
    Rule("modality.planned-word", "слово плана или будущее время в части предложения («посетит», «ожидается подписание»)",
         "a word of plan or a future tense in its clause («посетит», «ожидается подписание»)",
         "Президент Армении посетит Иран 22–23 января.", "planned"),
    Rule("modality.actual", "произошло или происходит", "took place or is under way",
         "Президент Армении прибыл в Тегеран с официальным визитом.", "actual"),
    # count
    Rule("count.not-signing", "не подписание: числа документов нет", "not a signing: no count",
         "Президент Армении прибыл в Тегеран с официальным визитом.", None),
    Rule("count.named-treaty", "один названный договор", "one named treaty",
         "Основой отношений Армении и Ирана остается Договор о дружбе от 12 мая 1995 года.", 1),
    Rule("count.figure", "число подписанных документов («подписали 7 соглашений»)", "the number of documents signed («подписали 7 соглашений»)",
         "Армения и Иран наращивают торговлю. Стороны подписали 5 соглашений.", 5),
    Rule("count.none", "число не названо или расплывчато («пакет», «множество»)", "no number, or a vague one («пакет», «множество»)",
         "Премьер-министры Армении и Ирана подписали пакет документов.", None),
)
EVENT_RULE_RECORDS: dict[str, Rule] = {r.name: r for r in EVENT_RULES}

BOOK = Rulebook(EVENT_RULES, EVENT_FIELDS)
rule = BOOK.when


def explain_event(trace: dict[str, str], lang: str = "en") -> list[tuple[str, str, str]]:
    """(field, rule name, plain words in `lang`) for each traced field of an event, in the contract's order."""
    out = []
    for f in EVENT_FIELDS:
        if f in trace:
            r = EVENT_RULE_RECORDS.get(trace[f])
            out.append((f, trace[f], "" if r is None else r.says_ru if lang == "ru" else r.says))
    return out
