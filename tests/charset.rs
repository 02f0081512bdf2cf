//! Charset decoding: legacy-encoded news pages declared in the HTTP header,
//! in `<meta>`, or nowhere, must decode to the exact text.

use encoding_rs::Encoding;
use redline::article::{BlockKind, Dir};
use redline::charset::{decode_html, decode_text, DecodedFrom};
use redline::extract::extract_html;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture (stored as UTF-8) with its `<!--META-->` slot filled, encoded
/// in `label`; panics if any character is not representable.
fn encoded(name: &str, label: &str, meta: &str) -> Vec<u8> {
    let html = fixture(name).replace("<!--META-->", meta);
    let enc = Encoding::for_label(label.as_bytes()).expect("label");
    let (bytes, _, unmappable) = enc.encode(&html);
    assert!(!unmappable, "{name} has characters outside {label}");
    bytes.into_owned()
}

struct Case {
    file: &'static str,
    label: &'static str,
    encoding: &'static str,
    meta: &'static str,
    url: &'static str,
    title: &'static str,
    first: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "ko_euckr.html",
        label: "euc-kr",
        encoding: "EUC-KR",
        meta: r#"<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">"#,
        url: "https://www.hanbit-news.example/view/20261125000321",
        title: "남북 고위급 회담, 판문점서 3년 만에 재개",
        first: "(서울=한빛통신) 김민지 기자 = 남북 고위급 회담이 25일 판문점 평화의집에서 3년 만에 다시 열렸다. 양측은 이산가족 상봉과 군사 통신선 복구 문제를 놓고 오전 10시부터 6시간 넘게 협상을 이어갔다.",
    },
    Case {
        file: "ru_1251.html",
        label: "windows-1251",
        encoding: "windows-1251",
        meta: r#"<meta charset="windows-1251">"#,
        url: "https://sevkurier.example/news/2026/11/25/geneva",
        title: "Переговоры в Женеве продлены ещё на сутки",
        first: "ЖЕНЕВА, 25 ноября. /Северный курьер/. Делегации России и США договорились продлить консультации по стратегической стабильности ещё на одни сутки, сообщил источник в российской делегации. Стороны обсуждают порядок взаимных инспекций и обмен данными о пусках ракет.",
    },
    Case {
        file: "ja_sjis.html",
        label: "shift_jis",
        encoding: "Shift_JIS",
        meta: r#"<meta charset="Shift_JIS">"#,
        url: "https://www.toyo-tsushin.example/articles/20261125-01",
        title: "日中外相会談、海洋問題で協議継続を確認",
        first: "【北京共同】日本と中国の外相は２５日、北京の釣魚台国賓館で約２時間会談し、東シナ海の海洋問題をめぐる協議を継続することで一致した。両外相の対面での会談は約１年ぶりとなる。",
    },
    Case {
        file: "zh_gbk.html",
        label: "gbk",
        encoding: "GBK",
        // "gb2312" is a WHATWG label of GBK.
        meta: r#"<meta http-equiv="content-type" content="text/html;charset=gb2312" />"#,
        url: "https://www.huaxing.example/world/2026-11/25/c_1130.htm",
        title: "中欧领导人会晤聚焦贸易与气候合作",
        first: "华星通讯社布鲁塞尔１１月２５日电　第二十六次中国－欧盟领导人会晤２５日在布鲁塞尔举行。双方就经贸关系、气候变化和地区热点问题深入交换意见，同意加强在绿色转型领域的合作。",
    },
];

fn assert_article(case: &Case, text: &str) {
    let article = extract_html(text, Some(case.url)).unwrap();
    assert_eq!(article.title, case.title, "{}", case.file);
    assert_eq!(article.blocks[0].text, case.first, "{}", case.file);
    assert_eq!(article.dir, Dir::Ltr);
}

#[test]
fn legacy_encodings_declared_in_the_header_decode() {
    for case in CASES {
        let bytes = encoded(case.file, case.label, "");
        let ct = format!("text/html; charset={}", case.label.to_uppercase());
        let d = decode_html(&bytes, Some(&ct), Some(case.url));
        assert_eq!(
            (d.encoding, d.from),
            (case.encoding, DecodedFrom::Header),
            "{}",
            case.file
        );
        assert_article(case, &d.text);
    }
}

#[test]
fn legacy_encodings_declared_in_meta_decode() {
    for case in CASES {
        let bytes = encoded(case.file, case.label, case.meta);
        let d = decode_html(&bytes, Some("text/html"), None);
        assert_eq!(
            (d.encoding, d.from),
            (case.encoding, DecodedFrom::Meta),
            "{}",
            case.file
        );
        assert_article(case, &d.text);
    }
}

#[test]
fn undeclared_legacy_encodings_are_detected_without_a_tld_hint() {
    for case in CASES {
        let bytes = encoded(case.file, case.label, "");
        let d = decode_html(&bytes, None, Some("https://mirror.example.com/page"));
        assert_eq!(
            (d.encoding, d.from),
            (case.encoding, DecodedFrom::Detected),
            "{}",
            case.file
        );
        assert_article(case, &d.text);
    }
}

#[test]
fn header_wins_over_meta_and_latin1_means_windows_1252() {
    let html = "<html><head><meta charset=\"utf-8\"><title>Caf\u{e9} talks</title></head><body><p>Caf\u{e9} \u{201c}summit\u{201d}</p></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(html);
    let d = decode_html(&bytes, Some("text/html; charset=latin1"), None);
    assert_eq!((d.encoding, d.from), ("windows-1252", DecodedFrom::Header));
    assert!(d.text.contains("Caf\u{e9} \u{201c}summit\u{201d}"));
}

#[test]
fn bom_wins_over_everything() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("<html><head><meta charset=\"windows-1251\"><title>Сводка</title></head><body><p>Текст</p></body></html>".as_bytes());
    let d = decode_html(&bytes, Some("text/html; charset=windows-1251"), None);
    assert_eq!((d.encoding, d.from), ("UTF-8", DecodedFrom::Bom));
    assert!(d.text.starts_with("<html>"));
    assert!(d.text.contains("<title>Сводка</title>"));
}

#[test]
fn utf16_bom_and_meta_claiming_utf16_means_utf8() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "<p>Дипломаты</p>".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let d = decode_html(&bytes, None, None);
    assert_eq!(
        (d.encoding, d.from, d.text.as_str()),
        ("UTF-16LE", DecodedFrom::Bom, "<p>Дипломаты</p>")
    );

    let page = "<meta charset=\"utf-16\"><p>Дипломаты</p>";
    let d = decode_html(page.as_bytes(), None, None);
    assert_eq!(
        (d.encoding, d.from, d.text.as_str()),
        ("UTF-8", DecodedFrom::Meta, page)
    );
}

#[test]
fn unlabelled_utf8_is_utf8_and_malformed_bytes_become_replacement_characters() {
    let d = decode_html("<p>서울 — Seoul</p>".as_bytes(), None, None);
    assert_eq!((d.encoding, d.from), ("UTF-8", DecodedFrom::Utf8));

    let mut bytes = b"<meta charset=utf-8><p>ok ".to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, 0xC3]);
    bytes.extend_from_slice(b" end</p>");
    let d = decode_html(&bytes, None, None);
    assert_eq!(
        d.text,
        "<meta charset=utf-8><p>ok \u{FFFD}\u{FFFD}\u{FFFD} end</p>"
    );
}

#[test]
fn meta_inside_a_comment_is_ignored() {
    let body = "<!-- <meta charset=\"koi8-r\"> --><meta charset=\"windows-1251\"><p>Москва</p>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(body);
    let d = decode_html(&bytes, None, None);
    assert_eq!((d.encoding, d.from), ("windows-1251", DecodedFrom::Meta));
    assert!(d.text.ends_with("<p>Москва</p>"));
}

#[test]
fn plain_text_files_decode_by_bom_utf8_then_detection() {
    let story = "Переговоры продлены\n\nДелегации России и США договорились продлить консультации ещё на одни сутки, сообщил источник в российской делегации. Стороны обсуждают порядок взаимных инспекций и обмен данными о пусках ракет.\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(story);
    let d = decode_text(&bytes, None);
    assert_eq!(
        (d.encoding, d.from, d.text.as_str()),
        ("windows-1251", DecodedFrom::Detected, story)
    );

    let d = decode_text(story.as_bytes(), Some("text/plain"));
    assert_eq!((d.encoding, d.from), ("UTF-8", DecodedFrom::Utf8));

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(story.as_bytes());
    let d = decode_text(&bom, None);
    assert_eq!(
        (d.encoding, d.from, d.text.as_str()),
        ("UTF-8", DecodedFrom::Bom, story)
    );
}

#[test]
fn korean_caption_and_headline_block_are_dropped() {
    let case = &CASES[0];
    let bytes = encoded(case.file, case.label, case.meta);
    let d = decode_html(&bytes, None, None);
    let a = extract_html(&d.text, Some(case.url)).unwrap();
    let texts: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
    // Captions are not body text (issue 9.2).
    assert!(!texts.contains(&"25일 판문점 평화의집에서 남북 대표단이 회담을 시작하기 전 악수하고 있다. [통일부 제공]"), "{texts:#?}");
    assert!(a.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    assert_eq!(
        texts.last(),
        Some(&"양측은 26일 오전 다시 만나 공동보도문 문구를 조율할 예정이다.")
    );
    assert_eq!(a.site_name.as_deref(), Some("한빛통신"));
    assert_eq!(a.lang.as_deref(), Some("ko"));
    assert_eq!(a.published_at.as_deref(), Some("2026-11-25T01:00:00.000Z"));
}
