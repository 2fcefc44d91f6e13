/**
 * Every GitHub limit GreenOps respects, in one place, with where it comes from. Values marked "ours"
 * are GreenOps' choices below a GitHub limit.
 */

/** Check run `output.summary` and `output.text`: `maxLength: 65535` each (OpenAPI, checks/update). */
export const CHECK_OUTPUT_MAX = 65_535;
/** Check run `output.title`: no documented limit; ours, short enough for the checks list. */
export const CHECK_TITLE_MAX = 255;
/** Annotations per create/update request: `maxItems: 50`; later requests append (OpenAPI, checks/update). */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotation `title`: 255 characters (description of checks/update; not in the schema). */
export const ANNOTATION_TITLE_MAX = 255;
/**
 * Annotation `message` and `raw_details`: 64 KB (description of checks/update; not in the schema).
 * Ours counts characters: 16,384 of them are at most 64 KB in UTF-8.
 */
export const ANNOTATION_MESSAGE_MAX = 16_384;
/** Requested-action buttons: label ≤ 20, description ≤ 40 characters (OpenAPI; identifiers are ours, short). */
export const ACTION_LABEL_MAX = 20;
export const ACTION_DESCRIPTION_MAX = 40;

/**
 * Issue comment body: 65,536 characters, counted as UTF-16 code units ("Body is too long (maximum is
 * 65536 characters)"; not in the schema). Ours stays a little below, leaving room for the marker.
 */
const COMMENT_BODY_MAX = 65_536;
export const COMMENT_BODY_BUDGET = COMMENT_BODY_MAX - 536;

/** Review comments per review: ours (reviewdog's 30, to stay clear of abuse detection); the rest are summarised. */
export const REVIEW_COMMENTS_MAX = 30;

/**
 * Blobs per GraphQL query: ours. GitHub documents no alias limit, only 500,000 nodes and a 10 s timeout;
 * a query is also cut at a byte budget so one answer stays small.
 */
export const BLOBS_PER_QUERY = 500;
export const BLOB_BYTES_PER_QUERY = 4 * 1024 * 1024;
/** GraphQL connections: `first`/`last` between 1 and 100. */
export const GRAPHQL_PAGE_MAX = 100;

/** Compare API: the file list stops at 300 files ("up to 300 changed files for the entire comparison"). */
export const COMPARE_FILES_MAX = 300;

/** Secondary rate limits: honour `retry-after`; ours: at most this many retries, each at most this long. */
export const SECONDARY_LIMIT_RETRIES = 2;
export const SECONDARY_LIMIT_MAX_WAIT_SECONDS = 120;

/** Webhooks: answer within 10 s; a redelivery keeps its `X-GitHub-Delivery` id. Ours: ids remembered. */
export const DELIVERIES_REMEMBERED = 10_000;

/** Findings shown as table rows in the comment and the check run: ours; the rest are annotations. */
export const FINDINGS_TABLE_ROWS = 30;

/** Fixes left out of a fix commit, listed with their reason in the check run: ours. */
export const FIXES_LEFT_OUT_ROWS = 10;
