import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A Prometheus Operator ServiceMonitor scraping `/metrics` of the web and worker Services. */
export function serviceMonitor(namespace: pulumi.Input<string>) {
  return new k8s.apiextensions.CustomResource("greenops", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "greenops", namespace, labels: { "app.kubernetes.io/name": "greenops" } },
    spec: {
      selector: {
        matchLabels: { "app.kubernetes.io/name": "greenops" },
        matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["web", "worker"] }],
      },
      endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
    },
  });
}
