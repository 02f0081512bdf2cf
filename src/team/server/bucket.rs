//! Captures' bytes in an S3-compatible bucket, when `redline serve` is told
//! to keep them there (a newsroom's library outgrows a database it backs up
//! nightly long before it outgrows a bucket).
//!
//! PostgreSQL still holds every blob's row (hash, size): the row is written
//! only after the bucket has the bytes, so a row always means "stored", and
//! the rule that a member reads only blobs its library's captures name stays
//! one query. A row whose `bytes` is NULL lives in the bucket at
//! `blobs/<sha256>`. Bytes read back are hashed again before they are
//! served: the bucket is outside the database's guarantees.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};

use super::Failure;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;

/// Where the bucket is. Credentials are the usual AWS ones (flags or the
/// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment).
#[derive(Clone, Debug)]
pub struct BucketConfig {
    /// `https://s3.example.net` (path-style requests), or None for AWS.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// Blobs kept in the bucket this many at a time (uploads and downloads).
pub(super) const PARALLEL: usize = 8;

/// An open bucket.
#[derive(Clone)]
pub(crate) struct Bucket {
    store: Arc<AmazonS3>,
    name: String,
}

impl Bucket {
    /// Opens the bucket and checks it answers, so a wrong endpoint or key
    /// stops `redline serve` at start rather than at the first push.
    pub(crate) async fn open(config: &BucketConfig) -> Result<Self> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            // A slow bucket fails a request in a minute, not after the
            // library's default three minutes of retries.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(60),
                ..RetryConfig::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(60)),
            );
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(key) = &config.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        let place = format!(
            "the S3 bucket {:?}{}",
            config.bucket,
            config
                .endpoint
                .as_deref()
                .map(|e| format!(" at {e}"))
                .unwrap_or_default()
        );
        let unreachable = |e: object_store::Error| Error::Io {
            path: place.clone(),
            reason: e.to_string(),
        };
        let store = builder.build().map_err(unreachable)?;
        // A listing, not a HEAD: a missing bucket and a missing key both
        // answer a HEAD with a bodiless 404; a listing of a missing bucket
        // fails. The prefix matches nothing, so it is one small request.
        let probe = Path::from("blobs/redline-probe");
        if let Some(Err(e)) = store.list(Some(&probe)).next().await {
            return Err(unreachable(e));
        }
        Ok(Bucket {
            store: Arc::new(store),
            name: config.bucket.clone(),
        })
    }

    fn path(sha: &str) -> Path {
        Path::from(format!("blobs/{sha}"))
    }

    /// Stores a blob already checked against its name.
    pub(crate) async fn put(&self, sha: &str, bytes: &[u8]) -> std::result::Result<(), Failure> {
        self.store
            .put(&Self::path(sha), bytes.to_vec().into())
            .await
            .map(|_| ())
            .map_err(|e| self.failed(sha, "storing", e))
    }

    /// A blob's bytes, refused unless they still hash to its name.
    pub(crate) async fn get(&self, sha: &str) -> std::result::Result<Vec<u8>, Failure> {
        let got = self
            .store
            .get(&Self::path(sha))
            .await
            .map_err(|e| self.failed(sha, "reading", e))?;
        let bytes = got
            .bytes()
            .await
            .map_err(|e| self.failed(sha, "reading", e))?;
        if sha256_hex(&bytes) != sha {
            tracing::error!("bucket {}: blob {sha} does not match its hash", self.name);
            return Err(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "blob_corrupt",
                format!("the bucket's copy of blob {sha} does not match its hash"),
            ));
        }
        Ok(bytes.to_vec())
    }

    fn failed(&self, sha: &str, doing: &str, e: object_store::Error) -> Failure {
        tracing::error!("bucket {}: {doing} blob {sha}: {e}", self.name);
        let message = match e {
            object_store::Error::NotFound { .. } => {
                format!("blob {sha} is recorded but missing from the bucket")
            }
            _ => format!("the blob store failed {doing} blob {sha}"),
        };
        Failure::new(StatusCode::BAD_GATEWAY, "blob_store", message)
    }
}
