import { describe, expect, it } from "vitest";
import { policyIdSchema } from "../../app/config/custom-policy-file.ts";
import { loadCustomPolicy } from "../../app/engine/custom-policies.ts";

const DIRECTORY = ".github/greenops/policies";
const BODY = "title: Workloads name their team\nmessage: no team\nassert: { required: [labels] }\n";
const KEBAB = policyIdSchema.patternErrorMessage;

describe("a custom policy's id from its file name", () => {
  const loaded: { file: string; text: string; id: string }[] = [
    { file: "team-label.yml", text: BODY, id: "team-label" },
    { file: "team-label.yaml", text: BODY, id: "team-label" },
    { file: "no-big-dev-pods-2.yml", text: BODY, id: "no-big-dev-pods-2" },
    { file: "Team_Label.yml", text: `id: team-label\n${BODY}`, id: "team-label" },
  ];
  it.each(loaded)("$file gives the policy id $id", ({ file, text, id }) => {
    const { policy, diagnostics } = loadCustomPolicy(`${DIRECTORY}/${file}`, text, new Set());
    expect(diagnostics).toEqual([]);
    expect(policy?.meta.id).toBe(id);
  });

  const refused: { file: string; text: string; id: string }[] = [
    { file: "Team_Label.yml", text: BODY, id: "Team_Label" },
    { file: "team--label.yaml", text: BODY, id: "team--label" },
    { file: "team label.yml", text: BODY, id: "team label" },
    { file: "-team.yml", text: `# Owned by platform.\n\n${BODY}`, id: "-team" },
  ];
  it.each(refused)("$file is refused at line 1, in the id's words", ({ file, text, id }) => {
    const path = `${DIRECTORY}/${file}`;
    expect(loadCustomPolicy(path, text, new Set())).toEqual({
      diagnostics: [
        {
          file: path,
          line: 1,
          severity: "error",
          message: `the id "${id}" taken from the file name ${KEBAB}`,
        },
      ],
    });
  });
});
