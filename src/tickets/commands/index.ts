export { type AddProgressInput, addProgress } from './add-progress.js';
export { type ArriveOnsiteInput, arriveOnsite } from './arrive-onsite.js';
export { type AutoCloseTicketInput, autoCloseTicket } from './auto-close-ticket.js';
export { type CancelTicketInput, cancelTicket } from './cancel-ticket.js';
export { type ChangeLevelInput, changeLevel } from './change-level.js';
export { type ChaseTicketInput, chaseTicket } from './chase-ticket.js';
export { type ClaimTicketInput, claimTicket } from './claim-ticket.js';
export { type ConfirmTicketInput, confirmTicket } from './confirm-ticket.js';
export { type CreateTicketInput, createTicket } from './create-ticket.js';
export { type DispatchOnsiteInput, dispatchOnsite } from './dispatch-onsite.js';
export { type ExplainBreachInput, explainBreach } from './explain-breach.js';
export {
  addToIncident,
  closeIncident,
  INCIDENT_LEVEL,
  incidentTitle,
  type LinkReportInput,
  linkReport,
  reportOf,
  resolveLinkedReports,
  type SplitReportInput,
  shortSystem,
  splitReport,
} from './incident.js';
export { type MergeIntoTicketInput, mergeIntoTicket } from './merge-into-ticket.js';
export { type NoteTicketInput, noteTicket } from './note-ticket.js';
export { type PauseTicketInput, pauseTicket } from './pause-ticket.js';
export { type RecordBreachInput, recordBreach } from './record-breach.js';
export { type RecordEscalationInput, recordEscalation } from './record-escalation.js';
export { type RejectResolutionInput, rejectResolution } from './reject-resolution.js';
export { type RemindConfirmationInput, remindConfirmation } from './remind-confirmation.js';
export { type ResolveTicketInput, resolveTicket } from './resolve-ticket.js';
export { type ResumeTicketInput, resumeTicket } from './resume-ticket.js';
export { type SupplementTicketInput, supplementTicket } from './supplement-ticket.js';
export { type TransferTicketInput, transferTicket } from './transfer-ticket.js';
export { type WithdrawTicketInput, withdrawTicket } from './withdraw-ticket.js';
