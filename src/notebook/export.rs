//! Getting work out: citations of sources, notes as Markdown, evidence
//! bundles, and whole-library backup and restore.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Notebook;
use crate::error::{Error, Result};
use crate::export::bundle::Manifest;
use crate::export::wacz::{
    self, stamps, ArchiveVerification, PublicKey, Signer, StampReport, StampStatus, WaczCheck,
    WaczReport,
};
use crate::export::{self, BackupReport, CitedSource, RestoreReport};
use crate::library::{self, SourceFilter, SourceSort};
use crate::settings;

/// Reference-manager formats for sources: one list for the app and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    /// CSL-JSON (Zotero, Pandoc, citeproc).
    Csl,
    /// BibLaTeX @online entries.
    Bibtex,
    /// RIS (EndNote, Zotero, Mendeley).
    Ris,
}

impl ExportFormat {
    /// The file extension reference managers expect for this format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csl => "json",
            ExportFormat::Bibtex => "bib",
            ExportFormat::Ris => "ris",
        }
    }

    pub fn render(self, items: &[CitedSource]) -> String {
        match self {
            ExportFormat::Csl => export::csl_json(items),
            ExportFormat::Bibtex => export::bibtex(items),
            ExportFormat::Ris => export::ris(items),
        }
    }
}

/// A file an export wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedFile {
    pub path: String,
    pub bytes: u64,
}

impl SavedFile {
    /// The file at `path` as it now is on disk.
    pub fn at(path: &Path) -> Result<Self> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| io_error(path, e))?
            .len();
        Ok(SavedFile {
            path: path.display().to_string(),
            bytes,
        })
    }

    fn write(path: &Path, contents: &[u8]) -> Result<Self> {
        std::fs::write(path, contents).map_err(|e| io_error(path, e))?;
        Self::at(path)
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl Notebook {
    /// Citations of sources (their latest versions), in the order given.
    pub async fn cite_sources(&self, source_ids: &[i64], format: ExportFormat) -> Result<String> {
        let items = self
            .read(async |c| {
                let mut items = Vec::with_capacity(source_ids.len());
                for &id in source_ids {
                    items.push(CitedSource::load(c, id, None).await?);
                }
                Ok(items)
            })
            .await?;
        Ok(format.render(&items))
    }

    /// Every source of a project, archived ones included, first clipped first.
    pub async fn sources_of_project(&self, project_id: i64) -> Result<Vec<i64>> {
        self.source_ids_in(Some(project_id)).await
    }

    /// Every source in the library, archived ones included, first clipped first.
    pub async fn every_source(&self) -> Result<Vec<i64>> {
        self.source_ids_in(None).await
    }

    async fn source_ids_in(&self, project_id: Option<i64>) -> Result<Vec<i64>> {
        let filter = SourceFilter {
            project_id,
            archived: None,
            sort: SourceSort::CapturedAsc,
            ..Default::default()
        };
        let list = self
            .read(async |c| library::list_sources(c, &filter).await)
            .await?;
        Ok(list.into_iter().map(|s| s.id).collect())
    }

    /// [`Notebook::cite_sources`] written to `path`.
    pub async fn export_sources(
        &self,
        source_ids: &[i64],
        format: ExportFormat,
        path: &Path,
    ) -> Result<SavedFile> {
        let text = self.cite_sources(source_ids, format).await?;
        SavedFile::write(path, text.as_bytes())
    }

    /// A note as Markdown with footnoted citations (outlet, title, URL, capture time).
    pub async fn note_markdown(&self, note_id: i64) -> Result<String> {
        export::note_markdown(&self.db, note_id).await
    }

    /// [`Notebook::note_markdown`] written to `path`.
    pub async fn export_note(&self, note_id: i64, path: &Path) -> Result<SavedFile> {
        let text = self.note_markdown(note_id).await?;
        SavedFile::write(path, text.as_bytes())
    }

    /// The evidence bundle of a source: every capture's raw bytes, every
    /// version's text, and a manifest of hashes.
    pub async fn export_bundle(&self, source_id: i64, path: &Path) -> Result<Manifest> {
        export::write_bundle(&self.db, source_id, path).await
    }

    /// The library's signing key, made on first use beside the library file
    /// (`<library>.signing-key.pem`, readable by its owner only).
    pub fn signing_key(&self) -> Result<Signer> {
        let library = self
            .db
            .path()
            .ok_or_else(|| Error::Invalid("an in-memory library has no signing key".into()))?;
        Signer::load_or_create(&wacz::key_path(library))
    }

    /// A signed WACZ of `source_ids`: their captures as WARC records that
    /// replay tools read, their versions' texts, and the library's signature,
    /// timestamped by the library's TSA when one is set and `stamp` holds.
    pub async fn export_wacz(
        &self,
        source_ids: &[i64],
        title: &str,
        path: &Path,
        stamp: bool,
    ) -> Result<WaczReport> {
        let signer = self.signing_key()?;
        let tsa = match stamp {
            true => self.timestamp_authority().await?,
            false => None,
        };
        wacz::write_wacz(&self.db, source_ids, title, &signer, tsa.as_deref(), path).await
    }

    /// The RFC 3161 time stamping authority exports use, if one is set.
    pub async fn timestamp_authority(&self) -> Result<Option<String>> {
        self.read(async |c| settings::tsa_url(c).await).await
    }

    /// Sets or (with `None`) clears the time stamping authority.
    pub async fn set_timestamp_authority(&self, url: Option<&str>) -> Result<()> {
        self.write(super::ChangeKind::Library, async |c| {
            settings::set_tsa_url(c, url).await
        })
        .await
    }

    /// The TSA, the per-capture switch and what waits, in one read.
    pub async fn stamp_status(&self) -> Result<StampStatus> {
        self.read(async |c| {
            Ok(StampStatus {
                tsa: settings::tsa_url(c).await?,
                timestamp_captures: settings::timestamp_captures(c).await?,
                waiting: u32::try_from(stamps::pending_count(c).await?).unwrap_or(u32::MAX),
                last_error: stamps::last_error(c).await?,
            })
        })
        .await
    }

    /// Whether each new capture is queued for its own trusted timestamp.
    pub async fn timestamp_captures(&self) -> Result<bool> {
        self.read(async |c| settings::timestamp_captures(c).await)
            .await
    }

    /// Turns per-capture timestamps on or off (off by default).
    pub async fn set_timestamp_captures(&self, on: bool) -> Result<()> {
        self.write(super::ChangeKind::Library, async |c| {
            settings::set_timestamp_captures(c, on).await
        })
        .await
    }

    /// Asks the library's TSA for a token for each capture waiting for one
    /// (captures are queued in their own write while `timestamp_captures`
    /// is on), one request at a time and outside any transaction, so a slow
    /// or failing TSA never holds up a capture. Each token is stored as it
    /// comes; at the first failure (recorded on that capture) the round
    /// stops and the rest wait for the next call: the scheduler's, or
    /// `redline export stamp`'s. Without a TSA set, nothing is asked.
    pub async fn timestamp_pending_captures(&self) -> Result<StampReport> {
        const BATCH: i64 = 50;
        let mut report = StampReport {
            tsa: self.timestamp_authority().await?,
            ..StampReport::default()
        };
        let Some(tsa) = report.tsa.clone() else {
            report.pending = self.read(async |c| stamps::pending_count(c).await).await? as u32;
            return Ok(report);
        };
        let mut after = 0;
        'rounds: loop {
            let batch = self
                .read(async |c| stamps::pending(c, after, BATCH).await)
                .await?;
            if batch.is_empty() {
                break;
            }
            for (capture_id, sha) in batch {
                after = capture_id;
                let digest = sha.as_deref().and_then(stamps::unhex);
                let outcome = match &digest {
                    None => Err(Error::Invalid(format!(
                        "capture {capture_id} has no stored bytes to timestamp"
                    ))),
                    Some(d) => wacz::timestamp::obtain_digest(&tsa, d)
                        .await
                        .and_then(|reply| {
                            wacz::timestamp::check_reply_digest(&reply, d, None, &[])
                                .map(|stamp| (reply, stamp))
                                .map_err(Error::Timestamp)
                        }),
                };
                let now = crate::time::now();
                match outcome {
                    Ok((reply, stamp)) => {
                        let mut tx = self.db.write().await?;
                        stamps::record_token(
                            &mut tx,
                            capture_id,
                            &reply,
                            &stamp.time,
                            &stamp.tsa,
                            &now,
                        )
                        .await?;
                        tx.commit().await?;
                        report.stamped += 1;
                    }
                    Err(e) => {
                        let why = e.to_string();
                        let mut tx = self.db.write().await?;
                        stamps::record_failure(&mut tx, capture_id, &why, &now).await?;
                        tx.commit().await?;
                        report.failed += 1;
                        report.error = Some(why);
                        break 'rounds;
                    }
                }
            }
        }
        report.pending = self.read(async |c| stamps::pending_count(c).await).await? as u32;
        Ok(report)
    }

    /// The library's public key and its fingerprint, for the reporter to
    /// publish (the key is made on first use).
    pub fn public_key(&self) -> Result<PublicKey> {
        Ok(PublicKey::of(&self.signing_key()?))
    }

    /// Checks the WACZ at `path` (off the async threads: it reads and hashes
    /// the whole file) and says whether this library signed it.
    pub async fn verify_archive(&self, path: &Path) -> Result<ArchiveVerification> {
        let own = self.signing_key().ok().map(|s| s.public_key());
        let owned = path.to_path_buf();
        let check = tokio::task::spawn_blocking(move || wacz::verify_wacz(&owned, &[]))
            .await
            .map_err(|e| Error::Io {
                path: path.display().to_string(),
                reason: format!("the check stopped: {e}"),
            })??;
        Ok(ArchiveVerification {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            own_key: own.is_some() && check.public_key == own,
            check,
        })
    }

    /// Checks a WACZ (needs no library): signature, timestamp, hashes,
    /// records, index. With `tsa_ca` (PEM certificates), a timestamp is
    /// required and its TSA must chain to one of them.
    pub fn verify_wacz(path: &Path, tsa_ca: Option<&str>) -> Result<WaczCheck> {
        let trusted = match tsa_ca {
            Some(pem) => wacz::timestamp::certificates_from_pem(pem)?,
            None => Vec::new(),
        };
        wacz::verify_wacz(path, &trusted)
    }

    /// Copies the whole library, while in use, to a new file.
    pub async fn backup(&self, path: &Path) -> Result<BackupReport> {
        export::backup(&self.db, path).await
    }

    /// Replaces the library at `library` with a backup. No notebook may have
    /// that library open: restore refuses while any connection holds it.
    pub async fn restore(backup: &Path, library: &Path) -> Result<RestoreReport> {
        export::restore(backup, library).await
    }
}
