//! A page's failure as an HTML page with the right status: the user's mistakes say what to fix,
//! internal failures are logged and shown only as "something went wrong".

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_store::StoreError;

#[derive(Debug)]
pub enum PageError {
    /// Not signed in: go to the login page, then come back to `next`.
    SignIn {
        next: String,
    },
    Forbidden(String),
    NotFound(String),
    BadRequest(String),
    Internal(String),
}

impl PageError {
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        match &error {
            AppError::Forbidden(message) => Self::Forbidden(message.clone()),
            AppError::NotFound { .. } => Self::NotFound(error.to_string()),
            AppError::Store(_) => Self::Internal(error.to_string()),
            _ if error.is_user_error() => Self::BadRequest(error.to_string()),
            _ => Self::Internal(error.to_string()),
        }
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            Self::SignIn { next } => {
                let target = format!("/login?next={}", crate::format::query_escape(&next));
                return Redirect::to(&target).into_response();
            }
            Self::Forbidden(message) => (StatusCode::FORBIDDEN, "Not allowed", message),
            Self::NotFound(message) => (StatusCode::NOT_FOUND, "Not found", message),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, "Please check the request", message),
            Self::Internal(message) => {
                tracing::error!(%message, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not build this page; the details are in its log.".to_owned(),
                )
            }
        };
        (status, Html(crate::layout::bare(title, &message).into_string())).into_response()
    }
}
