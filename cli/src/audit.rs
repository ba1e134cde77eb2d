//! `yunwei audit …`: the audit trail (变更记录) from the command line.

use std::io::Write;

use clap::Subcommand;
use yunwei_core::store::audit::AuditQuery;
use yunwei_core::store::Store;
use yunwei_core::Lang;

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List the changes, newest first
    List {
        /// Only this table (people, training_sessions, settings…)
        #[arg(long)]
        entity: Option<String>,
        /// Only this record (its id)
        #[arg(long)]
        id: Option<String>,
        /// At most this many (at most 1000)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Recompute the trail's hash chain: exit 0 when whole, 1 naming the first entry that was
    /// changed or follows a removed one
    Verify,
}

pub fn run(command: &AuditCommand, store: &Store, lang: Lang, out: &mut impl Write) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let write =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(|e| Failure::from(e.to_string()));
    match command {
        AuditCommand::List { entity, id, limit, json } => {
            let query = AuditQuery {
                entity: entity.clone().unwrap_or_default(),
                entity_id: id.clone().unwrap_or_default(),
                limit: *limit,
                ..Default::default()
            };
            let entries = store.audit_entries(&query).map_err(fail)?;
            if *json {
                return crate::write_json(out, &entries);
            }
            for e in entries {
                let at = yunwei_core::i18n::format_service_time(e.at);
                let changes: Vec<String> = e
                    .changes
                    .iter()
                    .map(|c| {
                        let show = |v: &Option<String>| -> String {
                            v.as_deref()
                                .map(|t| yunwei_core::text::for_terminal(t).into_owned())
                                .unwrap_or_default()
                        };
                        format!("{}: {} → {}", c.field, show(&c.before), show(&c.after))
                    })
                    .collect();
                let actor = yunwei_core::text::for_terminal(&e.actor);
                write(
                    out,
                    format!(
                        "{}\t{at}\t{actor}\t{}\t{}/{}\t{}",
                        e.seq,
                        e.action,
                        e.entity,
                        e.entity_id,
                        changes.join("; ")
                    ),
                )?;
            }
            Ok(())
        }
        AuditCommand::Verify => {
            let check = store.verify_audit().map_err(fail)?;
            match check.first_broken {
                None => write(
                    out,
                    lang.pick(
                        &format!("审计记录完整：{} 条，哈希链逐条核对无误", check.entries),
                        &format!("The audit trail is whole: {} entries, every link of the hash chain checks", check.entries),
                    )
                    .to_owned(),
                ),
                Some(seq) => Err(Failure::from(match lang {
                    Lang::ZhCn => format!("审计记录被改动：第 {seq} 条与其前一条的哈希链不符（该条或其前一条被修改或删除）"),
                    Lang::En => format!("The audit trail was altered: entry {seq} does not follow from the one before it (it, or the one before, was changed or removed)"),
                })),
            }
        }
    }
}
