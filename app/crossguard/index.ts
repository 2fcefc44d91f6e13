/**
 * The GreenOps policy pack: `pulumi preview --policy-pack <GreenOps>/app/crossguard`. Constructing a
 * PolicyPack starts the analyzer the Pulumi CLI talks to, so this file only does that; the policies
 * are in policies.ts (what the tests call, without the CLI).
 */
import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./policies.ts";

new PolicyPack("greenops", {
  description: "GreenOps' cost and carbon policies, checked on each stack's resources before they deploy.",
  policies: crossGuardPolicies(),
});
