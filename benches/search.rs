//! Search benchmarks over a synthetic multilingual library.
//!
//! `cargo bench --bench search` measures search latency with criterion on a
//! small library (2,000 sources, 6,000 versions) built in a temp dir.
//!
//! `scripts/bench-library` sets `REDLINE_BENCH_LIBRARY=<db path>` and runs
//! this binary in full-scale mode instead: it builds a library of 100,000
//! sources with 300,000 versions through the core's insert functions (5,000
//! versions per transaction), then reports import throughput, database size
//! per version and search latency p50/p95 per kind of query. An existing
//! library at that path is reused (only the queries run again);
//! `REDLINE_BENCH_ONLY=phrase,word` then runs only those latency rows.
//! A new library has the stem index on, as every library does by default;
//! `REDLINE_BENCH_STEMS=off` builds it with the index off (`redline search
//! --stems off`), so imports do not pay for it and word queries skip its
//! tiers.
//!
//! Text is generated, not real, but shaped like news: English, Russian,
//! Arabic and Korean with Zipf-distributed vocabularies (real frequent words,
//! generated rare ones), unspaced Chinese and Japanese, some English stories
//! quoting Chinese or Japanese, 300–800 words per version, and later versions
//! that rewrite a paragraph and change a figure.

use std::time::{Duration, Instant};

use criterion::Criterion;
use redline::article::{Article, Block, Dir};
use redline::search::{search, set_stems, stem_text, transliterate, HitKind, SearchQuery};
use redline::{versions, Db};
use sqlx::SqliteConnection;

// ---------------------------------------------------------------------------
// Deterministic randomness (no dependency needed).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn pick_str<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// A vocabulary drawn with Zipf's law (s = 1): rank r has weight 1/r.
struct Vocab {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(words: Vec<String>) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Vocab { words, cumulative }
    }
    fn draw(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(1.0);
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    En,
    Ru,
    Ar,
    Ko,
    Zh,
    Ja,
}

impl Lang {
    fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Ko => "ko",
            Lang::Zh => "zh-CN",
            Lang::Ja => "ja",
        }
    }
    fn spaced(self) -> bool {
        !matches!(self, Lang::Zh | Lang::Ja)
    }
}

const EN_HEAD: &str = "the of to and in a said on for that with by is was at as from his it be he have has will not are an its but after who were they minister government president officials talks ceasefire foreign military security war forces united states china russia ukraine israel gaza iran north korea south japan sanctions summit agreement deal troops border missile nuclear attack killed people city capital statement spokesman according told reporters thursday friday monday tuesday wednesday saturday sunday week year month last first two three percent million billion economy trade exports oil gas prices election vote parliament opposition protest police court human rights refugees aid humanitarian united nations council envoy negotiations delegation defence ministry state media news agency official sources diplomatic relations visit meeting leaders talks leader prime secretary general army navy drone strike airstrike shelling region province village residents hospital civilians children women displaced camp crossing corridor shipment grain wheat fuel electricity water food medicine";
const RU_HEAD: &str = "и в не на что с по он как это к из о заявил министр россии москвы президент правительство переговоры сообщил также года время может был были будет которые после для глава ведомства иностранных дел безопасности военные силы украины сша китая санкции соглашение граница ракета удар погибли люди город столица заявление представитель по словам журналистам четверг пятница неделя месяц процентов миллионов экономика торговля нефть газ цены выборы парламент оппозиция суд права беженцы помощь оон совет делегация визит встреча лидер армия флот беспилотник регион жители больница мирные дети";
const AR_HEAD: &str = "في من على إلى أن عن مع التي الذي قال وزير الخارجية الرئيس الحكومة المفاوضات وقف إطلاق النار الأمن القوات الولايات المتحدة الصين روسيا إيران إسرائيل غزة العقوبات القمة الاتفاق الحدود الصواريخ هجوم قتلى الناس المدينة العاصمة بيان المتحدث وفقا للصحفيين الخميس الجمعة الأسبوع العام الشهر مليون الاقتصاد التجارة النفط الأسعار الانتخابات البرلمان المعارضة المحكمة حقوق اللاجئين المساعدات الأمم مجلس المبعوث الوفد الزيارة الاجتماع الجيش طائرة المنطقة السكان المستشفى المدنيين الأطفال";
const KO_HEAD: &str = "북한 한국 정부 대통령 장관 외교부 국방부 미국 중국 일본 러시아 회담 정상회담 합의 제재 미사일 발사 핵 군사 안보 협상 대표단 방문 회의 발표 밝혔다 말했다 전했다 지난 이번 오늘 내일 오전 오후 관계자 기자 통신 보도 성명 국제사회 유엔 안보리 경제 무역 수출 가격 선거 국회 야당 시위 경찰 법원 인권 난민 지원 군 병력 국경 도발 대응 조치 입장 강조했다 우려 평양 서울 워싱턴 베이징 도쿄";
const ZH_HEAD: &str = "中国 美国 俄罗斯 日本 朝鲜 韩国 外交部 发言人 政府 总统 总理 部长 会谈 会议 协议 制裁 导弹 发射 核 军事 安全 谈判 代表团 访问 表示 指出 强调 认为 希望 有关 各方 问题 局势 和平 稳定 发展 合作 关系 经济 贸易 出口 价格 选举 议会 反对派 抗议 警方 法院 人权 难民 援助 联合国 安理会 军队 边境 地区 居民 医院 平民 儿童 记者 报道 新华社 北京 上海 华盛顿 莫斯科 东京 首尔 平壤 今天 昨天 明天 上午 下午 目前 已经 继续 进一步 坚决 反对 支持";
const JA_HEAD: &str = "日本 政府 首相 大臣 外務省 防衛省 米国 中国 韓国 北朝鮮 ロシア 会談 首脳 合意 制裁 ミサイル 発射 核 軍事 安全保障 交渉 代表団 訪問 会議 発表 記者団 関係者 報道 声明 国際社会 国連 安保理 経済 貿易 輸出 価格 選挙 国会 野党 警察 裁判所 人権 難民 支援 自衛隊 国境 地域 住民 病院 東京 大阪 北京 ワシントン ソウル 平壌 今日 昨日 午前 午後 防衛費 増額 方針 説明 強調 懸念 対応";
const JA_PARTICLES: [&str; 10] = [
    "の",
    "は",
    "を",
    "に",
    "が",
    "で",
    "と",
    "も",
    "から",
    "について",
];
const KO_PARTICLES: [&str; 8] = ["은", "는", "이", "가", "을", "를", "에서", "의"];
const JA_ENDINGS: [&str; 6] = [
    "しました。",
    "と述べました。",
    "を明らかにしました。",
    "としています。",
    "です。",
    "する方針です。",
];

fn syllable_words(
    rng: &mut Rng,
    n: usize,
    syllables: &[&str],
    lo: usize,
    hi: usize,
) -> Vec<String> {
    (0..n)
        .map(|_| {
            (0..rng.range(lo, hi))
                .map(|_| *rng.pick(syllables))
                .collect()
        })
        .collect()
}

fn char_words(rng: &mut Rng, n: usize, pool: &[char], lo: usize, hi: usize) -> Vec<String> {
    // Characters themselves follow Zipf's law: draw from the pool by rank.
    let chars = Vocab::new(pool.iter().map(|c| c.to_string()).collect());
    (0..n)
        .map(|_| {
            (0..rng.range(lo, hi))
                .map(|_| chars.draw(rng).to_string())
                .collect()
        })
        .collect()
}

fn with_head(head: &str, mut tail: Vec<String>) -> Vocab {
    let mut words: Vec<String> = head.split_whitespace().map(str::to_string).collect();
    tail.retain(|w| !words.contains(w));
    words.append(&mut tail);
    Vocab::new(words)
}

/// One vocabulary per language, the same for a given seed.
struct Corpus {
    en: Vocab,
    ru: Vocab,
    ar: Vocab,
    ko: Vocab,
    zh: Vocab,
    ja: Vocab,
    katakana: Vec<String>,
}

const TAIL: usize = 30_000;

impl Corpus {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        let en_syl: Vec<String> = {
            let c = "b c d f g h k l m n p r s t v w z br st tr ch sh th".split(' ');
            let c: Vec<&str> = c.collect();
            let v = ["a", "e", "i", "o", "u", "ai", "ou", "ea"];
            let mut out = Vec::new();
            for x in &c {
                for y in v {
                    out.push(format!("{x}{y}"));
                }
            }
            out
        };
        let en_syl: Vec<&str> = en_syl.iter().map(String::as_str).collect();
        let ru_syl = [
            "ка", "ро", "ви", "на", "то", "ли", "ст", "пра", "ско", "ми", "де", "ве", "ны", "за",
            "по", "ре", "го", "ва", "ло", "ти", "ов", "ами", "ый", "ого", "ской", "ник",
        ];
        let ar_letters = [
            "ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ر", "ز", "س", "ش", "ص", "ع", "ف", "ق", "ك",
            "ل", "م", "ن", "ه", "و", "ي",
        ];
        let hangul: Vec<char> = (0..600)
            .map(|_| char::from_u32(0xAC00 + rng.below(19 * 21) as u32 * 28).unwrap())
            .collect();
        let han: Vec<char> = {
            let mut v: Vec<char> = (0x4E00u32..0x9FA5).filter_map(char::from_u32).collect();
            for i in (1..v.len()).rev() {
                v.swap(i, rng.below(i + 1));
            }
            v.truncate(3500);
            v
        };
        let katakana_chars: Vec<char> = (0x30A2u32..0x30F3).filter_map(char::from_u32).collect();
        let en = with_head(EN_HEAD, syllable_words(&mut rng, TAIL, &en_syl, 2, 4));
        let ru = with_head(RU_HEAD, syllable_words(&mut rng, TAIL, &ru_syl, 2, 4));
        let ar_tail = syllable_words(&mut rng, TAIL, &ar_letters, 3, 6)
            .into_iter()
            .enumerate()
            .map(|(i, w)| if i % 3 == 0 { format!("ال{w}") } else { w })
            .collect();
        let ar = with_head(AR_HEAD, ar_tail);
        let ko_tail = char_words(&mut rng, TAIL, &hangul, 2, 4);
        let ko = with_head(KO_HEAD, ko_tail);
        let zh = with_head(ZH_HEAD, char_words(&mut rng, TAIL, &han, 1, 3));
        let ja = with_head(JA_HEAD, char_words(&mut rng, TAIL, &han, 2, 2));
        let katakana = char_words(&mut rng, 2_000, &katakana_chars, 3, 6);
        Corpus {
            en,
            ru,
            ar,
            ko,
            zh,
            ja,
            katakana,
        }
    }

    fn vocab(&self, lang: Lang) -> &Vocab {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
            Lang::Ar => &self.ar,
            Lang::Ko => &self.ko,
            Lang::Zh => &self.zh,
            Lang::Ja => &self.ja,
        }
    }

    /// A sentence of about `words` words; returns it and its word count.
    fn sentence(&self, rng: &mut Rng, lang: Lang, words: usize) -> String {
        let v = self.vocab(lang);
        let mut s = String::new();
        match lang {
            Lang::Zh => {
                for i in 0..words {
                    s.push_str(v.draw(rng));
                    if i > 0 && i % 7 == 0 && i + 2 < words {
                        s.push('，');
                    }
                    if rng.chance(0.03) {
                        s.push_str(&format!("{}", rng.range(2, 2026)));
                    }
                }
                s.push('。');
            }
            Lang::Ja => {
                for i in 0..words {
                    if rng.chance(0.15) {
                        s.push_str(rng.pick(&self.katakana).as_str());
                    } else {
                        s.push_str(v.draw(rng));
                    }
                    if i + 1 < words {
                        s.push_str(pick_str(rng, &JA_PARTICLES));
                        if i % 6 == 5 {
                            s.push('、');
                        }
                    }
                }
                s.push_str(pick_str(rng, &JA_ENDINGS));
            }
            _ => {
                for i in 0..words {
                    if i > 0 {
                        s.push(' ');
                    }
                    if rng.chance(0.02) {
                        s.push_str(&format!("{}", rng.range(2, 90_000)));
                        continue;
                    }
                    let w = v.draw(rng);
                    if i == 0 && lang != Lang::Ar {
                        let mut c = w.chars();
                        if let Some(f) = c.next() {
                            s.extend(f.to_uppercase());
                            s.push_str(c.as_str());
                        }
                    } else {
                        s.push_str(w);
                    }
                    if lang == Lang::Ko && rng.chance(0.3) {
                        s.push_str(pick_str(rng, &KO_PARTICLES));
                    }
                    if i + 3 < words && rng.chance(0.06) {
                        s.push(if lang == Lang::Ar { '،' } else { ',' });
                    }
                }
                s.push('.');
            }
        }
        s
    }

    fn paragraph(&self, rng: &mut Rng, lang: Lang, words: usize) -> String {
        let mut out = String::new();
        let mut left = words;
        while left > 0 {
            let n = rng.range(8, 24).min(left);
            if !out.is_empty() && lang.spaced() {
                out.push(' ');
            }
            out.push_str(&self.sentence(rng, lang, n));
            left -= n;
        }
        out
    }

    /// A first version: 300–800 words in 5–12 paragraphs.
    fn story(&self, rng: &mut Rng, lang: Lang) -> Article {
        let total = rng.range(300, 800);
        let paras = rng.range(5, 12);
        let mut blocks = Vec::with_capacity(paras + 1);
        for i in 0..paras {
            let mut p = self.paragraph(rng, lang, total / paras);
            if i == 1 && lang == Lang::En && rng.chance(0.08) {
                // An English story quoting a Chinese or Japanese statement.
                let other = if rng.chance(0.5) { Lang::Zh } else { Lang::Ja };
                p.push_str(" \u{201C}");
                p.push_str(&self.sentence(rng, other, 12));
                p.push('\u{201D}');
            }
            blocks.push(Block::paragraph(p));
        }
        let words = rng.range(6, 12);
        let title = self.sentence(rng, lang, words);
        let title = title.trim_end_matches(['.', '。']).to_string();
        Article {
            title,
            byline: None,
            site_name: Some(outlet(lang).0.to_string()),
            lang: Some(lang.tag().to_string()),
            dir: if lang == Lang::Ar { Dir::Rtl } else { Dir::Ltr },
            published_at: None,
            modified_at: None,
            excerpt: None,
            canonical_url: None,
            blocks,
        }
    }

    /// A later version: one paragraph rewritten, a figure changed, sometimes
    /// a new headline or an appended correction.
    fn revise(&self, rng: &mut Rng, lang: Lang, prev: &Article) -> Article {
        let mut next = prev.clone();
        let i = rng.below(next.blocks.len());
        let words = 40;
        next.blocks[i] = Block::paragraph(self.paragraph(rng, lang, words));
        let j = rng.below(next.blocks.len());
        next.blocks[j]
            .text
            .push_str(&format!(" {}", rng.range(2, 90_000)));
        if rng.chance(0.3) {
            let words = rng.range(6, 12);
            next.title = self
                .sentence(rng, lang, words)
                .trim_end_matches(['.', '。'])
                .to_string();
        }
        if rng.chance(0.1) {
            next.blocks
                .push(Block::paragraph(self.sentence(rng, lang, 15)));
        }
        next
    }
}

fn outlet(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Reuters", "reuters-example.com"),
        Lang::Ru => ("ТАСС", "tass-example.ru"),
        Lang::Ar => ("الجزيرة نت", "aljazeera-example.net"),
        Lang::Ko => ("연합뉴스", "yna-example.co.kr"),
        Lang::Zh => ("新华网", "xinhua-example.cn"),
        Lang::Ja => ("NHKニュース", "nhk-example.or.jp"),
    }
}

/// The language mix of the library.
fn lang_of(rng: &mut Rng) -> Lang {
    match rng.below(100) {
        0..=39 => Lang::En,
        40..=54 => Lang::Ru,
        55..=64 => Lang::Ar,
        65..=74 => Lang::Ko,
        75..=89 => Lang::Zh,
        _ => Lang::Ja,
    }
}

fn time_of(minutes: u64) -> String {
    let t = chrono::DateTime::from_timestamp(1_704_067_200 + minutes as i64 * 60, 0).unwrap();
    redline::time::format(t)
}

struct Import {
    versions: u64,
    insert_time: Duration,
    total_time: Duration,
}

/// Builds a library of `sources` sources with 1–5 versions each (3 on average).
async fn build(db: &Db, corpus: &Corpus, sources: u64, batch: u64, progress: bool) -> Import {
    let mut rng = Rng(42);
    let started = Instant::now();
    let mut insert_time = Duration::ZERO;
    let mut count = 0u64;
    let mut tx = db.write().await.unwrap();
    for s in 0..sources {
        let lang = lang_of(&mut rng);
        let n = 1 + s % 5;
        let host = outlet(lang).1;
        let url = format!("https://www.{host}/news/{s}");
        let mut minutes = s * 7;
        let mut article = corpus.story(&mut rng, lang);
        let mut source_id = 0;
        for k in 0..n {
            if k > 0 {
                article = corpus.revise(&mut rng, lang, &article);
                minutes += rng.range(30, 600) as u64;
            }
            let at = time_of(minutes);
            let hash = redline::hash::sha256_hex(
                format!("{}\n{}", article.title, article.text()).as_bytes(),
            );
            let t = Instant::now();
            let conn: &mut SqliteConnection = &mut tx;
            if k == 0 {
                source_id = versions::insert_source(conn, Some(&url), Some(&url), &at)
                    .await
                    .unwrap();
            }
            versions::insert_version(conn, source_id, &article, &hash, &at)
                .await
                .unwrap();
            count += 1;
            if count % batch == 0 {
                tx.commit().await.unwrap();
                tx = db.write().await.unwrap();
                if progress && count % (batch * 10) == 0 {
                    eprintln!(
                        "  {count} versions, {:.0} s",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            insert_time += t.elapsed();
        }
    }
    let t = Instant::now();
    tx.commit().await.unwrap();
    insert_time += t.elapsed();
    Import {
        versions: count,
        insert_time,
        total_time: started.elapsed(),
    }
}

// ---------------------------------------------------------------------------
// Query sets, sampled from the library itself.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Word,
    CommonWord,
    TwoWords,
    Phrase,
    Prefix2,
    Prefix3,
    Prefix4,
    CjkOne,
    CjkTwo,
    CjkSubstring,
    Stemmed,
    Translit,
    KoreanNoun,
}

impl Class {
    const ALL: [Class; 13] = [
        Class::Word,
        Class::CommonWord,
        Class::TwoWords,
        Class::Phrase,
        Class::Prefix2,
        Class::Prefix3,
        Class::Prefix4,
        Class::CjkOne,
        Class::CjkTwo,
        Class::CjkSubstring,
        Class::Stemmed,
        Class::Translit,
        Class::KoreanNoun,
    ];
    fn name(self) -> &'static str {
        match self {
            Class::Word => "word",
            Class::CommonWord => "common word",
            Class::TwoWords => "two words (AND)",
            Class::Phrase => "phrase",
            Class::Prefix2 => "prefix* (2 letters)",
            Class::Prefix3 => "prefix* (3 letters)",
            Class::Prefix4 => "prefix* (4 letters)",
            Class::CjkOne => "CJK one char",
            Class::CjkTwo => "CJK two chars",
            Class::CjkSubstring => "CJK substring (3–4 chars)",
            Class::Stemmed => "stemmed word",
            Class::Translit => "transliterated name",
            Class::KoreanNoun => "Korean noun",
        }
    }
    fn what(self) -> &'static str {
        match self {
            Class::Word => "vocabulary rank 30–3,000 (names, places, topics), en/ru/ar/ko",
            Class::CommonWord => "vocabulary rank 10–40 (“minister”, “заявил”), en/ru/ar/ko",
            Class::TwoWords => "two rank 30–3,000 words",
            Class::Phrase => "two adjacent words cut from a stored version",
            Class::Prefix2 => "first 2 letters of a rank 30–3,000 word, then *",
            Class::Prefix3 => "first 3 letters of a rank 30–3,000 word, then *",
            Class::Prefix4 => "first 4 letters of a rank 30–3,000 word, then *",
            Class::CjkOne => "1 character cut from a stored zh/ja version",
            Class::CjkTwo => "2 characters cut from a stored zh/ja version",
            Class::CjkSubstring => "3–4 characters cut from a stored zh/ja version",
            Class::Stemmed => {
                "another form of a rank 30–3,000 word (en +s/+ing, ru case ending, ar clitic), \
                 found only by its stem"
            }
            Class::Translit => "a rank 30–3,000 Russian word written in Latin letters",
            Class::KoreanNoun => "a rank 30–3,000 Korean noun, bare (stories glue particles)",
        }
    }
    fn prefix_len(self) -> Option<usize> {
        match self {
            Class::Prefix2 => Some(2),
            Class::Prefix3 => Some(3),
            Class::Prefix4 => Some(4),
            _ => None,
        }
    }
}

async fn random_text(conn: &mut SqliteConnection, rng: &mut Rng, cjk: bool, max_id: i64) -> String {
    loop {
        let id = 1 + rng.below(max_id as usize) as i64;
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT lang, text FROM versions WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .unwrap();
        if let Some((lang, text)) = row {
            if (lang == "zh-CN" || lang == "ja") == cjk {
                return text;
            }
        }
    }
}

async fn queries(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
    class: Class,
    n: usize,
) -> Vec<String> {
    let mut rng = Rng(7 + class as u64);
    let max_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM versions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let spaced = [Lang::En, Lang::Ru, Lang::Ar, Lang::Ko];
    let word = |rng: &mut Rng, lo: usize, hi: usize| -> String {
        let v = corpus.vocab(*rng.pick(&spaced));
        v.words[rng.range(lo, hi)].clone()
    };
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let q = match class {
            Class::Word => word(&mut rng, 30, 3000),
            Class::CommonWord => word(&mut rng, 10, 40),
            Class::TwoWords => {
                let lang = *rng.pick(&spaced);
                let v = corpus.vocab(lang);
                format!(
                    "{} {}",
                    v.words[rng.range(30, 3000)],
                    v.words[rng.range(30, 3000)]
                )
            }
            Class::Prefix2 | Class::Prefix3 | Class::Prefix4 => {
                let n = class.prefix_len().expect("a prefix class");
                let w = word(&mut rng, 30, 3000);
                let p: String = w.chars().take(n).collect();
                if p.chars().count() < n {
                    continue;
                }
                format!("{p}*")
            }
            Class::Phrase => {
                let text = random_text(conn, &mut rng, false, max_id).await;
                let words: Vec<&str> = text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                if words.len() < 3 {
                    continue;
                }
                let i = rng.below(words.len() - 1);
                format!("\"{} {}\"", words[i], words[i + 1])
            }
            Class::CjkOne | Class::CjkTwo | Class::CjkSubstring => {
                let text = random_text(conn, &mut rng, true, max_id).await;
                let chars: Vec<char> = text.chars().collect();
                let len = match class {
                    Class::CjkOne => 1,
                    Class::CjkTwo => 2,
                    _ => rng.range(3, 4),
                };
                let i = rng.below(chars.len() - len);
                let s: String = chars[i..i + len].iter().collect();
                if !s
                    .chars()
                    .all(|c| matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF))
                {
                    continue;
                }
                s
            }
            Class::Stemmed => {
                let (lang, v, forms): (&str, &Vocab, &[(&str, &str)]) = match rng.below(3) {
                    0 => ("en", &corpus.en, &[("", "s"), ("", "ing"), ("", "ed")]),
                    1 => (
                        "ru",
                        &corpus.ru,
                        &[("", "ами"), ("", "ой"), ("", "ом"), ("", "е"), ("", "ах")],
                    ),
                    _ => ("ar", &corpus.ar, &[("و", ""), ("ب", ""), ("وال", "")]),
                };
                let w = &v.words[rng.range(30, 3000)];
                let (pre, suf) = rng.pick(forms);
                let q = format!("{pre}{w}{suf}");
                // Only a form that shares a stem with the stored word and is
                // not itself a word of the vocabulary: its hits are stem-only.
                let shared = stem_text(&q, lang)
                    .split_whitespace()
                    .any(|f| stem_text(w, lang).split_whitespace().any(|g| g == f));
                if !shared || v.words.iter().take(3000).any(|x| *x == q) {
                    continue;
                }
                q
            }
            Class::Translit => {
                let w = &corpus.ru.words[rng.range(30, 3000)];
                let Some(latin) = transliterate(w) else {
                    continue;
                };
                // Only names that come back to the same Cyrillic spelling.
                if transliterate(&latin).as_deref() != Some(w.as_str()) {
                    continue;
                }
                latin
            }
            Class::KoreanNoun => corpus.ko.words[rng.range(30, 3000)].clone(),
        };
        out.push(q);
    }
    out
}

/// CPU time used by this process so far (all threads), from Linux's
/// per-thread scheduler statistics; zero elsewhere. SQLite runs on sqlx's
/// worker thread, so wall time alone would also count waiting for a core on
/// a busy machine.
fn process_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(ns)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

// ---------------------------------------------------------------------------
// Full scale: `scripts/bench-library`.

async fn full_scale(path: String) {
    let sources: u64 = std::env::var("REDLINE_BENCH_SOURCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let per_class: usize = std::env::var("REDLINE_BENCH_QUERIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let corpus = Corpus::new(1);
    let fresh = !std::path::Path::new(&path).exists();
    let db = Db::open(&path).await.unwrap();
    println!("# Search benchmark: {path}\n");
    if fresh && std::env::var("REDLINE_BENCH_STEMS").is_ok_and(|v| v == "off") {
        set_stems(db.pool(), false).await.unwrap();
    }
    {
        let mut conn = db.pool().acquire().await.unwrap();
        let on = redline::search::stems_enabled(&mut conn).await.unwrap();
        println!("Stem index: {}.\n", if on { "on" } else { "off" });
    }
    if fresh {
        eprintln!("building {sources} sources …");
        let import = build(&db, &corpus, sources, 5_000, true).await;
        println!(
            "Import: {} versions in {:.0} s wall ({:.0} versions/s including text generation); \
             store time {:.0} s ({:.0} versions/s), 5,000 versions per transaction.\n",
            import.versions,
            import.total_time.as_secs_f64(),
            import.versions as f64 / import.total_time.as_secs_f64(),
            import.insert_time.as_secs_f64(),
            import.versions as f64 / import.insert_time.as_secs_f64(),
        );
    } else {
        println!("(existing library reused; import figures are from the run that built it)\n");
    }
    if let Some(only) = only() {
        // Queries only, the rows asked for: no size figures (dbstat reads
        // the whole file) and no alternatives table.
        println!("(REDLINE_BENCH_ONLY={only})\n");
        latency_table(&db, &corpus, per_class).await;
        db.close().await;
        return;
    }
    let mut conn = db.pool().acquire().await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .unwrap();
    let (n_sources, n_versions, n_cjk): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM versions), \
         (SELECT COUNT(*) FROM versions_bigram_docsize)",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let text_bytes: i64 =
        sqlx::query_scalar("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM versions")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    let file = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Library: {n_sources} sources, {n_versions} versions ({n_cjk} in the CJK index), \
         {:.0} MB of version text (UTF-8).\n",
        text_bytes as f64 / 1e6
    );
    println!(
        "Database file: {:.0} MB, {:.1} KB per version.\n",
        file as f64 / 1e6,
        file as f64 / 1e3 / n_versions as f64
    );
    let parts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CASE \
           WHEN name LIKE 'versions_fts%' THEN 'word index (versions_fts)' \
           WHEN name LIKE 'versions_cjk%' THEN 'trigram index (versions_cjk)' \
           WHEN name LIKE 'versions_bigram%' THEN 'bigram index (versions_bigram)' \
           WHEN name LIKE 'versions_stem%' THEN 'stem index (versions_stem)' \
           WHEN name LIKE 'search_lang%' THEN 'row languages (search_lang)' \
           WHEN name IN ('versions', 'versions_by_hash') OR name LIKE 'sqlite_autoindex_versions%' THEN 'versions table (text + blocks JSON)' \
           ELSE 'everything else' END AS part, SUM(pgsize) FROM dbstat GROUP BY part ORDER BY 2 DESC",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    println!("| part | MB | KB per version |\n| --- | ---: | ---: |");
    for (part, bytes) in parts {
        println!(
            "| {part} | {:.0} | {:.2} |",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / n_versions as f64
        );
    }
    println!();
    drop(conn);
    latency_table(&db, &corpus, per_class).await;
    alternatives_table(&db, &corpus, per_class).await;
    db.close().await;
}

/// Other ways to answer the same queries, versions only, each returning its
/// ranked window of (at most) 500 ids after fetching the top 20's title and
/// snippet text, as `search()` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    /// `search()` itself, restricted to versions.
    Search,
    /// The window ranked by bm25 over the phrase as typed (before this change).
    PhraseBm25,
    /// The window ranked by bm25 of the phrase's longest word only.
    LongestWord,
    /// A CJK term on the bigram index as a phrase of bigrams, bm25 over it.
    BigramBm25,
    /// The same, ranked by bm25 of the AND of the bigrams.
    BigramAnd,
}

impl Path {
    fn name(self) -> &'static str {
        match self {
            Path::Search => "search() as shipped",
            Path::PhraseBm25 => "bm25 over the phrase (before)",
            Path::LongestWord => "bm25 of the phrase's longest word",
            Path::BigramBm25 => "bigram phrase, bm25 over the phrase",
            Path::BigramAnd => "bigram phrase, bm25 of the AND of bigrams",
        }
    }
}

async fn alternatives_table(db: &Db, corpus: &Corpus, per_class: usize) {
    let mut conn = db.pool().acquire().await.unwrap();
    println!(
        "Alternative query paths (versions only, latest versions, 20 hits with title and \
         snippet text), same queries; last column: how many queries rank exactly the same \
         500-row window as `search()`:\n"
    );
    println!(
        "| query | path | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | same window |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for (class, paths) in [
        (
            Class::Phrase,
            &[Path::Search, Path::PhraseBm25, Path::LongestWord][..],
        ),
        (
            Class::CjkSubstring,
            &[Path::Search, Path::BigramBm25, Path::BigramAnd][..],
        ),
    ] {
        let qs = queries(&mut conn, corpus, class, per_class).await;
        let mut shipped: Vec<Vec<i64>> = Vec::new();
        for &path in paths {
            for q in qs.iter().take(10) {
                run_path(&mut conn, path, q).await;
            }
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let mut same = 0;
            for (i, q) in qs.iter().enumerate() {
                let c = process_cpu();
                let t = Instant::now();
                run_path(&mut conn, path, q).await;
                times.push(t.elapsed());
                cpu.push(process_cpu().saturating_sub(c));
                // The window, untimed.
                let mut ids = window_of(&mut conn, path, q).await;
                ids.sort();
                if path == Path::Search {
                    shipped.push(ids);
                    same += 1;
                } else if shipped[i] == ids {
                    same += 1;
                }
            }
            times.sort();
            cpu.sort();
            println!(
                "| {} | {} | {} | {} | {} | {} | {same}/{} |",
                class.name(),
                path.name(),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                ms(percentile(&cpu, 0.5)),
                ms(percentile(&cpu, 0.95)),
                qs.len()
            );
        }
    }
    println!();
}

fn versions_only(q: &str, limit: Option<u32>) -> SearchQuery {
    SearchQuery {
        text: q.to_string(),
        kinds: vec![HitKind::Source],
        limit,
        ..Default::default()
    }
}

/// A pure CJK term as a phrase of its bigrams.
fn bigram_phrase(q: &str) -> String {
    let chars: Vec<char> = q.chars().collect();
    let pairs: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    format!("\"{}\"", pairs.join(" "))
}

/// (index, what must match, what is ranked; None = the same, one query).
fn path_sql(path: Path, q: &str) -> (&'static str, String, Option<String>) {
    match path {
        Path::Search => unreachable!("search() is called directly"),
        Path::PhraseBm25 => ("versions_fts", q.to_string(), None),
        Path::LongestWord => {
            let words: Vec<&str> = q.trim_matches('"').split_whitespace().collect();
            let longest = words
                .iter()
                .rev()
                .max_by_key(|w| w.chars().count())
                .unwrap();
            (
                "versions_fts",
                q.to_string(),
                Some(format!("\"{longest}\"")),
            )
        }
        Path::BigramBm25 => ("versions_bigram", bigram_phrase(q), None),
        Path::BigramAnd => {
            let phrase = bigram_phrase(q);
            let and = phrase
                .trim_matches('"')
                .split(' ')
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(" AND ");
            ("versions_bigram", phrase, Some(and))
        }
    }
}

const LATEST: &str =
    "NOT EXISTS (SELECT 1 FROM versions nv WHERE nv.source_id = v.source_id AND nv.seq > v.seq)";

/// Runs one path: the ranked window, then the top 20's title and snippet.
async fn run_path(conn: &mut SqliteConnection, path: Path, q: &str) -> Vec<i64> {
    if path == Path::Search {
        return search(conn, &versions_only(q, None))
            .await
            .unwrap()
            .into_iter()
            .filter_map(|h| h.version_id)
            .collect();
    }
    let (idx, matches, rank) = path_sql(path, q);
    let rows: Vec<(i64, f64)> = match &rank {
        None => {
            let sql = format!(
                "SELECT id, score FROM (SELECT v.id AS id, -bm25({idx}, 10.0, 1.0) AS score \
                 FROM {idx} JOIN versions v ON v.id = {idx}.rowid WHERE {idx} MATCH ? \
                 AND {LATEST} ORDER BY {idx}.rowid DESC LIMIT 500) ORDER BY score DESC"
            );
            sqlx::query_as(&sql)
                .bind(&matches)
                .fetch_all(&mut *conn)
                .await
                .unwrap()
        }
        Some(rank) => {
            let sql = format!(
                "SELECT v.id FROM {idx} JOIN versions v ON v.id = {idx}.rowid \
                 WHERE {idx} MATCH ? AND {LATEST} ORDER BY {idx}.rowid DESC LIMIT 500"
            );
            let ids: Vec<i64> = sqlx::query_scalar(&sql)
                .bind(&matches)
                .fetch_all(&mut *conn)
                .await
                .unwrap();
            if ids.is_empty() {
                return ids;
            }
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT {idx}.rowid, -bm25({idx}, 10.0, 1.0) AS score FROM {idx} \
                 WHERE {idx} MATCH ? AND {idx}.rowid >= ? AND {idx}.rowid <= ? \
                 AND +{idx}.rowid IN (SELECT value FROM json_each(?)) ORDER BY score DESC"
            );
            sqlx::query_as(&sql)
                .bind(rank)
                .bind(ids.iter().min().unwrap())
                .bind(ids.iter().max().unwrap())
                .bind(format!("[{list}]"))
                .fetch_all(&mut *conn)
                .await
                .unwrap()
        }
    };
    for (id, _) in rows.iter().take(20) {
        if idx == "versions_fts" {
            let _: (String, Option<String>) = sqlx::query_as(
                "SELECT v.title, snippet(versions_fts, 1, char(2), char(3), '…', 24) \
                 FROM versions_fts, versions v \
                 WHERE versions_fts MATCH ? AND versions_fts.rowid = ? AND v.id = versions_fts.rowid",
            )
            .bind(&matches)
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        } else {
            let _: (String, String) =
                sqlx::query_as("SELECT title, text FROM versions WHERE id = ?")
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
        }
    }
    rows.into_iter().map(|r| r.0).collect()
}

/// The whole ranked window of a path (for `search()`: a page of 500).
async fn window_of(conn: &mut SqliteConnection, path: Path, q: &str) -> Vec<i64> {
    if path == Path::Search {
        return search(conn, &versions_only(q, Some(500)))
            .await
            .unwrap()
            .into_iter()
            .filter_map(|h| h.version_id)
            .collect();
    }
    run_path(conn, path, q).await
}

async fn latency_table(db: &Db, corpus: &Corpus, per_class: usize) {
    let mut conn = db.pool().acquire().await.unwrap();
    println!(
        "Latency of `search()` (all kinds, latest versions, 20 hits with snippets), \
         {per_class} different queries per row, warm cache:\n"
    );
    println!(
        "| query | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | mean hits | what |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    let only = only();
    for class in Class::ALL {
        if let Some(only) = &only {
            if !only.split(',').any(|o| o.trim() == class.name()) {
                continue;
            }
        }
        let qs = queries(&mut conn, corpus, class, per_class).await;
        // Warm up the page cache with the same kind of queries.
        for q in qs.iter().take(10) {
            let _ = search(&mut conn, &query(q)).await;
        }
        let mut times = Vec::with_capacity(qs.len());
        let mut cpu = Vec::with_capacity(qs.len());
        let mut hits = 0usize;
        let mut errors = 0usize;
        for q in &qs {
            let c = process_cpu();
            let t = Instant::now();
            match search(&mut conn, &query(q)).await {
                Ok(h) => hits += h.len(),
                Err(_) => errors += 1,
            }
            times.push(t.elapsed());
            cpu.push(process_cpu().saturating_sub(c));
        }
        times.sort();
        cpu.sort();
        let note = if errors > 0 {
            format!(" ({errors} refused)")
        } else {
            String::new()
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1} | {}{note} |",
            class.name(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap()),
            ms(percentile(&cpu, 0.5)),
            ms(percentile(&cpu, 0.95)),
            hits as f64 / qs.len() as f64,
            class.what(),
        );
    }
    println!();
}

/// `REDLINE_BENCH_ONLY`: comma-separated row names of the latency table
/// (e.g. `phrase,word,common word`) to run alone on an existing library.
fn only() -> Option<String> {
    std::env::var("REDLINE_BENCH_ONLY")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------
// Criterion: a small library.

fn criterion_benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::new(1);
    let db = rt.block_on(async {
        let db = Db::open(dir.path().join("bench.db")).await.unwrap();
        build(&db, &corpus, 2_000, 1_000, false).await;
        db
    });
    let mut group = c.benchmark_group("search 6k versions");
    for class in Class::ALL {
        let qs = rt.block_on(async {
            let mut conn = db.pool().acquire().await.unwrap();
            queries(&mut conn, &corpus, class, 50).await
        });
        let mut i = 0;
        group.bench_function(class.name(), |b| {
            b.iter(|| {
                i = (i + 1) % qs.len();
                rt.block_on(async {
                    let mut conn = db.pool().acquire().await.unwrap();
                    let mut q = query(&qs[i]);
                    q.kinds = HitKind::ALL.to_vec();
                    search(&mut conn, &q).await.ok()
                })
            })
        });
    }
    group.finish();
}

fn main() {
    if let Ok(path) = std::env::var("REDLINE_BENCH_LIBRARY") {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(full_scale(path));
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
}
