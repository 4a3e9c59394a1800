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
