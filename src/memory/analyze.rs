//! Text analysis for claim memory: turns a text into the terms that are indexed, searched and
//! compared, each with the byte range it came from.
//!
//! What it owns:
//! - words: Unicode word boundaries (UAX #29), lower-cased, stemmed in the text's language
//!   (guessed from its script and its stop words), then folded to ASCII (`deunicode`) so
//!   "Müller" = "Muller" and "Брандт" = "Brandt";
//! - names: capitalised words that are not stop words (and not only sentence-initial), and
//!   acronyms;
//! - numbers: digits with separators, number words, scale words and suffixes, percent and
//!   currency signs, read into one exact value: "$4bn", "4 billion dollars" and
//!   "4,000,000,000" are the same term; "95%" = "95 percent"; "four in five" = 80%;
//! - scripts written without spaces (Han, kana, Hangul, Thai): overlapping character
//!   bigrams, so a word of any length can be found without a dictionary.
//!
//! It must not do any I/O or know about the index: it is a pure function of the text.
//! Limitations: number words are read in English only (digits in any language); the
//! language guess covers the languages below and falls back to English; a single dot
//! followed by three digits ("1.500") is read as a decimal point.

use std::ops::Range;

use frostem::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// What a term stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    /// A character bigram (or a lone character) of a script written without spaces.
    Cjk,
}

/// One term of an analysed text.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// What is indexed and compared, e.g. `brandt`, `#4e9`, `#80e0%`, `北京`.
    pub key: String,
    /// How a person reads it in a reason: the word as written, or the number in words
    /// (`4 billion`, `80%`).
    pub shown: String,
    pub kind: Kind,
    /// A stop word of the text's language ("the", "de", "und"): searchable, never compared.
    pub stop: bool,
    /// A capitalised word or an acronym: weighted as a name when claims are compared.
    pub name: bool,
    /// Bytes of the analysed text this term covers.
    pub range: Range<usize>,
}

/// The languages whose stop words and stemmers are used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    English,
    French,
    German,
    Spanish,
    Italian,
    Portuguese,
    Dutch,
    Russian,
    Greek,
    Arabic,
}

impl Lang {
    fn algorithm(self) -> Algorithm {
        match self {
            Lang::English => Algorithm::English,
            Lang::French => Algorithm::French,
            Lang::German => Algorithm::German,
            Lang::Spanish => Algorithm::Spanish,
            Lang::Italian => Algorithm::Italian,
            Lang::Portuguese => Algorithm::Portuguese,
            Lang::Dutch => Algorithm::Dutch,
            Lang::Russian => Algorithm::Russian,
            Lang::Greek => Algorithm::Greek,
            Lang::Arabic => Algorithm::Arabic,
        }
    }

    /// The most frequent function words: enough to guess the language of a sentence and
    /// to keep them out of comparisons. Written here, short on purpose.
    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Lang::English => &[
                "the", "a", "an", "of", "to", "in", "on", "and", "or", "is", "are", "was", "were",
                "be", "been", "it", "its", "that", "this", "for", "by", "with", "as", "at", "from",
                "has", "have", "had", "he", "she", "they", "we", "his", "her", "their", "not",
                "but", "than", "more", "said", "says", "will", "would", "there", "which", "who",
                "about", "over", "since", "last", "year", "per",
            ],
            Lang::French => &[
                "le", "la", "les", "un", "une", "des", "de", "du", "et", "ou", "est", "sont", "a",
                "au", "aux", "en", "dans", "sur", "pour", "par", "avec", "que", "qui", "ne", "pas",
                "plus", "ce", "cette", "il", "elle", "ils", "son", "sa", "ses", "selon", "été",
                "l", "d", "qu",
            ],
            Lang::German => &[
                "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "und", "oder",
                "ist", "sind", "war", "in", "im", "auf", "für", "von", "mit", "zu", "zum", "zur",
                "nicht", "als", "es", "er", "sie", "wird", "wurde", "hat", "haben", "dass", "seit",
                "mehr", "laut", "um",
            ],
            Lang::Spanish => &[
                "el", "la", "los", "las", "un", "una", "de", "del", "y", "o", "es", "son", "fue",
                "en", "por", "para", "con", "que", "no", "se", "su", "sus", "al", "más", "lo",
                "según", "como", "desde",
            ],
            Lang::Italian => &[
                "il", "lo", "la", "i", "gli", "le", "un", "una", "di", "del", "della", "e", "è",
                "sono", "in", "per", "con", "che", "non", "si", "da", "al", "alla", "più",
                "secondo", "nel", "nella",
            ],
            Lang::Portuguese => &[
                "o", "a", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "e", "é", "são",
                "em", "no", "na", "por", "para", "com", "que", "não", "se", "seu", "sua", "mais",
                "segundo",
            ],
            Lang::Dutch => &[
                "de", "het", "een", "en", "of", "is", "zijn", "was", "in", "op", "voor", "van",
                "met", "te", "dat", "die", "niet", "als", "er", "hij", "zij", "meer", "volgens",
            ],
            Lang::Russian => &[
                "и",
                "в",
                "во",
                "не",
                "что",
                "он",
                "она",
                "на",
                "я",
                "с",
                "со",
                "как",
                "а",
                "то",
                "все",
                "так",
                "его",
                "но",
                "по",
                "к",
                "у",
                "за",
                "из",
                "от",
                "о",
                "это",
                "был",
                "была",
                "были",
                "для",
                "при",
                "более",
                "чем",
                "году",
            ],
            Lang::Greek => &[
                "και",
                "το",
                "η",
                "ο",
                "οι",
                "τα",
                "του",
                "της",
                "των",
                "σε",
                "με",
                "για",
                "από",
                "που",
                "να",
                "είναι",
                "στο",
                "στη",
                "στην",
            ],
            Lang::Arabic => &[
                "في", "من", "على", "إلى", "عن", "أن", "إن", "مع", "هذا", "هذه", "التي", "الذي",
                "و", "أو", "قال",
            ],
        }
    }
}

/// An analysed text: its terms in order, and the language it was read in.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub terms: Vec<Term>,
    pub lang: Lang,
}

/// Analyses `text` (any size; the cost is linear).
pub fn analyze(text: &str) -> Analysis {
    let segments: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
    let lang = guess_language(&segments);
    let stemmer = Stemmer::new(lang.algorithm());
    let stops = lang.stop_words();
    let mut terms = Vec::new();
    let mut sentence_start = true;
    let mut i = 0;
    while i < segments.len() {
        let (at, seg) = segments[i];
        if !seg.chars().any(char::is_alphanumeric) {
            if seg.contains(['.', '!', '?', '\n', '。', '！', '？']) {
                sentence_start = true;
            }
            i += 1;
            continue;
        }
        if let Some((term, next)) = read_number(&segments, i) {
            terms.push(term);
            i = next;
            sentence_start = false;
            continue;
        }
        if seg.chars().next().is_some_and(is_unspaced_script) {
            push_unspaced_run(&segments, &mut i, &mut terms);
            sentence_start = false;
            continue;
        }
        let lower = seg.to_lowercase();
        let stop = stops.contains(&lower.as_str());
        let key = fold(&stemmer.stem(&lower));
        if !key.is_empty() {
            let capital = seg.chars().next().is_some_and(char::is_uppercase);
            let acronym = seg.chars().count() >= 2 && seg.chars().all(|c| !c.is_lowercase());
            terms.push(Term {
                key,
                shown: seg.to_owned(),
                kind: Kind::Word,
                stop,
                name: !stop && (acronym || (capital && !sentence_start)),
                range: at..at + seg.len(),
            });
        }
        sentence_start = false;
        i += 1;
    }
    // A name that opens a sentence ("Brandt said ...") is known by its other mentions.
    let names: Vec<String> = terms
        .iter()
        .filter(|t| t.name)
        .map(|t| t.key.clone())
        .collect();
    for t in &mut terms {
        if !t.name && !t.stop && t.kind == Kind::Word && names.contains(&t.key) {
            t.name = true;
        }
    }
    Analysis { terms, lang }
}

/// Lower-cased ASCII folding of a stemmed word, keeping letters and digits only.
fn fold(word: &str) -> String {
    let ascii = deunicode::deunicode(word);
    let folded: String = ascii
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if folded.is_empty() {
        // Nothing to transliterate to (a symbol, an emoji with no name): keep the word.
        word.to_owned()
    } else {
        folded
    }
}

/// Scripts written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0x1100..=0x11FF   // Hangul jamo
        | 0x0E00..=0x0E7F   // Thai
        | 0x20000..=0x2FFFF // CJK extensions B and later
    )
}

/// Emits the bigrams of the run of unspaced-script segments starting at `*i` and moves `*i`
/// past it.
fn push_unspaced_run(segments: &[(usize, &str)], i: &mut usize, terms: &mut Vec<Term>) {
    let mut chars: Vec<(usize, char)> = Vec::new();
    while let Some(&(at, seg)) = segments.get(*i) {
        if !seg.chars().all(is_unspaced_script) {
            break;
        }
        chars.extend(seg.char_indices().map(|(b, c)| (at + b, c)));
        *i += 1;
    }
    let term = |from: usize, to: usize| {
        let start = chars[from].0;
        let stop = chars[to].0 + chars[to].1.len_utf8();
        let key: String = chars[from..=to].iter().map(|&(_, c)| c).collect();
        Term {
            shown: key.clone(),
            key,
            kind: Kind::Cjk,
            stop: false,
            name: false,
            range: start..stop,
        }
    };
    match chars.len() {
        0 => {}
        1 => terms.push(term(0, 0)),
        n => terms.extend((0..n - 1).map(|k| term(k, k + 1))),
    }
}

/// Guesses the language from the script of the letters and, for Latin and Cyrillic, from
/// which list of stop words the text uses most.
fn guess_language(segments: &[(usize, &str)]) -> Lang {
    let (mut greek, mut arabic, mut cyrillic, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for (_, seg) in segments.iter().take(400) {
        for c in seg.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            match c as u32 {
                0x0370..=0x03FF | 0x1F00..=0x1FFF => greek += 1,
                0x0600..=0x06FF => arabic += 1,
                0x0400..=0x04FF => cyrillic += 1,
                _ => {}
            }
        }
    }
    if letters > 0 {
        if greek * 2 > letters {
            return Lang::Greek;
        }
        if arabic * 2 > letters {
            return Lang::Arabic;
        }
        if cyrillic * 2 > letters {
            return Lang::Russian;
        }
    }
    const LATIN: [Lang; 7] = [
        Lang::English,
        Lang::French,
        Lang::German,
        Lang::Spanish,
        Lang::Italian,
        Lang::Portuguese,
        Lang::Dutch,
    ];
    let mut counts = [0usize; LATIN.len()];
    for (_, seg) in segments.iter().take(400) {
        let lower = seg.to_lowercase();
        for (n, lang) in LATIN.iter().enumerate() {
            if lang.stop_words().contains(&lower.as_str()) {
                counts[n] += 1;
            }
        }
    }
    // Ties go to the earlier language, so English wins a text with no stop words at all.
    let mut best = 0;
    for n in 1..LATIN.len() {
        if counts[n] > counts[best] {
            best = n;
        }
    }
    LATIN[best]
}

/// An exact decimal value `mantissa × 10^exponent`, normalised so the mantissa has no
/// trailing zeros: equal numbers always have equal keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Decimal {
    mantissa: i128,
    exponent: i32,
}

impl Decimal {
    fn new(mut mantissa: i128, mut exponent: i32) -> Self {
        if mantissa == 0 {
            return Decimal {
                mantissa: 0,
                exponent: 0,
            };
        }
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        Decimal { mantissa, exponent }
    }

    fn scaled(self, exponent: i32) -> Self {
        Decimal::new(self.mantissa, self.exponent + exponent)
    }

    /// The value when it is a whole number that fits.
    fn integer(self) -> Option<i128> {
        u32::try_from(self.exponent)
            .ok()
            .and_then(|e| 10i128.checked_pow(e))
            .and_then(|p| self.mantissa.checked_mul(p))
    }

    fn to_f64(self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exponent)
    }

    fn key(self, percent: bool) -> String {
        format!(
            "#{}e{}{}",
            self.mantissa,
            self.exponent,
            if percent { "%" } else { "" }
        )
    }

    /// The value as a person writes it in a reason: `4 billion`, `2.5 million`, `1200`.
    fn shown(self, percent: bool) -> String {
        if percent {
            return format!("{}%", trim_float(self.to_f64()));
        }
        let v = self.to_f64();
        for (size, word) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
            if v.abs() >= size {
                return format!("{} {word}", trim_float(v / size));
            }
        }
        trim_float(v)
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// English number words up to ninety-nine (tens and units are combined by the reader).
fn number_word(w: &str) -> Option<i128> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|&u| u == w) {
        return Some(n as i128);
    }
    TENS.iter()
        .position(|&t| t == w)
        .map(|n| (n as i128 + 2) * 10)
}

/// The power of ten a scale word or suffix stands for: "million", "bn", "Mrd", "亿".
fn scale_word(w: &str) -> Option<i32> {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('.');
    Some(match w {
        "hundred" | "hundreds" => 2,
        "k" | "thousand" | "thousands" | "mille" | "tausend" | "mil" => 3,
        "万" | "萬" => 4,
        "m" | "mn" | "mln" | "mio" | "million" | "millions" | "millionen" | "millón"
        | "millones" | "milioni" | "milhões" | "miljoen" => 6,
        "亿" | "億" => 8,
        "b" | "bn" | "billion" | "billions" | "milliard" | "milliards" | "milliarde"
        | "milliarden" | "mrd" | "mld" | "miliardi" | "miljard" => 9,
        "tn" | "trillion" | "trillions" | "billionen" => 12,
        _ if w.starts_with("тысяч") => 3,
        _ if w.starts_with("миллион") || w == "млн" => 6,
        _ if w.starts_with("миллиард") || w == "млрд" => 9,
        _ => return None,
    })
}

fn is_percent_word(w: &str) -> bool {
    let w = w.to_lowercase();
    matches!(
        w.as_str(),
        "%" | "％" | "percent" | "pct" | "prozent" | "procent" | "percento" | "porcentaje"
    ) || w.starts_with("процент")
}

fn is_currency_word(w: &str) -> bool {
    let w = w.to_lowercase();
    matches!(
        w.as_str(),
        "$" | "€"
            | "£"
            | "¥"
            | "us$"
            | "usd"
            | "eur"
            | "gbp"
            | "dollar"
            | "dollars"
            | "euro"
            | "euros"
            | "pound"
            | "pounds"
            | "sterling"
            | "dólares"
            | "dollari"
            | "美元"
            | "欧元"
            | "円"
    ) || w.starts_with("доллар")
        || w.starts_with("евро")
}

/// Reads digits with grouping and decimal separators, and an optional scale suffix
/// ("4,000,000", "4.5", "110m", "4bn", "1,2 Mrd" is read by the caller). `None` when the
/// segment is not a number ("mp3", "4x4").
fn read_numeral(seg: &str) -> Option<Decimal> {
    let digits_end = seg
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map_or(seg.len(), |(b, _)| b);
    let (numeral, suffix) = seg.split_at(digits_end);
    if !numeral.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let numeral = numeral.trim_end_matches([',', '.']);
    let extra = match suffix.to_lowercase().as_str() {
        "" | "st" | "nd" | "rd" | "th" | "s" => 0,
        s => scale_word(s).filter(|&e| e >= 3)?,
    };
    let decimal_at = decimal_separator(numeral);
    let mut mantissa: i128 = 0;
    let mut exponent: i32 = 0;
    for (b, c) in numeral.char_indices() {
        if let Some(d) = c.to_digit(10) {
            mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(d))?;
            if decimal_at.is_some_and(|at| b > at) {
                exponent -= 1;
            }
        }
    }
    Some(Decimal::new(mantissa, exponent + extra))
}

/// Where the decimal separator of a numeral is, if it has one. Both present: the last one
/// is decimal. A comma alone is grouping when every group after it has three digits
/// ("4,000,000"), else decimal ("4,5"). A dot alone is decimal unless it repeats
/// ("4.000.000").
fn decimal_separator(numeral: &str) -> Option<usize> {
    let commas = numeral.matches(',').count();
    let dots = numeral.matches('.').count();
    match (commas, dots) {
        (0, 0) => None,
        (_, 0) => {
            let grouped = numeral.split(',').skip(1).all(|g| g.len() == 3);
            if grouped { None } else { numeral.rfind(',') }
        }
        (0, 1) => numeral.rfind('.'),
        (0, _) => None,
        _ => {
            let last_comma = numeral.rfind(',')?;
            let last_dot = numeral.rfind('.')?;
            Some(last_comma.max(last_dot))
        }
    }
}

/// The index of the next segment after `i` that is not white space.
fn next_word(segments: &[(usize, &str)], i: usize) -> Option<usize> {
    (i + 1..segments.len()).find(|&k| !segments[k].1.trim().is_empty())
}

/// A number starting at segment `i`, with what belongs to it (currency before or after,
/// scale words, percent, "X in Y"): the term and the index of the first segment after it.
fn read_number(segments: &[(usize, &str)], i: usize) -> Option<(Term, usize)> {
    let (at, seg) = segments[i];
    let lower = seg.to_lowercase();
    if let Some(found) = read_fraction(segments, i, &lower) {
        return Some(found);
    }
    let (mut value, mut last) = if let Some(v) = read_numeral(seg) {
        (v, i)
    } else {
        let mut n = number_word(&lower)?;
        let mut last = i;
        // "twenty-five", "twenty five"
        if n >= 20 && n % 10 == 0 {
            let mut k = i + 1;
            if segments.get(k).is_some_and(|s| s.1 == "-" || s.1 == " ") {
                k += 1;
            }
            if let Some(u) = segments
                .get(k)
                .and_then(|s| number_word(&s.1.to_lowercase()))
                .filter(|&u| (1..10).contains(&u))
            {
                n += u;
                last = k;
            }
        }
        (Decimal::new(n, 0), last)
    };
    let mut start = at;
    // A currency sign right before: "$4bn", "€ 2 million".
    if i > 0 {
        let before = (0..i).rev().find(|&k| !segments[k].1.trim().is_empty());
        if let Some(k) = before.filter(|&k| is_currency_word(segments[k].1)) {
            start = segments[k].0;
        }
    }
    let mut percent = false;
    let in_words = read_numeral(seg).is_none();
    // Scale words, possibly several ("two hundred million"), then percent or currency.
    while let Some(k) = next_word(segments, last) {
        let w = segments[k].1;
        if let Some(e) = scale_word(w).filter(|_| !percent) {
            // "m" or "b" alone after a space is too ambiguous ("5 m" of cable).
            if w.len() == 1 && w.is_ascii() {
                break;
            }
            value = value.scaled(e);
            last = k;
        } else if let Some(rest) = value
            .integer()
            .filter(|&v| in_words && v >= 1000 && v % 1000 == 0 && !percent)
            .and_then(|_| number_word(&w.to_lowercase()))
            .filter(|&n| n > 0)
        {
            // "five thousand four hundred": the smaller part adds to what came before.
            let mut part = Decimal::new(rest, 0);
            let mut end = k;
            if let Some(h) =
                next_word(segments, k).filter(|&h| scale_word(segments[h].1) == Some(2))
            {
                part = part.scaled(2);
                end = h;
            }
            match (value.integer(), part.integer()) {
                (Some(a), Some(b)) if b < 1000 => value = Decimal::new(a + b, 0),
                _ => break,
            }
            last = end;
        } else if is_percent_word(w) {
            percent = true;
            last = k;
        } else if w.eq_ignore_ascii_case("per")
            && next_word(segments, k).is_some_and(|c| segments[c].1.eq_ignore_ascii_case("cent"))
        {
            percent = true;
            last = next_word(segments, k).unwrap_or(k);
        } else if is_currency_word(w) {
            last = k;
        } else {
            break;
        }
    }
    // "four in five", "one out of three": a share, compared as a percentage.
    let small = value.integer().filter(|n| (1..100).contains(n));
    if let Some(part) = small.filter(|_| !percent)
        && let Some((whole, end)) = read_share_of(segments, last)
        && whole > part
    {
        let pct = (part * 100 + whole / 2) / whole;
        value = Decimal::new(pct, 0);
        percent = true;
        last = end;
    }
    // "one" and "zero" alone are mostly not quantities ("no one", "one of them").
    if last == i && read_numeral(seg).is_none() && value.integer().is_some_and(|n| n < 2) {
        return None;
    }
    let (end_at, end_seg) = segments[last];
    let end = end_at + end_seg.len();
    Some((
        Term {
            key: value.key(percent),
            shown: value.shown(percent),
            kind: Kind::Number,
            stop: false,
            name: false,
            range: start..end,
        },
        last + 1,
    ))
}

/// "half", "a third", "two thirds", "a quarter", "three quarters": shares, compared as
/// percentages (rounded).
fn read_fraction(segments: &[(usize, &str)], i: usize, lower: &str) -> Option<(Term, usize)> {
    let at = segments[i].0;
    let (pct, last) = if lower == "half" {
        (50, i)
    } else {
        let count = match lower {
            "a" | "one" => 1,
            "two" => 2,
            "three" => 3,
            _ => return None,
        };
        let k = next_word(segments, i)?;
        let pct = match segments[k].1.to_lowercase().as_str() {
            "third" if count == 1 => 33,
            "thirds" if count == 2 => 67,
            "quarter" if count == 1 => 25,
            "quarters" if count == 3 => 75,
            _ => return None,
        };
        (pct, k)
    };
    let value = Decimal::new(pct, 0);
    let (end_at, end_seg) = segments[last];
    Some((
        Term {
            key: value.key(true),
            shown: value.shown(true),
            kind: Kind::Number,
            stop: false,
            name: false,
            range: at..end_at + end_seg.len(),
        },
        last + 1,
    ))
}

/// "in five" / "out of three" after a number: the whole and the index of its segment.
fn read_share_of(segments: &[(usize, &str)], last: usize) -> Option<(i128, usize)> {
    let k = next_word(segments, last)?;
    let w = segments[k].1.to_lowercase();
    let k = match w.as_str() {
        "in" => k,
        "out" => {
            let of = next_word(segments, k)?;
            if !segments[of].1.eq_ignore_ascii_case("of") {
                return None;
            }
            of
        }
        _ => return None,
    };
    let n = next_word(segments, k)?;
    let word = segments[n].1.to_lowercase();
    let whole = number_word(&word)
        .or_else(|| read_numeral(&word).and_then(|d| (d.exponent == 0).then_some(d.mantissa)))?;
    (2..=100).contains(&whole).then_some((whole, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        analyze(text)
            .terms
            .into_iter()
            .filter(|t| t.kind == Kind::Number)
            .map(|t| t.key)
            .collect()
    }

    #[test]
    fn numbers_written_differently_have_one_key() {
        let four_billion = vec!["#4e9".to_owned()];
        for text in [
            "$4bn",
            "4 billion dollars",
            "4,000,000,000",
            "US$ 4 billion",
            "four billion",
            "4 Milliarden Euro",
            "4 milliards d'euros",
            "40亿美元",
            "4 млрд",
        ] {
            assert_eq!(numbers(text), four_billion, "{text}");
        }
        assert_eq!(numbers("$110m"), numbers("110 million dollars"));
        assert_eq!(numbers("two million"), numbers("2 million"));
        assert_eq!(numbers("2.5 million"), numbers("2,500,000"));
        assert_eq!(numbers("1,2 Mio."), numbers("1.2 million"));
        assert_eq!(numbers("twenty-five"), vec!["#25e0".to_owned()]);
        assert_eq!(numbers("five thousand four hundred"), numbers("5,400"));
        assert_eq!(numbers("one hundred thousand"), numbers("100,000"));
    }

    #[test]
    fn percentages_and_shares() {
        let p95 = vec!["#95e0%".to_owned()];
        assert_eq!(numbers("95%"), p95);
        assert_eq!(numbers("95 percent"), p95);
        assert_eq!(numbers("95 per cent"), p95);
        assert_eq!(numbers("95 Prozent"), p95);
        assert_eq!(numbers("four in five adults"), vec!["#8e1%".to_owned()]);
        assert_eq!(numbers("one out of four"), vec!["#25e0%".to_owned()]);
        assert_eq!(numbers("80%"), numbers("four in five"));
        assert_eq!(numbers("half of them"), numbers("50 percent of them"));
        assert_eq!(numbers("cut by a third"), numbers("cut by 33%"));
        assert_eq!(numbers("a quarter"), numbers("25%"));
        // A year after "in" is not a share.
        assert_eq!(
            numbers("3 in 2019"),
            vec!["#3e0".to_owned(), "#2019e0".to_owned()]
        );
    }

    #[test]
    fn number_spans_cover_sign_and_words() {
        let text = "It cost $4bn in total.";
        let t = analyze(text);
        let n = t
            .terms
            .iter()
            .find(|t| t.kind == Kind::Number)
            .expect("a number");
        assert_eq!(&text[n.range.clone()], "$4bn");
        assert_eq!(n.shown, "4 billion");
        let text = "about 4 billion dollars were";
        let t = analyze(text);
        let n = &t.terms[1];
        assert_eq!(&text[n.range.clone()], "4 billion dollars");
    }

    #[test]
    fn words_are_stemmed_folded_and_names_found() {
        let a = analyze("Brandt said inspections of bridges fell. An aide to Brandt denied it.");
        let keys: Vec<&str> = a.terms.iter().map(|t| t.key.as_str()).collect();
        assert!(keys.contains(&"inspect"), "{keys:?}");
        assert!(keys.contains(&"bridg"), "{keys:?}");
        let brandt: Vec<&Term> = a.terms.iter().filter(|t| t.key == "brandt").collect();
        assert!(brandt.iter().all(|t| t.name), "{brandt:?}");
        assert!(a.terms.iter().any(|t| t.shown == "said" && t.stop));
        // Another script, the same name.
        let ru = analyze("Брандт заявил, что число проверок мостов сократилось.");
        assert_eq!(ru.lang, Lang::Russian);
        assert!(ru.terms.iter().any(|t| t.key == "brandt"), "{:?}", ru.terms);
        assert_eq!(
            analyze("Müller").terms[0].key,
            analyze("Muller").terms[0].key
        );
    }

    #[test]
    fn languages_are_guessed_from_stop_words() {
        assert_eq!(analyze("Le maire a dit que les impôts").lang, Lang::French);
        assert_eq!(
            analyze("Der Bürgermeister sagte, die Steuern").lang,
            Lang::German
        );
        assert_eq!(
            analyze("El alcalde dijo que los impuestos").lang,
            Lang::Spanish
        );
        assert_eq!(analyze("The mayor said taxes").lang, Lang::English);
    }

    #[test]
    fn unspaced_scripts_become_bigrams_with_spans() {
        let text = "北京大学说";
        let a = analyze(text);
        let keys: Vec<&str> = a.terms.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["北京", "京大", "大学", "学说"]);
        assert_eq!(&text[a.terms[2].range.clone()], "大学");
        let ja = analyze("東京でトランプ氏");
        assert!(ja.terms.iter().any(|t| t.key == "トラ"));
    }
}
