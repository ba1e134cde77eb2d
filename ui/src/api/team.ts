import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { Keep, TeamState } from '../bindings'
import { call } from './invoke'

/** Settings → 团队服务器: the link to the team server and how the sync stands. */
export const teamState = () => call<TeamState>('team_state_get')
/** Joins the team server (the password goes to the OS keyring), then syncs once. */
export const joinTeam = (url: string, password: string, ca: string) =>
  call<TeamState>('team_join', { url, password, ca })
/** Syncs now; a failure (offline) is in `last_error`. */
export const syncTeam = () => call<TeamState>('team_sync')
export const resolveConflict = (entity: string, entityId: string, keep: Keep) =>
  call<TeamState>('team_conflict_resolve', { entity, entityId, keep })
/** A background sync ended: the state is to be read again. */
export const onTeamSynced = (f: () => void): Promise<UnlistenFn> => listen('team-synced', () => f())
