import type { Incident, IncidentSummary, NewIncident } from '../bindings'
import { call } from './invoke'

export const listIncidents = () => call<IncidentSummary[]>('incident_list')
export const getIncident = (id: string) => call<Incident>('incident_get', { id })
export const createIncident = (input: NewIncident) => call<Incident>('incident_create', { input })
export const loadSampleData = () => call<number>('sample_data_load')
