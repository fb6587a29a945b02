//! The tower middleware: [`PaymentLayer`] wraps any service of `http` requests (an axum
//! router, a handler, a `ServeDir`) and lets through only what is free, paid for by a
//! token, or covered by a receipt.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, Request, Response, StatusCode};
use time::OffsetDateTime;
use tower::{Layer, Service};

use crate::merchant::{Gate, Merchant, Refusal};
use crate::wire::{CODE_HEADER, PROBLEM_JSON, RECEIPT_HEADER};

/// A `tower::Layer` that sells the priced URLs of a [`Merchant`]'s site.
///
/// A request for a URL that no offer prices reaches the inner service as it is. One for a
/// priced URL reaches it only with an `Authorization: Micropay token="..."` whose token the
/// merchant's verifier accepts (its nonce and receipt committed first; the response then
/// carries `Micropay-Receipt`), or with `Authorization: Micropay receipt="..."` whose
/// receipt covers the URL now. Everything else is answered by the layer itself: 402 with a
/// challenge per offer, 400, 409 or 503 (docs/http.md).
#[derive(Debug, Clone)]
pub struct PaymentLayer {
    merchant: Merchant,
}

impl PaymentLayer {
    /// The layer of `merchant`.
    pub fn new(merchant: Merchant) -> Self {
        PaymentLayer { merchant }
    }
}

impl<S> Layer<S> for PaymentLayer {
    type Service = PaymentService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PaymentService {
            inner,
            merchant: self.merchant.clone(),
        }
    }
}

/// The service [`PaymentLayer`] makes of an inner service.
#[derive(Debug, Clone)]
pub struct PaymentService<S> {
    inner: S,
    merchant: Merchant,
}

impl<S, B, R> Service<Request<B>> for PaymentService<S>
where
    S: Service<Request<B>, Response = Response<R>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
    R: http_body::Body<Data = Bytes> + Send + 'static,
    R::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The service polled ready is the one called; a fresh clone stays behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let merchant = self.merchant.clone();
        Box::pin(async move {
            let now = OffsetDateTime::now_utc();
            match merchant.gate(request.uri(), request.headers(), now).await {
                Gate::Free => Ok(inner.call(request).await?.map(Body::new)),
                Gate::Serve { receipt, code } => {
                    let mut response = inner.call(request).await?.map(Body::new);
                    let headers = response.headers_mut();
                    if let Some(value) = receipt.and_then(|r| HeaderValue::from_str(&r).ok()) {
                        headers.insert(RECEIPT_HEADER, value);
                    }
                    headers.insert(CODE_HEADER, HeaderValue::from_static(code));
                    // Paid content is for the buyer alone.
                    headers
                        .entry(CACHE_CONTROL)
                        .or_insert(HeaderValue::from_static("private"));
                    Ok(response)
                }
                Gate::Refuse(refusal) => Ok(refusal_response(refusal)),
            }
        })
    }
}

/// The layer's own answer: the problem (or the HTML 402 page), its challenges, never cached.
fn refusal_response(refusal: Refusal) -> Response<Body> {
    let status =
        StatusCode::from_u16(refusal.problem.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let (content_type, body) = match refusal.html {
        Some(html) => ("text/html; charset=utf-8", html.into_bytes()),
        None => (
            PROBLEM_JSON,
            serde_json::to_vec_pretty(&refusal.problem).unwrap_or_default(),
        ),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for challenge in refusal.challenges {
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            headers.append(WWW_AUTHENTICATE, value);
        }
    }
    // The code, also for the HTML page and for logs.
    if let Ok(value) = HeaderValue::from_str(&refusal.problem.code) {
        headers.insert(CODE_HEADER, value);
    }
    response
}
