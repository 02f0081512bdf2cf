//! The rules of "same text": what counts as a change and what is page noise.
//!
//! A version is stored only when the normalised title or body changes, so
//! these rules decide what a reporter is told "changed". They err on the side
//! of keeping text: a block is noise only when it is *nothing but* noise
//! ("Advertisement", "Updated 5 minutes ago", "Share"), never because it
//! mentions such a word.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::article::Block;

/// The comparable form of a piece of text: NFKC, one space for any run of
/// whitespace (NBSP and thin spaces included), no soft hyphens, zero-width or
/// bidi-control characters, straight quotes for curly ones, trimmed.
pub fn normalize(s: &str) -> String {
    let mut out = String::new();
    normalize_into(s, &mut out);
    out
}

/// Writes [`normalize`]`(s)` into `out` (cleared first), so that a caller
/// normalising every paragraph of two versions (the diff) reuses one buffer.
pub(crate) fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    // NFKC is the costly step and a no-op on text that is already in NFKC
    // form (all ASCII text is), so it runs only when the quick check cannot
    // rule it out. Either way the characters below are the same.
    if nfkc_quick_yes(s) {
        clean_quick(s, out);
    } else {
        clean(s.nfkc(), s.len(), out);
    }
}

/// [`is_nfkc_quick`] is `Yes`, checking only the non-ASCII runs: an ASCII
/// character is a starter that is always in NFKC form, so it resets the
/// check, and a run can be checked on its own. News text is mostly ASCII
/// with a few curly quotes and dashes: this skips nearly every character,
/// eight at a time. (The diff's block keys rely on it too.)
pub(crate) fn nfkc_quick_yes(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if word_at(bytes, i).is_some_and(|w| w & HIGH_BITS == 0) {
            i += 8;
            continue;
        }
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii() {
            i += 1;
        }
        if is_nfkc_quick(s[start..i].chars()) != IsNormalized::Yes {
            return false;
        }
    }
    true
}

/// The high bit of each byte of a [`word_at`]: all clear for eight ASCII bytes.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// The low bit of each byte: times a byte value, that byte eight times.
pub(crate) const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// The eight bytes from `i` as one little-endian word, if there are eight,
/// so byte tests can run on a word at a time.
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let w = bytes.get(i..i.checked_add(8)?)?;
    Some(u64::from_le_bytes(w.try_into().expect("eight bytes")))
}

/// [`clean`] for text already in NFKC form: the same output, with runs that
/// are already normal (kept ASCII, single spaces inside) copied as one slice
/// and read eight bytes at a time, and only the other characters decoded.
/// News text is nearly all such runs.
fn clean_quick(s: &str, out: &mut String) {
    out.reserve(s.len());
    let bytes = s.as_bytes();
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if kept_ascii(b) {
            if space {
                out.push(' ');
                space = false;
            }
            let start = i;
            i += 1;
            loop {
                // Eight bytes at a time while they need nothing done, then
                // byte by byte up to what ends the run (or the next plain eight).
                while word_at(bytes, i).is_some_and(plain_word) {
                    i += 8;
                }
                while i < bytes.len() && kept_ascii(bytes[i]) {
                    i += 1;
                }
                if i + 1 < bytes.len() && bytes[i] == b' ' && kept_ascii(bytes[i + 1]) {
                    i += 2;
                    continue;
                }
                break;
            }
            // The run starts and ends at ASCII bytes: char boundaries.
            out.push_str(&s[start..i]);
            continue;
        }
        if b < 0x80 {
            // ASCII whitespace.
            i += 1;
            space = !out.is_empty();
            continue;
        }
        let c = s[i..].chars().next().expect("a char starts here");
        i += c.len_utf8();
        let Some(c) = clean_char(c) else {
            continue;
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
}

/// An ASCII byte that normalising keeps as it is (anything but whitespace).
fn kept_ascii(b: u8) -> bool {
    b < 0x80 && !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Eight bytes that normalising copies as they are when a kept byte comes
/// before them: printable ASCII and single spaces, the last byte not a space
/// (what follows it is not known here). Controls, tabs and line breaks are
/// left to the byte loop. Each test below is exact per byte: with the high
/// bits clear no addition carries into the next byte.
fn plain_word(w: u64) -> bool {
    if w & HIGH_BITS != 0 {
        return false;
    }
    // Bit 7 of each byte set when the byte is at least 0x20.
    if (w + 0x60 * LOW_BITS) & HIGH_BITS != HIGH_BITS {
        return false;
    }
    // Bit 7 of each byte set when the byte is not a space.
    let not_space = ((w ^ (0x20 * LOW_BITS)) + 0x7f * LOW_BITS) & HIGH_BITS;
    let space = !not_space & HIGH_BITS;
    space & (space >> 8) == 0 && space >> 56 == 0
}

/// One character as [`clean`] keeps it: None for invisible characters,
/// straight quotes for curly ones.
fn clean_char(c: char) -> Option<char> {
    Some(match c {
        // Soft hyphen, zero-width and invisible formatting characters.
        '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => return None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        c => c,
    })
}

/// The rest of [`normalize`] after NFKC, one char at a time: drops invisible
/// characters, straightens curly quotes, collapses whitespace runs to one
/// space and trims. [`clean_quick`] is its fast twin for NFKC text, and the
/// tests hold the two to the same output.
fn clean(chars: impl Iterator<Item = char>, capacity: usize, out: &mut String) {
    out.reserve(capacity);
    let mut space = false;
    for c in chars {
        let Some(c) = clean_char(c) else {
            continue;
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
}

/// Drops blocks that are page noise and must never make a version: relative
/// timestamps, share/follow/newsletter prompts, ad labels, "Related"/"Read
/// more" lists, cookie notices and empty blocks.
pub fn strip_noise(blocks: Vec<Block>) -> Vec<Block> {
    strip_noise_and(blocks, |_| false)
}

/// [`strip_noise`], then also the blocks whose normalised text `also`
/// holds for, in the same pass: a further filter over normalised text (the
/// extractor's page furniture) need not normalise every block again.
pub fn strip_noise_and(blocks: Vec<Block>, also: impl Fn(&str) -> bool) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut in_related_list = false;
    for block in blocks {
        let text = normalize(&block.text);
        if in_related_list {
            if is_headline_like(&text) {
                continue;
            }
            in_related_list = false;
        }
        if !text.chars().any(char::is_alphanumeric) {
            continue;
        }
        if is_related_heading(&text) {
            in_related_list = true;
            continue;
        }
        if is_noise(&text) || also(&text) {
            continue;
        }
        out.push(block);
    }
    out
}

/// SHA-256 of the normalised title and non-empty normalised blocks: equal
/// fingerprint ⇔ same version. Block kinds do not count, only their text.
pub fn fingerprint(title: &str, blocks: &[Block]) -> String {
    let mut s = normalize(title);
    s.push('\u{1E}');
    let mut first = true;
    for b in blocks {
        let n = normalize(&b.text);
        if n.is_empty() {
            continue;
        }
        if !first {
            s.push('\u{1F}');
        }
        first = false;
        s.push_str(&n);
    }
    crate::hash::sha256_hex(s.as_bytes())
}

/// Patterns matched against a whole normalised block (case-insensitive), as
/// one set: one pass over a block for all of them, not one per pattern.
static NOISE: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [
        // Relative timestamps, English.
        r"^(?:(?:last )?updated|published|posted|modified|edited)?:?\s*(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|years?)\.?\s+ago\.?$",
        r"^(?:(?:last )?updated|published|posted)?:?\s*(?:just now|moments ago|yesterday|today)\.?$",
        // Korean: "5분 전", "업데이트 3시간 전".
        r"^(?:업데이트|수정|입력|갱신)?:?\s*\d+\s*(?:초|분|시간|일|주|개월|달)\s*전$",
        // Russian: "5 минут назад", "Обновлено 2 часа назад".
        r"^(?:обновлено|опубликовано)?:?\s*\d+\s*(?:секунд[уы]?|сек\.?|минут[уы]?|мин\.?|час(?:а|ов)?|дн(?:я|ей)|день|недел[юиь]|месяц(?:а|ев)?)\s+назад$",
        // Japanese: "5分前", "更新 3時間前".
        r"^(?:更新|最終更新)?:?\s*\d+\s*(?:秒|分|時間|日|週間|か月|ヶ月)前$",
        // Chinese: "5分钟前", "更新于 3小时前".
        r"^(?:更新于?|发布于?|更新於|發佈於)?:?\s*\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月)前$",
        // Arabic and Hebrew: "منذ 5 دقائق", "לפני 5 דקות".
        r"^(?:(?:تم )?التحديث:?\s*)?منذ\s*\d*\s*(?:ثانية|ثوان|ثوانٍ|دقيقة|دقائق|ساعة|ساعات|يوم|أيام)$",
        r"^(?:עודכן:?\s*)?לפני\s*\d*\s*(?:שניות|דקה|דקות|שעה|שעות|יום|ימים)$",
        // Ad labels.
        r"^(?:advertisement|advertising|ad|ads|sponsored|sponsored content|promoted|paid content|paid post|partner content)(?:\s*[-–—:·|]\s*(?:scroll|continue)[\w ]*)?$",
        r"^(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)$",
        r"^(?:광고|реклама|広告|广告|廣告|إعلان|פרסומת|anzeige|publicité|publicidad)$",
        // Newsletter and subscription prompts.
        r"^(?:sign up|subscribe|get (?:our|the) [^.]*newsletter|join our newsletter|newsletter)(?-u:\b)",
        r"^(?:already a subscriber\?|log in to continue|continue reading with a subscription)",
        r"^(?:뉴스레터 구독|구독하기|подпишитесь|подписаться|ニュースレター登録|订阅|訂閱)",
        // Print/comment/reading-time chrome.
        r"^(?:print|comments?|\d+ comments?|\d+\s*min(?:ute)?s? read|listen to (?:this )?(?:article|story)[^.]*|copy link|link copied)$",
    ]
    .iter()
    .map(|p| format!("(?i){p}"));
    RegexSet::new(patterns).expect("noise patterns")
});

/// A relative time anywhere in a line ("…, updated 5 minutes ago").
static RELATIVE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:\d+|an?|one)\s*(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?)\s+ago|\d+\s*(?:초|분|시간|일)\s*전|\d+\s*(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день)\s+назад|\d+\s*(?:秒|分|時間|分钟|分鐘|小时|小時|天)前|منذ\s*\d+|לפני\s*\d+",
    )
    .expect("relative time pattern")
});

/// A short line carrying a relative time and no sentence — a timestamp line
/// such as "25 Nov 2026, updated 5 minutes ago" — changes on every capture.
fn is_dateline_with_relative_time(text: &str) -> bool {
    let last = text.chars().last();
    text.chars().count() <= 100
        && !matches!(last, Some('.' | '!' | '?' | '。' | '"' | '\'' | '»' | '؟'))
        && RELATIVE_TIME.is_match(text)
}

/// Words that, alone or together, make a share/follow bar.
const SHARE_WORDS: &[&str] = &[
    "share",
    "shares",
    "sharing",
    "this",
    "article",
    "story",
    "on",
    "via",
    "tweet",
    "follow",
    "us",
    "email",
    "e-mail",
    "print",
    "copy",
    "link",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "telegram",
    "reddit",
    "pinterest",
    "flipboard",
    "threads",
    "bluesky",
    "instagram",
    "youtube",
    "kakaotalk",
    "kakao",
    "band",
    "line",
    "weibo",
    "wechat",
    "vk",
    "вконтакте",
    "одноклассники",
    "поделиться",
    "공유",
    "공유하기",
    "페이스북",
    "트위터",
    "카카오톡",
    "シェア",
    "ツイート",
    "分享",
    "微博",
    "微信",
    "مشاركة",
    "שתפו",
    "שתף",
    "|",
    "·",
    "•",
];

/// Headings that introduce a list of links to other stories.
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:related(?: (?:stories|articles|coverage|content|news|links|topics))?|read more|read also|also read|see also|more (?:stories|news|on this story)|more from \S.*|most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you)?|you may (?:also )?like|top stories|editor's picks|관련 ?기사|관련 ?뉴스|많이 본 뉴스|читайте также|по теме|другие новости|関連記事|関連ニュース|相关(?:新闻|阅读|文章)|相關(?:新聞|閱讀)|延伸阅读|اقرأ أيضا|اقرأ أيضاً|מומלצים|עוד בנושא):?$",
    )
    .expect("related pattern")
});

/// A one-line pointer to another story ("Related: …", "READ MORE: …").
static RELATED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:related|read more|read also|also read|see also|more|watch|listen|читайте также|관련 기사|関連記事|相关阅读)\s*[:：»›>|-]\s*\S")
        .expect("related line pattern")
});

/// Whether one line of text (a block, or a part of a byline) is page noise.
pub fn is_noise_line(text: &str) -> bool {
    let text = normalize(text);
    !text.chars().any(char::is_alphanumeric) || is_noise(&text)
}

fn is_noise(text: &str) -> bool {
    if text.chars().count() > 600 {
        return false;
    }
    if is_dateline_with_relative_time(text) {
        return true;
    }
    if is_share_bar(text) {
        return true;
    }
    // Prompts are short; a long paragraph that starts "Subscribe…" is prose.
    if text.chars().count() > 200 {
        return is_cookie_notice(text);
    }
    if RELATED_LINE.is_match(text) {
        return true;
    }
    if NOISE.is_match(text) {
        return true;
    }
    let lower = text.to_lowercase();
    let newsletter = lower.contains("newsletter")
        && ["sign up", "subscribe", "inbox"]
            .iter()
            .any(|w| lower.contains(w));
    newsletter || is_cookie_notice(text)
}

/// A cookie banner speaks as the site ("we use", "this site") and asks the
/// reader for something; a news story about cookies does neither.
fn is_cookie_notice(text: &str) -> bool {
    let t = text.to_lowercase();
    if !t.contains("cookie") {
        return false;
    }
    let site_voice = [
        "we use",
        "this site",
        "this website",
        "our site",
        "our website",
        "we and our partners",
    ]
    .iter()
    .any(|w| t.contains(w));
    let asks = ["you", "accept", "agree", "consent", "manage", "settings"]
        .iter()
        .any(|w| t.contains(w));
    site_voice && asks
}

fn is_share_bar(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 12
        && words
            .iter()
            .any(|w| !matches!(*w, "this" | "on" | "us" | "via" | "article" | "story"))
        && words
            .iter()
            .all(|w| SHARE_WORDS.contains(&w.trim_end_matches(':')))
}

fn is_related_heading(text: &str) -> bool {
    text.chars().count() <= 60 && RELATED_HEADING.is_match(text)
}

/// A link title in a related-stories list: short and not ending like a sentence.
fn is_headline_like(text: &str) -> bool {
    let last = text.chars().last();
    text.chars().count() <= 150
        && !matches!(
            last,
            Some('.' | '!' | '?' | '。' | '"' | '\'' | ':' | '»' | '؟')
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::Sequence;

    /// Characters that exercise every branch: ASCII whitespace (VT included),
    /// NBSP and ideographic space, curly quotes, invisible characters,
    /// combining marks (NFKC "maybe"), compatibility forms, CJK, Arabic.
    const ALPHABET: &[char] = &[
        'a', 'Z', '7', '.', ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{A0}', '\u{3000}',
        '\u{2019}', '\u{201C}', '\u{201D}', '\u{00AD}', '\u{200B}', '\u{FEFF}', '\u{0301}',
        '\u{0327}', '\u{FB01}', '\u{FF21}', '²', 'é', '漢', 'が', 'ب', '\u{2028}', '—',
    ];

    /// [`normalize`] the slow way: NFKC when the full quick check says it
    /// may be needed, then [`clean`] char by char. The fast paths are held
    /// to it.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
            clean(s.chars(), s.len(), &mut out);
        } else {
            clean(s.nfkc(), s.len(), &mut out);
        }
        out
    }

    fn same_as_reference(s: &str) {
        assert_eq!(normalize(s), reference(s), "{s:?}");
    }

    #[test]
    fn the_mostly_ascii_path_matches_the_char_by_char_one() {
        let mut sequence = Sequence::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..40_000 {
            let state = sequence.next_u64();
            let len = (state >> 59) as usize;
            let s: String = (0..len)
                .map(|k| ALPHABET[((state >> (k % 48)) as usize ^ (k * 7)) % ALPHABET.len()])
                .collect();
            let quick = is_nfkc_quick(s.chars()) == IsNormalized::Yes;
            assert_eq!(nfkc_quick_yes(&s), quick, "{s:?}");
            same_as_reference(&s);
        }
    }

    #[test]
    fn every_char_normalises_as_the_char_by_char_path_does() {
        // Each char alone, between words, and in runs with spaces of every
        // kind: the fast path and the fallback must give the same text.
        for c in (0x80u32..0x3_0000).filter_map(char::from_u32) {
            same_as_reference(&format!("a{c}b"));
            same_as_reference(&format!(" {c}\u{a0}x {c}{c}\t"));
        }
    }

    #[test]
    fn news_text_normalises_as_the_char_by_char_path_does() {
        for s in [
            "",
            "   ",
            "\u{a0}\u{2009}\u{3000}",
            "  Leading and trailing \t\n ",
            "“We will not wait,” said Ana Ribeiro.\u{00AD}",
            "He said: \u{2018}no\u{2019} \u{200B}twice\u{FEFF}",
            "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ ① ﬁ",
            "МОСКВА, 3 декабря — «Мы не знали», — сказал он.",
            "国务院新闻办公室　今天举行发布会。",
            "القاهرة، 26 نوفمبر\u{200F}",
            "a\x0bb\x0cc\rd",
            "one  two \t three\n\nfour ",
            " x y  z\u{a0}w’s \u{201c}q\u{201d} ",
            "e\u{301}tude caf\u{e9}",
        ] {
            same_as_reference(s);
        }
        assert_eq!(
            normalize("  “Not yet,”\u{a0}she said.\u{00AD} "),
            "\"Not yet,\" she said."
        );
    }

    #[test]
    fn runs_normalise_as_the_char_by_char_path_does_at_every_offset() {
        // Strings of bytes that end or break a plain run (spaces in pairs,
        // a tab, a control, a line break, NBSP, curly quotes, DEL) at every
        // place relative to the eight-byte steps, from a fixed sequence.
        const PARTS: [&str; 12] = [
            "a", "Z", " ", "  ", "\t", "\n", "\u{1}", "\u{7f}", "\u{a0}", "“", "é", "9,",
        ];
        let mut sequence = Sequence::new(16);
        let mut next = |n: usize| (sequence.next_u64() >> 33) as usize % n;
        for _ in 0..20_000 {
            let len = next(56);
            // Mostly letters, so that long plain runs occur.
            let s: String = (0..len)
                .map(|_| PARTS.get(next(40)).copied().unwrap_or("x"))
                .collect();
            same_as_reference(&s);
        }
    }

    #[test]
    fn plain_words_are_exactly_the_copied_ones() {
        // Every byte value in every position of a word of letters, and
        // space pairs in every position.
        for pos in 0..8 {
            for b in 0..=255u8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                let expect = (0x21..0x80).contains(&b) || (b == b' ' && pos != 7);
                assert_eq!(plain_word(u64::from_le_bytes(w)), expect, "{pos} {b:#x}");
            }
        }
        for pos in 0..7 {
            let mut w = *b"abcdefgh";
            w[pos] = b' ';
            w[pos + 1] = b' ';
            assert!(!plain_word(u64::from_le_bytes(w)), "{pos}");
        }
        assert!(plain_word(u64::from_le_bytes(*b"a b c de")));
    }

    #[test]
    fn a_reused_buffer_holds_only_the_last_text() {
        let mut out = String::new();
        normalize_into("first  text", &mut out);
        assert_eq!(out, "first text");
        normalize_into(" second\u{a0}", &mut out);
        assert_eq!(out, "second");
        normalize_into("e\u{301}", &mut out);
        assert_eq!(out, "\u{e9}");
    }
}
