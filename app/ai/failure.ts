/** A failure of the AI part, in words for the report's one line (never thrown past the AI stage). */
export class AiFailure extends Error {}
