import { RefusalError } from "../../refusal/refusal-error.js";

/** The rollout view names people and their sign-in methods: only members of the Helpdesk Admins group see it. */
export class InventoryAdminsOnlyError extends RefusalError {
  constructor() {
    super(
      "inventoryAdminsOnly",
      "Only members of the Helpdesk Admins group may see the rollout view",
      "inventory.adminsOnly",
    );
  }
}

/** The rollout view is shown in the admin's personal chat only, never in a channel or group chat. */
export class InventoryPersonalChatOnlyError extends RefusalError {
  constructor() {
    super(
      "inventoryPersonalChatOnly",
      "The rollout view must be asked for in a personal chat with the bot",
      "inventory.personalChatOnly",
    );
  }
}

/** A file consent was answered by someone other than the admin the file was made for (or one no longer an admin). */
export class FileConsentNotYoursError extends RefusalError {
  constructor() {
    super(
      "fileConsentNotYours",
      "Only the administrator who asked for an inventory may receive its CSV",
      "inventory.fileConsentNotYours",
    );
  }
}

/** The consent answer lacks what Teams always sends (action, our export id, an https upload URL). */
export class MalformedFileConsentError extends RefusalError {
  constructor(reason: string) {
    super(
      "fileConsentComplete",
      `A file consent answer must carry the action, the export id and the upload URL: ${reason}`,
      "inventory.fileConsentMalformed",
    );
  }
}

/** The consent names an export that is not (or no longer) in storage. */
export class FileConsentGoneError extends RefusalError {
  constructor() {
    super(
      "fileConsentExportExists",
      "A file consent must name an export that is still stored",
      "inventory.fileConsentGone",
    );
  }
}
