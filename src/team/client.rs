//! The desktop's side of the protocol: one HTTP call per method, answers
//! mapped to [`TeamError`]s. Tokens travel only over HTTPS, or plain HTTP to
//! this machine (the service on loopback, or tests).

use std::net::IpAddr;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::protocol::{
    decode_blobs, encode_blobs, ApiError, BlobList, Changes, Invite, Invited, LeaseRequest, Leases,
    Me, MemberInfo, Projects, Push, Pushed, Role, BASE_VERSION_HEADER,
};
use super::TeamError;

/// What a push answered.
pub enum PushAnswer {
    Done(Pushed),
    /// The library moved past the base version: pull, then push again.
    Moved,
}

/// A connection to one team server with one member's token.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: String,
}

/// True when `url` may carry a token: https, or http to a loopback host.
pub fn check_url(url: &str) -> Result<Url, TeamError> {
    let parsed = Url::parse(url)
        .map_err(|e| TeamError::Unreachable(format!("not a server URL: {url}: {e}")))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            if loopback {
                Ok(parsed)
            } else {
                Err(TeamError::Insecure(
                    parsed.host_str().unwrap_or_default().to_string(),
                ))
            }
        }
        other => Err(TeamError::Unreachable(format!(
            "{other}:// is not a team server URL (https://)"
        ))),
    }
}

impl Client {
    pub fn new(url: &str, token: &str) -> Result<Self, TeamError> {
        let mut base = check_url(url)?;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let http = crate::fetch::http_client()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        Ok(Client {
            http,
            base,
            token: token.trim().to_string(),
        })
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, TeamError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        Ok(self.http.request(method, url).bearer_auth(&self.token))
    }

    async fn send(&self, req: RequestBuilder) -> Result<Response, TeamError> {
        let res = req
            .send()
            .await
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        let status = res.status();
        if status.is_success() {
            return Ok(res);
        }
        let body = res.bytes().await.unwrap_or_default();
        let message = match serde_json::from_slice::<ApiError>(&body) {
            Ok(e) => e.message,
            Err(_) => status.to_string(),
        };
        Err(match status {
            StatusCode::UNAUTHORIZED => TeamError::Unauthorized,
            StatusCode::FORBIDDEN => TeamError::Forbidden(message),
            StatusCode::TOO_MANY_REQUESTS => TeamError::RateLimited,
            StatusCode::PRECONDITION_FAILED => TeamError::Busy,
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::PAYLOAD_TOO_LARGE => {
                TeamError::Refused(message)
            }
            _ => TeamError::Server(format!("{status}: {message}")),
        })
    }

    async fn json<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<(T, u64), TeamError> {
        let res = self.send(req).await?;
        let bytes = res
            .bytes()
            .await
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        let value = serde_json::from_slice(&bytes)
            .map_err(|e| TeamError::Server(format!("unreadable answer: {e}")))?;
        Ok((value, bytes.len() as u64))
    }

    pub async fn me(&self) -> Result<Me, TeamError> {
        Ok(self.json(self.request(Method::GET, "v1/me")?).await?.0)
    }

    /// One page of changes after `since` (in `project`'s scope, or in the
    /// whole library), and its size on the wire.
    pub async fn changes(
        &self,
        library: i64,
        project: Option<&str>,
        since: i64,
    ) -> Result<(Changes, u64), TeamError> {
        let mut req = self
            .request(Method::GET, &format!("v1/libraries/{library}/changes"))?
            .query(&[("since", since)]);
        if let Some(project) = project {
            req = req.query(&[("project", project)]);
        }
        self.json(req).await
    }

    /// The team library's projects, and its version.
    pub async fn projects(&self, library: i64) -> Result<(Projects, u64), TeamError> {
        self.json(self.request(Method::GET, &format!("v1/libraries/{library}/projects"))?)
            .await
    }

    /// Pushes objects on `base`; the bytes sent are returned too.
    pub async fn push(
        &self,
        library: i64,
        base: i64,
        push: &Push,
    ) -> Result<(PushAnswer, u64), TeamError> {
        let body = serde_json::to_vec(push).expect("pushes serialise");
        let sent = body.len() as u64;
        let req = self
            .request(Method::POST, &format!("v1/libraries/{library}/push"))?
            .header(BASE_VERSION_HEADER, base.to_string())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        match self.json::<Pushed>(req).await {
            Ok((pushed, _)) => Ok((PushAnswer::Done(pushed), sent)),
            Err(TeamError::Busy) => Ok((PushAnswer::Moved, sent)),
            Err(e) => Err(e),
        }
    }

    /// Asks to re-check `sources` for `seconds`; returns those granted.
    pub async fn lease(
        &self,
        library: i64,
        sources: Vec<String>,
        seconds: u32,
    ) -> Result<Vec<String>, TeamError> {
        let body =
            serde_json::to_vec(&LeaseRequest { sources, seconds }).expect("leases serialise");
        let req = self
            .request(Method::POST, &format!("v1/libraries/{library}/leases"))?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        Ok(self.json::<Leases>(req).await?.0.granted)
    }

    pub async fn put_blob(&self, library: i64, sha: &str, bytes: Vec<u8>) -> Result<(), TeamError> {
        let req = self
            .request(Method::PUT, &format!("v1/libraries/{library}/blobs/{sha}"))?
            .body(bytes);
        self.send(req).await?;
        Ok(())
    }

    pub async fn blob(&self, library: i64, sha: &str) -> Result<Vec<u8>, TeamError> {
        let req = self.request(Method::GET, &format!("v1/libraries/{library}/blobs/{sha}"))?;
        let res = self.send(req).await?;
        Ok(res
            .bytes()
            .await
            .map_err(|e| TeamError::Unreachable(e.to_string()))?
            .to_vec())
    }

    /// `POST …/blobs/{what}` naming `shas`.
    fn blob_list(
        &self,
        library: i64,
        what: &str,
        shas: &[String],
    ) -> Result<RequestBuilder, TeamError> {
        let list = BlobList {
            sha256: shas.to_vec(),
        };
        Ok(self
            .request(
                Method::POST,
                &format!("v1/libraries/{library}/blobs/{what}"),
            )?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&list).expect("a list of names serialises")))
    }

    /// Which of `shas` (at most [`super::protocol::MAX_BLOBS_PER_BATCH`])
    /// the server lacks.
    pub async fn missing_blobs(
        &self,
        library: i64,
        shas: &[String],
    ) -> Result<Vec<String>, TeamError> {
        let req = self.blob_list(library, "missing", shas)?;
        Ok(self.json::<BlobList>(req).await?.0.sha256)
    }

    /// Sends a batch of blobs in one request; returns the bytes sent.
    pub async fn put_blobs(
        &self,
        library: i64,
        blobs: &[(String, Vec<u8>)],
    ) -> Result<u64, TeamError> {
        let body = encode_blobs(blobs.iter().map(|(s, b)| (s.as_str(), b.as_slice())));
        let sent = body.len() as u64;
        let req = self
            .request(Method::POST, &format!("v1/libraries/{library}/blobs"))?
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body);
        self.send(req).await?;
        Ok(sent)
    }

    /// The bytes of as many of `shas` as fit in one answer, each checked
    /// against its name; the caller asks again for the rest. Returns the
    /// blobs and the bytes received.
    pub async fn fetch_blobs(
        &self,
        library: i64,
        shas: &[String],
    ) -> Result<(Vec<(String, Vec<u8>)>, u64), TeamError> {
        let req = self.blob_list(library, "fetch", shas)?;
        let body = self
            .send(req)
            .await?
            .bytes()
            .await
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        let blobs = decode_blobs(&body).map_err(TeamError::Server)?;
        let asked: std::collections::HashSet<&str> = shas.iter().map(String::as_str).collect();
        let mut out = Vec::with_capacity(blobs.len());
        for (sha, bytes) in blobs {
            if !asked.contains(sha) || crate::hash::sha256_hex(bytes) != sha {
                return Err(TeamError::Server(format!(
                    "the server sent bytes for {sha} that were not asked for or do not hash to it"
                )));
            }
            out.push((sha.to_string(), bytes.to_vec()));
        }
        Ok((out, body.len() as u64))
    }

    pub async fn invite(&self, library: i64, name: &str, role: Role) -> Result<Invited, TeamError> {
        let req = self
            .request(Method::POST, &format!("v1/libraries/{library}/members"))?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(
                serde_json::to_vec(&Invite {
                    name: name.to_string(),
                    role,
                })
                .expect("invitations serialise"),
            );
        Ok(self.json(req).await?.0)
    }

    pub async fn members(&self, library: i64) -> Result<Vec<MemberInfo>, TeamError> {
        let req = self.request(Method::GET, &format!("v1/libraries/{library}/members"))?;
        Ok(self.json(req).await?.0)
    }

    pub async fn revoke(&self, library: i64, name: &str) -> Result<(), TeamError> {
        let mut url = self
            .base
            .join(&format!("v1/libraries/{library}/members/"))
            .map_err(|e| TeamError::Unreachable(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|_| TeamError::Unreachable("bad server URL".into()))?
            .pop_if_empty()
            .push(name);
        let req = self.http.delete(url).bearer_auth(&self.token);
        self.send(req).await?;
        Ok(())
    }
}
