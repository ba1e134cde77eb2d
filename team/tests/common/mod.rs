//! The throw-away PostgreSQL the team tests run against: the cluster `tests/pg/cluster.sh`
//! starts (or the one `$YUNWEI_TEST_PG` names), a fresh database per test.
#![allow(dead_code, reason = "each test file uses some of these")]

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use uuid::Uuid;
use yunwei_team::connect;

pub fn admin_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("YUNWEI_TEST_PG") {
            return url;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pg/cluster.sh");
        let out = Command::new(&script).arg("start").output().expect("run tests/pg/cluster.sh");
        assert!(out.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 URL").trim().to_owned()
    })
    .clone()
}

/// `user:password@host:port` of the admin URL split into the address and the rest.
pub fn address() -> String {
    let url = admin_url();
    let after = url.split_once('@').expect("user@host").1;
    after.split_once('/').expect("host/db").0.to_owned()
}

/// A database of its own for one test; returns its name.
pub fn fresh_db() -> String {
    let name = format!("t_{}", Uuid::now_v7().simple());
    let mut admin = connect(&admin_url(), None).expect("admin connects");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
    name
}

pub fn url_as(user: &str, password: &str, db: &str) -> String {
    format!("postgresql://{user}:{password}@{}/{db}", address())
}

pub fn admin_of(db: &str) -> String {
    let url = admin_url();
    let (credentials, _) = url.trim_start_matches("postgresql://").split_once('@').expect("credentials");
    let (user, password) = credentials.split_once(':').expect("user:password");
    url_as(user, password, db)
}

/// A login role of the team, a member of `role`, named uniquely (roles are cluster-wide).
pub fn member(role: &str) -> (String, String) {
    let name =
        format!("{}_{}", role.trim_start_matches("yunwei_"), &Uuid::now_v7().simple().to_string()[20..]);
    let mut admin = connect(&admin_url(), None).expect("admin connects");
    admin
        .batch_execute(&format!("CREATE ROLE {name} LOGIN PASSWORD 'member-pw' IN ROLE {role}"))
        .expect("create member");
    (name, "member-pw".into())
}
