//! RFC 3161 trusted timestamps. The library's own clock proves nothing to a
//! court or an editor; a time stamping authority (TSA) the reporter
//! configures signs "these bytes existed at this time" with its own key.
//! An export stamps its signature string (the WACZ signing recommendation's
//! `timeSignature`), so the archive shows it was signed no later than the
//! TSA's time, whoever later holds the file.
//!
//! A token is a CMS SignedData around a TSTInfo. Checking it means: the
//! imprint is the SHA-256 of what was stamped, the signed attributes carry
//! that TSTInfo's digest, the TSA's certificate (carried in the token)
//! verifies the signature, and — when the checker names the TSA's CA — that
//! certificate chains to it.

use std::time::Duration;

use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{Int, OctetString};
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode};
use p256::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::Certificate;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::error::{Error, Result};

const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const EC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const RSA_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");

/// A TSA's reply is a few KB; anything near this is not one.
const MAX_REPLY: usize = 1 << 20;
const TIMEOUT: Duration = Duration::from_secs(30);
/// Intermediate certificates followed from the TSA's up to a trusted one.
const MAX_CHAIN: usize = 5;

/// What a valid token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The TSA's time (RFC 3339, UTC).
    pub time: String,
    /// The subject of the certificate that signed the token.
    pub tsa: String,
    /// Whether that certificate chains to a CA the checker named.
    pub trusted: bool,
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn of_digest_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            SHA256 => Some(Hash::Sha256),
            SHA384 => Some(Hash::Sha384),
            SHA512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(bytes).to_vec(),
            Hash::Sha384 => Sha384::digest(bytes).to_vec(),
            Hash::Sha512 => Sha512::digest(bytes).to_vec(),
        }
    }
}

/// The minimal positive DER INTEGER for `n`.
fn int(n: u64) -> Int {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    let mut v = Vec::with_capacity(9);
    if bytes[skip] & 0x80 != 0 {
        v.push(0);
    }
    v.extend_from_slice(&bytes[skip..]);
    Int::new(&v).expect("a minimal positive integer")
}

/// A DER TimeStampReq for SHA-256 of `data`, asking for the TSA's
/// certificate in the token (so the token can be checked on its own).
pub fn request(data: &[u8], nonce: u64) -> Vec<u8> {
    request_digest(&Sha256::digest(data), nonce)
}

/// A DER TimeStampReq whose imprint is `sha256` (a digest already made,
/// e.g. a capture's stored hash).
pub fn request_digest(sha256: &[u8], nonce: u64) -> Vec<u8> {
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: x509_cert::spki::AlgorithmIdentifier {
                oid: SHA256,
                parameters: Some(Any::null()),
            },
            hashed_message: OctetString::new(sha256.to_vec()).expect("32 bytes fit"),
        },
        req_policy: None,
        nonce: Some(int(nonce)),
        cert_req: true,
        extensions: None,
    };
    req.to_der().expect("a request encodes")
}

/// Asks the TSA at `url` to stamp `data` (RFC 3161 §3.4: a POST of the
/// DER request) and returns its whole TimeStampResp, checked.
pub async fn obtain(url: &str, data: &[u8]) -> Result<Vec<u8>> {
    obtain_digest(url, &Sha256::digest(data)).await
}

/// [`obtain`] for bytes whose SHA-256 is `sha256`: the token's imprint is
/// that digest, so the bytes need not be read again. Bounded in time
/// ([`TIMEOUT`]) and size ([`MAX_REPLY`]).
pub async fn obtain_digest(url: &str, sha256: &[u8]) -> Result<Vec<u8>> {
    let bad = |why: String| Error::Timestamp(format!("{url}: {why}"));
    let parsed = url::Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("a TSA is reached over http or https".into()));
    }
    let nonce = rand_core::RngCore::next_u64(&mut rand_core::OsRng) >> 1;
    let client = crate::fetch::http_client()
        .user_agent(crate::fetch::USER_AGENT)
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| bad(e.to_string()))?;
    let mut resp = client
        .post(parsed)
        .header("Content-Type", "application/timestamp-query")
        .body(request_digest(sha256, nonce))
        .send()
        .await
        .map_err(|e| bad(format!("no reply ({e})")))?;
    if !resp.status().is_success() {
        return Err(bad(format!("HTTP {}", resp.status())));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| bad(e.to_string()))? {
        if body.len() + chunk.len() > MAX_REPLY {
            return Err(bad(format!("reply larger than {MAX_REPLY} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    check_reply_digest(&body, sha256, Some(nonce), &[]).map_err(bad)?;
    Ok(body)
}

/// Reads PEM certificates (a CA file).
pub fn certificates_from_pem(pem: &str) -> Result<Vec<Certificate>> {
    Certificate::load_pem_chain(pem.as_bytes())
        .map_err(|e| Error::Invalid(format!("not PEM certificates: {e}")))
}

/// The certificates a token carries, as PEM (the TSA's first): the
/// recommendation's `timestampCert`.
pub fn token_certificates_pem(reply: &[u8]) -> std::result::Result<String, String> {
    let (signed, _) = signed_data(reply)?;
    let mut pem = String::new();
    for c in certificates(&signed) {
        let der = c.to_der().map_err(|e| e.to_string())?;
        pem.push_str(
            &der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der)
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(pem)
}

fn signed_data(reply: &[u8]) -> std::result::Result<(SignedData, TstInfo), String> {
    let resp = TimeStampResp::from_der(reply).map_err(|e| format!("not a TimeStampResp: {e}"))?;
    let status = resp.status.status as u8;
    if status > 1 {
        return Err(format!("the TSA refused (PKIStatus {status})"));
    }
    let token = resp.time_stamp_token.ok_or("the reply carries no token")?;
    if token.content_type != SIGNED_DATA {
        return Err("the token is not CMS SignedData".into());
    }
    let signed: SignedData = token
        .content
        .decode_as()
        .map_err(|e| format!("the token's SignedData does not parse: {e}"))?;
    if signed.encap_content_info.econtent_type != TST_INFO {
        return Err("the token does not hold a TSTInfo".into());
    }
    let content = signed
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("the token's TSTInfo is missing")?;
    let octets: OctetString = content
        .decode_as()
        .map_err(|e| format!("the TSTInfo is not wrapped in an OCTET STRING: {e}"))?;
    let info = TstInfo::from_der(octets.as_bytes()).map_err(|e| format!("bad TSTInfo: {e}"))?;
    Ok((signed, info))
}

fn certificates(signed: &SignedData) -> Vec<&Certificate> {
    signed
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Checks a whole TimeStampResp over `data`: the imprint, the nonce when
/// one was sent, the signed attributes and the TSA's signature; and, when
/// `trusted` names CAs, that the TSA's certificate chains to one of them.
pub fn check_reply(
    reply: &[u8],
    data: &[u8],
    nonce: Option<u64>,
    trusted: &[Certificate],
) -> std::result::Result<Stamp, String> {
    check_token(reply, Imprint::Data(data), nonce, trusted)
}

/// [`check_reply`] for a token over bytes known by their SHA-256 (a WARC
/// record's payload digest): the imprint must be SHA-256 and equal it.
pub fn check_reply_digest(
    reply: &[u8],
    sha256: &[u8],
    nonce: Option<u64>,
    trusted: &[Certificate],
) -> std::result::Result<Stamp, String> {
    check_token(reply, Imprint::Sha256(sha256), nonce, trusted)
}

/// What a token's imprint must match.
enum Imprint<'a> {
    Data(&'a [u8]),
    Sha256(&'a [u8]),
}

fn check_token(
    reply: &[u8],
    expected: Imprint<'_>,
    nonce: Option<u64>,
    trusted: &[Certificate],
) -> std::result::Result<Stamp, String> {
    let (signed, info) = signed_data(reply)?;
    let imprint = &info.message_imprint;
    let hash = Hash::of_digest_oid(&imprint.hash_algorithm.oid)
        .ok_or_else(|| format!("unknown imprint hash {}", imprint.hash_algorithm.oid))?;
    let matches = match expected {
        Imprint::Data(data) => imprint.hashed_message.as_bytes() == hash.digest(data),
        Imprint::Sha256(digest) => {
            imprint.hash_algorithm.oid == SHA256 && imprint.hashed_message.as_bytes() == digest
        }
    };
    if !matches {
        return Err("the token stamps other bytes (imprint mismatch)".into());
    }
    if let Some(n) = nonce {
        if info.nonce.as_ref().map(|i| i.as_bytes()) != Some(int(n).as_bytes()) {
            return Err("the token answers another request (nonce mismatch)".into());
        }
    }

    let signer = match signed.signer_infos.0.iter().collect::<Vec<_>>().as_slice() {
        [one] => *one,
        _ => return Err("a token has exactly one signer".into()),
    };
    let certs = certificates(&signed);
    let cert = certs
        .iter()
        .copied()
        .find(|c| match &signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                c.tbs_certificate.issuer == ias.issuer
                    && c.tbs_certificate.serial_number == ias.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => c
                .tbs_certificate
                .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .is_some_and(|(_, own)| own.0 == ski.0),
        })
        .ok_or("the token does not carry the TSA's certificate")?;

    // The signature covers the signed attributes, which must name the
    // content type and carry the digest of the TSTInfo bytes.
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or("the token has no signed attributes")?;
    let content_hash = Hash::of_digest_oid(&signer.digest_alg.oid)
        .ok_or_else(|| format!("unknown digest {}", signer.digest_alg.oid))?;
    let econtent: OctetString = signed
        .encap_content_info
        .econtent
        .as_ref()
        .expect("checked in signed_data")
        .decode_as()
        .map_err(|e| e.to_string())?;
    let mut digest_ok = false;
    let mut type_ok = false;
    for attr in attrs.iter() {
        let Some(value) = attr.values.iter().next() else {
            continue;
        };
        if attr.oid == MESSAGE_DIGEST {
            let d: OctetString = value.decode_as().map_err(|e| e.to_string())?;
            digest_ok = d.as_bytes() == content_hash.digest(econtent.as_bytes());
        } else if attr.oid == CONTENT_TYPE {
            let t: ObjectIdentifier = value.decode_as().map_err(|e| e.to_string())?;
            type_ok = t == TST_INFO;
        }
    }
    if !type_ok {
        return Err("the signed attributes do not name a TSTInfo".into());
    }
    if !digest_ok {
        return Err("the TSTInfo was altered (message digest mismatch)".into());
    }
    let signed_bytes = attrs.to_der().map_err(|e| e.to_string())?;
    verify_signature(
        cert,
        &signer.signature_algorithm.oid,
        content_hash,
        &signed_bytes,
        signer.signature.as_bytes(),
    )
    .map_err(|why| format!("the TSA's signature does not verify: {why}"))?;

    let trusted_ok = !trusted.is_empty() && chains_to(cert, &certs, trusted)?;
    if !trusted.is_empty() && !trusted_ok {
        return Err(format!(
            "the TSA's certificate ({}) does not chain to the CA given",
            cert.tbs_certificate.subject
        ));
    }
    let time = chrono::DateTime::<chrono::Utc>::from(info.gen_time.to_system_time());
    Ok(Stamp {
        time: crate::time::format(time),
        tsa: cert.tbs_certificate.subject.to_string(),
        trusted: trusted_ok,
    })
}

/// Whether `leaf` is one of `trusted` or is signed, through at most
/// [`MAX_CHAIN`] certificates from `carried`, by one of them.
fn chains_to(
    leaf: &Certificate,
    carried: &[&Certificate],
    trusted: &[Certificate],
) -> std::result::Result<bool, String> {
    let mut current = leaf;
    for _ in 0..MAX_CHAIN {
        if trusted.iter().any(|t| t == current) {
            return Ok(true);
        }
        let issued = |issuer: &Certificate| {
            issuer.tbs_certificate.subject == current.tbs_certificate.issuer
                && current
                    .tbs_certificate
                    .to_der()
                    .ok()
                    .and_then(|tbs| {
                        verify_signature(
                            issuer,
                            &current.signature_algorithm.oid,
                            Hash::Sha256,
                            &tbs,
                            current.signature.raw_bytes(),
                        )
                        .ok()
                    })
                    .is_some()
        };
        if trusted.iter().any(issued) {
            return Ok(true);
        }
        match carried.iter().copied().find(|c| *c != current && issued(c)) {
            Some(next) => current = next,
            None => return Ok(false),
        }
    }
    Ok(false)
}

/// Verifies `signature` over `message` with the key of `cert`. `fallback`
/// is the hash when the algorithm names only the key type (CMS allows
/// `rsaEncryption` there, the digest then given apart).
fn verify_signature(
    cert: &Certificate,
    algorithm: &ObjectIdentifier,
    fallback: Hash,
    message: &[u8],
    signature: &[u8],
) -> std::result::Result<(), String> {
    let hash = match *algorithm {
        ECDSA_SHA256 | RSA_SHA256 => Hash::Sha256,
        ECDSA_SHA384 | RSA_SHA384 => Hash::Sha384,
        ECDSA_SHA512 | RSA_SHA512 => Hash::Sha512,
        RSA_KEY | EC_KEY => fallback,
        other => return Err(format!("unsupported signature algorithm {other}")),
    };
    let digest = hash.digest(message);
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let spki_der = spki.to_der().map_err(|e| e.to_string())?;
    match spki.algorithm.oid {
        EC_KEY => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or("EC key without a curve")?
                .decode_as()
                .map_err(|e| e.to_string())?;
            match curve {
                P256 => {
                    let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                        .map_err(|e| e.to_string())?;
                    let sig =
                        p256::ecdsa::Signature::from_der(signature).map_err(|e| e.to_string())?;
                    key.verify_prehash(&digest, &sig).map_err(|e| e.to_string())
                }
                P384 => {
                    let key = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                        .map_err(|e| e.to_string())?;
                    let sig =
                        p384::ecdsa::Signature::from_der(signature).map_err(|e| e.to_string())?;
                    key.verify_prehash(&digest, &sig).map_err(|e| e.to_string())
                }
                other => Err(format!("unsupported curve {other}")),
            }
        }
        RSA_KEY => {
            let key =
                rsa::RsaPublicKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
            let scheme = match hash {
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
            };
            key.verify(scheme, &digest, signature)
                .map_err(|e| e.to_string())
        }
        other => Err(format!("unsupported key type {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_the_rfc_3161_form_openssl_writes() {
        let der = request(b"sha256:abc", 0x0102);
        // SEQ, version 1, imprint SEQ{ SEQ{ sha256 OID, NULL }, OCTET STRING(32) }
        assert_eq!(&der[..2], &[0x30, 0x3d]);
        assert_eq!(&der[2..5], &[0x02, 0x01, 0x01]);
        let digest = Sha256::digest(b"sha256:abc");
        assert!(der.windows(32).any(|w| w == digest.as_slice()));
        // nonce INTEGER 0x0102, then certReq TRUE
        assert_eq!(
            &der[der.len() - 7..],
            &[0x02, 0x02, 0x01, 0x02, 0x01, 0x01, 0xff]
        );
    }

    #[test]
    fn nonces_are_minimal_positive_integers() {
        assert_eq!(int(0).as_bytes(), &[0]);
        assert_eq!(int(0x80).as_bytes(), &[0, 0x80]);
        assert_eq!(int(0x7f_ff).as_bytes(), &[0x7f, 0xff]);
        assert_eq!(int(u64::MAX >> 1).as_bytes().len(), 8);
    }

    #[test]
    fn garbage_is_not_a_token() {
        assert!(check_reply(b"\x30\x03\x02\x01\x00", b"x", None, &[]).is_err());
        assert!(check_reply(b"not der", b"x", None, &[]).is_err());
    }
}
