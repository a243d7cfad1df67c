/**
 * The way out of a refused image-folder layout (folders that are not classes of the model): the
 * engine ends such messages with this hint, and the studio offers a one-click "load as
 * unlabelled" whenever a message carries it.
 */
export const UNLABELLED_HINT = 'or load the images as unlabelled (scores are then agreement with the dense model)';

/** True when `message` is a refusal that loading the images unlabelled would avoid. */
export function offersUnlabelled(message: string): boolean {
  return message.includes(UNLABELLED_HINT);
}
