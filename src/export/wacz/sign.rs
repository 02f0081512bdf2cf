//! The library's own signing key: an anonymous ECDSA key, as the WACZ
//! signing recommendation allows, made on first use and kept beside the
//! library in a file only its owner can read. A reporter publishes the
//! public key (the app shows it); anyone holding an export can then check
//! that it came from this library unchanged.
//!
//! The form is ArchiveWeb.page's, which ReplayWeb.page checks: curve P-384,
//! ECDSA over SHA-256 of the `hash` string, the signature as base64 of raw
//! r‖s, the key as base64 SPKI DER. Verification also takes P-256 keys and
//! DER signatures (authsign's form).

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use p384::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p384::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A loaded signing key.
pub struct Signer {
    key: p384::ecdsa::SigningKey,
}

/// Where a library's key lives: `<library file>.signing-key.pem`.
pub fn key_path(library: &Path) -> PathBuf {
    let mut name = library.as_os_str().to_owned();
    name.push(".signing-key.pem");
    PathBuf::from(name)
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl Signer {
    /// Loads the key at `path`, or makes one there (mode 0600, created
    /// exclusively so two processes cannot each make a different key).
    pub fn load_or_create(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(pem) => {
                let key = p384::ecdsa::SigningKey::from_pkcs8_pem(&pem)
                    .map_err(|e| io_err(path, format!("not a PKCS#8 P-384 signing key: {e}")))?;
                Ok(Self { key })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = p384::ecdsa::SigningKey::random(&mut rand_core::OsRng);
                let pem = key
                    .to_pkcs8_pem(p384::pkcs8::LineEnding::LF)
                    .map_err(|e| io_err(path, e))?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(pem.as_bytes())
                            .and_then(|()| file.sync_all())
                            .map_err(|e| io_err(path, e))?;
                        Ok(Self { key })
                    }
                    // Another process made it first: use that one.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::load_or_create(path)
                    }
                    Err(e) => Err(io_err(path, e)),
                }
            }
            Err(e) => Err(io_err(path, e)),
        }
    }

    /// The public key as the signing recommendation carries it: base64 of
    /// its DER SubjectPublicKeyInfo.
    pub fn public_key(&self) -> String {
        let der = p384::ecdsa::VerifyingKey::from(&self.key)
            .to_public_key_der()
            .expect("a P-384 public key encodes");
        B64.encode(der.as_bytes())
    }

    /// Signs `message`: ECDSA with SHA-256, base64 of raw r‖s.
    pub fn sign(&self, message: &[u8]) -> String {
        let sig: p384::ecdsa::Signature = self
            .key
            .sign_prehash(&Sha256::digest(message))
            .expect("a SHA-256 digest is a valid P-384 prehash");
        B64.encode(sig.to_bytes())
    }
}

/// A short, readable form of a public key to compare by eye or publish:
/// the first 16 bytes of the SHA-256 of its DER, as hex pairs.
pub fn fingerprint(public_key_b64: &str) -> String {
    let der = B64.decode(public_key_b64.trim()).unwrap_or_default();
    let hex = crate::hash::sha256_hex(&der);
    hex.as_bytes()[..32]
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("hex is ascii"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Checks a base64 ECDSA signature (raw r‖s or DER) over SHA-256 of
/// `message` against a base64 SPKI public key on P-384 or P-256. The reason
/// on failure is for people.
pub fn verify(
    public_key_b64: &str,
    message: &[u8],
    signature_b64: &str,
) -> std::result::Result<(), String> {
    let der = B64
        .decode(public_key_b64.trim())
        .map_err(|_| "the public key is not base64".to_string())?;
    let sig = B64
        .decode(signature_b64.trim())
        .map_err(|_| "the signature is not base64".to_string())?;
    let digest = Sha256::digest(message);
    let mismatch = || "the signature does not match".to_string();
    if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(&der) {
        let sig = if sig.len() == 96 {
            p384::ecdsa::Signature::from_slice(&sig)
        } else {
            p384::ecdsa::Signature::from_der(&sig)
        }
        .map_err(|_| "the signature is not an ECDSA P-384 signature".to_string())?;
        return key.verify_prehash(&digest, &sig).map_err(|_| mismatch());
    }
    if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(&der) {
        let sig = if sig.len() == 64 {
            p256::ecdsa::Signature::from_slice(&sig)
        } else {
            p256::ecdsa::Signature::from_der(&sig)
        }
        .map_err(|_| "the signature is not an ECDSA P-256 signature".to_string())?;
        return key.verify_prehash(&digest, &sig).map_err(|_| mismatch());
    }
    Err("the public key is not an ECDSA P-384 or P-256 key".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_signs_what_verify_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_path(&dir.path().join("redline.db"));
        let a = Signer::load_or_create(&path).unwrap();
        let b = Signer::load_or_create(&path).unwrap();
        assert_eq!(
            a.public_key(),
            b.public_key(),
            "the key is kept, not remade"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sig = a.sign(b"sha256:abc");
        assert_eq!(verify(&a.public_key(), b"sha256:abc", &sig), Ok(()));
        assert!(verify(&a.public_key(), b"sha256:abd", &sig).is_err());
        let other = Signer::load_or_create(&dir.path().join("other.pem")).unwrap();
        assert!(verify(&other.public_key(), b"sha256:abc", &sig).is_err());
        assert_eq!(fingerprint(&a.public_key()).len(), 32 + 7);
        // authsign's form: a P-256 key and a DER signature.
        let p256_key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let p256_public = B64.encode(
            p256::ecdsa::VerifyingKey::from(&p256_key)
                .to_public_key_der()
                .unwrap()
                .as_bytes(),
        );
        let der: p256::ecdsa::Signature = p256_key
            .sign_prehash(&Sha256::digest(b"sha256:abc"))
            .unwrap();
        let der = B64.encode(der.to_der().as_bytes());
        assert_eq!(verify(&p256_public, b"sha256:abc", &der), Ok(()));
        assert!(verify(&p256_public, b"sha256:abd", &der).is_err());
    }
}

/// A library's public key as a reporter publishes it (on a website, in a
/// byline), so anyone can check that an archive was signed by this library.
#[derive(Clone, Debug, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublicKey {
    /// Base64 SubjectPublicKeyInfo, as `signedData.publicKey` carries it.
    pub public_key: String,
    /// The short form people compare ([`fingerprint`]).
    pub fingerprint: String,
}

impl PublicKey {
    pub fn of(signer: &Signer) -> Self {
        let public_key = signer.public_key();
        PublicKey {
            fingerprint: fingerprint(&public_key),
            public_key,
        }
    }
}
