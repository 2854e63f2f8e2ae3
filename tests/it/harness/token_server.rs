//! A Docker token server the tests run in-process: HTTPS on a free loopback port, issuing
//! ES256 JWTs that docker-registry verifies through its `rootcertbundle`.
//!
//! Tokens carry the signing certificate in the `x5c` header; distribution 2.8 checks that chain
//! against the bundle, which holds the same self-signed certificate. The claims are the ones
//! distribution reads: `iss`, `sub`, `aud` (a single string, the requested `service`), `exp`,
//! `nbf`, `iat`, `jti` and `access`.
//!
//! Default policy: [`USER`]:[`PASSWORD`] gets every action it asks for; an anonymous request gets
//! a token with no access at all (so the registry answers 401 and rctl must ask the user to log
//! in); wrong credentials get 401. [`Policy`] changes what is granted (a public registry's
//! anonymous pulls, a pull-only user). Both the GET form (Basic auth, repeated `scope`, `service`,
//! `account`, `offline_token=true`) and the OAuth2 POST form (`grant_type=password` or
//! `refresh_token`, `access_type=offline`) are served. Every request is recorded so tests can
//! assert on the scopes asked. Any path other than `/token` answers 404, which makes the server
//! a handy "not a registry" too.

use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;

use super::certs::TestCerts;
use super::registry::{PASSWORD, TOKEN_ISSUER, TOKEN_SERVICE, USER};

/// The refresh token handed out for [`USER`] when one is asked for.
pub const REFRESH_TOKEN: &str = "rctl-test-refresh-token";
/// How long issued tokens live, in seconds.
pub const TOKEN_LIFETIME: u64 = 300;

/// One request the token server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// Every scope asked for, in order (`repository:app:pull`).
    pub scopes: Vec<String>,
    pub service: Option<String>,
    /// The `account` query parameter (GET) or `username` (POST password grant).
    pub account: Option<String>,
    /// `grant_type` of a POST.
    pub grant_type: Option<String>,
    /// Who the request authenticated as; `None` for anonymous or rejected requests.
    pub user: Option<String>,
    /// The status the server answered with.
    pub status: u16,
    /// The `User-Agent` header, telling rctl's requests from skopeo's.
    pub user_agent: Option<String>,
}

/// A running token server, stopped when dropped.
pub struct TokenServer {
    pub port: u16,
    /// `https://127.0.0.1:PORT/token`: docker-registry's `auth.token.realm`.
    pub realm: String,
    /// `127.0.0.1:PORT`
    pub address: String,
    requests: Arc<Mutex<Vec<TokenRequest>>>,
    issuer: Arc<Issuer>,
    /// Owns the server task; dropping it stops the server.
    _runtime: tokio::runtime::Runtime,
}

/// What the token server grants; the default is the policy described in the module docs.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Actions an anonymous request gets on any repository (`["pull"]` for a public registry);
    /// empty by default.
    pub anonymous_actions: Vec<String>,
    /// Actions [`USER`] may get on any repository; `None` (the default) grants all it asks for.
    pub user_actions: Option<Vec<String>>,
}

struct Issuer {
    policy: Mutex<Policy>,
    key: jsonwebtoken::EncodingKey,
    /// The signing certificate, base64 DER, for the `x5c` header.
    x5c: String,
    requests: Arc<Mutex<Vec<TokenRequest>>>,
}

impl TokenServer {
    /// Start serving HTTPS with `certs.server_cert`, signing with `certs.signing_key`.
    pub fn start(certs: &TestCerts) -> TokenServer {
        TokenServer::start_with_policy(certs, Policy::default())
    }

    /// As [`TokenServer::start`], granting what `policy` says.
    pub fn start_with_policy(certs: &TestCerts, policy: Policy) -> TokenServer {
        let key_pem = std::fs::read(&certs.signing_key).expect("read signing key");
        let key = jsonwebtoken::EncodingKey::from_ec_pem(&key_pem).expect("parse signing key");
        let signing_cert = CertificateDer::from_pem_file(&certs.signing_cert).unwrap();
        let x5c = base64::engine::general_purpose::STANDARD.encode(signing_cert.as_ref());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let issuer = Arc::new(Issuer {
            policy: Mutex::new(policy),
            key,
            x5c,
            requests: requests.clone(),
        });
        let app = Router::new().fallback(answer).with_state(issuer.clone());

        let listener = StdListener::bind("127.0.0.1:0").expect("bind the token server");
        let port = listener.local_addr().unwrap().port();
        let tls = server_tls_config(certs);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.spawn(serve_tls(listener, tls, app));
        TokenServer {
            port,
            realm: format!("https://127.0.0.1:{port}/token"),
            address: format!("127.0.0.1:{port}"),
            requests,
            issuer,
            _runtime: runtime,
        }
    }

    /// Grant what `policy` says from now on (after a setup step pushed with full access, say).
    pub fn set_policy(&self, policy: Policy) {
        *self.issuer.policy.lock().unwrap() = policy;
    }

    /// The requests answered so far.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// Forget the requests so far (those of a setup step, say).
    pub fn clear_requests(&self) {
        self.requests.lock().unwrap().clear();
    }
}

/// A rustls server config for `certs.server_cert` (ring provider, HTTP/1.1).
pub fn server_tls_config(certs: &TestCerts) -> Arc<rustls::ServerConfig> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&certs.server_cert)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(&certs.server_key).expect("read server key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server certificate and key match");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// Serve `app` over TLS on `listener` until the runtime stops.
pub async fn serve_tls(listener: StdListener, tls: Arc<rustls::ServerConfig>, app: Router) {
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            // A client that rejects the certificate ends the handshake; nothing to serve then.
            let Ok(stream) = acceptor.accept(tcp).await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    State(issuer): State<Arc<Issuer>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if uri.path() != "/token" || (method != Method::GET && method != Method::POST) {
        return (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    }
    let params: Vec<(String, String)> = if method == Method::POST {
        url::form_urlencoded::parse(&body).into_owned().collect()
    } else {
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let scopes: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect();
    let grant_type = param("grant_type").filter(|_| method == Method::POST);

    // Who is asking: Some(Some(user)), anonymous Some(None), or rejected None.
    let identity: Option<Option<String>> = match grant_type.as_deref() {
        Some("password") => {
            let valid = param("username").as_deref() == Some(USER)
                && param("password").as_deref() == Some(PASSWORD);
            valid.then(|| Some(USER.to_string()))
        }
        Some("refresh_token") => {
            (param("refresh_token").as_deref() == Some(REFRESH_TOKEN)).then(|| Some(USER.into()))
        }
        Some(_) => None,
        None => match basic_credentials(&headers) {
            Some((user, password)) if user == USER && password == PASSWORD => Some(Some(user)),
            Some(_) => None,
            None if headers.contains_key("authorization") => None,
            None => Some(None),
        },
    };
    let mut record = TokenRequest {
        method: method.to_string(),
        scopes: scopes.clone(),
        service: param("service"),
        account: param("account").or_else(|| param("username")),
        grant_type: grant_type.clone(),
        user: identity.clone().flatten(),
        status: 200,
        user_agent: headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };

    let Some(user) = identity else {
        record.status = 401;
        issuer.requests.lock().unwrap().push(record);
        let body = json!({"errors": [{"code": "UNAUTHORIZED", "message": "invalid username or password"}]});
        return json_response(StatusCode::UNAUTHORIZED, &body);
    };
    issuer.requests.lock().unwrap().push(record);

    let policy = issuer.policy.lock().unwrap().clone();
    let allowed = match &user {
        None => Some(&policy.anonymous_actions),
        Some(_) => policy.user_actions.as_ref(),
    };
    let access: Vec<serde_json::Value> = scopes
        .iter()
        .filter_map(|s| grant(s, allowed.map(Vec::as_slice)))
        .collect();
    let service = param("service").unwrap_or_else(|| TOKEN_SERVICE.to_string());
    let token = issuer.sign(user.as_deref().unwrap_or(""), &service, access);
    let mut body = json!({
        "token": token,
        "access_token": token,
        "expires_in": TOKEN_LIFETIME,
    });
    let offline = param("access_type").as_deref() == Some("offline")
        || param("offline_token").as_deref() == Some("true");
    if offline && user.is_some() {
        body["refresh_token"] = json!(REFRESH_TOKEN);
    }
    json_response(StatusCode::OK, &body)
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

impl Issuer {
    fn sign(&self, subject: &str, service: &str, access: Vec<serde_json::Value>) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let claims = json!({
            "iss": TOKEN_ISSUER,
            "sub": subject,
            "aud": service,
            "exp": now + TOKEN_LIFETIME,
            "nbf": now - 10,
            "iat": now,
            "jti": uuid::Uuid::new_v4().to_string(),
            "access": access,
        });
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
        header.x5c = Some(vec![self.x5c.clone()]);
        jsonwebtoken::encode(&header, &claims, &self.key).expect("sign a token")
    }
}

/// The access entry for `scope` (`type:name:actions`; the name may hold `:`), limited to the
/// `allowed` actions (`None`: everything asked for). `None` when nothing is granted.
fn grant(scope: &str, allowed: Option<&[String]>) -> Option<serde_json::Value> {
    let (kind, rest) = scope.split_once(':')?;
    let (name, actions) = rest.rsplit_once(':')?;
    let actions: Vec<&str> = actions
        .split(',')
        .filter(|a| !a.is_empty())
        .filter(|a| allowed.is_none_or(|allowed| allowed.iter().any(|x| x == a)))
        .collect();
    if actions.is_empty() {
        return None;
    }
    Some(json!({"type": kind, "name": name, "actions": actions}))
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}
