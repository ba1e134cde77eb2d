import type { Catalogue, ContingencyForm, ContingencyPlan, Incident, PlanChoice } from '../bindings'
import { call } from './invoke'

/** The emergency plans (应急预案), each with where its review stands. */
export const contingencyCatalogue = () => call<Catalogue>('contingency_catalogue')
/** Saves plan `id` as its next version, or a new plan (`id` = `null`). */
export const saveContingencyPlan = (id: string | null, form: ContingencyForm) =>
  call<ContingencyPlan>('contingency_plan_save', { id, form })
/** The plans incident `id` may activate, those fitting it first. */
export const plansForIncident = (id: string) => call<PlanChoice[]>('contingency_for_incident', { id })
export const activatePlan = (id: string, planId: string) => call<Incident>('contingency_activate', { id, planId })
export const planStepDone = (id: string, planId: string, step: number, person: string) =>
  call<Incident>('contingency_step_done', { id, planId, step, person })
