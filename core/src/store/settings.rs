//! Queries of `settings` (key → text).

use rusqlite::OptionalExtension;

use super::Store;
use crate::settings::{parse_organisation, parse_user_name, Settings};
use crate::{Lang, Result};

const LANGUAGE: &str = "language";
const USER_NAME: &str = "user_name";
const ORGANISATION: &str = "organisation";

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        let language = self.setting(LANGUAGE)?.and_then(|t| Lang::from_tag(&t)).unwrap_or_default();
        let user_name = self.setting(USER_NAME)?.unwrap_or_default();
        let organisation = self.setting(ORGANISATION)?.unwrap_or_default();
        Ok(Settings { language, user_name, organisation })
    }

    pub fn set_language(&mut self, lang: Lang) -> Result<Settings> {
        self.put_setting(LANGUAGE, lang.tag())?;
        self.settings()
    }

    /// The person recorded as the actor of every event this user enters.
    pub fn set_user_name(&mut self, name: &str) -> Result<Settings> {
        self.put_setting(USER_NAME, &parse_user_name(name)?)?;
        self.settings()
    }

    /// The service organisation printed on reports.
    pub fn set_organisation(&mut self, name: &str) -> Result<Settings> {
        self.put_setting(ORGANISATION, &parse_organisation(name)?)?;
        self.settings()
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
    use crate::store::testing::in_memory_db;
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
    fn the_current_user_is_remembered_trimmed() {
        let mut store = in_memory_db();
        assert_eq!(store.settings().unwrap().user_name, "");
        assert_eq!(store.set_user_name("  张伟 ").unwrap().user_name, "张伟");
        assert_eq!(store.set_user_name(&"长".repeat(51)).unwrap_err().code(), "validation");
    }
}
