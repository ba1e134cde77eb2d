import type {
  FollowUp,
  FollowUpForm,
  ClockEnder,
  EventForm,
  Incident,
  IncidentCounts,
  IncidentPage,
  IncidentQuery,
  MilestoneReport,
  NewIncident,
} from '../bindings'
import { call } from './invoke'

export const listIncidents = (query: IncidentQuery) => call<IncidentPage>('incident_list', { query })
export const getIncident = (id: string) => call<Incident>('incident_get', { id })
export const createIncident = (input: NewIncident) => call<Incident>('incident_create', { input })
export const addIncidentEvent = (id: string, event: EventForm) => call<Incident>('incident_event_add', { id, event })
export const incidentCounts = () => call<IncidentCounts>('incident_counts')
/** The milestones that resolving or closing the incident now would leave missed for good. */
export const milestonesEndedBy = (id: string, ender: ClockEnder) =>
  call<MilestoneReport[]>('incident_milestones_ended_by', { id, ender })
export const addFollowUp = (id: string, form: FollowUpForm) => call<FollowUp>('follow_up_add', { id, form })
export const followUps = (id: string) => call<FollowUp[]>('follow_ups_list', { id })
