//! Routes of signing in and out, API tokens, users and the audit log.

use super::{Doc, Route, doc, s};
use crate::api;
use axum::routing::{delete, get, post};
use osa_store::{audit, users};

/// Liveness, this document, the session, the one-time link and API tokens.
pub(super) fn session_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/health",
            get(api::health),
            doc("Liveness and the latest revision", "public")
        ),
        route!(
            "GET",
            "/api/v1/openapi.json",
            get(api::openapi),
            doc("This document", "public")
        ),
        route!(
            "GET",
            "/api/v1/session",
            get(api::whoami),
            Doc {
                response: Some(s::<users::Principal>),
                ..doc("Who you are", "viewer")
            }
        ),
        route!(
            "POST",
            "/api/v1/session",
            post(api::sign_in),
            Doc {
                body: Some(s::<api::SignIn>),
                response: Some(s::<users::Principal>),
                ..doc("Sign in: sets the session cookie (rate-limited)", "public")
            }
        ),
        route!(
            "DELETE",
            "/api/v1/session",
            delete(api::sign_out),
            Doc {
                status: 204,
                ..doc("Sign out", "viewer")
            }
        ),
        route!(
            "GET",
            "/signin",
            get(crate::pages::session::signin),
            Doc {
                query: Some(s::<crate::pages::session::LinkQuery>),
                status: 303,
                ..doc("Use a one-time sign-in link", "public")
            }
        ),
        route!(
            "POST",
            "/api/v1/tokens",
            post(api::create_token),
            Doc {
                body: Some(s::<api::NewToken>),
                status: 201,
                ..doc("Create an API token for yourself", "viewer")
            }
        ),
        route!(
            "DELETE",
            "/api/v1/tokens/{label}",
            delete(api::revoke_token),
            doc("Revoke your tokens with this label", "viewer")
        ),
    ]
}

/// Users and the audit log (admin).
pub(super) fn admin_routes() -> Vec<Route> {
    vec![
        route!(
            "GET",
            "/api/v1/users",
            get(api::users),
            Doc {
                response: Some(s::<Vec<users::User>>),
                ..doc("Users", "admin")
            }
        ),
        route!(
            "POST",
            "/api/v1/users",
            post(api::add_user),
            Doc {
                body: Some(s::<api::NewUser>),
                response: Some(s::<users::User>),
                status: 201,
                ..doc("Add a user", "admin")
            }
        ),
        route!(
            "GET",
            "/api/v1/audit",
            get(api::audit),
            Doc {
                query: Some(s::<api::AuditQuery>),
                response: Some(s::<Vec<audit::Entry>>),
                ..doc("The audit log, newest first", "admin")
            }
        ),
        route!(
            "GET",
            "/api/v1/audit/verify",
            get(api::audit_verify),
            Doc {
                response: Some(s::<audit::Verification>),
                ..doc("Verify the audit log's hash chain and triggers", "admin")
            }
        ),
    ]
}
