-- Digital signatures: keys and certificates, and the signed report revisions.

-- The company CA (role 'authority', when created here) and the signing identity of this
-- copy's user (role 'signer'). Keys are PKCS#8 EncryptedPrivateKeyInfo (PBES2: scrypt +
-- AES-256-CBC) and never stored in clear. Retired rows stay so old signatures keep verifying
-- as trusted.
CREATE TABLE signing_identities (
    id            INTEGER PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('authority', 'signer')),
    certificate   BLOB NOT NULL,
    -- The issuers' certificates, nearest first, DER, concatenated.
    chain         BLOB NOT NULL DEFAULT x'',
    encrypted_key BLOB NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('created', 'imported')),
    created_at    TEXT NOT NULL,
    retired_at    TEXT
);
CREATE UNIQUE INDEX signing_identities_one_active ON signing_identities (role) WHERE retired_at IS NULL;

-- Every signed report exactly as issued. Rows are never changed or removed: a later signing
-- of the same incident is the next revision.
CREATE TABLE report_revisions (
    id            INTEGER PRIMARY KEY,
    incident_id   TEXT NOT NULL REFERENCES incidents (id),
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    report_number TEXT NOT NULL,
    lang          TEXT NOT NULL,
    signer        TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    pdf           BLOB NOT NULL,
    UNIQUE (incident_id, revision)
);
CREATE INDEX report_revisions_by_sha256 ON report_revisions (sha256);

CREATE TRIGGER report_revisions_immutable BEFORE UPDATE ON report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are immutable');
END;

CREATE TRIGGER report_revisions_kept BEFORE DELETE ON report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are kept');
END;
