// Errors become text a reader can act on: the one place that turns anything thrown into a message.

/** The message of anything thrown: an Error's message, else its text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
