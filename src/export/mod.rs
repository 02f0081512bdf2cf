//! Getting work out of Redline: citations of sources (CSL-JSON, BibTeX, RIS),
//! an evidence bundle of one source, a signed WACZ web archive of chosen
//! sources, and whole-library backup and restore.

pub mod backup;
pub mod bundle;
pub mod cite;
pub mod note;
pub mod wacz;

pub use backup::{backup, restore, BackupReport, RestoreReport};
pub use bundle::{verify_bundle, verify_bundle_from, write_bundle, BundleReport};
pub use cite::{bibtex, csl_json, ris, CitedSource};
pub use note::note_markdown;
