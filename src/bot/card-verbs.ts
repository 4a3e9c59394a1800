/**
 * Every Action.Execute verb the bot understands. The same strings appear in `cards/*.json`; a contract test proves
 * every verb used in a card has a handler and every handler is reachable from a card.
 */
export const CardVerbs = {
  helpShow: "help.show",

  triageStart: "triage.start",
  triagePlatform: "triage.platform",
  triageAnswer: "triage.answer",
  triageRecheck: "triage.recheck",
  triageEscalate: "triage.escalate",
  triageUser: "triage.user",

  ticketAssign: "ticket.assign",

  tapRequestForm: "tap.requestForm",
  tapSubmit: "tap.submit",
  tapConfirm: "tap.confirm",
  tapDecline: "tap.decline",
  tapApprove: "tap.approve",
  tapDeny: "tap.deny",
  tapReveal: "tap.reveal",
  tapHide: "tap.hide",
  tapCancel: "tap.cancel",

  doctorRun: "doctor.run",
} as const;

export type CardVerb = (typeof CardVerbs)[keyof typeof CardVerbs];
