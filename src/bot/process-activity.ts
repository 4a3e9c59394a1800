import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from "botbuilder";

/**
 * Runs one already-parsed activity through the adapter: token validation, then `logic`. CloudAdapter.process() would
 * answer every failure with a 500 and console.error it — including a token it merely could not validate because the
 * Bot Framework's signing keys were out of reach — so the server calls the adapter's processActivity (public in
 * JavaScript, `protected` only in botbuilder's typings) and maps failures itself. Rejects with botbuilder's error:
 * AuthenticationError carries statusCode 401.
 */
export function processActivity(
  adapter: CloudAdapter,
  authorization: string,
  activity: Activity,
  logic: (context: TurnContext) => Promise<void>,
): Promise<InvokeResponse | undefined> {
  const open = adapter as unknown as {
    processActivity(
      authorization: string,
      activity: Activity,
      logic: (context: TurnContext) => Promise<void>,
    ): Promise<InvokeResponse | undefined>;
  };
  return open.processActivity(authorization, activity, logic);
}
