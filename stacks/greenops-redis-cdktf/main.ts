// `cdktf synth` (or cdktn's) runs this: it writes cdktf.out/stacks/greenops-redis/cdk.tf.json.
import { App } from "cdktf";
import { GreenOpsRedis } from "./stack.ts";

const app = new App();
// cache.m4.large: the node type GreenOps' catalog prices today; a current one (cache.t4g.small) costs less.
new GreenOpsRedis(app, "greenops-redis", { region: "us-east-1", nodeType: "cache.m4.large" });
app.synth();
