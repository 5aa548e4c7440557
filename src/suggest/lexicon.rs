//! The vocabulary of the scorer: the kinds of evidence it knows, and the words and phrases
//! that signal each, in English, French, German, Ukrainian and Russian (plus a few Japanese
//! markers). Data only, plus the index that finds phrases among a unit's tokens.
//!
//! A phrase is written as it appears in text, lowercase; it is cut into tokens with the same
//! rules as the text (so "によると" or "d'après" work as written). A trailing `*` makes the
//! last token a prefix, which covers inflection cheaply ("зріс*" matches "зросла" only if
//! written "зр*"; prefixes are chosen to be long enough not to over-match).
//!
//! Attachments are words that belong to a piece of evidence but are not evidence alone:
//! "$" or "million" beside a number, "since" before a year. They only count when they touch
//! a core match of the same kind. This module must not depend on any UI crate.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::token::{Token, tokenize};

/// A kind of evidence. The order is the order reasons are listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A number, amount, share or count.
    Quantity,
    /// A comparative, superlative or change ("more than double", "the highest", "fell").
    Comparison,
    /// The sentence reports what someone said ("Peskov told reporters").
    Attribution,
    /// A cause or consequence ("because of", "led to").
    Causal,
    /// A date or period ("since 2017", "last year").
    Time,
    /// A named entity (a capitalised run in scripts with case).
    Entity,
    /// Hedging or speculation ("might", "perhaps"): lowers the score.
    Hedge,
    /// Opinion, value judgement or pledge ("wonderful", "we must"): lowers the score.
    Opinion,
}

impl Kind {
    /// The word used in reasons: "quantity: $110 million".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Quantity => "quantity",
            Kind::Comparison => "comparison",
            Kind::Attribution => "attributed",
            Kind::Causal => "causal",
            Kind::Time => "time",
            Kind::Entity => "entity",
            Kind::Hedge => "hedge",
            Kind::Opinion => "opinion",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Core,
    Attach,
}

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const QUANTITY: &[&str] = &[
    // English number words ("one" is left out: "one of the" is everywhere).
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
    "billions", "trillion", "dozen", "dozens", "half", "a third", "a quarter", "two-thirds",
    "majority", "minority", "per cent", "percent", "percentage",
    // French.
    "deux", "trois", "quatre", "cinq", "dix", "vingt", "trente", "cinquante", "cent",
    "mille", "milliard*", "moitié", "tiers", "pour cent",
    // German.
    "zwei", "drei", "vier", "fünf", "zehn", "zwanzig", "hundert", "tausend", "million*",
    "milliard*", "hälfte", "drittel", "prozent",
    // Ukrainian and Russian (stems: the endings change with case and number).
    "два", "дві", "три", "чотири", "п'ять", "десять", "двадцят*", "сто", "тисяч*", "мільйон*",
    "мільярд*", "половин*", "третин*", "відсот*", "четыре", "пять", "тысяч*", "миллион*",
    "миллиард*", "процент*", "трет*",
    // Japanese counters that make a number of ideographs a quantity.
    "万", "億", "兆", "割", "倍",
];

/// Words that belong to a quantity but are not one alone.
// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const QUANTITY_ATTACH: &[&str] = &[
    "$", "€", "£", "¥", "₴", "₽", "₹", "₩", "%", "％", "‰", "us", "dollars", "dollar", "euros",
    "euro", "pounds", "yen", "hryvnias", "rubles", "roubles", "people", "jobs", "tonnes", "tons",
    "km", "kilometres", "kilometers", "miles", "bn", "m", "mln", "млн", "млрд", "тис", "грн",
    "гривень", "гривні", "рублів", "рублей", "доларів", "долларов", "євро", "евро", "осіб",
    "человек", "людей", "euro", "prozent", "円", "人", "about", "around", "nearly", "almost",
    "roughly", "over", "under", "up to", "at least", "environ", "près de", "plus de",
    "moins de", "близько", "майже", "понад", "около", "почти", "более", "etwa", "rund",
    "fast", "über", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const COMPARISON: &[&str] = &[
    "more than", "less than", "fewer than", "higher than", "lower than", "greater than",
    "larger than", "bigger than", "smaller than", "worse than", "better than", "as many as",
    "as much as", "compared with", "compared to", "than", "double", "doubled", "triple",
    "tripled", "twice", "halved", "most", "least", "record", "highest", "lowest", "largest",
    "biggest", "smallest", "fastest", "slowest", "worst", "increase", "increased",
    "increases", "rise", "rose", "risen", "rising", "fell", "fall", "fallen", "falling",
    "drop", "dropped", "decline", "declined", "grew", "grown", "growth", "surge", "surged",
    "soared", "plunged", "cut", "cuts", "up from", "down from", "jumped", "only", "first",
    "every", "none", "never", "no one", "nobody",
    // French.
    "plus que", "moins que", "le plus", "la plus", "les plus", "deux fois", "doublé",
    "triplé", "hausse", "baisse", "augment*", "diminu*", "recul*", "progress*", "jamais",
    // German.
    "mehr als", "weniger als", "doppelt", "verdoppelt", "höchst*", "größt*", "niedrigst*",
    "gestiegen", "gesunken", "anstieg", "rückgang", "rekord*", "nie",
    // Ukrainian and Russian.
    "більше", "менше", "більш ніж", "найбільш*", "наймен*", "найвищ*", "найниж*", "вдвічі",
    "удвічі", "зріс", "зросл*", "зростан*", "знизи*", "скороти*", "збільши*", "зменши*",
    "впав", "впала", "рекорд*", "больше", "меньше", "вдвое", "самый", "самая", "наибол*",
    "вырос*", "снизил*", "сократил*", "увеличил*", "уменьшил*", "никогда", "ніколи",
    // Japanese.
    "以上", "以下", "最大", "最高", "最低", "最も", "増加", "減少", "上回", "下回",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const CAUSAL: &[&str] = &[
    "because", "because of", "due to", "as a result", "as a result of", "led to", "leads to",
    "lead to", "caused", "causes", "cause", "thanks to", "resulted in", "result of",
    "results in", "therefore", "owing to", "driven by", "blamed", "so that", "consequently",
    "responsible for", "contributed to", "linked to",
    // French.
    "parce que", "parce qu'", "à cause de", "à cause d'", "en raison de", "en raison d'",
    "grâce à", "donc", "entraîné", "provoqué", "à la suite de",
    // German.
    "weil", "wegen", "aufgrund", "dank", "deshalb", "daher", "führte zu", "verursacht",
    // Ukrainian and Russian.
    "тому що", "бо", "через те", "внаслідок", "завдяки", "спричини*", "призвел*", "призвів",
    "призвело", "призвели", "потому что", "из-за", "благодаря", "вследствие", "привел*",
    "причиной",
    // Japanese.
    "ため", "により", "によって", "原因",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre", "januar", "februar",
    "märz", "juni", "juli", "oktober", "dezember", "січ*", "лют*", "берез*", "квіт*",
    "травн*", "червн*", "липн*", "серп*", "вересн*", "жовтн*", "листопад*", "грудн*",
    "январ*", "феврал*", "март*", "апрел*", "мая", "июн*", "июл*", "август*", "сентябр*",
    "октябр*", "ноябр*", "декабр*",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const TIME: &[&str] = &[
    "yesterday", "today", "last year", "this year", "next year", "last month", "last week",
    "decade", "decades", "ago", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "century", "quarter of", "annual", "annually", "year-on-year",
    "hier", "aujourd'hui", "l'an dernier", "l'année dernière", "cette année", "gestern",
    "heute", "letztes jahr", "vergangenen jahr", "вчора", "сьогодні", "торік", "минулого року",
    "цього року", "вчера", "сегодня", "в прошлом году", "в этом году", "昨年", "今年", "前年",
    "年", "月", "року", "році", "роках", "года", "году", "годах",
];

/// Words that belong to a time expression but are not one alone.
// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const TIME_ATTACH: &[&str] = &[
    "since", "in", "by", "until", "from", "before", "after", "between", "and", "to", "of",
    "the", "end", "early", "late", "mid", "depuis", "en", "avant", "après", "seit", "im", "bis",
    "з", "із", "до", "у", "в", "с",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const HEDGE: &[&str] = &[
    "may", "might", "could", "perhaps", "possibly", "maybe", "probably", "likely",
    "unlikely", "seems", "seem", "appears", "apparently", "suggests", "i think", "i believe",
    "i feel", "we believe", "we think", "peut-être", "pourrait", "semble", "vielleicht",
    "könnte", "wahrscheinlich", "можливо", "мабуть", "може", "возможно", "может", "наверное",
];

// Word lists stay dense: one phrase per line would make them pages long.
#[rustfmt::skip]
const OPINION: &[&str] = &[
    "wonderful", "beautiful", "terrible", "horrible", "great", "greatest", "amazing",
    "incredible", "fantastic", "disgrace", "disgraceful", "shameful", "proud", "pride",
    "love", "hate", "hope", "dream", "dreams", "believe in", "should", "must", "ought",
    "need to", "let us", "let's", "we will", "i will", "we shall", "together", "thank",
    "thank you", "god bless", "bless", "brave", "courage", "heroes", "hero", "spirit",
    "values", "freedom", "destiny", "future", "ridiculous", "absurd", "outrageous",
    "best", "wrong", "fair", "unfair", "honour", "honor", "magnifique", "formidable",
    "honte", "fier", "fiers", "nous devons", "il faut", "nous allons", "ensemble", "merci",
    "wunderbar", "schrecklich", "stolz", "wir müssen", "wir werden", "danke", "прекрасн*",
    "жахлив*", "пишаюся", "пишаємося", "ми мусимо", "ми повинні", "маємо", "ми будемо",
    "разом", "дякую", "слава", "героїв", "герої", "ганьба", "прекрасн*", "ужасн*", "горжусь",
    "мы должны", "мы будем", "вместе", "спасибо",
];

pub(crate) struct Entry {
    pub kind: Kind,
    pub role: Role,
    /// Lowercase tokens; the last one is a prefix when `prefix` is set.
    pub tokens: Vec<String>,
    pub prefix: bool,
}

/// Phrases indexed by their first token, and one-token prefixes indexed by the prefix, so a
/// unit is matched with a few hash look-ups per token.
pub(crate) struct Lexicon {
    by_first: HashMap<String, Vec<Entry>>,
    by_prefix: HashMap<String, Vec<Entry>>,
    /// Shortest and longest prefix, in chars: the lengths worth looking up.
    min_prefix: usize,
    max_prefix: usize,
}

/// A lexicon phrase found in a unit: tokens `first..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: Kind,
    pub role: Role,
    pub first: usize,
    pub end: usize,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::build);

impl Lexicon {
    fn build() -> Self {
        let lists: &[(Kind, Role, &[&str])] = &[
            (Kind::Quantity, Role::Core, QUANTITY),
            (Kind::Quantity, Role::Attach, QUANTITY_ATTACH),
            (Kind::Comparison, Role::Core, COMPARISON),
            (Kind::Causal, Role::Core, CAUSAL),
            (Kind::Time, Role::Core, MONTHS),
            (Kind::Time, Role::Core, TIME),
            (Kind::Time, Role::Attach, TIME_ATTACH),
            (Kind::Hedge, Role::Core, HEDGE),
            (Kind::Opinion, Role::Core, OPINION),
        ];
        let mut lexicon = Lexicon {
            by_first: HashMap::new(),
            by_prefix: HashMap::new(),
            min_prefix: usize::MAX,
            max_prefix: 0,
        };
        for &(kind, role, phrases) in lists {
            for phrase in phrases {
                let (body, prefix) = match phrase.strip_suffix('*') {
                    Some(body) => (body, true),
                    None => (*phrase, false),
                };
                let tokens: Vec<String> = tokenize(body).into_iter().map(|t| t.lower).collect();
                let Some(first) = tokens.first().cloned() else {
                    continue;
                };
                let entry = Entry {
                    kind,
                    role,
                    tokens,
                    prefix,
                };
                if prefix && entry.tokens.len() == 1 {
                    let n = first.chars().count();
                    lexicon.min_prefix = lexicon.min_prefix.min(n);
                    lexicon.max_prefix = lexicon.max_prefix.max(n);
                    lexicon.by_prefix.entry(first).or_default().push(entry);
                } else {
                    lexicon.by_first.entry(first).or_default().push(entry);
                }
            }
        }
        lexicon
    }

    /// Every phrase that starts at token `i`, pushed to `out`.
    pub fn find_at(&self, tokens: &[Token<'_>], i: usize, out: &mut Vec<Found>) {
        let Some(tok) = tokens.get(i) else { return };
        if let Some(entries) = self.by_first.get(&tok.lower) {
            for e in entries {
                if let Some(end) = matches(e, tokens, i) {
                    out.push(Found {
                        kind: e.kind,
                        role: e.role,
                        first: i,
                        end,
                    });
                }
            }
        }
        if self.by_prefix.is_empty() || !tok.is_word() {
            return;
        }
        // Try each prefix length the lexicon has: at most a dozen look-ups.
        for (n, (b, _)) in tok.lower.char_indices().enumerate().skip(1) {
            if n > self.max_prefix {
                break;
            }
            if n < self.min_prefix {
                continue;
            }
            self.push_prefix(&tok.lower[..b], i, out);
        }
        let n = tok.lower.chars().count();
        if (self.min_prefix..=self.max_prefix).contains(&n) {
            self.push_prefix(&tok.lower, i, out);
        }
    }

    fn push_prefix(&self, key: &str, i: usize, out: &mut Vec<Found>) {
        if let Some(entries) = self.by_prefix.get(key) {
            out.extend(entries.iter().map(|e| Found {
                kind: e.kind,
                role: e.role,
                first: i,
                end: i + 1,
            }));
        }
    }

    /// True when the token is a month name (for telling "5 March" from "5 people").
    pub fn is_month(&self, tok: &Token<'_>) -> bool {
        MONTHS.iter().any(|m| match m.strip_suffix('*') {
            Some(stem) => tok.lower.starts_with(stem),
            None => tok.lower == *m,
        })
    }
}

/// The end token of `e` matched at `i`, if it matches there.
fn matches(e: &Entry, tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let end = i + e.tokens.len();
    let window = tokens.get(i..end)?;
    let last = e.tokens.len() - 1;
    let all = window
        .iter()
        .zip(&e.tokens)
        .enumerate()
        .all(|(k, (t, want))| {
            if k == last && e.prefix {
                t.lower.starts_with(want.as_str())
            } else {
                t.lower == *want
            }
        });
    all.then_some(end)
}
