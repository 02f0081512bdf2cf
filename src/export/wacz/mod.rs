//! Evidence as a signed WACZ (Web Archive Collection Zipped, 1.1.1): the
//! captures as WARC records that pywb and ReplayWeb.page replay, with a
//! CDXJ index, a pages list, a `datapackage.json` naming every file's
//! SHA-256, and `datapackage-digest.json` carrying the library key's
//! signature over that file's hash (the WACZ signing recommendation's
//! anonymous form). One signature covers every byte: change a record, its
//! order, a URL or a time, or drop a record, and a hash or the signature
//! fails — and [`verify_wacz`] names which.

mod cdxj;
pub(crate) mod read;
mod sign;
pub mod stamps;
pub mod timestamp;
mod verify;
mod warc;
mod write;

use serde::{Deserialize, Serialize};

pub use sign::{fingerprint, key_path, PublicKey, Signer};
pub use stamps::{StampReport, StampStatus};
pub use verify::{
    verify_wacz, verify_wacz_from, ArchiveVerification, WaczCheck, WaczCheckItem, WaczCheckKind,
};
pub use write::{write_wacz, WaczReport};

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// One file of the package, as `datapackage.json` lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    pub path: String,
    /// `sha256:` and hex.
    pub hash: String,
    pub bytes: u64,
}

/// `datapackage.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DataPackage {
    pub profile: String,
    pub wacz_version: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub software: String,
    #[serde(default)]
    pub created: String,
    pub resources: Vec<Resource>,
}

/// What the signature covers and carries (`signedData`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedData {
    pub hash: String,
    pub signature: String,
    pub public_key: String,
    pub created: String,
    pub software: String,
    /// Base64 of a whole RFC 3161 TimeStampResp over `signature` (the
    /// recommendation's name), when the library has a TSA configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_signature: Option<String>,
    /// The certificates the timestamp token carries, PEM, the TSA's first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_cert: Option<String>,
}

/// `datapackage-digest.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestFile {
    pub path: String,
    pub hash: String,
    pub signed_data: SignedData,
}
