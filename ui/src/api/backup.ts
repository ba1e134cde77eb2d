import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { BackupStatus, Progress, RecoveryKey, RestoreDrill, RunOutcome } from '../bindings'
import { call } from './invoke'

export const backupStatus = () => call<BackupStatus>('backup_status')
/** Sets backups up: the recovery key comes back once, to show and print. */
export const setUpBackups = (keepMonths: number) => call<RecoveryKey>('backup_set_up', { keepMonths })
/** Asks where to save the recovery sheet of `secret`; `null` when the user cancelled. */
export const saveRecoverySheet = (secret: string) => call<string | null>('backup_recovery_sheet_save', { secret })
/** The OS folder dialog for the second folder; the status as it is then. */
export const chooseBackupFolder = () => call<BackupStatus>('backup_folder_choose')
export const configureBackups = (clearFolder: boolean, keepMonths: number) =>
  call<BackupStatus>('backup_configure', { clearFolder, keepMonths })
export const runBackup = (full: boolean) => call<RunOutcome>('backup_run', { full })
export const drillBackup = (point: string, key: string) => call<RestoreDrill>('backup_drill', { point, key })
export const restoreBackup = (point: string, key: string) => call<BackupStatus>('backup_restore', { point, key })
export const undoRestore = () => call<BackupStatus>('backup_undo_restore')

/** A running backup's progress (any run: from this window or the schedule). */
export const onBackupProgress = (f: (p: Progress) => void): Promise<UnlistenFn> =>
  listen<Progress>('backup-progress', (e) => f(e.payload))
/** A run the schedule started has ended. */
export const onBackupFinished = (f: () => void): Promise<UnlistenFn> => listen('backup-finished', () => f())
