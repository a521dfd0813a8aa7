//! This device's signing keys, one per joined community.
//!
//! Where the browser has WebCrypto Ed25519 (Chromium 137+, Firefox 129+, Safari 17+), the
//! private key is generated **non-extractable**: it is stored in IndexedDB as a `CryptoKey`
//! object that no script, this app's included, can read out, only use to sign. Elsewhere a
//! 32-byte seed from `crypto.getRandomValues` is stored and signing happens in Rust
//! (`ed25519-dalek`, the same code the hub verifies with). Either way the signature is the
//! deterministic Ed25519 signature over `linli-event-v1\0` + body, so nothing downstream can
//! tell the two apart.

use js_sys::{Array, Object, Reflect, Uint8Array};
use linli_domain::envelope::{assemble, signing_message};
use linli_domain::{DeviceKey, DeviceSigner, Draft, Event, Hex32};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use super::{Store, StoreError, KEYS};

/// Where the private key lives.
pub enum Signer {
    /// A non-extractable WebCrypto key.
    WebCrypto {
        /// The private key object.
        private: CryptoKey,
        /// Its public key: the device's id.
        public: DeviceKey,
    },
    /// A seed in IndexedDB, signing in Rust.
    Seed(DeviceSigner),
}

/// Why signing failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("signing failed: {0}")]
pub struct SignError(pub String);

fn js_err(e: JsValue) -> SignError {
    SignError(
        e.as_string()
            .or_else(|| {
                Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

fn subtle() -> Result<web_sys::SubtleCrypto, SignError> {
    let window = web_sys::window().ok_or_else(|| SignError("no window".into()))?;
    Ok(window.crypto().map_err(js_err)?.subtle())
}

/// `n` random bytes from the browser's cryptographic generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], SignError> {
    let window = web_sys::window().ok_or_else(|| SignError("no window".into()))?;
    let mut out = [0u8; N];
    window
        .crypto()
        .map_err(js_err)?
        .get_random_values_with_u8_array(&mut out)
        .map_err(js_err)?;
    Ok(out)
}

fn ed25519() -> Object {
    let alg = Object::new();
    let _ = Reflect::set(&alg, &"name".into(), &"Ed25519".into());
    alg
}

impl Signer {
    async fn generate_webcrypto() -> Result<Signer, SignError> {
        let usages = Array::of2(&"sign".into(), &"verify".into());
        let promise = subtle()?
            .generate_key_with_object(&ed25519(), false, &usages)
            .map_err(js_err)?;
        let pair = JsFuture::from(promise).await.map_err(js_err)?;
        let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
            .map_err(js_err)?
            .dyn_into()
            .map_err(js_err)?;
        let public_key: CryptoKey = Reflect::get(&pair, &"publicKey".into())
            .map_err(js_err)?
            .dyn_into()
            .map_err(js_err)?;
        let raw = JsFuture::from(subtle()?.export_key("raw", &public_key).map_err(js_err)?)
            .await
            .map_err(js_err)?;
        let bytes = Uint8Array::new(&raw).to_vec();
        let public: [u8; 32] = bytes
            .try_into()
            .map_err(|_| SignError("public key is not 32 bytes".into()))?;
        // Prove it signs (some browsers list Ed25519 but fail to use it).
        Self::webcrypto_sign(&private, b"probe").await?;
        Ok(Signer::WebCrypto {
            private,
            public: Hex32(public),
        })
    }

    /// The device key (its `author`).
    pub fn device(&self) -> DeviceKey {
        match self {
            Signer::WebCrypto { public, .. } => *public,
            Signer::Seed(s) => s.device(),
        }
    }

    /// Which kind of key, for the diagnostics screen.
    pub fn kind(&self) -> &'static str {
        match self {
            Signer::WebCrypto { .. } => "webcrypto",
            Signer::Seed(_) => "seed",
        }
    }

    async fn webcrypto_sign(private: &CryptoKey, message: &[u8]) -> Result<[u8; 64], SignError> {
        let data = Uint8Array::from(message);
        let promise = subtle()?
            .sign_with_object_and_buffer_source(&ed25519(), private, &data)
            .map_err(js_err)?;
        let sig = Uint8Array::new(&JsFuture::from(promise).await.map_err(js_err)?).to_vec();
        sig.try_into()
            .map_err(|_| SignError("signature is not 64 bytes".into()))
    }

    /// Signs a draft and returns the opened, verified event.
    pub async fn sign(&self, draft: &Draft<'_>) -> Result<Event, SignError> {
        match self {
            Signer::Seed(s) => Ok(s.sign(draft)),
            Signer::WebCrypto { private, public } => {
                let body = draft.body(*public);
                let sig = Self::webcrypto_sign(private, &signing_message(&body)).await?;
                assemble(&body, &sig).map_err(|u| SignError(u.detail))
            }
        }
    }

    /// The value stored in IndexedDB: `{kind, public, private}` (a `CryptoKey`) or
    /// `{kind, seed}`.
    fn to_js(&self, seed: Option<&[u8; 32]>) -> JsValue {
        let o = Object::new();
        let _ = Reflect::set(&o, &"kind".into(), &self.kind().into());
        let _ = Reflect::set(&o, &"public".into(), &self.device().to_hex().into());
        match (self, seed) {
            (Signer::WebCrypto { private, .. }, _) => {
                let _ = Reflect::set(&o, &"private".into(), private);
            }
            (Signer::Seed(_), Some(seed)) => {
                let _ = Reflect::set(
                    &o,
                    &"seed".into(),
                    &linli_domain::id::encode_hex(seed).into(),
                );
            }
            (Signer::Seed(_), None) => {}
        }
        o.into()
    }

    fn from_js(v: &JsValue) -> Option<Signer> {
        let kind = Reflect::get(v, &"kind".into()).ok()?.as_string()?;
        let public = Hex32::parse(&Reflect::get(v, &"public".into()).ok()?.as_string()?).ok()?;
        match kind.as_str() {
            "webcrypto" => {
                let private: CryptoKey =
                    Reflect::get(v, &"private".into()).ok()?.dyn_into().ok()?;
                Some(Signer::WebCrypto { private, public })
            }
            "seed" => {
                let seed =
                    Hex32::parse(&Reflect::get(v, &"seed".into()).ok()?.as_string()?).ok()?;
                let signer = DeviceSigner::from_seed(&seed.0);
                (signer.device() == public).then_some(Signer::Seed(signer))
            }
            _ => None,
        }
    }
}

/// A new signer and the seed behind it when it is not a WebCrypto key (to store).
pub async fn new_signer() -> Result<(Signer, Option<[u8; 32]>), SignError> {
    if let Ok(s) = Signer::generate_webcrypto().await {
        return Ok((s, None));
    }
    let seed = random_bytes::<32>()?;
    Ok((Signer::Seed(DeviceSigner::from_seed(&seed)), Some(seed)))
}

impl Store {
    /// Stores the signer of a space (the seed, for a non-WebCrypto key).
    pub async fn put_key(
        &self,
        space: &str,
        signer: &Signer,
        seed: Option<&[u8; 32]>,
    ) -> Result<(), StoreError> {
        let value = signer.to_js(seed);
        let key = JsValue::from_str(space);
        self.writing(&[KEYS], async |tx| super::put(tx, KEYS, &value, &key).await)
            .await
    }

    /// The signer of a space, if this device has one.
    pub async fn key(&self, space: &str) -> Result<Option<Signer>, StoreError> {
        let v = self
            .reading(&[KEYS], async |tx| {
                tx.object_store(KEYS)
                    .map_err(StoreError::read)?
                    .get(JsValue::from_str(space))
                    .map_err(StoreError::read)?
                    .await
                    .map_err(StoreError::read)
            })
            .await?;
        match v {
            Some(v) if !v.is_undefined() => Signer::from_js(&v)
                .map(Some)
                .ok_or_else(|| StoreError::Read("stored key has an unknown shape".into())),
            _ => Ok(None),
        }
    }
}
