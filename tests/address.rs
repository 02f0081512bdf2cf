//! Which addresses may be clipped, and the key that recognises the same story again.

use redline::address::{is_tracking_param, parse_clip_url, url_key};

#[test]
fn only_http_and_https_addresses_with_a_host_are_accepted() {
    let cases: &[(&str, Result<&str, &str>)] = &[
        (
            "https://www.yna.co.kr/view/AKR20261126000100504",
            Ok("https://www.yna.co.kr/view/AKR20261126000100504"),
        ),
        (
            "  http://tass.ru/politika/19283746  ",
            Ok("http://tass.ru/politika/19283746"),
        ),
        ("file:///etc/passwd", Err("unsupported_scheme")),
        ("javascript:alert(1)", Err("unsupported_scheme")),
        (
            "data:text/html,<script>alert(1)</script>",
            Err("unsupported_scheme"),
        ),
        (
            "ftp://ftp.example.org/briefing.txt",
            Err("unsupported_scheme"),
        ),
        ("not a url", Err("invalid_url")),
        ("", Err("invalid_url")),
        ("   ", Err("invalid_url")),
        ("http://", Err("invalid_url")),
        ("www.reuters.com/world/", Err("invalid_url")),
    ];
    for (input, expected) in cases {
        let got = parse_clip_url(input)
            .map(|u| u.to_string())
            .map_err(|e| e.code());
        let expected = expected.map(str::to_string);
        assert_eq!(got, expected, "input {input:?}");
    }
}

#[test]
fn refusals_say_what_was_wrong_in_one_line() {
    let e = parse_clip_url("file:///etc/passwd").unwrap_err();
    assert_eq!(
        e.to_string(),
        "only http and https addresses can be clipped, not file:"
    );
    let e = parse_clip_url("not a url").unwrap_err();
    assert_eq!(
        e.to_string(),
        "not a valid web address: not a url (it must start with http:// or https://)"
    );
    assert_eq!(e.http_status(), None);
}

#[test]
fn the_key_folds_what_does_not_change_the_story() {
    let cases: &[(&str, &str)] = &[
        // Scheme, `www.`, host case, fragment and default port are folded.
        (
            "https://www.Reuters.com/world/asia-pacific/summit-ends/#comments",
            "reuters.com/world/asia-pacific/summit-ends",
        ),
        (
            "http://reuters.com:80/world/asia-pacific/summit-ends",
            "reuters.com/world/asia-pacific/summit-ends",
        ),
        (
            "https://reuters.com:443/world/asia-pacific/summit-ends/",
            "reuters.com/world/asia-pacific/summit-ends",
        ),
        // A non-default port names another server.
        (
            "http://127.0.0.1:8080/story",
            "127.0.0.1:8080/story",
        ),
        // Tracking parameters go, real ones stay in their order.
        (
            "https://www.kcna.kp/en/article/q/abc.kcmsf?utm_source=twitter&utm_medium=social&id=123&fbclid=IwAR0x&page=2",
            "kcna.kp/en/article/q/abc.kcmsf?id=123&page=2",
        ),
        (
            "https://example.com/news?page=2&id=123&gclid=xyz&_ga=2.1.2&mc_cid=9&mc_eid=8",
            "example.com/news?page=2&id=123",
        ),
        (
            "https://www.nytimes.com/2026/11/26/world/asia/korea-summit.html?smid=tw-share&ref_src=twsrc&cmpid=rss&ocid=msn&igshid=abc&msclkid=q&dclid=d&UTM_Campaign=x",
            "nytimes.com/2026/11/26/world/asia/korea-summit.html",
        ),
        // Root keeps its slash; credentials never enter the key.
        ("https://user:secret@www.xinhuanet.com/", "xinhuanet.com/"),
        ("https://www.xinhuanet.com", "xinhuanet.com/"),
        ("https://xinhuanet.com/?utm_source=rss", "xinhuanet.com/"),
        // Non-Latin paths stay percent-encoded, exactly as served.
        (
            "https://ria.ru/20261126/sammit-1234567.html?utm_source=yxnews&in=t",
            "ria.ru/20261126/sammit-1234567.html?in=t",
        ),
        (
            "https://www.aljazeera.net/news/2026/11/26/%D9%82%D9%85%D8%A9",
            "aljazeera.net/news/2026/11/26/%D9%82%D9%85%D8%A9",
        ),
        // Empty pairs left by a sloppy query are dropped.
        ("https://example.com/a?&id=1&&", "example.com/a?id=1"),
    ];
    for (input, key) in cases {
        let url = parse_clip_url(input).unwrap();
        assert_eq!(url_key(&url), *key, "input {input:?}");
    }
}

#[test]
fn two_spellings_of_one_story_share_a_key() {
    let a =
        parse_clip_url("http://www.yonhapnews.co.kr/view/AKR2026?utm_source=naver#top").unwrap();
    let b = parse_clip_url("https://yonhapnews.co.kr/view/AKR2026/").unwrap();
    assert_eq!(url_key(&a), url_key(&b));
    let other_page = parse_clip_url("https://yonhapnews.co.kr/view/AKR2026?page=2").unwrap();
    assert_ne!(url_key(&a), url_key(&other_page));
}

#[test]
fn tracking_parameters_are_recognised_by_name() {
    for name in ["utm_source", "UTM_TERM", "fbclid", "gclid", "_ga", "smid"] {
        assert!(is_tracking_param(name), "{name}");
    }
    for name in ["id", "page", "q", "article", "ref"] {
        assert!(!is_tracking_param(name), "{name}");
    }
}
