import type { AppInfo, Lang, SandboxStatus, Settings } from '../bindings'
import { call } from './invoke'

export const getSettings = () => call<Settings>('settings_get')
export const setLanguage = (language: Lang) => call<Settings>('settings_set_language', { language })
export const setUserName = (name: string) => call<Settings>('settings_set_user_name', { name })
/** Makes a team member of the roster the current user; '' unlinks. */
export const setCurrentPerson = (id: string) => call<Settings>('settings_set_current_person', { id })
export const setOrganisation = (name: string) => call<Settings>('settings_set_organisation', { name })
export const getAppInfo = () => call<AppInfo>('app_info')
/** Asks for a logo image (OS file dialog) and keeps it; the settings as they are then. */
export const chooseSettingsLogo = () => call<Settings>('settings_logo_choose')
export const clearSettingsLogo = () => call<Settings>('settings_logo_clear')
/** The logo as a `data:` URL, or `null`. */
export const getSettingsLogo = () => call<string | null>('settings_logo_get')
/** The first-run setup was finished or skipped: it is not offered again. */
export const finishSetup = () => call<Settings>('settings_finish_setup')

/** The sample sandbox: a database of its own that takes the real record's place while open. */
export const sandboxStatus = () => call<SandboxStatus>('sandbox_status')
export const enterSandbox = () => call<SandboxStatus>('sandbox_enter')
export const leaveSandbox = (remove: boolean) => call<SandboxStatus>('sandbox_leave', { remove })
