//! `redline serve`: the team sync service. Plain HTTP on loopback; a reverse
//! proxy terminates TLS in front of it (ARCHITECTURE.md, "Team library").
//!
//! Every request: rate limit by token, token → member → role → library,
//! then every pushed object validated before anything is written. The
//! service stores and returns clipped text as data and never renders it.

mod bucket;
mod limit;
mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::postgres::{PgPool, PgPoolOptions};

use super::protocol::{
    decode_blobs, encode_blobs, is_blob_name, ApiError, BlobList, Invite, LeaseRequest, Leases,
    Push, Role, BASE_VERSION_HEADER, BLOB_BATCH_BYTES, LIBRARY_VERSION_HEADER, MAX_BLOBS_PER_BATCH,
    MAX_BLOB_BATCH_BODY, MAX_BLOB_BYTES, MAX_LEASE_SECONDS, MAX_LEASE_SOURCES, MAX_PUSH_BYTES,
    PAGE_LIMIT,
};
use crate::error::{Error, Result};
use bucket::Bucket;
pub use bucket::BucketConfig;
pub use limit::RateLimit;
use store::Caller;

/// The service's own schema, in PostgreSQL.
static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-pg");

/// How `redline serve` runs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub database_url: String,
    pub listen: SocketAddr,
    pub rate: RateLimit,
    /// Keep captures' bytes in this bucket rather than in PostgreSQL.
    pub bucket: Option<BucketConfig>,
}

/// The statements with which the project-scopes migration fills the scopes
/// of objects already stored (owners, links, scope rows), for whatever
/// writes objects without the service: the scale benchmark's bulk load,
/// and the test that the backfill gives what pushes build.
pub fn project_scope_backfill() -> Vec<String> {
    let migration = include_str!("../../../migrations-pg/20261210000001_project_scopes.sql");
    let sql: Vec<&str> = migration
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    sql.join("\n")
        .split(';')
        .map(str::trim)
        .filter(|s| s.starts_with("UPDATE") || s.starts_with("INSERT"))
        .map(str::to_string)
        .collect()
}

/// Connects to PostgreSQL and brings the service's schema up to date.
pub async fn connect(database_url: &str) -> Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .connect(database_url)
        .await?;
    PG_MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| Error::Migrate(e.to_string()))?;
    Ok(pool)
}

/// Creates a team library and its owner; returns the owner's token (shown
/// once: the server keeps only its hash).
pub async fn init_library(database_url: &str, name: &str, owner: &str) -> Result<String> {
    let pool = connect(database_url).await?;
    let token = store::create_library(&pool, name, owner).await?;
    pool.close().await;
    Ok(token)
}

/// Moves the blobs PostgreSQL holds into the bucket, 200 at a time, for a
/// library that kept them in the database before it had a bucket; `progress`
/// hears (moved, total) after each batch. Safe to stop and run again.
pub async fn move_blobs_to_bucket(
    database_url: &str,
    config: &BucketConfig,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64> {
    let pool = connect(database_url).await?;
    let bucket = Bucket::open(config).await?;
    let (total, _) = store::blobs_in_database(&pool).await?;
    let total = total as u64;
    let mut moved = 0;
    loop {
        let n = store::move_blobs(&pool, &bucket, 200)
            .await
            .map_err(|f| Error::Io {
                path: format!("the S3 bucket {:?}", config.bucket),
                reason: f.message,
            })?;
        if n == 0 {
            break;
        }
        moved += n as u64;
        progress(moved, total.max(moved));
    }
    pool.close().await;
    Ok(moved)
}

#[derive(Clone)]
struct AppState {
    pool: PgPool,
    bucket: Option<Bucket>,
    limits: Arc<limit::Buckets>,
}

/// Runs the service until Ctrl-C; `ready` gets the bound address first (port
/// 0 binds a free port: tests read it).
pub async fn serve(config: ServeConfig, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let pool = connect(&config.database_url).await?;
    let bucket = match &config.bucket {
        Some(c) => Some(Bucket::open(c).await?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::Io {
            path: config.listen.to_string(),
            reason: e.to_string(),
        })?;
    let addr = listener.local_addr().map_err(|e| Error::Io {
        path: config.listen.to_string(),
        reason: e.to_string(),
    })?;
    let state = AppState {
        pool,
        bucket,
        limits: Arc::new(limit::Buckets::new(config.rate)),
    };
    ready(addr);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::Io {
            path: addr.to_string(),
            reason: e.to_string(),
        })
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/me", get(me))
        .route("/v1/libraries/{id}/changes", get(changes))
        .route("/v1/libraries/{id}/projects", get(projects))
        .route(
            "/v1/libraries/{id}/push",
            post(push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route(
            "/v1/libraries/{id}/blobs",
            post(put_blobs).layer(DefaultBodyLimit::max(MAX_BLOB_BATCH_BODY)),
        )
        .route("/v1/libraries/{id}/blobs/missing", post(missing_blobs))
        .route("/v1/libraries/{id}/blobs/fetch", post(fetch_blobs))
        .route(
            "/v1/libraries/{id}/blobs/{sha}",
            get(get_blob)
                .head(head_blob)
                .put(put_blob)
                .layer(DefaultBodyLimit::max(MAX_BLOB_BYTES)),
        )
        .route("/v1/libraries/{id}/leases", post(lease))
        .route("/v1/libraries/{id}/members", get(members).post(invite))
        .route("/v1/libraries/{id}/members/{name}", delete(revoke))
        .with_state(state)
}

/// A refused or failed request: status, stable code, sentence.
#[derive(Debug)]
pub(crate) struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    version: Option<i64>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            version: None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_object", message)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!("database: {e}");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "database",
            "the team database failed",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Json(ApiError {
            code: self.code.into(),
            message: self.message,
        });
        let mut res = (self.status, body).into_response();
        if let Some(v) = self.version {
            res.headers_mut().insert(
                LIBRARY_VERSION_HEADER,
                v.to_string().parse().expect("digits"),
            );
        }
        res
    }
}

type Answer<T> = std::result::Result<T, Failure>;

/// Rate limit, then token → member → role; `library` must be theirs.
async fn caller(state: &AppState, headers: &HeaderMap, library: Option<i64>) -> Answer<Caller> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", "no token"))?;
    let token_sha = crate::hash::sha256_hex(token.trim().as_bytes());
    if !state.limits.take(&token_sha) {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests for this token",
        ));
    }
    let caller = store::caller(&state.pool, &token_sha)
        .await?
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "unknown or revoked token",
            )
        })?;
    if let Some(id) = library {
        if id != caller.library_id {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "not_a_member",
                "not a member of this library",
            ));
        }
    }
    Ok(caller)
}

fn writer(caller: &Caller) -> Answer<()> {
    if caller.role.can_write() {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "viewers cannot write to the team library",
        ))
    }
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let caller = caller(&state, &headers, None).await?;
    Ok(Json(store::me(&state.pool, &caller).await?).into_response())
}

#[derive(Deserialize)]
struct Since {
    since: Option<i64>,
    /// A project's key: the changes in its scope only.
    project: Option<String>,
    limit: Option<i64>,
}

async fn changes(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<Since>,
    headers: HeaderMap,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    let limit = q.limit.unwrap_or(PAGE_LIMIT).clamp(1, PAGE_LIMIT);
    let page = store::changes(
        &state.pool,
        caller.library_id,
        q.project.as_deref(),
        q.since.unwrap_or(0),
        limit,
    )
    .await?;
    Ok(Json(page).into_response())
}

async fn projects(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    Ok(Json(store::projects(&state.pool, caller.library_id).await?).into_response())
}

async fn push(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    writer(&caller)?;
    let base = headers
        .get(BASE_VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            Failure::new(
                StatusCode::PRECONDITION_REQUIRED,
                "base_version_required",
                format!("a push names its base version in {BASE_VERSION_HEADER}"),
            )
        })?;
    let push: Push =
        serde_json::from_slice(&body).map_err(|e| Failure::invalid(format!("not a push: {e}")))?;
    match store::push(&state.pool, &caller, base, push).await {
        Ok(pushed) => Ok(Json(pushed).into_response()),
        Err(store::PushError::Moved(now)) => Err(Failure {
            version: Some(now),
            ..Failure::new(
                StatusCode::PRECONDITION_FAILED,
                "library_moved",
                format!("the library is at version {now}, not {base}: pull first"),
            )
        }),
        Err(store::PushError::Failed(f)) => Err(f),
    }
}

fn check_sha(sha: &str) -> Answer<()> {
    if is_blob_name(sha) {
        Ok(())
    } else {
        Err(Failure::invalid(
            "a blob is named by its lowercase hex SHA-256",
        ))
    }
}

async fn head_blob(
    State(state): State<AppState>,
    Path((id, sha)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Answer<StatusCode> {
    caller(&state, &headers, Some(id)).await?;
    check_sha(&sha)?;
    Ok(if store::blob_exists(&state.pool, &sha).await? {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    })
}

async fn get_blob(
    State(state): State<AppState>,
    Path((id, sha)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    check_sha(&sha)?;
    match store::blob(&state.pool, state.bucket.as_ref(), caller.library_id, &sha).await? {
        // Bytes as data, never as a page: the service renders no clipped HTML.
        Some(bytes) => Ok((
            [(axum::http::header::CONTENT_TYPE, "application/octet-stream")],
            bytes,
        )
            .into_response()),
        None => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such blob",
        )),
    }
}

async fn put_blob(
    State(state): State<AppState>,
    Path((id, sha)): Path<(i64, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<StatusCode> {
    let caller = caller(&state, &headers, Some(id)).await?;
    writer(&caller)?;
    check_sha(&sha)?;
    if crate::hash::sha256_hex(&body) != sha {
        return Err(Failure::invalid(
            "the bytes do not hash to the SHA-256 they were sent as",
        ));
    }
    store::put_blobs(&state.pool, state.bucket.as_ref(), &[(&sha, &body)]).await?;
    Ok(StatusCode::CREATED)
}

/// A batch's names: at most [`MAX_BLOBS_PER_BATCH`], each a SHA-256.
fn check_list(list: &BlobList) -> Answer<()> {
    if list.sha256.len() > MAX_BLOBS_PER_BATCH {
        return Err(Failure::invalid(format!(
            "more than {MAX_BLOBS_PER_BATCH} blobs in one batch"
        )));
    }
    list.sha256.iter().try_for_each(|sha| check_sha(sha))
}

/// Which of the named blobs the server lacks (writers: it is for a push).
async fn missing_blobs(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(list): Json<BlobList>,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    writer(&caller)?;
    check_list(&list)?;
    let missing = store::missing_blobs(&state.pool, &list.sha256).await?;
    Ok(Json(BlobList { sha256: missing }).into_response())
}

/// A batch of blobs: every one must hash to its name, or none is stored.
async fn put_blobs(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<StatusCode> {
    let caller = caller(&state, &headers, Some(id)).await?;
    writer(&caller)?;
    let blobs = decode_blobs(&body).map_err(Failure::invalid)?;
    if let Some((sha, _)) = blobs
        .iter()
        .find(|(sha, bytes)| crate::hash::sha256_hex(bytes) != *sha)
    {
        return Err(Failure::invalid(format!(
            "the bytes sent as {sha} do not hash to it: nothing in this batch is stored"
        )));
    }
    store::put_blobs(&state.pool, state.bucket.as_ref(), &blobs).await?;
    Ok(StatusCode::CREATED)
}

/// The bytes of the named blobs that a capture of the caller's library
/// names (others are left out, as a single fetch answers 404), up to
/// [`BLOB_BATCH_BYTES`]: the client asks again for the rest.
async fn fetch_blobs(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(list): Json<BlobList>,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    check_list(&list)?;
    let found = store::blobs(
        &state.pool,
        state.bucket.as_ref(),
        caller.library_id,
        &list.sha256,
        BLOB_BATCH_BYTES,
    )
    .await?;
    let body = encode_blobs(found.iter().map(|(s, b)| (s.as_str(), b.as_slice())));
    // Bytes as data, never as a page: the service renders no clipped HTML.
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/octet-stream")],
        body,
    )
        .into_response())
}

/// Re-check leases: only writers check (a viewer's result could not be
/// shared), and a request is bounded in sources and in time.
async fn lease(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(req): Json<LeaseRequest>,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    writer(&caller)?;
    if req.sources.len() > MAX_LEASE_SOURCES
        || req.seconds == 0
        || req.seconds > MAX_LEASE_SECONDS
        || req.sources.iter().any(|k| k.is_empty() || k.len() > 4096)
    {
        return Err(Failure::invalid(format!(
            "a lease names at most {MAX_LEASE_SOURCES} sources for 1 to {MAX_LEASE_SECONDS} s"
        )));
    }
    let granted = store::lease(&state.pool, &caller, &req.sources, req.seconds).await?;
    Ok(Json(Leases { granted }).into_response())
}

async fn members(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    Ok(Json(store::members(&state.pool, caller.library_id).await?).into_response())
}

fn owner(caller: &Caller) -> Answer<()> {
    if caller.role == Role::Owner {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "owner_only",
            "only an owner manages members",
        ))
    }
}

async fn invite(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Json(invite): Json<Invite>,
) -> Answer<Response> {
    let caller = caller(&state, &headers, Some(id)).await?;
    owner(&caller)?;
    let name = invite.name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(Failure::invalid("a member needs a name (up to 200 bytes)"));
    }
    let invited = store::invite(&state.pool, caller.library_id, name, invite.role).await?;
    Ok((StatusCode::CREATED, Json(invited)).into_response())
}

async fn revoke(
    State(state): State<AppState>,
    Path((id, name)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Answer<StatusCode> {
    let caller = caller(&state, &headers, Some(id)).await?;
    owner(&caller)?;
    if store::revoke(&state.pool, caller.library_id, &name).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such member",
        ))
    }
}
