//! Queries of `settings` (key → text).

use base64ct::Encoding;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Store};
use crate::settings::{check_logo, parse_organisation, parse_user_name, Settings};
use crate::{Lang, Result};

/// Begins every human number in the sample sandbox (`DEMO-INC-2026-0001`), so a sample never
/// reads as a real record.
pub const SAMPLE_PREFIX: &str = "DEMO-";

const LANGUAGE: &str = "language";
const USER_NAME: &str = "user_name";
const ORGANISATION: &str = "organisation";
const LOGO: &str = "logo";
const USER_PERSON: &str = "user_person_id";
const SET_UP: &str = "set_up";
const SAMPLE: &str = "sample";

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        let language = self.setting(LANGUAGE)?.and_then(|t| Lang::from_tag(&t)).unwrap_or_default();
        let user_name = self.setting(USER_NAME)?.unwrap_or_default();
        let organisation = self.setting(ORGANISATION)?.unwrap_or_default();
        let has_logo =
            self.conn.query_row("SELECT count(*) FROM setting_files WHERE key = ?1", [LOGO], |r| {
                r.get::<_, i64>(0)
            })? > 0;
        let user_person_id = self.setting(USER_PERSON)?.filter(|id| !id.is_empty());
        let set_up = self.setting(SET_UP)?.is_some();
        let sample = self.is_sample()?;
        Ok(Settings { language, user_name, organisation, has_logo, user_person_id, set_up, sample })
    }

    /// Notes that the first-run setup was finished (or skipped): it is not offered again.
    pub fn finish_setup(&mut self) -> Result<Settings> {
        self.put_setting(SET_UP, "1")?;
        self.settings()
    }

    /// Marks this database as the sample sandbox: its incident and plan numbers carry
    /// [`SAMPLE_PREFIX`] and its documents say they are samples.
    pub fn mark_sample(&mut self) -> Result<()> {
        self.put_setting(SAMPLE, "1")
    }

    pub fn is_sample(&self) -> Result<bool> {
        Ok(self.setting(SAMPLE)?.is_some())
    }

    /// What a human number starts with here: [`SAMPLE_PREFIX`] in the sample sandbox.
    pub(crate) fn number_prefix(conn: &rusqlite::Connection) -> Result<&'static str> {
        let sample: Option<String> =
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [SAMPLE], |r| r.get(0)).optional()?;
        Ok(if sample.is_some() { SAMPLE_PREFIX } else { "" })
    }

    pub fn set_language(&mut self, lang: Lang) -> Result<Settings> {
        self.put_setting(LANGUAGE, lang.tag())?;
        self.settings()
    }

    /// The person recorded as the actor of every event this user enters.
    pub fn set_user_name(&mut self, name: &str) -> Result<Settings> {
        self.put_setting(USER_NAME, &parse_user_name(name)?)?;
        self.put_setting(USER_PERSON, "")?;
        self.settings()
    }

    /// Makes team member `id` the current user (their name signs the events they record);
    /// an empty `id` unlinks the roster and keeps the name.
    pub fn set_current_person(&mut self, id: &str, now: DateTime<Utc>) -> Result<Settings> {
        if id.trim().is_empty() {
            self.put_setting(USER_PERSON, "")?;
            return self.settings();
        }
        let person = self
            .current_team_member(id.trim(), "user_name", now)
            .map_err(|e| e.labelled(crate::settings::labels))?;
        self.put_setting(USER_NAME, &person.details.name)?;
        self.put_setting(USER_PERSON, &person.id)?;
        self.settings()
    }

    /// The service organisation printed on reports.
    pub fn set_organisation(&mut self, name: &str) -> Result<Settings> {
        self.put_setting(ORGANISATION, &parse_organisation(name)?)?;
        self.settings()
    }

    /// Sets the organisation's logo printed on reports: a PNG or JPEG up to
    /// [`LOGO_MAX_KB`](crate::settings::LOGO_MAX_KB) KB.
    pub fn set_logo(&mut self, image: &[u8], now: DateTime<Utc>) -> Result<Settings> {
        check_logo(image)?;
        self.conn.execute(
            "INSERT INTO setting_files (key, data, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            params![LOGO, image, ts(now)],
        )?;
        self.settings()
    }

    pub fn clear_logo(&mut self) -> Result<Settings> {
        self.conn.execute("DELETE FROM setting_files WHERE key = ?1", [LOGO])?;
        self.settings()
    }

    /// The logo's bytes, if one is set.
    pub fn logo(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT data FROM setting_files WHERE key = ?1", [LOGO], |r| r.get(0))
            .optional()?)
    }

    /// The logo as a `data:` URL for the Settings preview.
    pub fn logo_data_url(&self) -> Result<Option<String>> {
        Ok(self.logo()?.map(|bytes| {
            let mime = if bytes.starts_with(&[0x89, b'P', b'N', b'G']) { "image/png" } else { "image/jpeg" };
            format!("data:{mime};base64,{}", base64ct::Base64::encode_string(&bytes))
        }))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn put_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::{in_memory_db, now};
    use crate::Lang;

    #[test]
    fn language_defaults_to_chinese_and_is_remembered() {
        let mut store = in_memory_db();
        assert_eq!(store.settings().unwrap().language, Lang::ZhCn);
        store.set_language(Lang::En).unwrap();
        assert_eq!(store.settings().unwrap().language, Lang::En);
        store.set_language(Lang::ZhCn).unwrap();
        assert_eq!(store.settings().unwrap().language, Lang::ZhCn);
    }

    #[test]
    fn a_logo_must_be_a_small_image_and_can_be_cleared() {
        let mut store = in_memory_db();
        assert!(!store.settings().unwrap().has_logo);
        let err = store.set_logo(b"GIF89a not really", now()).unwrap_err();
        assert_eq!(err.fields()[0].code(), "not_an_image");
        let png = crate::report::tests::logo_png();
        assert!(store.set_logo(&png, now()).unwrap().has_logo);
        assert_eq!(store.logo().unwrap().as_deref(), Some(png.as_slice()));
        assert!(store.logo_data_url().unwrap().unwrap().starts_with("data:image/png;base64,iVBOR"));
        let huge = vec![0u8; (crate::settings::LOGO_MAX_KB + 1) * 1024];
        assert_eq!(store.set_logo(&huge, now()).unwrap_err().fields()[0].code(), "file_too_large");
        assert!(!store.clear_logo().unwrap().has_logo);
    }

    #[test]
    fn the_current_user_can_be_a_team_member_of_the_roster() {
        use crate::people::PersonForm;
        let mut store = in_memory_db();
        let form =
            PersonForm { name: "张伟".into(), department: "project_manager".into(), ..Default::default() };
        let zhang = store.create_person(&form, now()).unwrap();
        let settings = store.set_current_person(&zhang.id, now()).unwrap();
        assert_eq!(
            (settings.user_name.as_str(), settings.user_person_id.as_deref()),
            ("张伟", Some(zhang.id.as_str()))
        );
        assert_eq!(store.set_current_person("nobody", now()).unwrap_err().fields()[0].field, "user_name");
        let left = PersonForm {
            name: "赵敏".into(),
            department: "quality".into(),
            left: "2026-01-31".into(),
            ..Default::default()
        };
        let gone = store.create_person(&left, now()).unwrap();
        assert!(store.set_current_person(&gone.id, now()).is_err(), "people who left are not offered");
        assert_eq!(
            store.set_user_name("访客").unwrap().user_person_id,
            None,
            "a typed name unlinks the roster"
        );
    }

    #[test]
    fn the_current_user_is_remembered_trimmed() {
        let mut store = in_memory_db();
        assert_eq!(store.settings().unwrap().user_name, "");
        assert_eq!(store.set_user_name("  张伟 ").unwrap().user_name, "张伟");
        assert_eq!(store.set_user_name(&"长".repeat(51)).unwrap_err().code(), "validation");
    }
}
