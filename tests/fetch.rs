//! Fetching against a real loopback server, including servers that misbehave.
//! Limits are small (1 MiB, 1–3 s) so the hostile cases finish quickly.

mod common;

use std::io::Write;
use std::time::Duration;

use common::server::{Behaviour, Response, TestServer};
use redline::fetch::{FetchError, FetchLimits, Fetched, Fetcher, Validators};

const MIB: usize = 1024 * 1024;

const STORY: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Talks on Korean peninsula end without joint statement | Wire</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Talks on Korean peninsula end without joint statement","author":{"name":"Min-ji Park"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/asia">Asia</a></nav>
<article>
<h1>Talks on Korean peninsula end without joint statement</h1>
<p class="byline">By Min-ji Park, VLADIVOSTOK</p>
<figure><img src="/p/summit.jpg"><figcaption>Delegates leave the Far Eastern Federal University campus on Thursday. REUTERS/Staff</figcaption></figure>
<p>Two days of talks ended on Thursday without the joint statement both sides had promised, officials said, after a dispute over a $500 million aid package.</p>
<h2>FIGURES DISPUTED</h2>
<p>"We came here to listen, not to sign," said Artyom Lukin, a professor at Far Eastern Federal University. "Nobody expected 30,000 tonnes of grain to settle it."</p>
<p>회담은 목요일에 공동성명 없이 끝났다고 연합뉴스가 보도했다.</p>
</article>
<aside class="related"><a href="/x">Related: Markets rally as talks open</a></aside>
<div class="ad">Advertisement</div>
</body></html>"#;

fn limits() -> FetchLimits {
    FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(3),
        read_timeout: Duration::from_secs(1),
        max_bytes: MIB as u64,
        max_redirects: 5,
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(limits()).unwrap()
}

async fn get(server: &TestServer, path: &str) -> Result<Fetched, FetchError> {
    fetcher()
        .get(&server.url(path), &Validators::default())
        .await
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[tokio::test]
async fn a_page_arrives_with_its_metadata_and_polite_headers() {
    let server = TestServer::start().await;
    server.set(
        "/world/asia/talks-end",
        Response::html(STORY)
            .header("ETag", "\"v1-8841\"")
            .header("Last-Modified", "Thu, 26 Nov 2026 09:14:00 GMT"),
    );
    let page = get(&server, "/world/asia/talks-end").await.unwrap();
    assert_eq!(page.status, 200);
    assert!(!page.not_modified);
    assert_eq!(page.requested_url, server.url("/world/asia/talks-end"));
    assert_eq!(page.final_url, server.url("/world/asia/talks-end"));
    assert_eq!(page.etag.as_deref(), Some("\"v1-8841\""));
    assert_eq!(
        page.last_modified.as_deref(),
        Some("Thu, 26 Nov 2026 09:14:00 GMT")
    );
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.body, STORY.as_bytes());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert!(r.header("User-Agent").unwrap().contains("Redline/"));
    assert!(r.header("Accept").unwrap().starts_with("text/html"));
    assert!(r.header("Accept-Language").is_some());
    assert_eq!(r.header("If-None-Match"), None);
    assert_eq!(r.header("If-Modified-Since"), None);
}

#[tokio::test]
async fn a_compressed_page_is_decompressed() {
    let server = TestServer::start().await;
    server.set(
        "/gz",
        Response::html(gzip(STORY.as_bytes())).header("Content-Encoding", "gzip"),
    );
    let page = get(&server, "/gz").await.unwrap();
    assert_eq!(page.body, STORY.as_bytes());
}

#[tokio::test]
async fn readable_text_types_are_accepted() {
    let server = TestServer::start().await;
    let cases = [
        ("/xhtml", Some("application/xhtml+xml")),
        ("/txt", Some("text/plain; charset=windows-1251")),
        ("/md", Some("text/markdown")),
        ("/none", None),
    ];
    for (path, ct) in cases {
        server.set(path, Response::html(STORY).content_type(ct));
        let page = get(&server, path).await.unwrap();
        assert_eq!(page.content_type.as_deref(), ct, "{path}");
        assert_eq!(page.body, STORY.as_bytes(), "{path}");
    }
}

#[tokio::test]
async fn slow_headers_time_out() {
    let server = TestServer::start().await;
    server.set(
        "/slow",
        Response::html(STORY).behaviour(Behaviour::DelayHeaders(Duration::from_secs(20))),
    );
    let e = get(&server, "/slow").await.unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert_eq!(
        e.to_string(),
        format!("the server at {} took longer than 3 s", server.addr)
    );
}

#[tokio::test]
async fn a_body_that_stalls_mid_way_times_out() {
    let server = TestServer::start().await;
    let body = STORY.repeat(20);
    server.set(
        "/stall",
        Response::html(body).behaviour(Behaviour::StallAfter(2000, Duration::from_secs(20))),
    );
    let e = get(&server, "/stall").await.unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert_eq!(
        e.to_string(),
        format!(
            "the server at {} stopped sending the page for 1 s",
            server.addr
        )
    );
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_not_a_page() {
    let server = TestServer::start().await;
    server.set(
        "/cut",
        Response::html(STORY).behaviour(Behaviour::CutAfter(STORY.len() / 2)),
    );
    let e = get(&server, "/cut").await.unwrap_err();
    assert_eq!(e.code(), "truncated");
    assert_eq!(
        e.to_string(),
        format!(
            "the server at {} closed the connection before the whole page arrived",
            server.addr
        )
    );
}

#[tokio::test]
async fn a_compressed_body_cut_short_is_truncated() {
    let server = TestServer::start().await;
    let gz = gzip(STORY.repeat(50).as_bytes());
    let half = gz.len() / 2;
    server.set(
        "/cut-gz",
        Response::html(gz)
            .header("Content-Encoding", "gzip")
            .behaviour(Behaviour::CutAfter(half)),
    );
    let e = get(&server, "/cut-gz").await.unwrap_err();
    assert_eq!(e.code(), "truncated");
}

#[tokio::test]
async fn a_huge_body_is_refused_from_its_content_length() {
    let server = TestServer::start().await;
    server.set("/huge", Response::html(vec![b'a'; 2 * MIB]));
    let e = get(&server, "/huge").await.unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(e.to_string(), "the page is larger than 1 MiB");
}

#[tokio::test]
async fn a_huge_body_without_a_length_is_cut_at_the_cap() {
    let server = TestServer::start().await;
    // No Content-Length: the body runs until the server closes, so the cap is
    // counted as the bytes arrive.
    server.set(
        "/endless",
        Response::html(vec![b'a'; 3 * MIB]).behaviour(Behaviour::CloseDelimited),
    );
    let e = get(&server, "/endless").await.unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(e.to_string(), "the page is larger than 1 MiB");
}

#[tokio::test]
async fn a_page_without_a_length_ends_when_the_server_closes() {
    let server = TestServer::start().await;
    server.set(
        "/legacy",
        Response::html(STORY).behaviour(Behaviour::CloseDelimited),
    );
    let page = get(&server, "/legacy").await.unwrap();
    assert_eq!(page.body, STORY.as_bytes());
}

#[tokio::test]
async fn a_gzip_bomb_fails_fast_at_the_decompressed_cap() {
    let server = TestServer::start().await;
    let bomb = gzip(&vec![0u8; 40 * MIB]);
    assert!(bomb.len() < 100 * 1024, "the bomb is small on the wire");
    server.set(
        "/bomb",
        Response::html(bomb).header("Content-Encoding", "gzip"),
    );
    let e = get(&server, "/bomb").await.unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(e.to_string(), "the page is larger than 1 MiB");
}

#[tokio::test]
async fn a_redirect_chain_records_the_final_address() {
    let server = TestServer::start().await;
    server.set("/old", Response::redirect(301, "/mid?from=rss"));
    server.set(
        "/mid?from=rss",
        Response::redirect(302, &server.url("/2026/11/26/talks-end")),
    );
    server.set("/2026/11/26/talks-end", Response::html(STORY));
    let page = get(&server, "/old").await.unwrap();
    assert_eq!(page.requested_url, server.url("/old"));
    assert_eq!(page.final_url, server.url("/2026/11/26/talks-end"));
    assert_eq!(page.body, STORY.as_bytes());
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/old", "/mid?from=rss", "/2026/11/26/talks-end"]);
}

#[tokio::test]
async fn a_redirect_loop_ends_as_too_many_redirects() {
    let server = TestServer::start().await;
    server.set("/a", Response::redirect(302, "/b"));
    server.set("/b", Response::redirect(302, "/a"));
    let e = get(&server, "/a").await.unwrap_err();
    assert_eq!(e.code(), "too_many_redirects");
    assert_eq!(
        e.to_string(),
        "the page redirected more than 5 times (or in a loop)"
    );
    // The first request plus five followed redirects.
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_refused() {
    let server = TestServer::start().await;
    server.set("/sneaky", Response::redirect(302, "file:///etc/passwd"));
    server.set("/js", Response::redirect(301, "javascript:alert(1)"));
    let e = get(&server, "/sneaky").await.unwrap_err();
    assert_eq!(e.code(), "redirect_scheme");
    assert_eq!(
        e.to_string(),
        format!(
            "the page at {} redirected to a file: address, which Redline does not follow",
            server.addr
        )
    );
    let e = get(&server, "/js").await.unwrap_err();
    assert_eq!(e.code(), "redirect_scheme");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn binary_types_are_not_web_pages() {
    let server = TestServer::start().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
    let cases: Vec<(&str, Response, &str)> = vec![
        (
            "/photo.png",
            Response::new(200, "image/png", png.clone()),
            "image/png",
        ),
        (
            "/report.pdf",
            Response::new(200, "application/pdf", pdf.clone()),
            "application/pdf",
        ),
        (
            "/clip.mp4",
            Response::new(200, "video/mp4", vec![1u8; 64]),
            "video/mp4",
        ),
        (
            "/download",
            Response::new(200, "application/octet-stream", vec![0u8; 64]),
            "application/octet-stream",
        ),
        (
            "/bundle.zip",
            Response::new(200, "Application/ZIP; name=x", b"PK\x03\x04".to_vec()),
            "application/zip",
        ),
        // Served with no type at all: the bytes give them away.
        (
            "/untyped-png",
            Response::new(200, "x", png).content_type(None),
            "image/png",
        ),
        (
            "/untyped-pdf",
            Response::new(200, "x", pdf).content_type(None),
            "application/pdf",
        ),
        (
            "/untyped-bin",
            Response::new(200, "x", b"abc\0\0\x01def".to_vec()).content_type(None),
            "application/octet-stream",
        ),
    ];
    for (path, response, kind) in cases {
        server.set(path, response);
        let e = get(&server, path).await.unwrap_err();
        assert_eq!(e.code(), "unsupported_type", "{path}");
        assert_eq!(e.to_string(), format!("not a web page ({kind})"), "{path}");
    }
}

#[tokio::test]
async fn error_statuses_carry_the_status() {
    let server = TestServer::start().await;
    server.set(
        "/gone",
        Response::new(404, "text/html", "<h1>Not found</h1>"),
    );
    server.set("/broken", Response::new(500, "text/html", "<h1>Oops</h1>"));
    server.set("/forbidden", Response::new(403, "text/html", "denied"));
    let cases = [
        ("/gone", 404, "404 Not Found"),
        ("/broken", 500, "500 Internal Server Error"),
        ("/forbidden", 403, "403 Forbidden"),
        ("/never-set", 404, "404 Not Found"),
    ];
    for (path, status, said) in cases {
        let e = get(&server, path).await.unwrap_err();
        assert_eq!(e.code(), "http_status", "{path}");
        assert_eq!(e.http_status(), Some(status), "{path}");
        assert_eq!(
            e.to_string(),
            format!("the server at {} answered {said}", server.addr)
        );
    }
}

#[tokio::test]
async fn validators_are_sent_and_304_means_not_modified() {
    let server = TestServer::start().await;
    server.set_handler("/story", |req| {
        if req.header("If-None-Match") == Some("\"v1-8841\"") {
            Response::new(304, "text/html", Vec::new()).header("ETag", "\"v1-8841\"")
        } else {
            Response::html(STORY).header("ETag", "\"v1-8841\"")
        }
    });
    let validators = Validators {
        etag: Some("\"v1-8841\"".into()),
        last_modified: Some("Thu, 26 Nov 2026 09:14:00 GMT".into()),
    };
    let page = fetcher()
        .get(&server.url("/story"), &validators)
        .await
        .unwrap();
    assert!(page.not_modified);
    assert_eq!(page.status, 304);
    assert!(page.body.is_empty());
    assert_eq!(page.etag.as_deref(), Some("\"v1-8841\""));
    // Not repeated by the server, so the one sent is kept for the next check.
    assert_eq!(
        page.last_modified.as_deref(),
        Some("Thu, 26 Nov 2026 09:14:00 GMT")
    );
    assert_eq!(page.final_url, server.url("/story"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("If-None-Match"), Some("\"v1-8841\""));
    assert_eq!(
        requests[0].header("If-Modified-Since"),
        Some("Thu, 26 Nov 2026 09:14:00 GMT")
    );

    // A changed ETag gets the full page.
    let stale = Validators {
        etag: Some("\"v0\"".into()),
        last_modified: None,
    };
    let page = fetcher().get(&server.url("/story"), &stale).await.unwrap();
    assert!(!page.not_modified);
    assert_eq!(page.status, 200);
    assert_eq!(page.body, STORY.as_bytes());
}

#[tokio::test]
async fn bad_arguments_are_refused_before_any_request() {
    let server = TestServer::start().await;
    let f = fetcher();
    let cases = [
        ("file:///etc/passwd", "unsupported_scheme"),
        ("javascript:alert(1)", "unsupported_scheme"),
        (
            "data:text/html;base64,PGgxPmhpPC9oMT4=",
            "unsupported_scheme",
        ),
        ("ftp://ftp.example.org/briefing.txt", "unsupported_scheme"),
        ("not a url", "invalid_url"),
        ("", "invalid_url"),
    ];
    for (input, code) in cases {
        let e = f.get(input, &Validators::default()).await.unwrap_err();
        assert_eq!(e.code(), code, "{input:?}");
        assert_eq!(e.http_status(), None);
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = fetcher()
        .get(&format!("http://127.0.0.1:{port}/"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network");
    assert!(e
        .to_string()
        .starts_with(&format!("could not reach 127.0.0.1:{port}: ")));
}

#[tokio::test]
async fn feeds_are_fetched_under_their_own_types() {
    let server = TestServer::start().await;
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Yonhap: North Korea</title>
<item><title>회담 결렬</title><link>https://en.yna.co.kr/view/AKR1</link></item>
</channel></rss>"#;
    server.set(
        "/rss",
        Response::new(200, "application/rss+xml; charset=utf-8", rss),
    );
    server.set("/atom", Response::new(200, "application/atom+xml", rss));
    server.set("/pdf", Response::new(200, "application/pdf", "%PDF-1.4"));
    let f = fetcher();
    let feed = f
        .get_feed(&server.url("/rss"), &Validators::default())
        .await
        .unwrap();
    assert_eq!(feed.body, rss.as_bytes());
    assert!(f
        .get_feed(&server.url("/atom"), &Validators::default())
        .await
        .is_ok());
    let e = f
        .get_feed(&server.url("/pdf"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "not a web page (application/pdf)");
    // A page fetch does not take a feed for an article.
    let e = f
        .get(&server.url("/rss"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "unsupported_type");
    assert_eq!(e.to_string(), "not a web page (application/rss+xml)");
}

#[tokio::test]
async fn a_body_that_trickles_in_ends_at_the_total_timeout() {
    let server = TestServer::start().await;
    // Never silent for the 1 s read timeout, but 40 s in all.
    server.set(
        "/trickle",
        Response::html(STORY).behaviour(Behaviour::Drip {
            chunk: 50,
            every: Duration::from_millis(500),
        }),
    );
    let e = get(&server, "/trickle").await.unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert_eq!(
        e.to_string(),
        format!("the server at {} took longer than 3 s", server.addr)
    );
}
