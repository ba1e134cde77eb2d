import type { AuditCheck, AuditEntry, AuditQuery } from '../bindings'
import { call } from './invoke'

export const auditEntries = (query: Partial<AuditQuery>) => call<AuditEntry[]>('audit_entries', { query })
export const verifyAudit = () => call<AuditCheck>('audit_verify')
