/**
 * One step of a journey test: a true journey (each step acts on what the one before left) is one `it`, and a failure
 * still says which step broke, because the step's name is put in front of the error's message.
 */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error) error.message = `${name}: ${error.message}`;
    throw error;
  }
}
