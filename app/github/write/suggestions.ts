import { REVIEW_COMMENTS_MAX } from "../limits.ts";
import type { Octokit } from "../octokit.ts";
import type { PullRef } from "../pull-request.ts";
import { isGreenOpsReview, newSuggestions, reviewBody, reviewFingerprints } from "../render/suggestions.ts";
import type { Reviewed } from "../review-run.ts";
import { minimizeReviews, postReview } from "./review.ts";

/**
 * One review for this push with the suggestions not posted before (at most REVIEW_COMMENTS_MAX), then
 * GreenOps' older reviews none of whose suggestions still applies are minimized as outdated.
 */
export async function publishSuggestions(octokit: Octokit, pull: PullRef, reviewed: Reviewed): Promise<void> {
  const own = reviewed.state.reviews.filter((r) => isGreenOpsReview(r.body));
  const posted = new Set(own.filter((r) => !r.minimized).flatMap((r) => reviewFingerprints(r.body)));
  const fresh = newSuggestions(reviewed.suggestions, posted);
  const now = fresh.slice(0, REVIEW_COMMENTS_MAX);
  if (now.length > 0) {
    const body = reviewBody(pull.headSha, now, fresh.length - now.length);
    await postReview(
      octokit,
      pull,
      body,
      now.map((s) => s.comment),
    );
  }
  const wanted = new Set(reviewed.suggestions.map((s) => s.fingerprint));
  const outdated = own.filter(
    (r) =>
      !r.minimized && r.commit !== pull.headSha && !reviewFingerprints(r.body).some((fp) => wanted.has(fp)),
  );
  await minimizeReviews(
    octokit,
    outdated.map((r) => r.nodeId),
  );
}
