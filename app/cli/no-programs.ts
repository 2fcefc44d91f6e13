/** What `--no-programs` makes of a run: Pulumi programs and CDKTF apps are not run, and the report says so. */
export const NO_PROGRAMS = { runPrograms: false, refusal: "greenops ran with --no-programs" } as const;
