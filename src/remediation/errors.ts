/** A plan cannot be built; the message is for the user (it names the culprit and what to do). */
export class PlanError extends Error {
  override name = 'PlanError';
}
