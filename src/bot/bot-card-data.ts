import type { CardText } from "../cards/localized-text.js";

/**
 * The data of the cards src/bot builds itself: help and welcome (what everyone can do), and the answers of the turn's
 * boundary (please wait, a refusal, an error with the id to quote).
 */
export type HelpCardData = {
  /** Why help is shown, the roles note and the capabilities' notes, as one text; "" for none. */
  intro: string;
};

export type WelcomeCardData = {
  /** The capabilities' notes for this person (pending approvals and the like); "" for none. */
  notes: string;
};

export type BoundaryMessageData = {
  message: CardText;
};

export type ErrorCardData = {
  message: CardText;
  /** The turn's correlation id, for the person to quote to the help desk. */
  correlationId: string;
};

declare module "../cards/card-message.js" {
  interface CardDataByName {
    "help-admin": HelpCardData;
    "help-agent": HelpCardData;
    "help-user": HelpCardData;
    welcome: WelcomeCardData;
    "please-wait": BoundaryMessageData;
    refusal: BoundaryMessageData;
    error: ErrorCardData;
  }
}
